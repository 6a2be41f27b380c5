"""Query parsing: a question becomes a list of query terms, each a record of where it came from.

Built by small named steps, in order:

1. :meth:`QueryParser.word_terms` -- the question's content words (stop words and phrasing words
   dropped), each read as typed, or as the article word it is a typo of (``corrected``), or as a
   form of an actor's name ("americans": the US);
2. :meth:`QueryParser.alias_terms` -- for a name the article does not use ("Daesh"), the words of
   the names it does use (``alias``);
3. :meth:`QueryParser.actor_terms` -- one entity token per actor the question names (``actor``),
   and :meth:`QueryParser.acronym_terms` one per acronym typed in capitals that is a stop word ("IS");
4. :meth:`QueryParser.unknown_names` -- capitalised words neither the article nor any actor's
   names know ("Paris"), for the decline rule.

Expansion terms (alias, actor) are scored by BM25 and cover the question words they stand for; only
the question's own words (typed, corrected) carry weight in the decline rule's coverage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..config import RetrievalSettings
from ..entities import EntityMatcher
from ..textnorm import QUESTION_PHRASING_WORDS, STOP_WORDS, capitalised, fold, name_words, tokenize_words, words
from .analysis import Analyzer
from .lexicon import Lexicon
from .question_type import fix_question_word
from .spans import verb_base
from .timing import without_time_bounds

TYPED = "typed"
CORRECTED = "corrected"
ALIAS = "alias"
ACTOR = "actor"
QUESTION_ORIGINS = (TYPED, CORRECTED)


# What may surround a question without being part of it: quote marks, Spanish opening marks, ellipses,
# markdown emphasis, code and spoiler marks, and the question's own end punctuation.
_EDGE_CHARACTERS = "\"'`*_~|¿¡?!.,;:…- \t\n"
# A markdown block marker at the start: quote (>), heading (#), list item (-, *, +, •, 1., 1)), task box.
_BLOCK_MARKER = re.compile(r"^(?:>+|#{1,6}|[-*+•]|\d{1,3}[.)]|\[[ xX]?\])(?=\s|$)")
_INLINE_MARKUP = re.compile(r"\*\*|__|~~|`+|\|\||(?<![^\W_])[*_]+(?=[^\W_])|(?<=[^\W_])[*_]+(?![^\W_])")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def clean_question(text: str) -> str:
    """The question without what surrounds it: markdown block markers (``>``, ``#``, list markers),
    emphasis and code marks, wrapping quotes and brackets, ``¿``/``¡`` and end punctuation.

    "> **“Where is al-Bukamal?”**", "1. where is al-Bukamal" and "¿Where is al-Bukamal?" all become
    "Where is al-Bukamal" (folded, one space between words), so decoration never changes an answer
    in either mode (the embedding model reads this text too).
    """
    text = _INLINE_MARKUP.sub("", " ".join(fold(text).split()))
    previous = None
    while text != previous:
        previous = text
        text = _BLOCK_MARKER.sub("", text.strip(_EDGE_CHARACTERS)).strip(_EDGE_CHARACTERS)
        closing = _BRACKETS.get(text[:1])
        if closing and text.endswith(closing) and text.count(text[0]) == text.count(closing) == 1:
            text = text[1:-1]
    return text


@dataclass(frozen=True)
class QueryTerm:
    """One query term.

    ``surface`` is the word as typed (for ``alias``/``actor`` terms: the name it stands for),
    ``token`` what the index matches, ``idf`` the lexicon's IDF of the token, ``origin`` one of
    typed / corrected / alias / actor. ``in_vocabulary`` is False for a question word neither the
    article nor any actor's names use (paraphrase vocabulary, "worried"); ``covered_by`` holds the
    tokens that also count as matching it (the actor it names, the other names of an alias).
    """

    surface: str
    token: str
    idf: float
    origin: str
    in_vocabulary: bool = True
    corrected_to: str | None = None  # for a corrected term: the article word it was read as
    covered_by: frozenset[str] = frozenset()
    names_actor: bool = False  # a word of an actor's name, which the actor's token also matches


@dataclass(frozen=True)
class Query:
    """A parsed question: its terms in order, the article's names for names it lacks, unknown names."""

    text: str
    terms: tuple[QueryTerm, ...]
    also_known_as: tuple[str, ...] = ()  # the article's names for names in the question it does not use
    unknown_names: tuple[str, ...] = ()  # capitalised words the article and its actors never use ("Paris")
    question_word_fix: tuple[str, str] | None = None  # a misspelled question word as typed and as read

    @property
    def tokens(self) -> tuple[str, ...]:
        """Every term's token in order, repeats kept: what BM25 scores."""
        return tuple(t.token for t in self.terms)

    @property
    def tokens_once(self) -> tuple[str, ...]:
        """Like :attr:`tokens`, but a name is matched once, by its actor's token, not by its words too,
        nor by the words of the actor's other names (``alias`` terms: "Mobilisation" -> "PMU", "committee").

        Every passage that names the actor under any name carries that token, so the words add
        nothing but a second count of the same evidence (measured in bm25 mode, see ``retriever``):
        with the alias words, a passage using two of an actor's names outranked one that answers.
        """
        return tuple(t.token for t in self.terms if not t.names_actor and t.origin != ALIAS)

    @property
    def question_terms(self) -> tuple[QueryTerm, ...]:
        """The question's own words (typed or corrected), without expansions."""
        return tuple(t for t in self.terms if t.origin in QUESTION_ORIGINS)

    @property
    def corrections(self) -> dict[str, str]:
        """Typed word -> the article word (or question word: "wher" -> "where") it was read as."""
        fixes = {t.surface: t.corrected_to for t in self.terms if t.corrected_to is not None}
        if self.question_word_fix is not None:
            fixes[self.question_word_fix[0]] = self.question_word_fix[1]
        return fixes

    def term(self, token: str) -> QueryTerm:
        """The first term with ``token``; KeyError when there is none."""
        for t in self.terms:
            if t.token == token:
                return t
        raise KeyError(token)


@dataclass(frozen=True)
class AliasExpansion:
    """An alias as tokens, and the tokens and names of the other names of the same thing."""

    phrase: tuple[str, ...]
    other_tokens: tuple[str, ...]
    other_names: tuple[str, ...]


def alias_expansions(
    alias_groups: Iterable[Sequence[str]], analyzer: Analyzer, token_lists: Sequence[Sequence[str]]
) -> list[AliasExpansion]:
    """For every name of every group: its tokens, and those of the group's names the article uses.

    Expansion goes only into names the article itself uses: "Islamic State of Iraq and Syria" would
    bring in "Iraq" and "Syria", which are everywhere.
    """
    alias_groups = list(dict.fromkeys(tuple(group) for group in alias_groups))  # many articles, one actor
    names = dict.fromkeys(name for group in alias_groups for name in group)  # each name tokenized once
    # analyzer.tokenize(name), from the words the entity matcher already split the name into
    rules = {"stemming": analyzer.stemming, "stop_words": analyzer.stop_words, "unstemmed": analyzer.unstemmed}
    tokenized = {name: tuple(tokenize_words(name_words(name), **rules)) for name in names}
    groups = [[(name, tokenized[name]) for name in group] for group in alias_groups]
    groups = [[(name, t) for name, t in named if t] for named in groups]
    occurs = _phrases_in([t for named in groups for _, t in named], token_lists)
    expansions = []
    for named in groups:
        used = [(name, t) for name, t in named if t in occurs]
        for _, phrase in named:
            others = tuple(dict.fromkeys(t for _, other in used if other != phrase for t in other if t not in phrase))
            if others:
                surface = tuple(name for name, other in used if other != phrase)
                expansions.append(AliasExpansion(phrase, others, surface))
    return expansions


@dataclass
class _Words:
    """Working state of one parse: every question word (typos read as article words) and term positions."""

    typed: list[str] = field(default_factory=list)
    term_at: dict[int, int] = field(default_factory=dict)  # word position -> index of its term


class QueryParser:
    """Parses questions against one index; immutable after construction, so shared across threads."""

    def __init__(
        self,
        analyzer: Analyzer,
        lexicon: Lexicon,
        entities: EntityMatcher,
        aliases: Sequence[AliasExpansion],
        settings: RetrievalSettings,
        known_prefixes: frozenset[str],
        prefix_letters: int,
    ) -> None:
        self.analyzer = analyzer
        self.lexicon = lexicon
        self.entities = entities
        self.aliases = tuple(aliases)
        self.alias_vocabulary = frozenset(t for a in self.aliases for t in a.phrase)
        # Aliases by their first token, so a question is checked only against those it could contain
        # (checking every alias made each question slower as the knowledge folder grew).
        self._aliases_by_first: dict[str, list[tuple[int, AliasExpansion]]] = {}
        for position, alias in enumerate(self.aliases):
            self._aliases_by_first.setdefault(alias.phrase[0], []).append((position, alias))
        self.settings = settings
        self.known_prefixes = known_prefixes
        self.prefix_letters = prefix_letters

    def parse(self, question: str) -> Query:
        """The :class:`Query` for ``question``; its ``text`` is the question as :func:`clean_question` leaves it."""
        question, question_word_fix = fix_question_word(clean_question(question), self._known)
        # "before November 2017" bounds the time asked about; its words are not what it is about.
        searched = without_time_bounds(question)
        question_words = words(searched)
        names_at = capitalised(searched)
        if len(names_at) != len(question_words):  # casefolding split a word; no name signal then
            names_at = [False] * len(question_words)
        state = _Words()
        terms = self.word_terms(question_words, state)
        names: list[str] = []
        terms = [*terms, *self.alias_terms(terms, names)]
        terms = self.actor_terms(terms, state)
        terms = [*terms, *self.acronym_terms(question, terms)]
        terms = self._alias_cover(terms)
        unknown = self.unknown_names(question_words, names_at, terms, state)
        return Query(question, tuple(terms), tuple(names), unknown, question_word_fix)

    def _known(self, word: str) -> bool:
        """True for a word the article or its aliases use (no typo of a question word)."""
        token = self.analyzer.stem(word)
        return token in self.lexicon or token in self.alias_vocabulary

    def word_terms(self, question_words: Sequence[str], state: _Words) -> list[QueryTerm]:
        """Step 1: one term per content word, typed, corrected, or read as a form of an actor's name."""
        terms: list[QueryTerm] = []
        for word in question_words:
            if self.settings.stop_words and (word in STOP_WORDS or word in QUESTION_PHRASING_WORDS):
                state.typed.append(word)
                continue
            term = self._word_term(word)
            state.typed.append(term.corrected_to or word)
            state.term_at[len(state.typed) - 1] = len(terms)
            terms.append(term)
        return terms

    def _word_term(self, word: str) -> QueryTerm:
        token = self.analyzer.stem(word)
        if token in self.lexicon or token in self.alias_vocabulary:
            return QueryTerm(word, token, self.lexicon.idf(token), TYPED)
        # An irregular past form ("held", "took") is a word, not a typo of an article word ("help").
        if self.settings.typo_tolerance and verb_base(word) == word:
            fixed = self.lexicon.typos.nearest(word)
            if fixed is not None:
                fixed_token = self.analyzer.stem(fixed)
                return QueryTerm(word, fixed_token, self.lexicon.idf(fixed_token), CORRECTED, corrected_to=fixed)
        related = self.entities.related(word)
        # "Americans" is a form of "America", a name of the US: the US's token covers it.
        return QueryTerm(word, token, self.lexicon.idf(token), TYPED, in_vocabulary=bool(related), covered_by=related)

    def alias_terms(self, terms: Sequence[QueryTerm], names: list[str]) -> list[QueryTerm]:
        """Step 2: the article's words for each name the question uses that the article does not.

        Only such names are expanded, and only into words the article has: expanding names it
        already uses added noise ("US" -> "state") and measured worse. ``names`` receives the
        article's names used (for the embedding model, which has never seen "KH" or "Daesh").
        """
        tokens = [t.token for t in terms]
        seen = set(tokens)
        added: list[QueryTerm] = []
        for alias in self._aliases_in(tokens):
            if not all(t in self.lexicon for t in alias.phrase):
                for token in alias.other_tokens:
                    if token in self.lexicon and token not in seen:
                        seen.add(token)
                        added.append(QueryTerm(" ".join(alias.other_names), token, self.lexicon.idf(token), ALIAS))
                names.extend(n for n in alias.other_names if n not in names)
        return added

    def actor_terms(self, terms: list[QueryTerm], state: _Words) -> list[QueryTerm]:
        """Step 3: one entity token per actor the question names, and the words naming it covered by it."""
        seen = {t.token for t in terms}
        result = list(terms)
        for term in terms:
            for token in sorted(term.covered_by):
                if token not in seen:
                    seen.add(token)
                    result.append(QueryTerm(term.surface, token, self.lexicon.idf(token), ACTOR))
        for first, end, actor_tokens in self.entities.in_words(state.typed):
            surface = " ".join(state.typed[first:end])
            for token in sorted(actor_tokens):
                if token not in seen:
                    seen.add(token)
                    result.append(QueryTerm(surface, token, self.lexicon.idf(token), ACTOR))
            for position in range(first, end):
                if position in state.term_at:
                    index = state.term_at[position]
                    word_term = result[index]
                    result[index] = replace(word_term, covered_by=word_term.covered_by | actor_tokens, names_actor=True)
        return result

    def acronym_terms(self, question: str, terms: Sequence[QueryTerm]) -> list[QueryTerm]:
        """Step 3b: an actor named by an acronym typed in capitals that is also a stop word ("when did IS
        take the town?": Islamic State), which step 3 leaves out so that every "is" is not a name."""
        if question.isupper():  # capitals throughout say nothing about acronyms
            return []
        seen = {t.token for t in terms}
        added = []
        for start, end, token in self.entities.spans(question):
            surface = question[start:end]
            if token not in seen and surface.isupper():
                seen.add(token)
                added.append(QueryTerm(surface, token, self.lexicon.idf(token), ACTOR))
        return added

    def _aliases_in(self, tokens: Sequence[str]) -> list[AliasExpansion]:
        """The aliases whose phrase occurs in ``tokens``, in the order they were given."""
        candidates = [pair for token in set(tokens) for pair in self._aliases_by_first.get(token, ())]
        return [
            alias
            for _, alias in sorted(candidates, key=lambda pair: pair[0])
            if contains_sequence(tokens, alias.phrase)
        ]

    def _alias_cover(self, terms: list[QueryTerm]) -> list[QueryTerm]:
        """A question word that is part of an alias is covered by the tokens of the alias's other names."""
        tokens = [t.token for t in terms]
        cover: dict[str, set[str]] = {}
        for alias in self._aliases_in(tokens):
            for token in alias.phrase:
                cover.setdefault(token, set()).update(alias.other_tokens)
        return [
            replace(t, covered_by=t.covered_by | cover[t.token])
            if t.origin in QUESTION_ORIGINS and t.token in cover
            else t
            for t in terms
        ]

    def unknown_names(
        self, question_words: Sequence[str], names_at: Sequence[bool], terms: Sequence[QueryTerm], state: _Words
    ) -> tuple[str, ...]:
        """Step 4: capitalised question words unknown to the article and its actors, with no relative."""
        found = []
        for position, index in state.term_at.items():
            term, word = terms[index], question_words[position]
            unknown = term.origin == TYPED and not term.in_vocabulary
            if unknown and names_at[position] and not self._has_relative(word):
                found.append(word)
        return tuple(found)

    def _has_relative(self, word: str) -> bool:
        """True when the article or an actor's name has a word with the same first letters ("Lebanon", "Lebanese")."""
        return len(word) >= self.prefix_letters and word[: self.prefix_letters] in self.known_prefixes


def _phrases_in(phrases: Iterable[tuple[str, ...]], token_lists: Sequence[Sequence[str]]) -> set[tuple[str, ...]]:
    """The ``phrases`` that occur (as adjacent tokens, in order) in at least one of ``token_lists``.

    Linear in the tokens, in one pass: each token list is intersected once with the tokens the
    phrases are made of, which finds the one-token phrases and, for each token of a longer phrase,
    the lists holding it; a longer phrase is then searched only in the lists holding all its tokens,
    from its rarest token's (one search per phrase per list made the index build grow with names x
    passages; a second pass for the vocabulary took a third of the time).
    """
    phrases = set(phrases)
    longer = [p for p in phrases if len(p) > 1]
    needed = {t for p in longer for t in p}
    wanted = needed | {p[0] for p in phrases if len(p) == 1}
    present: set[str] = set()  # one-token phrases found, no longer looked for
    holding: dict[str, set[int]] = {}
    for index, tokens in enumerate(token_lists):
        for token in wanted.intersection(tokens):
            if token in needed:
                holding.setdefault(token, set()).add(index)
            else:
                present.add(token)
                wanted.discard(token)
    found = {p for p in phrases if len(p) == 1 and (p[0] in present or p[0] in holding)}
    for phrase in longer:
        if not all(t in holding for t in phrase):
            continue
        postings = sorted((holding[t] for t in set(phrase)), key=len)
        candidates = postings[0].intersection(*postings[1:])
        if any(contains_sequence(token_lists[i], phrase) for i in candidates):
            found.add(phrase)
    return found


def contains_sequence(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    """True when ``phrase`` occurs in ``tokens`` as adjacent items, in order."""
    if not phrase:
        return False
    wanted, start = list(phrase), 0
    while True:
        try:
            # Jumping between occurrences of the first token keeps index building fast.
            at = tokens.index(wanted[0], start)
        except ValueError:
            return False
        if list(tokens[at : at + len(wanted)]) == wanted:
            return True
        start = at + 1
