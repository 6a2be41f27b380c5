"""Short answers: the verbatim span of the best sentences that answers a factoid question.

Three steps, one module each: :mod:`.question_type` reads what the question asks for (an actor, a
date, a place, a number, a phrase); :mod:`.spans` finds the candidate spans of that type in a
sentence (dates with the timeline's date reader, numbers with their unit noun, the phrase a
preposition introduces); this module picks the span: candidates are read from the best sentences of
the best passage, actors and places from the actors index (curated or drafted). Anything the
question itself names is not a candidate. The candidate nearest to a word the question and the
sentence share wins.

A short answer is always a span of the article: ``text == article.text[start:end]``. It is never
invented: when no sentence holds a candidate of the expected type there is none, and for a number
or a date that is a reason to decline (the text does not give it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..actors import ARMED_GROUP, MEDIA, MILITARY, ORGANISATION, OTHER, PERSON, PLACE, STATE, Actor
from ..indexer import Passage, Sentence
from ..namefinder import NameFinder
from ..textnorm import STOP_WORDS, capitalised, fold, words
from .analysis import Analyzer
from .highlight import opens_with_reference
from .query import Query
from .question_type import (
    ACTOR,
    DATE,
    NAME,
    NUMBER,
    PHRASE,
    PLACE_NOUNS,
    PLACE_TYPE,
    PREPOSITIONS,
    ROLE,
    ExpectedType,
    expected_type,
)
from .spans import (
    LOCATIVE,
    MAX_WORDS,
    RELATIVE_DATE_REACH,
    STRICT_MEASURES,
    WORD_SPAN,
    counting,
    dates,
    extended_name,
    is_modifier,
    joined_to,
    located,
    named_by_head,
    numbers,
    of_measure,
    phrases,
    placed,
    roles,
    trimmed,
    verb_base,
)
from .timing import When, fits, question_time, rank, sentence_time

__all__ = [
    "ACTOR",
    "DATE",
    "MAX_WORDS",
    "NAME",
    "NUMBER",
    "PHRASE",
    "PLACE_TYPE",
    "ROLE",
    "ExpectedType",
    "ShortAnswer",
    "ShortAnswerFinder",
    "expected_type",
    "requires_value",
]

SENTENCES_READ = 3  # the best sentences of the best passage searched for a candidate, best first
QUESTION_ONLY_WORDS = frozenset({"whos", "guy", "person", "exactly", "really", "actually", "tell", "know"})
# Pronouns opening a sentence whose referent, in the sentence before, is the subject asked for.
# Only "he"/"she": "This group is run by X" and "It received backing from X" name the answer themselves.
PERSON_PRONOUNS = frozenset({"he", "she"})
_AGENT = re.compile(r"\bby\s+(?:the\s+)?$")
# "<verb> by [a few lower-case words, one apposition comma] <name>": "run by retired schoolteacher
# Gareth Pryce", "overseen by an independent monitor, the engineering firm Baird & Lowe".
_VERB_AGENT = re.compile(r"([^\W\d_]+)\s+by\s+(?:[a-z][\w-]*,?\s+){0,7}$")
# A clause opens at the sentence's start or after ", and" / ", but" / ";" (then "the" may come first).
_CLAUSE_OPENING = re.compile(r"(?:^|[,;]\s*(?:and|but|while)?)\s*(?:[Tt]he\s+)?$")
_CLAUSE_BREAK = re.compile(r"[,;]\s*(?:and|but|while)\s|;")
REFERENCE_REACH = 300  # characters before a passage that opens with "it"/"he" read for what it refers to
# Words between "who" and the relation it asks about ("who is the president of", "who was killed").
RELATION_SKIP = frozenset({"is", "are", "was", "were", "has", "have", "had", "did", "does", "do", "will", "would",
                           "can", "could", "should", "might", "the", "a", "an", "been", "being", "currently", "now"})
BE_FORMS = frozenset({"is", "are", "was", "were", "been", "being"})
# Known synonyms of a relation word, by stem: a sentence saying one states the other ("led by" for
# "who runs"). Kept small on purpose: a loose synonym lets a wrong actor through.
RELATION_SYNONYMS = {
    "run": {"lead", "head", "command", "control"},
    "lead": {"run", "head", "command"},
    "head": {"run", "lead"},
    "command": {"run", "lead"},
    "fund": {"financ", "bankrol"},
    "financ": {"fund"},
    "back": {"support"},
    "support": {"back"},
    "kill": {"assassin"},
    "hit": {"strik", "attack"},
    "attack": {"strik", "hit"},
    "found": {"establish", "form"},
    "establish": {"found", "form"},
    "captur": {"seiz", "take", "took", "liber"},
    "seiz": {"captur", "take", "took"},
    # Taking a place from its holders: "took al-Bukamal" is said "liberating al-Bukamal from ISIS".
    "take": {"captur", "seiz", "liber"},
    "liber": {"captur", "take", "took"},
    "hold": {"control"},
    "control": {"hold", "held", "run", "ran"},
}
# "Who is in charge / control / command of X?": the relation of an idiom, as the verb it means.
_IN_CHARGE = re.compile(
    r"^(?:is|are|was|were|has been|had been)?\s*(?:now\s+|currently\s+)?in (charge|control|command) of\b"
)
_IN_CHARGE_OF = {"charge": "run", "control": "control", "command": "command"}
OBJECT_REACH = 4  # words between a relation word and its object ("support to the mostly Kurdish SDF")
NOT_PLACES = frozenset({ARMED_GROUP, MEDIA, MILITARY, ORGANISATION, PERSON})  # actor types no place phrase is
PLACE_REACH = 6  # words between a where-question's word and the place it is said with
_QUOTES = "\"\u201c\u201d"
PASSIVE_OBJECT_REACH = 30  # characters from a verb to its object ("killed a member of the PMU")
_PASSIVE_SUBJECT = re.compile(
    r"^\W*(?:who\s+|which\s+)?(?:is|are|was|were|has\s+been|have\s+been|had\s+been|being|been)\s+(?:\w+ly\s+)?$"
)
# A relation word right after one of these is an aim or a possibility, not a done act; it still
# answers a question that itself asks about an aim ("who will build", "who wants to ...").
_INTENDED = re.compile(r"\b(?:on|at|might|may|could|would)\s+$", re.IGNORECASE)
MODAL_QUESTION = re.compile(r"\b(?:will|would|might|may|could|can|plan\w*|want\w*|aim\w*|try|tries|tried)\b", re.I)
RELATION_REACH = 60  # characters between a relational noun ("president") and the name it gives
AGENT_GAP = re.compile(r"^\W*(?:[\w-]+\W+){0,3}?(?:by|from)\s+(?:[a-z][\w-]*,?\s+){0,7}$")
COMPOUND_HEAD = 4  # a token this long that ends a word is that word's head ("airstrikes": "strike")
VERB_PREFIX = 5  # a verb form and the question's verb sharing this many first letters are one verb


def requires_value(expected: ExpectedType) -> bool:
    """True when only a date or a number answers the question: "when", "how many", "how much",
    "what year", and the measures a number with its unit answers ("how tall", "how long", "how old":
    ``STRICT_MEASURES``); not "how big", which the text may answer in words ("a base of this scale")."""
    return expected.counted or (expected.kind == NUMBER and expected.measure in STRICT_MEASURES)


@dataclass(frozen=True)
class ShortAnswer:
    """A verbatim span answering a factoid question.

    ``start``/``end`` are character offsets into the article text (``text`` is exactly that slice),
    ``sentence`` the label ("paragraph.sentence") of the sentence it was read from, ``type`` one of
    actor, date, number, place, phrase.
    """

    text: str
    type: str
    article: str
    start: int
    end: int
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "type": self.type,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class _Candidate:
    start: int  # offsets in the article text
    end: int
    rank: int  # lower is better (type preference)


class ShortAnswerFinder:
    """Finds short answers in passages; built once per index from the actors, then only read."""

    def __init__(self, actors: Sequence[Actor], analyzer: Analyzer, idf: Callable[[str], float]) -> None:
        """``idf`` is the index's one IDF (``Lexicon.idf``), for weighing the words a question shares."""
        self.actors = tuple(actors)
        self.analyzer = analyzer
        self.idf = idf
        self._finder = NameFinder.shared([actor.names for actor in self.actors])
        self._heads = [_heads(actor) for actor in self.actors]

    def find(
        self,
        query: Query,
        expected: ExpectedType,
        article_id: str,
        article_text: str,
        passage: Passage,
        sentences: Sequence[Sentence],
        title: str = "",
        when: When | None = None,
        earlier_dates: bool = False,
    ) -> ShortAnswer | None:
        """The short answer in ``sentences`` (of ``passage``, best first), or None when none holds one.

        ``title`` is the article's title: what it names, every passage is about ("Bridge reopens in
        Raqqa": "... led the work, which cost 2 million dollars" answers "how much did the Raqqa
        bridge repairs cost?"). ``when`` is the time the question asks about (:mod:`.timing`): a
        sentence dated otherwise is passed over, and of the others the one that best fits it wins.
        ``earlier_dates``: a sentence that says what a date question asks but gives no date may be
        dated by the sentence before it (a looser reading, for whether the passage dates it at all).
        """
        when = when or When()
        asked = self._named_in_question(query)
        wanted = set(query.tokens) - when.years  # "in 2014" is a condition, not a word to stand near
        question_text = fold(query.text).casefold()
        asked_tokens = {self.analyzer.stem(w) for w in words(query.text) if w not in STOP_WORDS}
        # The noun asked for ("which brigade") may be part of the answer ("45th Brigade").
        asked_tokens.discard(self.analyzer.stem(expected.head or ""))
        named_kinds = (ACTOR, PLACE_TYPE)
        if expected.kind == ACTOR and not self._asks_beyond_names(_as_read(query)):
            return None  # "Who is Muhandis?" asks what he is, not for another name
        found: list[tuple[Sentence, list[_Candidate]]] = []
        times: dict[int, tuple[int, int]] = {}  # a sentence's start -> how well it fits the question's time
        stated: dict[int, list[tuple[int, int]]] = {}  # a sentence's start -> where it states the relation
        relation = self._relation(query, expected)
        first_named = self._first_named(article_text, passage, asked) if asked else None
        if asked and asked <= {g for _, _, g in self._finder.find(title)}:
            first_named = passage.start
        # A date or a number answers only in a sentence that says something the question asks about.
        content = self._content_tokens(query, expected) if expected.kind in (DATE, NUMBER) else set()
        for sentence in sentences[:SENTENCES_READ]:
            if asked and (first_named is None or first_named >= sentence.end):
                continue  # about something else: the names the question gives are not in the passage so far
            if content and not self._says_any(article_text[sentence.start : sentence.end], content):
                continue  # "When was X founded?" - "X ... in the 1980s" says nothing of a founding
            if when.scoped:
                time = sentence_time(article_text, sentence.start, sentence.end)
                if not fits(when, time):
                    continue  # "Who backed the NSA in 2017?" - "It received backing ... June 28, 2016"
                times[sentence.start] = rank(when, time)
            referent = self._referent(expected, article_text, passage, sentence, asked)
            if referent is not None:
                # "He was accused ... but has become a key player": who has? the man the sentence before names.
                candidates = [referent]
            else:
                candidates = [
                    c
                    for c in self._candidates(expected, article_text, sentence, asked, question_text, query.text)
                    if not self._question_words(
                        article_text[c.start : c.end], asked_tokens, expected.kind in named_kinds
                    )
                ]
            if relation is not None:
                # The sentence must state the relation asked about, with the candidate in its slot.
                occurrences = self._relation_spans(article_text, sentence, relation[0])
                if not MODAL_QUESTION.search(query.text):
                    # "set their sights on liberating", "might liberate": an aim, not the act asked about.
                    occurrences = [o for o in occurrences if not _INTENDED.search(article_text, sentence.start, o[0])]
                if asked and relation[1] == "verb":
                    # "The US shifted more support to the SDF": support, but for another than the one asked about.
                    occurrences = [
                        o for o in occurrences if not self._done_to_another(article_text, o, sentence, asked)
                    ]
                candidates = [
                    c
                    for c in candidates
                    if occurrences
                    and (c is referent or any(_in_slot(article_text, c, o, relation[1]) for o in occurrences))
                ]
                stated[sentence.start] = occurrences
            quoted = any(q in article_text[sentence.start : sentence.end] for q in _QUOTES)
            if earlier_dates and not candidates and content and expected.kind == DATE and not quoted:
                # "The battle for al-Bukamal in 2017 united ... Kata'ib Hezbollah ... entered Syria":
                # a sentence saying what is asked, undated, is dated by the sentence before it (not a
                # quotation: "We would rather sign ...", he said, is not dated by what came before).
                earlier = self._sentence_before(passage, sentence)
                if earlier is not None:
                    if when.scoped:
                        times[earlier.start] = times[sentence.start]
                    sentence = earlier
                    candidates = self._candidates(expected, article_text, earlier, asked, question_text, query.text)
            if candidates:
                found.append((sentence, candidates))
        if not found:
            return None
        if when.scoped:
            found.sort(key=lambda item: times[item[0].start], reverse=True)  # stable: best ranked first on a tie
        sentence, candidates = found[0]
        people_first = expected.kind == ACTOR and expected.actor_types[0] == PERSON
        verbs = {w for w in words(query.text) if w not in STOP_WORDS}
        agents = expected.kind == ACTOR and expected.subject

        def verb_agent(c: _Candidate) -> bool:
            """The agent of the question's own verb ("Who runs X?" - "X is run by retired schoolteacher Y")."""
            if not agents:
                return False
            match = _VERB_AGENT.search(article_text, max(sentence.start, c.start - 80), c.start)
            return match is not None and self._same_verb(match.group(1).casefold(), verbs)

        if people_first and all(c.rank > 0 for c in candidates) and not any(verb_agent(c) for c in candidates):
            # "Who is in charge of X?": the best sentence names X and its allies, a later one the person.
            people = [(s, [c for c in cs if c.rank == 0]) for s, cs in found[1:]]
            people = [(s, cs) for s, cs in people if cs]
            if people:
                sentence, candidates = people[0]
        anchors = self._anchors(article_text, sentence, wanted)
        # Nearest (in words, over the IDF of the shared word) to a word the question shares with the
        # sentence; the preferred actor type on a tie.
        # A "who" question is first about people: a person the sentence names beats any group.
        # A subject question prefers an agent ("the airstrike by Israel", "run by X") to other names,
        # and first the agent of its own verb ("Who brought the case?" - "brought by the association").

        # Then the name the sentence opens with, when the question's words follow it ("Kata'ib
        # Hezbollah, a member of ..., entered Syria from Iraq to help retake al-Bukamal").

        def opens(c: _Candidate) -> bool:
            if not agents or _CLAUSE_OPENING.search(article_text[sentence.start : c.start]) is None:
                return False
            following = [a for a, _, _ in anchors if a >= c.end]
            return bool(following) and not _CLAUSE_BREAK.search(article_text, c.end, min(following))

        def key(c: _Candidate) -> tuple[bool, bool, bool, bool, int, float, int, int]:
            agent = agents and _AGENT.search(article_text, max(0, c.start - 8), c.start) is not None
            return (
                not verb_agent(c),
                c.rank > 0 and people_first,
                not agent,
                not opens(c),
                # Nearest to where the relation is said: "Islamic State and paved the way for the group to
                # exert control", not "al-Qaeda" further back.
                min((max(o[0] - c.end, c.start - o[1]) for o in stated.get(sentence.start, ())), default=0),
                _distance(c, anchors),
                c.rank,
                c.start,
            )

        best = min(candidates, key=key)
        start, end = trimmed(article_text, best.start, best.end)
        text = article_text[start:end]
        return ShortAnswer(text, expected.kind, article_id, start, end, f"{sentence.paragraph}.{sentence.number}")

    def time_asked(self, query: Query, expected: ExpectedType | None, when: When) -> When:
        """``when`` as it decides between answers to ``query``: a present-tense question ("who controls
        X?") prefers the latest evidence only when the sentences must state the relation it asks about
        (``_relation``); "who is in charge of X?" would otherwise take any later name."""
        if when.present and (expected is None or self._relation(query, expected) is None):
            return When()
        return when

    def states_relation(self, query: Query, expected: ExpectedType) -> bool:
        """True when an answer to ``query`` must come from a sentence stating the relation it asks about."""
        return self._relation(query, expected) is not None

    def _relation(self, query: Query, expected: ExpectedType) -> tuple[str, str] | None:
        """The relation a subject "who" question asks about and how the answer stands in it:
        ``(word, slot)``, slot "verb" (the answer is the agent: "who runs X?"), "passive" (the one it
        happens to: "who was killed?") or "noun" (a relational noun: "who is the president of X?").
        None for other questions, or when no such word follows "who" (the question's own names aside).
        """
        if expected.kind != ACTOR or not expected.subject or expected.preposition:
            return None
        text = _as_read(query)
        spans = self._finder.find(text)
        text = "".join(" " if any(a <= i < b for a, b, _ in spans) else ch for i, ch in enumerate(text))
        typed = words(text)
        opening = next((i for i, w in enumerate(typed) if w in {"who", "whos"}), None)
        if opening is None:
            return None
        idiom = _IN_CHARGE.search(" ".join(typed[opening + 1 :]))
        if idiom is not None:
            return _IN_CHARGE_OF[idiom.group(1)], "verb"  # "who is in charge of X?" asks who runs X
        be = typed[opening] == "whos"
        for word in typed[opening + 1 :]:
            if word in PREPOSITIONS or word in LOCATIVE or word in {"behind", "beyond", "between", "around"}:
                # "who is across the river?", "who is in charge of X?": a place or an idiom, no one word to find
                return None
            if word in RELATION_SKIP or word in STOP_WORDS or word in QUESTION_ONLY_WORDS:
                be = be or word in BE_FORMS
                continue
            if not be:
                return word, "verb"
            return word, ("passive" if word.endswith(("ed", "en")) or verb_base(word) != word else "noun")
        return None

    def _done_to_another(self, text: str, occurrence: tuple[int, int], sentence: Sentence, asked: set[int]) -> bool:
        """True when the relation word at ``occurrence`` is done to or for an actor the question does not
        name: its object ("attacked the SDF") or what "to"/"for"/"against"/"on" introduces after it
        ("shifted more support to the mostly Kurdish Syrian Democratic Forces"), within ``OBJECT_REACH``
        words; not its agent ("backing from the US", "run by X")."""
        after = text[occurrence[1] : sentence.end]
        after = after[: min((after.find(c) for c in ",;:(" if c in after), default=len(after))]
        if re.match(r"\s+(?:by|from|with)\b", after):
            return False
        named = self._finder.find(after)
        if not named:
            return False
        start, _, group = named[0]
        between = after[:start]
        return group not in asked and len(WORD_SPAN.findall(between)) <= OBJECT_REACH

    def _relation_spans(self, text: str, sentence: Sentence, relation: str) -> list[tuple[int, int]]:
        """Where ``sentence`` says ``relation``: a form of it ("runs", "run"), a word sharing its
        first letters ("presidential"), a known synonym (``RELATION_SYNONYMS``: "led" for "runs"), or
        a closed compound ending with it ("airstrike" for "strike"). Offsets in ``text``."""
        stem = self.analyzer.stem(verb_base(relation))
        synonyms = RELATION_SYNONYMS.get(stem, set())
        found = []
        for match in WORD_SPAN.finditer(text, sentence.start, sentence.end):
            word = verb_base(match.group(0).casefold())
            word_stem = self.analyzer.stem(word)
            if (
                self._same_verb(word, {relation})
                or any(word_stem.startswith(s) or word.startswith(s) or word_stem.endswith(s) for s in synonyms)
                or (len(stem) >= COMPOUND_HEAD and word.endswith(stem))
            ):
                found.append((match.start(), match.end()))
        return found

    def _same_verb(self, verb: str, question_words: set[str]) -> bool:
        """True when ``verb`` is a form of one of the question's words: the same stem ("owned", "owns")
        or the same first ``VERB_PREFIX`` letters ("overseen", "oversee"), irregular forms read as their
        base ("chose", "choose")."""
        verb = verb_base(verb)
        stem = self.analyzer.stem(verb)
        bases = {verb_base(w) for w in question_words}
        return any(
            self.analyzer.stem(w) == stem or (len(w) >= VERB_PREFIX and w[:VERB_PREFIX] == verb[:VERB_PREFIX])
            for w in bases
        )

    def _stems(self, text: str) -> set[str]:
        return {self.analyzer.stem(w) for w in words(text) if w not in STOP_WORDS}

    def _first_named(self, text: str, passage: Passage, asked: set[int]) -> int | None:
        """Where the passage first names an actor the question names (an offset in ``text``), or None:
        a sentence before that is about something else. "the dam" names the Kessel Dam: a definite
        description by the last word of a name of several words (see :func:`_head_mentions`)."""
        start = min(s.start for s in passage.sentences)
        end = max(s.end for s in passage.sentences)
        if opens_with_reference(text[start:end]):
            # "It received backing from the US": what "it" is was named just before the passage.
            start = max(0, start - REFERENCE_REACH)
        named = [start + a for a, _, g in self._finder.find(text[start:end]) if g in asked]
        heads = {h for g in asked for h in self._heads[g]}
        named += [start + a for a in _head_mentions(text[start:end], heads)]
        return min(named, default=None)

    def asks_for_another_actor(self, query: Query, expected: ExpectedType) -> bool:
        """True for a "who" / "which group" question that asks for someone besides the names it gives
        ("Who owns Halvorsen Civil?"); not "Who is Muhandis?", which asks what he is."""
        return expected.kind == ACTOR and self._asks_beyond_names(_as_read(query))

    def has_candidate(self, query: Query, expected: ExpectedType, article_text: str, passage: Passage) -> bool:
        """True when some sentence of ``passage`` holds a candidate of the expected type."""
        asked = self._named_in_question(query)
        question_text = fold(query.text).casefold()
        return any(
            self._candidates(expected, article_text, s, asked, question_text, query.text) for s in passage.sentences
        )

    def adds_to(self, query: Query, expected: ExpectedType, text: str, short: ShortAnswer, best: Passage) -> bool:
        """True when the short answer is said with a word of the question, other than its names, that
        the best passage does not say (within ``RELATIVE_DATE_REACH`` words of it, offsets in
        ``text``): it answers what the best passage leaves out ("which cost 2 million dollars" for
        "how much did the repairs cost?"), not something near the same words ("two Israeli drones"
        for "how many missiles ...?" under a passage about the missiles)."""
        before = [m.group(0) for m in WORD_SPAN.finditer(text, max(0, short.start - 80), short.start)]
        after = [m.group(0) for m in WORD_SPAN.finditer(text, short.end, short.end + 80)]
        near = self._stems(" ".join(before[-RELATIVE_DATE_REACH:] + after[:RELATIVE_DATE_REACH]))
        return bool((near & self._content_tokens(query, expected)) - self._stems(text[best.start : best.end]))

    def _question_words(self, text: str, asked: set[str], half: bool) -> bool:
        """True for a span made of the question's own words ("Iraqi town" for "which Iraqi town"), or for
        a name (``half``) half made of them ("Syrian regime" for "... from the regime"): the question
        names it, so it is no answer. A number's unit is the question's word by design ("150 men")."""
        content = [self.analyzer.stem(w) for w in words(text) if w not in STOP_WORDS]
        shared = sum(1 for t in content if t in asked)
        return bool(content) and (2 * shared >= len(content) if half else shared == len(content))

    def _referent(
        self, expected: ExpectedType, text: str, passage: Passage, sentence: Sentence, asked: set[int]
    ) -> _Candidate | None:
        """The actor a sentence's opening reference stands for, when that is what the question asks:

        - "He was accused ..., but has become a key player" for "who has become ...?" (a subject
          question, a sentence opening with he/she, naming no person itself): the person;
        - "This group is run by X" for "what group does X run?" (the sentence opens with "this" or
          "that" and the question's own noun): the group.

        The referent is the first fitting actor of the sentence before (for a group, of the nearest
        earlier one that does not itself open with a reference: "Then it decided ..." is passed over),
        unless the question names it.
        """
        if expected.kind != ACTOR:
            return None
        opening = words(text[sentence.start : sentence.end])[:2]
        head = self.analyzer.stem(expected.head) if expected.head else None
        if head and len(opening) == 2 and opening[0] in {"this", "that"} and self.analyzer.stem(opening[1]) == head:
            fits = tuple(t for t in expected.actor_types if t != PERSON)
        elif opening[:1] and opening[0] in PERSON_PRONOUNS and expected.subject and PERSON in expected.actor_types:
            own = self._finder.find(text[sentence.start : sentence.end])
            if any(self.actors[g].type == PERSON and g not in asked for _, _, g in own):
                return None  # the sentence names a person itself
            fits = (PERSON,)
        else:
            return None
        for before in reversed([s for s in passage.sentences if s.end <= sentence.start]):
            if fits != (PERSON,) and opens_with_reference(text[before.start : before.end]):
                continue  # "Then it decided ...": the group is named further back
            for a, b, g in self._finder.find(text[before.start : before.end]):
                if self.actors[g].type in fits:
                    return None if g in asked else _Candidate(before.start + a, before.start + b, 0)
            return None
        return None

    def _content_tokens(self, query: Query, expected: ExpectedType) -> set[str]:
        """The tokens (and words) of the question's own words, typed or corrected, that are not names
        (an actor's, or a word the question writes with a capital: "Carrow Academy" when the actors
        index lacks it), its head noun or its measure word ("long" of "how long")."""
        skip = {self.analyzer.stem(w) for w in (expected.head, expected.measure) if w}
        # A year the question names is a condition on the time (``timing``), not something said: "When
        # did the NSA attack in 2017?" is not answered by "... liberating al-Bukamal in November 2017".
        skip |= question_time(query.text).years
        named = {w for w, cap in zip(words(query.text), capitalised(query.text), strict=False) if cap}
        terms = [
            t
            for t in query.question_terms
            if not t.names_actor and t.token not in skip and t.surface.casefold() not in named
        ]
        return {t.token for t in terms} | {t.surface.casefold() for t in terms}

    @staticmethod
    def _sentence_before(passage: Passage, sentence: Sentence) -> Sentence | None:
        """The sentence of ``passage`` right before ``sentence`` in the same paragraph, or None."""
        return next(
            (s for s in passage.sentences if s.paragraph == sentence.paragraph and s.number == sentence.number - 1),
            None,
        )

    def _says_any(self, sentence: str, tokens: set[str]) -> bool:
        """True when a word of ``sentence`` has one of ``tokens``, or ends with one ("airstrikes" ends
        with "strikes"): a closed compound's head is the same thing."""
        typed = [w for w in words(sentence) if w not in STOP_WORDS]
        if {self.analyzer.stem(w) for w in typed} & tokens:
            return True
        return any(w.endswith(t) for w in typed for t in tokens if len(t) >= COMPOUND_HEAD)

    def _asks_beyond_names(self, question: str) -> bool:
        """True when the question has content words besides the actor names it uses."""
        spans = self._finder.find(question)
        rest = "".join(ch if not any(a <= i < b for a, b, _ in spans) else " " for i, ch in enumerate(question))
        return any(w not in STOP_WORDS and w not in QUESTION_ONLY_WORDS for w in words(rest))

    def _named_in_question(self, query: Query) -> set[int]:
        return {group for _, _, group in self._finder.find(query.text)}

    def _candidates(
        self,
        expected: ExpectedType,
        text: str,
        sentence: Sentence,
        asked: set[int],
        question: str,
        question_case: str = "",
    ) -> list[_Candidate]:
        """Candidates of the expected type in ``sentence``; ``question`` is the folded, lower-cased
        question, ``question_case`` the question as typed (its capitalised names)."""
        span = text[sentence.start : sentence.end]
        question_stems = {self.analyzer.stem(w) for w in words(question) if w not in STOP_WORDS}
        offset = sentence.start
        named = [(a, b) for a, b, g in self._finder.find(span) if g in asked]
        headed = [
            _Candidate(offset + a, offset + b, 0)
            for a, b in named_by_head(span, expected.head, self.analyzer)
            if not any(a < end and start < b for start, end in named)
        ]
        if headed:
            return headed  # the sentence names it with the question's own noun: "the outpost of al-Tanf"
        if expected.kind == NAME and not expected.preposition:
            # "which court": only a name given with that noun answers, or the name the question's verb
            # takes as its object ("Which firm did the board choose?" - "the board chose Halvorsen Civil").
            verbs = {w for w in words(question) if w not in STOP_WORDS}
            return [
                _Candidate(offset + a, offset + b, 0)
                for a, b, g in [(*extended_name(span, a, b), g) for a, b, g in self._finder.find(span)]
                if g not in asked
                and (verb := re.search(r"([^\W\d_]+)\s+(?:the\s+)?$", span[:a])) is not None
                and self._same_verb(verb.group(1).casefold(), verbs)
            ]
        if expected.kind == ROLE:
            mentions = self._finder.find(span)
            people = (PERSON, OTHER)  # drafted people may be typed "other"
            names = [(a, b) for a, b, g in mentions if g in asked and self.actors[g].type in people]
            # The question's capitalised names the actors index lacks, but not a state or a group ("US").
            names += [
                (a, b)
                for a, b in _question_names(span, question_case)
                if not any(x < b and a < y and self.actors[g].type not in people for x, y, g in mentions)
            ]
            return [_Candidate(offset + a, offset + b, 0) for a, b in roles(span, names)]
        if expected.kind == ACTOR and expected.preposition and expected.before:
            # The object of the question's verb and preposition ("pay a condolence call to the family ...")
            stems = {self.analyzer.stem(w) for w in words(question) if w not in STOP_WORDS}
            objects = phrases(span, expected.preposition, lambda w: self.analyzer.stem(w) in stems)
            if objects:
                return [_Candidate(offset + a, offset + b, 0) for a, b in objects]
        if expected.kind == ACTOR:
            mentions = [(*extended_name(span, a, b), g) for a, b, g in self._finder.find(span)]
            return [
                _Candidate(offset + a, offset + b, expected.actor_types.index(self.actors[g].type))
                for a, b, g in mentions
                if g not in asked
                and self.actors[g].type in expected.actor_types
                and not is_modifier(span, b)
                and not placed(span, a)
                and not joined_to(span, a, b, [(x, y) for x, y, h in mentions if h in asked])
            ]
        if expected.kind == PLACE_TYPE:
            places = (PLACE, STATE)
            # "Where does the US want to use Iraq to watch Iran?": a place is where the question's own
            # words happen (want, use, watch), not where anything else in the sentence does.
            said = self._predicate_stems(question_case) if not expected.head else set()
            found = [
                _Candidate(offset + _direction(span, a), offset + b, places.index(self.actors[g].type))
                for a, b, g in [(*extended_name(span, a, b), g) for a, b, g in self._finder.find(span)]
                if g not in asked
                and self.actors[g].type in places
                and located(span, a)
                and not is_modifier(span, b)  # "a key role in Tehran's regional ambitions"
                and not self._other_kind_of_place(span, a, b, expected.head)
                and (not said or self._placed_near(span, a, b, said))
            ]
            if found:
                return found
            # No named place: what a locative preposition introduces right after a word of the question
            # ("moor at the north quay", "comes from a quarry inland").
            head = self.analyzer.stem(expected.head or "")
            governing = said or question_stems
            return [
                _Candidate(offset + a, offset + b, len(places))
                for preposition in LOCATIVE
                for a, b in phrases(span, preposition, lambda w: self.analyzer.stem(verb_base(w)) in governing)
                # "which river": not "the Iraqi town of al-Qa'im"
                if not (head and any(w in PLACE_NOUNS and self.analyzer.stem(w) != head for w in words(span[a:b])))
                # "want the war to end", "from scratch": a place is a name or has a determiner ("at the north
                # quay", "from a quarry inland")
                and (span[a].isupper() or re.search(r"\b(?:the|a|an|its|their)\s+$", span[:a]) is not None)
                # "analysis from ImageSat International": an organisation, not a place
                and not any(self.actors[g].type in NOT_PLACES for _, _, g in self._finder.find(span[a:b]))
            ]
        if expected.kind == DATE:
            # "When will the contract be signed?" asks for a time still to come: not "the 1962 dam", a
            # year before the latest the article gives (the closest it has to its own date).
            latest = _latest_year(text) if _FUTURE.search(question) else None
            return [
                _Candidate(offset + m.start, offset + m.end, 0)
                for m in dates(span)
                if fold(span[m.start : m.end]).casefold() not in question
                and (not m.relative or self._said_with(span, m.start, m.end, question_stems, question_case))
                and not (latest is not None and _before(span[m.start : m.end], latest))
            ]
        if expected.kind == NUMBER:
            counts_times = "times" in question.split() or "often" in question.split()
            found_numbers = of_measure(span, numbers(span, question, counts_times), expected.measure)
            found_numbers = counting(span, found_numbers, expected.counts, self.analyzer.stem)
            if expected.measure == "much":
                # "How much did the airstrike on the drone team cost?" - "two Israeli drones" counts a
                # thing the question names: how many of it, not how much.
                found_numbers = [(a, b) for a, b in found_numbers if not self._counts_asked(span, a, b, question_stems)]
            return [_Candidate(offset + a, offset + b, 0) for a, b in found_numbers]
        if expected.kind in (PHRASE, NAME) and expected.preposition and expected.before:
            before = self.analyzer.stem(expected.before)
            return [
                _Candidate(offset + a, offset + b, 0)
                for a, b in phrases(span, expected.preposition, lambda w: self.analyzer.stem(w) == before)
            ]
        return []

    def _predicate_stems(self, question: str) -> set[str]:
        """Stems of the question's words that are not function words, question words or names: what a
        where-question asks the place of ("want", "use", "watch" of "where does the US want to use Iraq
        to watch Iran?")."""
        spans = [(a, b) for a, b, _ in self._finder.find(question)]
        kept = [
            m.group(0).casefold()
            for m in WORD_SPAN.finditer(question)
            if not any(a <= m.start() < b for a, b in spans) and not m.group(0)[:1].isupper() or m.start() == 0
        ]
        return {self.analyzer.stem(verb_base(w)) for w in kept if w not in STOP_WORDS and w not in QUESTION_ONLY_WORDS}

    def _placed_near(self, text: str, start: int, end: int, stems: set[str]) -> bool:
        """True when a word with one of ``stems`` governs the place at ``text[start:end]``: among the
        ``PLACE_REACH`` words before it in its clause ("training in **Jordan**", "captured the southern
        desert outpost of **al-Tank**"), or in the clause after it that opens with "where" or is
        joined by no punctuation ("**al-Tanf**, where US forces are still stationed")."""
        clause_start = max((text.rfind(c, 0, start) for c in ",;:()"), default=-1) + 1
        before = [m.group(0) for m in WORD_SPAN.finditer(text, clause_start, start)][-PLACE_REACH:]
        rest = text[end:]
        relative = re.match(r",?\s+where\b[^,;:.]*", rest)
        clause_end = min((rest.find(c) for c in ",;:." if c in rest), default=len(rest))
        after = relative.group(0) if relative else rest[:clause_end]
        near = before + [m.group(0) for m in WORD_SPAN.finditer(after)][:PLACE_REACH]
        return any(self.analyzer.stem(verb_base(w.casefold())) in stems for w in near)

    def _said_with(self, text: str, start: int, end: int, stems: set[str], question_case: str) -> bool:
        """True when a word of the question other than a name ("resumed" of "when did the Mayadin
        ferry resume?") is within ``RELATIVE_DATE_REACH`` words of ``text[start:end]``: a relative
        date answers only what it is said with ("the ferry resumed on Tuesday"), not the news of the
        day it was reported ("the water board admitted on Tuesday")."""
        names = {w.casefold() for w in re.findall(r"(?<=\s)[A-Z][\w'’-]*", question_case)}
        wanted = {t for t in stems if t not in {self.analyzer.stem(n) for n in names}}
        before = [m.group(0) for m in WORD_SPAN.finditer(text, 0, start)][-RELATIVE_DATE_REACH:]
        after = [m.group(0) for m in WORD_SPAN.finditer(text, end)][:RELATIVE_DATE_REACH]
        return any(self.analyzer.stem(verb_base(w.casefold())) in wanted for w in before + after)

    def _counts_asked(self, text: str, start: int, end: int, question_stems: set[str]) -> bool:
        """True when the unit of the number at ``start:end`` or one of the (up to three) words right
        after it is a word of the question ("2,000 sandbags" for "how much did the sandbags cost?",
        "two Israeli drones" for a question about the drone team)."""
        match = re.match(r"(?:[\s-]+[^\W\d_]+){0,3}", text[end:])
        after = match.group(0) if match else ""
        return any(self.analyzer.stem(w) in question_stems for w in words(text[start:end] + " " + after))

    def _other_kind_of_place(self, text: str, start: int, end: int, head: str | None) -> bool:
        """True when the text calls the place another kind of place than the question's noun ("the
        Iraqi town of al-Qa'im" for "which river")."""
        if not head:
            return False
        before = re.search(r"([^\W\d_]+)\s+of\s+(?:the\s+)?$", text[:start])
        # The word after it, or the nouns of an apposition ("al-Bukamal, a border town").
        after = re.match(r",?((?:\s+[^\W\d_]+){1,4})", text[end:])
        nouns = [before.group(1).casefold()] if before else []
        nouns += after.group(1).casefold().split() if after else []
        wanted = self.analyzer.stem(head)
        return any(n in PLACE_NOUNS and self.analyzer.stem(n) != wanted for n in nouns)

    def _anchors(self, text: str, sentence: Sentence, wanted: set[str]) -> list[tuple[int, int, float]]:
        """(start, end, IDF) of the sentence's words whose tokens the question has."""
        anchors = []
        for match in WORD_SPAN.finditer(text, sentence.start, sentence.end):
            tokens = {self.analyzer.stem(w) for w in words(match.group(0)) if w not in STOP_WORDS} & wanted
            if tokens:
                anchors.append((match.start(), match.end(), max(self.idf(t) for t in tokens)))
        return anchors


