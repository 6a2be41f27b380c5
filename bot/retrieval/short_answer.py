"""Short answers: the verbatim span of the best sentences that answers a factoid question.

The question is classified by its question words (:func:`expected_type`): who / which group
(an actor), when / what year (a date), where / which town (a place), how many / how much (a number
with its unit noun), or a "what ... made of?" question that ends in a preposition (the phrase the
preposition introduces). Candidates of that type are read from the best sentences of the best
passage, in order: actors from the actors index (curated or drafted), dates with the timeline's
date reader (``bot.extraction.dates.find_dates``), numbers with the word after them, places from the actors
index. Anything the question itself names is not a candidate. The candidate nearest to a word the
question and the sentence share wins. Why / how / what-happened questions get no short answer.

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
from ..textnorm import STOP_WORDS, fold, words
from .analysis import Analyzer
from .highlight import opens_with_reference
from .query import Query

ACTOR = "actor"
DATE = "date"
NUMBER = "number"
PLACE_TYPE = "place"
PHRASE = "phrase"
COUNTED = frozenset({DATE, NUMBER})  # types whose absence from the best passage declines the question

MAX_WORDS = 14  # a short answer longer than this is no short answer
SENTENCES_READ = 3  # the best sentences of the best passage searched for a candidate, best first

# Nouns after "which"/"what" that ask for an actor or a place ("which group", "what country").
GROUP_NOUNS = frozenset(
    [
        "group",
        "groups",
        "army",
        "armies",
        "militia",
        "militias",
        "organisation",
        "organization",
        "organisations",
        "organizations",
        "force",
        "forces",
        "brigade",
        "brigades",
        "party",
        "parties",
        "faction",
        "factions",
        "agency",
        "agencies",
        "company",
        "companies",
        "outlet",
        "media",
        "newspaper",
        "network",
        "paper",
        "side",
        "movement",
        "unit",
        "units",
        "government",
        "governments",
        "regime",
    ]
)
PERSON_NOUNS = frozenset(
    [
        "person",
        "people",
        "man",
        "men",
        "woman",
        "women",
        "leader",
        "leaders",
        "commander",
        "official",
        "officials",
        "guy",
    ]
)
STATE_NOUNS = frozenset(["country", "countries", "state", "states", "nation", "nations", "power", "powers"])
PLACE_NOUNS = frozenset(
    [
        "town",
        "towns",
        "city",
        "cities",
        "village",
        "villages",
        "place",
        "places",
        "region",
        "regions",
        "area",
        "areas",
        "province",
        "river",
        "rivers",
        "outpost",
        "outposts",
        "base",
        "crossing",
        "border",
        "capital",
        "port",
        "harbour",
        "harbor",
        "island",
        "street",
        "district",
    ]
)
ACTOR_TYPES_FOR = {
    "who": (PERSON, ARMED_GROUP, MILITARY, ORGANISATION, MEDIA, STATE, OTHER),
    "group": (ARMED_GROUP, MILITARY, ORGANISATION, MEDIA, STATE, OTHER),
    "person": (PERSON,),
    "state": (STATE,),
}
# Words that end a noun phrase read after a preposition ("granite blocks | after winter storms").
PHRASE_STOPS = frozenset(
    [
        "after",
        "before",
        "and",
        "but",
        "or",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "while",
        "where",
        "because",
        "since",
        "until",
        "as",
        "than",
        "if",
        "so",
        "then",
        "though",
        "although",
    ]
)
LOCATIVE = ("at", "in", "on", "near", "from", "into", "inside", "across", "outside", "to")
PREPOSITIONS = frozenset(
    [
        "of",
        "by",
        "from",
        "with",
        "to",
        "at",
        "in",
        "on",
        "for",
        "about",
        "into",
        "onto",
        "against",
        "over",
        "under",
        "through",
    ]
)
NUMBER_WORDS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "dozen",
        "dozens",
    ]
)
# Words that only say how a "who" question is phrased.
QUESTION_ONLY_WORDS = frozenset({"whos", "guy", "person", "exactly", "really", "actually", "tell", "know"})
OBJECT_AUXILIARIES = frozenset({"did", "does", "do", "will", "would", "should", "can", "could", "might"})
# Pronouns opening a sentence whose referent, in the sentence before, is the subject asked for.
# Only "he"/"she": "This group is run by X" and "It received backing from X" name the answer themselves.
PERSON_PRONOUNS = frozenset({"he", "she"})
TIMES_WORDS = frozenset({"once", "twice", "thrice"})
_NUMBER = re.compile(
    r"(?<![\w.,])(?:(?:up to|about|around|nearly|almost|over|more than|fewer than|less than|at least|"
    r"some|roughly|just)\s+)?(?:\d[\d,]*(?:\.\d+)?|(?i:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))"
    r"(?:[\s-](?i:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))*(?![\w])"
)
_TIMES = re.compile(r"(?<!\w)(?i:once|twice|thrice)(?!\w)")
_AGENT = re.compile(r"\bby\s+(?:the\s+)?$")
_WORD_SPAN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


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
class ExpectedType:
    """What a question asks for: a short-answer type and, for actors, the actor types that fit."""

    kind: str
    actor_types: tuple[str, ...] = ()
    preposition: str | None = None  # for PHRASE: the preposition the question ends with
    before: str | None = None  # for PHRASE: the question's word before it ("made" of "made of")
    head: str | None = None  # the noun after "which"/"what" ("armies", "town"), if any
    subject: bool = False  # asks for the subject ("who runs ..."), not an object ("who did X blame")


def expected_type(question: str) -> ExpectedType | None:
    """The short-answer type ``question`` asks for, or None (why, how, what happened, yes/no ...).

    ``question`` is the cleaned question text; the first question word decides.
    """
    typed = words(question)
    for index, word in enumerate(typed):
        rest = typed[index + 1 :]
        following = rest[0] if rest else ""
        if word in {"who", "whom", "whose", "whos"}:
            return ExpectedType(ACTOR, ACTOR_TYPES_FOR["who"], subject=following not in OBJECT_AUXILIARIES)
        if word in {"when", "whens"}:
            return ExpectedType(DATE)
        if word in {"where", "wheres"}:
            return ExpectedType(PLACE_TYPE)
        if word in {"how", "hows"}:
            if following in {"many", "much"}:
                return ExpectedType(NUMBER)
            if following == "often" or (following == "long" and "ago" in rest):
                return ExpectedType(NUMBER)
            return None
        if word in {"which", "what", "whats"}:
            return _which_type(rest)
        if word == "why":
            return None
    return None


def _which_type(rest: Sequence[str]) -> ExpectedType | None:
    """ "which group", "what year", "in which town", "what is X made of" ..."""
    nouns = GROUP_NOUNS | PERSON_NOUNS | STATE_NOUNS | PLACE_NOUNS | {"year", "years", "date", "month", "day"}
    nouns |= {"decade", "time", "number", "amount"}
    head = next((w for w in rest[:3] if w in nouns), "")
    if head in {"year", "years", "date", "month", "day", "decade", "time"}:
        return ExpectedType(DATE)
    if head in {"number", "amount"}:
        return ExpectedType(NUMBER)
    if head in GROUP_NOUNS:
        return ExpectedType(ACTOR, ACTOR_TYPES_FOR["group"], head=head)
    if head in PERSON_NOUNS:
        return ExpectedType(ACTOR, ACTOR_TYPES_FOR["person"], head=head)
    if head in STATE_NOUNS:
        return ExpectedType(ACTOR, (STATE,) + ACTOR_TYPES_FOR["group"], head=head)
    if head in PLACE_NOUNS:
        return ExpectedType(PLACE_TYPE, head=head)
    if len(rest) >= 2 and rest[-1] in PREPOSITIONS and rest[-2] not in STOP_WORDS:
        return ExpectedType(PHRASE, preposition=rest[-1], before=rest[-2])
    return None


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
        self._finder = NameFinder([actor.names for actor in self.actors])

    def find(
        self,
        query: Query,
        expected: ExpectedType,
        article_id: str,
        article_text: str,
        passage: Passage,
        sentences: Sequence[Sentence],
    ) -> ShortAnswer | None:
        """The short answer in ``sentences`` (of ``passage``, best first), or None when none holds one."""
        asked = self._named_in_question(query)
        wanted = set(query.tokens)
        question_text = fold(query.text).casefold()
        asked_tokens = {self.analyzer.stem(w) for w in words(query.text) if w not in STOP_WORDS}
        # The noun asked for ("which brigade") may be part of the answer ("45th Brigade").
        asked_tokens.discard(self.analyzer.stem(expected.head or ""))
        named_kinds = (ACTOR, PLACE_TYPE)
        if expected.kind == ACTOR and not self._asks_beyond_names(query.text):
            return None  # "Who is Muhandis?" asks what he is, not for another name
        found: list[tuple[Sentence, list[_Candidate]]] = []
        for sentence in sentences[:SENTENCES_READ]:
            referent = self._referent(expected, article_text, passage, sentence, asked)
            if referent is not None:
                # "He was accused ... but has become a key player": who has? the man the sentence before names.
                candidates = [referent]
            else:
                candidates = [
                    c
                    for c in self._candidates(expected, article_text, sentence, asked, question_text)
                    if not self._question_words(
                        article_text[c.start : c.end], asked_tokens, expected.kind in named_kinds
                    )
                ]
            if candidates:
                found.append((sentence, candidates))
        if not found:
            return None
        sentence, candidates = found[0]
        people_first = expected.kind == ACTOR and expected.actor_types[0] == PERSON
        if people_first and all(c.rank > 0 for c in candidates):
            # "Who is in charge of X?": the best sentence names X and its allies, a later one the person.
            people = [(s, [c for c in cs if c.rank == 0]) for s, cs in found[1:]]
            people = [(s, cs) for s, cs in people if cs]
            if people:
                sentence, candidates = people[0]
        anchors = self._anchors(article_text, sentence, wanted)
        # Nearest (in words, over the IDF of the shared word) to a word the question shares with the
        # sentence; the preferred actor type on a tie.
        # A "who" question is first about people: a person the sentence names beats any group.
        # A subject question prefers an agent ("the airstrike by Israel", "run by X") to other names.
        agents = expected.kind == ACTOR and expected.subject

        def key(c: _Candidate) -> tuple[bool, bool, float, int, int]:
            agent = agents and _AGENT.search(article_text, max(0, c.start - 8), c.start) is not None
            return (c.rank > 0 and people_first, not agent, _distance(c, anchors), c.rank, c.start)

        best = min(candidates, key=key)
        start, end = _trimmed(article_text, best.start, best.end)
        text = article_text[start:end]
        return ShortAnswer(text, expected.kind, article_id, start, end, f"{sentence.paragraph}.{sentence.number}")
        return None

    def has_candidate(self, query: Query, expected: ExpectedType, article_text: str, passage: Passage) -> bool:
        """True when some sentence of ``passage`` holds a candidate of the expected type."""
        asked = self._named_in_question(query)
        question_text = fold(query.text).casefold()
        return any(self._candidates(expected, article_text, s, asked, question_text) for s in passage.sentences)

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

    def _asks_beyond_names(self, question: str) -> bool:
        """True when the question has content words besides the actor names it uses."""
        spans = self._finder.find(question)
        rest = "".join(ch if not any(a <= i < b for a, b, _ in spans) else " " for i, ch in enumerate(question))
        return any(w not in STOP_WORDS and w not in QUESTION_ONLY_WORDS for w in words(rest))

    def _named_in_question(self, query: Query) -> set[int]:
        return {group for _, _, group in self._finder.find(query.text)}

    def _candidates(
        self, expected: ExpectedType, text: str, sentence: Sentence, asked: set[int], question: str
    ) -> list[_Candidate]:
        span = text[sentence.start : sentence.end]
        question_stems = {self.analyzer.stem(w) for w in words(question) if w not in STOP_WORDS}
        offset = sentence.start
        named = [(a, b) for a, b, g in self._finder.find(span) if g in asked]
        headed = [
            _Candidate(offset + a, offset + b, 0)
            for a, b in _named_by_head(span, expected.head, self.analyzer)
            if not any(a < end and start < b for start, end in named)
        ]
        if headed:
            return headed  # the sentence names it with the question's own noun: "the outpost of al-Tanf"
        if expected.kind == ACTOR:
            mentions = self._finder.find(span)
            return [
                _Candidate(offset + a, offset + b, expected.actor_types.index(self.actors[g].type))
                for a, b, g in mentions
                if g not in asked
                and self.actors[g].type in expected.actor_types
                and not _modifier(span, b)
                and not _joined_to(span, a, b, [(x, y) for x, y, h in mentions if h in asked])
            ]
        if expected.kind == PLACE_TYPE:
            places = (PLACE, STATE)
            found = [
                _Candidate(offset + a, offset + b, places.index(self.actors[g].type))
                for a, b, g in self._finder.find(span)
                if g not in asked and self.actors[g].type in places
            ]
            if found:
                return found
            # No named place: what a locative preposition introduces right after a word of the question
            # ("moor at the north quay", "comes from a quarry inland").
            return [
                _Candidate(offset + a, offset + b, len(places))
                for preposition in LOCATIVE
                for a, b in _phrases(span, preposition, lambda w: self.analyzer.stem(w) in question_stems)
            ]
        if expected.kind == DATE:
            return [
                _Candidate(offset + m.start, offset + m.end, 0)
                for m in _dates(span)
                if fold(span[m.start : m.end]).casefold() not in question
            ]
        if expected.kind == NUMBER:
            counts_times = "times" in question.split() or "often" in question.split()
            return [_Candidate(offset + a, offset + b, 0) for a, b in _numbers(span, question, counts_times)]
        if expected.kind == PHRASE and expected.preposition and expected.before:
            before = self.analyzer.stem(expected.before)
            return [
                _Candidate(offset + a, offset + b, 0)
                for a, b in _phrases(span, expected.preposition, lambda w: self.analyzer.stem(w) == before)
            ]
        return []

    def _anchors(self, text: str, sentence: Sentence, wanted: set[str]) -> list[tuple[int, int, float]]:
        """(start, end, IDF) of the sentence's words whose tokens the question has."""
        anchors = []
        for match in _WORD_SPAN.finditer(text, sentence.start, sentence.end):
            tokens = {self.analyzer.stem(w) for w in words(match.group(0)) if w not in STOP_WORDS} & wanted
            if tokens:
                anchors.append((match.start(), match.end(), max(self.idf(t) for t in tokens)))
        return anchors