def _heads(actor: Actor) -> set[str]:
    """The head nouns a definite description of ``actor`` may use: the last word of each of its
    names of two or more words, lower-cased ("dam" of "Kessel Dam", "court" of "the High Court");
    none for a person (a surname is no description) nor a single word."""
    if actor.type == PERSON:
        return set()
    heads = set()
    for name in actor.names:
        typed = name.split()
        # Not a particle's name ("al-Muhandis") nor an acronym ("the ISI").
        if len(typed) >= 2 and typed[-1].isalpha() and not typed[-1].isupper() and len(typed[-1]) >= 3:
            heads.add(typed[-1].casefold())
    return heads


def _head_mentions(text: str, heads: set[str]) -> list[int]:
    """Offsets in ``text`` of "the <head>" ("The dam was built ..."): a definite description names
    the one thing of that kind the question asks about, as the article's second mention of it does."""
    if not heads:
        return []
    pattern = r"\bthe\s+(?:" + "|".join(re.escape(h) for h in sorted(heads)) + r")\b"
    return [m.start() for m in re.finditer(pattern, text, re.IGNORECASE)]


# A question about what is still to come: "when will ...", "when is it going to ...".
_FUTURE = re.compile(r"\b(?:will|going to|shall)\b")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(s?)(?!\d)")


def _latest_year(text: str) -> int | None:
    """The latest year (1800-2099) ``text`` gives, or None."""
    return max((int(m.group(1)) for m in _YEAR.finditer(text)), default=None)


def _before(date_text: str, year: int) -> bool:
    """True when a date expression names only years before ``year`` ("1962", "the 1990s"); a decade
    counts by its last year. False for one without a year ("on Saturday", "in March")."""
    years = [int(m.group(1)) + (9 if m.group(2) else 0) for m in _YEAR.finditer(date_text)]
    return bool(years) and max(years) < year


def _as_read(query: Query) -> str:
    """The question with its typos read as the article's words ("who is muhandes" -> "who is muhandis")."""
    fixes = query.corrections
    return re.sub(r"[^\W_]+", lambda m: fixes.get(m.group(0).casefold(), fixes.get(m.group(0), m.group(0))), query.text)


_DIRECTION = re.compile(r"\b(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est)(?:ern)?(?:\s+part)?\s+of\s+(?:the\s+)?$")


def _direction(text: str, start: int) -> int:
    """Where a place's answer starts: at the direction that places it ("**South of al-Bukamal**" is
    where al-Tanf is; "al-Bukamal" alone says the opposite), else at the name."""
    match = _DIRECTION.search(text, max(0, start - 30), start)
    return match.start() if match else start