def _distance(candidate: _Candidate, anchors: Sequence[tuple[int, int, float]]) -> float:
    """Characters between the candidate and a shared word, divided by that word's IDF: a rare shared
    word ("backed" in "backed by the IRGC") pulls harder than a common one ("Hezbollah")."""
    gaps = []
    for start, end, weight in anchors:
        gap = candidate.start - end if start < candidate.start else start - candidate.end
        gaps.append(max(gap, 0) / max(weight, 1e-6))
    return min(gaps) if gaps else 0.0


def _modifier(text: str, end: int) -> bool:
    """True for a name that is the first half of a hyphenated compound ("US-backed SDF"): it
    describes what follows; the name that follows is what the sentence is about."""
    return re.match(r"-[^\W\d_]", text[end : end + 2]) is not None


def _joined_to(text: str, start: int, end: int, named: Sequence[tuple[int, int]]) -> bool:
    """True for a name joined by "and", "or" or a comma to a name the question gives ("a Hezbollah and
    IRGC team" asked as "the Hezbollah team"): it is part of what the question names, not its answer."""
    for a, b in named:
        between = text[b:start] if b <= start else text[end:a] if end <= a else None
        if between is not None and re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", between):
            return True
    return False


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without end punctuation a name match may carry ("IRGC." at a sentence's end), keeping
    the dots of initials ("U.S.")."""
    while (
        end > start
        and text[end - 1] in ",;:!?"
        or (end > start and text[end - 1] == "." and not re.search(r"(?:^|[^\w])(?:\w\.)+$", text[start:end]))
    ):
        end -= 1
    return start, end


class _Span:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def _dates(text: str) -> list[_Span]:
    from ..extraction.dates import find_dates  # the extractor's date reader, loaded only when needed

    return [_Span(m.start, m.end) for m in find_dates(text)]


def _numbers(text: str, question: str, times: bool) -> list[tuple[int, int]]:
    """Numbers with the words they count ("150 men", "up to five mysterious airstrikes"), and with
    ``times`` (a how-many-times question) "once"/"twice"; not inside dates, not given by the question."""
    taken = [(d.start, d.end) for d in _dates(text)]
    found = []
    for match in [*_NUMBER.finditer(text), *(_TIMES.finditer(text) if times else ())]:
        a, b = match.span()
        if any(a < end and start < b for start, end in taken):
            continue
        number = match.group(0).split()[-1].casefold()
        if number in question.split() or (number.replace(",", "").isdigit() and number in question):
            continue
        if number in TIMES_WORDS:
            found.append((a, b))
            continue
        end = b
        # The unit: up to two lower-case words after the number ("men", "mysterious airstrikes").
        for word in list(_WORD_SPAN.finditer(text, b))[:2]:
            gap = text[end : word.start()]
            if gap.strip() or not word.group(0).islower() or word.group(0).casefold() in STOP_WORDS | PREPOSITIONS:
                break
            end = word.end()
            if word.group(0).casefold() in {"times", "time"}:
                break
        found.append((a, end))
    return found


def _phrases(text: str, preposition: str, before: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The noun phrase after each ``preposition`` in ``text`` whose word before it passes ``before``
    ("made" of "made of"), up to a comma, a clause word or another preposition."""
    found = []
    tokens = list(_WORD_SPAN.finditer(text))
    for index, match in enumerate(tokens):
        if match.group(0).casefold() != preposition or index == 0:
            continue
        if not before(tokens[index - 1].group(0).casefold()):
            continue
        start = end = None
        for word in tokens[index + 1 : index + 1 + MAX_WORDS]:
            lowered = word.group(0).casefold()
            between = text[(end if end is not None else match.end()) : word.start()]
            if any(ch in between for ch in ',;:.()"“”'):
                break
            if lowered in PHRASE_STOPS or (lowered in PREPOSITIONS and start is not None):
                break
            if start is None and lowered in {"the", "a", "an"}:
                continue
            start = word.start() if start is None else start
            end = word.end()
        if start is not None and end is not None:
            found.append((start, end))
    return found


_CAPITALISED_RUN = r"[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|al-)?[A-Z][\w'’-]*)*"


def _named_by_head(text: str, head: str | None, analyzer: Analyzer) -> list[tuple[int, int]]:
    """Names the sentence gives with the question's head noun: "Syrian and Iraqi **armies**" for
    "which armies", "the Iraqi town of **al-Qa'im**" for "which town" (capitalised words only)."""
    if not head:
        return []
    wanted = analyzer.stem(head)
    found = []
    for match in _WORD_SPAN.finditer(text):
        if analyzer.stem(match.group(0).casefold()) != wanted:
            continue
        before = re.search(_CAPITALISED_RUN + r"\s+$", text[: match.start()])
        if before and before.group(0).strip() and not _opens_sentence(text, before.start()):
            found.append((before.start(), match.end()))
        after = re.match(r"\s+of\s+(?:the\s+)?(" + _CAPITALISED_RUN + r"|al-[\w'’-]+)", text[match.end() :])
        if after:
            found.append((match.end() + after.start(1), match.end() + after.end(1)))
    return found


def _opens_sentence(text: str, at: int) -> bool:
    """True when ``at`` is the sentence's first word (its capital says nothing)."""
    return not text[:at].strip()