def _question_names(text: str, question: str) -> list[tuple[int, int]]:
    """Where ``text`` has the capitalised names of ``question`` ("Helen Marsh" of "What is Helen
    Marsh's job?"), its first word aside."""
    found = []
    for match in re.finditer(r"(?<=\s)[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", question):
        found += [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(match.group(0)) + r"(?!\w)", text)]
    return found


def _in_slot(text: str, candidate: _Candidate, relation: tuple[int, int], slot: str) -> bool:
    """True when ``candidate`` stands in the relation said at ``relation`` (offsets in ``text``):

    - "noun": within ``RELATION_REACH`` characters of it ("Syrian President Bashar al-Assad");
    - "verb": its agent, after it with "by"/"from" ("run by X", "backing from the US") or before it
      in the same clause, not as a passive's subject ("X attacked", not "X was attacked");
    - "passive": anything but its agent ("X was killed", "killed X", not "killed by X").
    """
    if candidate.end <= relation[0]:
        between, after = text[candidate.end : relation[0]], False
    else:
        between, after = text[relation[1] : candidate.start], True
    if slot == "noun":
        return len(between) <= RELATION_REACH
    if slot == "passive":
        # "X was killed" / "X, who had been killed" / "killed a member of X"; not "X paid a call to the
        # family of the man killed" (X is another verb's subject) nor "killed by X" (the agent).
        if after:
            return len(between) <= PASSIVE_OBJECT_REACH and not _AGENT.search(between)
        return _PASSIVE_SUBJECT.match(between) is not None
    if after:
        return AGENT_GAP.match(between) is not None
    passive = re.search(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+)?$", between)
    # A quotation between them: the name is its speaker ("Sam Heller wrote, \u201c... training"), not the agent.
    quoted = any(q in between for q in "\"\u201c\u201d")
    return passive is None and not quoted and _CLAUSE_BREAK.search(between) is None and len(between) <= 2 * RELATION_REACH


def _distance(candidate: _Candidate, anchors: Sequence[tuple[int, int, float]]) -> float:
    """Characters between the candidate and a shared word, divided by that word's IDF: a rare shared
    word ("backed" in "backed by the IRGC") pulls harder than a common one ("Hezbollah")."""
    gaps = []
    for start, end, weight in anchors:
        gap = candidate.start - end if start < candidate.start else start - candidate.end
        gaps.append(max(gap, 0) / max(weight, 1e-6))
    return min(gaps) if gaps else 0.0
