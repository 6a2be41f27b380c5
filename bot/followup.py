"""Reading a follow-up question against a conversation's earlier turns.

People continue: "Who runs Kata'ib Hezbollah?", then "when did he serve with the IRGC?", "why?",
"and in 2018?", "what was the first one?". :class:`FollowUpResolver` rewrites such a question into
one that stands alone (``read_as``), with general rules over the actor index (curated or drafted):

- **Anaphora**: a pronoun or possessive (he, she, him, his, it, its, they, them, their, there,
  "that group", "this town") is read as the most salient actor of the earlier turns whose type fits
  (he/she: a person; it: anything but a person; they: a group, army or state; there: a place).
  Salience follows centering theory (Grosz, Joshi & Weinstein 1995) in its simplest form: a
  pronoun keeps the previous question's topic (its actors, first named first); "that <noun>"
  prefers what the previous answer brought in (its short answer, the actors of the kind its
  question asked for, its highlighted sentence); "there" the place the answer gave to a
  where-question, else the place asked about. "it" after a question naming no actor is the thing
  that question ended on ("the missile program"); "did it", "carried it out" are events and stay.
  Up to :data:`LOOK_BACK` turns are searched, the most recent first.
- **Ellipsis**: a question of only question words ("why?", "until when?", "how many of them?",
  "when was that?") takes the previous question and swaps its question word; a fragment after
  "and" / "what about" ("and in 2018?", "and the US?") replaces the previous question's date or its
  actor of the same kind, or is added to it.
- **Enumeration**: "the first one", "the last one", "the second crisis" pick an item of an
  enumeration ("First, ... Second, ... Third, ...") in a paragraph a recent answer cites (or, for
  "the first crisis", the paragraph that speaks of crises).

A question with none of these stands on its own and is not rewritten (``read_as`` is None). A
rewritten question borrowed its subject, so ``Router.ask`` also checks that the answer matches
the words the person typed (``Reading.own_words``). The resolver is built once per engine and
then only read; nothing here imports discord or prints.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .actors import ARMED_GROUP, MEDIA, MILITARY, ORGANISATION, OTHER, PERSON, PLACE, STATE, Actor, find_mentions
from .conversation import Reading, Turn
from .knowledge import Article
from .namefinder import NameFinder
from .retrieval.spans import VERB_BASE
from .textnorm import STOP_WORDS, fold

LOOK_BACK = 3  # turns searched for a pronoun's referent, most recent first
PREFIX = 5  # letters a question word and an answer word share to count as the same word ("stationed")
ENUMERATION_ITEM_WORDS = 14  # an enumeration item is quoted by its first words

# --- word classes ---------------------------------------------------------------------------------


# fmt: off
QUESTION_WORDS = frozenset({"what", "when", "where", "who", "whom", "whose", "why", "how", "which"})
AUXILIARIES = frozenset({
    "is", "are", "was", "were", "am", "be", "been", "do", "does", "did", "has", "have", "had", "will", "would",
    "can", "could", "should", "shall", "may", "might", "must"
})
CONNECTORS = ("what about", "how about", "what of", "and", "but", "also", "so", "then", "ok", "okay")
# Words a bare follow-up like "until when?" or "why did that happen?" is made of besides its question word.
ELLIPSIS_WORDS = frozenset({
    "until", "till", "since", "from", "for", "to", "of", "many", "much", "long", "often", "old", "far", "exactly",
    "precisely", "then", "else", "again", "it", "that", "this", "those", "these", "them", "there", "so", "and",
    "but", "also"
})
HAPPEN = frozenset({"happen", "happened", "happens", "occur", "occurred"})
VERB_FORMS = VERB_BASE  # irregular past forms and their base: "held" -> "hold"
PERSONAL_PRONOUNS = frozenset({"it", "they", "them", "he", "she", "him", "her"})
QUANTIFIERS = frozenset({"many", "much", "long", "often", "old", "far"})
PREPOSITIONS = frozenset({
    "in", "at", "from", "to", "into", "near", "around", "of", "over", "inside", "outside", "across", "through",
    "toward", "towards"
})

# fmt: on
PERSON_TYPES = frozenset({PERSON})
BODY_TYPES = frozenset({MILITARY, ARMED_GROUP, ORGANISATION, MEDIA, OTHER})  # bodies of people, not states
THING_TYPES = frozenset({STATE, PLACE, *BODY_TYPES})
Passes = tuple[frozenset[str], ...]  # actor types tried in turn: the first pass that finds one wins

# Salience orders (see FollowUpResolver._referent): "topic" keeps the previous question's actors
# first, "news" what its answer brought in, "focus" the actors of the kind it asked for, then its topic.
TOPIC, NEWS, FOCUS = "topic", "news", "focus"
# Pronoun -> (the actor types it can stand for, pass by pass; its grammatical form; salience order).
PRONOUNS: dict[str, tuple[Passes, str, str]] = {
    "he": ((PERSON_TYPES,), "name", TOPIC),
    "him": ((PERSON_TYPES,), "name", TOPIC),
    "she": ((PERSON_TYPES,), "name", TOPIC),
    "his": ((PERSON_TYPES,), "possessive", TOPIC),
    "hers": ((PERSON_TYPES,), "possessive", TOPIC),
    "it": ((THING_TYPES,), "name", TOPIC),
    "its": ((THING_TYPES,), "possessive", TOPIC),
    "they": ((BODY_TYPES, frozenset({STATE})), "name", TOPIC),
    "them": ((BODY_TYPES, frozenset({STATE})), "name", TOPIC),
    "their": ((BODY_TYPES, frozenset({STATE})), "possessive", TOPIC),
    # "Where is X?" -> "who is stationed there?": the place the answer gave, else the question's.
    "there": ((frozenset({PLACE}), frozenset({STATE})), "place", FOCUS),
}
DEMONSTRATIVES = frozenset({"that", "this", "these", "those"})
DO_FORMS = frozenset({"do", "does", "did", "done", "doing"})  # "did it": "it" is an event, not an actor

_GROUP = (frozenset({ARMED_GROUP}), BODY_TYPES)
_ARMY = (frozenset({MILITARY}), BODY_TYPES)
_ORGANISATION = (frozenset({ORGANISATION, MEDIA}), BODY_TYPES)
# fmt: off
# Nouns a demonstrative points with ("that group", "this town"), and a question asks for ("which
# group ..."), with the actor types they fit, pass by pass.
KIND_NOUNS: dict[str, Passes] = {
    **dict.fromkeys(["man", "woman", "person", "leader", "commander", "president", "official", "analyst",
                     "writer", "journalist", "figure", "guy", "people"], (PERSON_TYPES,)),
    **dict.fromkeys(["group", "groups", "militia", "militias", "faction", "factions", "movement", "party",
                     "alliance", "coalition", "network", "unit", "brigade"], _GROUP),
    **dict.fromkeys(["army", "armies", "force", "forces", "military"], _ARMY),
    **dict.fromkeys(["organisation", "organization", "company", "agency", "firm", "outlet", "media",
                     "newspaper", "channel"], _ORGANISATION),
    **dict.fromkeys(["country", "countries", "state", "states", "government", "regime", "nation"],
                    (frozenset({STATE}),)),
    **dict.fromkeys(["town", "city", "place", "area", "region", "crossing", "border", "outpost", "village",
                     "site", "river", "location", "spot"], (frozenset({PLACE}),)),
}
# fmt: on
# What a question word asks for when no noun says it ("who runs ...?" -> a person or a body).
QUESTION_TARGETS: dict[str, Passes] = {
    "who": (PERSON_TYPES | BODY_TYPES | {STATE},),
    "whom": (PERSON_TYPES | BODY_TYPES | {STATE},),
    "where": (frozenset({PLACE}), frozenset({STATE})),
}
ORDINALS = {"first": 0, "former": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1, "final": -1}
ORDINALS["latter"] = -1
# fmt: off
TRAILING_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "that", "which", "who", "whose", "of", "in", "on", "at", "to", "by",
    "for", "from", "with", "as"
})
# fmt: on

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}(?:\s+\d{{4}})?"
    r"|(?:1[89]|20)\d\d(?:s|-\d{2,4})?)\b",
    re.IGNORECASE,
)
# "before that", "since then": a time the conversation gave before ("that" being what happened then).
_TIME_REFERENCE = re.compile(r"\b(before|after|since|until|till|by)\s+(that|then|this)\b(?!\s+\w+\s*(?:[a-z]))", re.I)
_ENUMERATION_MARK = re.compile(r"^(first|second|third|fourth|fifth|finally|lastly)\b[,:]?\s+", re.IGNORECASE)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"'“‘(\[]?[A-Z0-9])")


# --- resolving follow-ups ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    text: str
    lower: str
    start: int
    end: int


@dataclass
class _Mentions:
    """Actor mentions of one article, by offset, found once."""

    starts: list[int] = field(default_factory=list)
    items: list[tuple[int, int, Actor]] = field(default_factory=list)


class FollowUpResolver:
    """Reads follow-up questions against earlier turns. Built once per engine; then only read."""

    def __init__(self, actors: Sequence[Actor], articles: dict[str, Article]) -> None:
        self._actors = list(actors)
        self._groups = [actor.names for actor in self._actors]
        self._finder = NameFinder.shared(self._groups)
        self._articles = articles
        self._mentions: dict[str, _Mentions] = {}  # filled on first use, under the lock
        self._mentions_lock = threading.Lock()
        self._by_article: dict[str, list[int]] = {}  # one pass: a scan of every actor per article was quadratic
        for i, actor in enumerate(self._actors):
            self._by_article.setdefault(actor.article, []).append(i)

    def _article_mentions(self, article_id: str) -> _Mentions | None:
        """The article's actor mentions, found on the first follow-up that needs them (at 2,000 articles,
        finding them all when the engine is built took seconds of every start for articles few ask about)."""
        found = self._mentions.get(article_id)
        if found is not None:
            return found
        article = self._articles.get(article_id)
        if article is None:
            return None
        with self._mentions_lock:
            found = self._mentions.get(article_id)
            if found is None:
                own = self._by_article.get(article_id) or list(range(len(self._actors)))
                groups = [self._groups[i] for i in own]
                found = _Mentions()
                # On the automaton of all actors' names (shared): the same spans as one of these groups alone.
                for mention in find_mentions([(0, 0, article.text)], groups, NameFinder.shared(groups)):
                    found.starts.append(mention.start)
                    found.items.append((mention.start, mention.end, self._actors[own[mention.actor]]))
                self._mentions[article_id] = found
        return found

    # -- actors in text

    def actors_in(self, text: str) -> list[tuple[int, int, Actor]]:
        """(start, end, actor) for every actor ``text`` names, in text order (longest name wins)."""
        mentions = find_mentions([(0, 0, text)], self._groups, self._finder)
        return [(m.start, m.end, self._actors[m.actor]) for m in mentions]

    def _actors_between(self, article: str, start: int, end: int) -> list[Actor]:
        return [actor for _, _, actor in self._mentions_between(article, start, end)]

    def _mentions_between(self, article: str, start: int, end: int) -> list[tuple[int, int, Actor]]:
        """(start, end, actor) of the article's actor mentions inside [start, end), in text order."""
        found = self._article_mentions(article)
        if found is None:
            return []
        first = bisect.bisect_left(found.starts, start)
        result = []
        for s, e, actor in found.items[first:]:
            if s >= end:
                break
            if e <= end:
                result.append((s, e, actor))
        return result

    def _closest_to_question(self, article: str, start: int, end: int, question: str) -> list[Actor]:
        """The actors named in [start, end), nearest first to a word of ``question`` there.

        "Where are US forces stationed?" answered by "South of al-Bukamal is ... al-Tanf, where US
        forces are still stationed": al-Tanf stands next to the words asked about, al-Bukamal does not.
        """
        text = self._articles[article].text if article in self._articles else ""
        names = [(s, e) for s, e, _ in self.actors_in(question)]
        wanted = {
            m.group(0).casefold()[:PREFIX]
            for m in _WORD.finditer(question)
            if m.group(0).casefold() not in STOP_WORDS and not any(s <= m.start() < e for s, e in names)
        }
        anchors = [
            start + m.start() for m in _WORD.finditer(text[start:end]) if m.group(0).casefold()[:PREFIX] in wanted
        ]
        mentions = self._mentions_between(article, start, end)
        if not anchors:
            return [actor for _, _, actor in mentions]
        ranked = sorted(mentions, key=lambda m: min(abs(m[0] - a) for a in anchors))
        return [actor for _, _, actor in ranked]

    # -- recording a turn

    def turn(self, question: str, reading: Reading, answer: Any) -> Turn:
        """The :class:`Turn` for ``answer`` (a responder Answer) to ``question`` read as ``reading``."""
        passages = tuple(answer.passages) if answer.answered else ()
        short = _short_answer_text(answer)
        found = self.actors_in(reading.asked)
        borrowed = {actor.name for _, _, actor in self.actors_in(reading.borrowed)} if reading.borrowed else set()
        # A name borrowed from the previous answer is the least salient: "who held it?" is about the topic.
        question_actors = _unique(
            [actor for _, _, actor in found if actor.name not in borrowed]
            + [actor for _, _, actor in found if actor.name in borrowed]
        )
        short_actors = _unique(actor for _, _, actor in self.actors_in(short)) if short else ()
        highlight_actors: tuple[Actor, ...] = ()
        passage_actors: tuple[Actor, ...] = ()
        enumeration: tuple[str, ...] = ()
        if passages:
            top = passages[0]
            cite = top.citation
            highlight_actors = _unique(self._actors_between(top.article, cite.start, cite.end))
            passage_start = cite.start - top.highlight_start
            passage_actors = _unique(self._actors_between(top.article, passage_start, passage_start + len(top.text)))
            enumeration = self._enumeration(top.article, passage_start, passage_start + len(top.text))
        asked_names = {a.name for a in question_actors}
        focus: list[Actor] = []
        if passages:
            # The answer's actors of the kind asked for, those of the highlighted sentence first,
            # each group nearest first to the words the question asked about.
            near = self._closest_to_question(top.article, cite.start, cite.end, reading.asked)
            answer_actors = [a for a in _unique((*near, *passage_actors)) if a.name not in asked_names]
            focus = [a for types in self._asked_for(reading.asked) for a in answer_actors if a.type in types]
        return Turn(
            question=question,
            asked=reading.asked,
            read_as=reading.read_as,
            answered=bool(answer.answered),
            passage_ids=tuple(p.passage_id for p in passages),
            short_answer=short,
            question_actors=question_actors,
            short_actors=short_actors,
            highlight_actors=highlight_actors,
            passage_actors=passage_actors,
            focus_actors=_unique(focus),
            enumeration=enumeration,
        )

    def names_what_was_asked(self, question: str, answer: Any) -> bool:
        """True when ``question`` asks for an actor ("who ...", "which group ...") and the answer's
        highlighted sentence names one of that kind that the question does not: "who leads Kata'ib
        Hezbollah?" answered by "This group is run by Abu Mahdi al-Muhandis" answers it, whatever
        the verb."""
        passes = self._asked_for(question)
        if not passes or not answer.passages:
            return False
        top = answer.passages[0]
        named = {a.name for _, _, a in self.actors_in(question)}
        found = self._actors_between(top.article, top.citation.start, top.citation.end)
        return any(a.type in types and a.name not in named for types in passes for a in found)

    def _asked_for(self, question: str) -> Passes:
        """The actor types a question asks for: "which group ..." -> groups, "who ..." -> people and bodies."""
        names = [(start, end) for start, end, _ in self.actors_in(question)]
        found = [m for m in _WORD.finditer(question) if not any(s <= m.start() < e for s, e in names)]
        lowered = [m.group(0).casefold() for m in found]
        first = next((i for i, w in enumerate(lowered) if w in QUESTION_WORDS), None)
        if first is None:
            return ()
        if lowered[first] in ("what", "which", "whose"):  # "which group ...", "what town ..."
            for word in lowered[first + 1 : first + 7]:
                if word in KIND_NOUNS:
                    return KIND_NOUNS[word]
        return QUESTION_TARGETS.get(lowered[first], ())

    def _enumeration(self, article_id: str, start: int, end: int) -> tuple[str, ...]:
        """Items of a "First, ... Second, ..." enumeration in the paragraphs spanning [start, end)."""
        article = self._articles.get(article_id)
        if article is None:
            return ()
        text = article.text
        first = text.rfind("\n", 0, start) + 1
        last = text.find("\n", end)
        return _enumeration_items(text[first : last if last >= 0 else len(text)])

    def _enumeration_naming(self, noun: str) -> tuple[str, ...]:
        """The items of the first enumeration in the articles whose paragraph uses ``noun`` ("crisis" for
        "three linked crises"): "the first crisis" asked with no enumeration in the conversation."""
        prefix = noun[: max(4, len(noun) - 2)]
        pattern = re.compile(rf"\b{re.escape(prefix)}", re.IGNORECASE)
        for article in self._articles.values():
            for paragraph in article.text.split("\n"):
                if pattern.search(paragraph):
                    items = _enumeration_items(paragraph)
                    if items:
                        return items
        return ()

    # -- reading a question

    def read(self, question: str, turns: Sequence[Turn]) -> Reading:
        """How ``question`` reads after ``turns`` (oldest first); unchanged when it stands on its own."""
        text = " ".join(fold(question).split())
        if not turns or not text:
            return Reading(question)
        recent = list(reversed(turns))[:LOOK_BACK]
        words = [_Word(m.group(0), m.group(0).casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]
        if not words:
            return Reading(question)
        dated = self._time_reference(text, recent)
        if dated is not None:
            # "who held it before that?": "that" is the time the last turn spoke of; the pronoun still
            # has to be read, so the other rules read the dated question.
            text = dated
            words = [_Word(m.group(0), m.group(0).casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]
        for rule in (self._enumeration_reference, self._ellipsis, self._fragment, self._anaphora):
            reading = rule(text, words, recent)
            if reading is not None:
                if dated is not None and reading.rule != "ellipsis":
                    return Reading(question, reading.read_as, reading.rule, _own_words_undated(reading.own_words))
                return reading if dated is None else Reading(question, reading.read_as, reading.rule, None)
        if dated is not None:
            return Reading(question, _capitalise(dated), "time", _own_words_undated(text))
        return Reading(question)

    def _time_reference(self, text: str, recent: list[Turn]) -> str | None:
        """``text`` with "before that", "after then", "since then", "until then" ... naming the date of the
        last turn that gave one: its question's ("in November 2017"), else its short answer's ("When
        did X attack?" - "June 28, 2016"); None when it has no such phrase or no turn gave a date."""
        match = _TIME_REFERENCE.search(text)
        if match is None:
            return None
        for turn in recent:
            date = DATE.search(turn.asked) or (DATE.search(turn.short_answer) if turn.short_answer else None)
            if date is not None:
                return text[: match.start(2)] + date.group(0) + text[match.end(2) :]
        return None

    def _enumeration_reference(self, text: str, words: list[_Word], recent: list[Turn]) -> Reading | None:
        items = next((turn.enumeration for turn in recent if turn.enumeration), ())
        for index, word in enumerate(words):
            if word.lower not in ORDINALS:
                continue
            start = words[index - 1].start if index > 0 and words[index - 1].lower == "the" else word.start
            end = word.end
            rest = words[index + 1 : index + 3]
            if rest and rest[0].lower in ("one", "ones"):
                end = rest[0].end
            elif len(rest) == 2 and rest[0].lower == "of" and rest[1].lower == "them":
                end = rest[1].end
            elif rest and rest[0].lower not in AUXILIARIES and rest[0].lower not in QUESTION_WORDS:
                # "the first crisis": the enumeration whose paragraph speaks of crises ("the first
                # time" is no enumeration's).
                end = rest[0].end
                noun = rest[0].lower
                items = self._enumeration_naming(noun) if len(noun) >= 4 and noun not in STOP_WORDS else ()
            if not items:
                return None
            item = items[ORDINALS[word.lower]] if ORDINALS[word.lower] < len(items) else None
            if item is None:
                return None
            rewritten = _tidy(text[:start] + item + text[end:])
            rewritten = _drop_connector(rewritten, to_what_about=True)
            return Reading(text, _capitalise(rewritten), "enumeration", None)
        return None

    def _ellipsis(self, text: str, words: list[_Word], recent: list[Turn]) -> Reading | None:
        """ "why?", "until when?", "how many of them?", "when was that?": the previous question, new question word."""
        lowered = [w.lower for w in words]
        if not any(w in QUESTION_WORDS for w in lowered):
            return None
        # "what is it?", "where is it?" ask about the actor "it" stands for, not the previous question
        # ("when was it?", "who did it?" do borrow it).
        if "it" in lowered and lowered[0] in {"what", "who", "whom", "where", "which"}:
            at = lowered.index("it")
            if not (at > 0 and lowered[at - 1] in DO_FORMS):
                return None
        # "when did that happen?" borrows the previous question; "what happened to them?" asks about them.
        allowed = ELLIPSIS_WORDS | (HAPPEN if PERSONAL_PRONOUNS.isdisjoint(lowered) else frozenset())
        if not all(w in QUESTION_WORDS or w in AUXILIARIES or w in allowed for w in lowered):
            return None
        first_wh = next(i for i, w in enumerate(lowered) if w in QUESTION_WORDS)
        head_start = first_wh
        while head_start > 0 and lowered[head_start - 1] in {"until", "till", "since", "from", "for"}:
            head_start -= 1
        head_end = first_wh + 1
        while head_end < len(words) and lowered[head_end] in QUANTIFIERS:
            head_end += 1
        head = text[words[head_start].start : words[head_end - 1].end]
        previous = recent[0].asked
        rest = _without_question_word(previous)
        subject_asked = _subject_question(previous)
        if subject_asked is not None and lowered[first_wh] not in {"who", "what", "which", "whom", "whose"}:
            # "Who held X?" -> "why?": not "Why held X", but "Why did <the answer> hold X?", or, with no
            # answer to stand as the subject, the typed question and the one it continues.
            verb_at, verb = subject_asked
            done = _do_support(verb)
            answer = recent[0].short_answer if recent[0].short_actors else None
            rest_words = list(_WORD.finditer(rest))
            if done is not None and answer and len(rest_words) > verb_at:
                tail = rest[rest_words[verb_at].end() :]
                rewritten = _tidy(f"{head} {done[0]} {answer} {done[1]}{tail}?")
                return Reading(text, _capitalise(rewritten), "ellipsis", None, answer)
            rewritten = _tidy(f"{_capitalise(head)}? ({_capitalise(previous.rstrip('?!. '))}?)")
            return Reading(text, rewritten, "ellipsis", None)
        rewritten = _tidy(f"{head} {rest}")
        return Reading(text, _capitalise(rewritten), "ellipsis", None)

    def _fragment(self, text: str, words: list[_Word], recent: list[Turn]) -> Reading | None:
        """ "and in 2018?", "and the US?", "what about Iraq?": the previous question with this date or actor."""
        lowered = text.casefold()
        connector = next((c for c in CONNECTORS if lowered.startswith(c + " ")), None)
        if connector is None:
            return None
        remainder = text[len(connector) :].strip()
        remainder_words = _WORD.findall(remainder.casefold())
        if not remainder_words or remainder_words[0] in QUESTION_WORDS or remainder_words[0] in AUXILIARIES:
            return None
        fragment = remainder.rstrip("?!. ")
        previous = recent[0].asked.rstrip("?!. ")
        new_date = DATE.search(fragment)
        old_date = DATE.search(previous)
        new_actors = self.actors_in(fragment)
        rewritten = None
        if new_date and old_date:
            rewritten = previous[: old_date.start()] + new_date.group(0) + previous[old_date.end() :]
        elif new_actors:
            start, end, _ = new_actors[0]
            typed = fragment[start:end]
            if fragment[:start].casefold().endswith("the "):
                typed = fragment[start - 4 : start] + typed
            swapped = self._swap_actor(previous, new_actors[0][2], typed)
            if swapped is not None:
                rewritten = swapped
        if rewritten is None:
            if new_date or new_actors:
                rewritten = f"{previous} {fragment}"
            else:
                return None
        own = " ".join(w for w in _WORD.findall(fragment))
        return Reading(text, _tidy(_capitalise(rewritten) + "?"), "ellipsis", own)

    def _swap_actor(self, previous: str, actor: Actor, typed: str) -> str | None:
        """``previous`` with its actor most like ``actor`` (same type, else same kind) named as ``typed``."""
        found = self.actors_in(previous)
        if not found:
            return None
        same = [f for f in found if f[2].type == actor.type]
        family = [f for f in found if _family(f[2].type) == _family(actor.type)]
        start, end, _ = (same or family or found)[0]
        before = previous[:start]
        if before.casefold().endswith("the "):  # "the US" -> "Israel", not "the Israel"
            before = before[:-4]
        return before + typed + previous[end:]

    def _anaphora(self, text: str, words: list[_Word], recent: list[Turn]) -> Reading | None:
        """Pronouns, possessives and "that <noun>" replaced by the actors they stand for."""
        named_here = {actor.name for _, _, actor in self.actors_in(text)}
        replacements: list[tuple[int, int, str]] = []
        own_parts: list[str] = []
        index = 0
        while index < len(words):
            word = words[index]
            nxt = words[index + 1] if index + 1 < len(words) else None
            prev = words[index - 1] if index > 0 else None
            if word.lower in DEMONSTRATIVES and nxt is not None:
                noun = nxt.lower
                if noun in KIND_NOUNS:
                    actor = self._referent(recent, KIND_NOUNS[noun], order=NEWS, exclude=named_here)
                    if actor is not None:
                        replacements.append((word.start, nxt.end, actor.name))
                        index += 2
                        continue
            if word.lower in PRONOUNS:
                passes, form, order = PRONOUNS[word.lower]
                if word.lower == "there" and (
                    (nxt is not None and nxt.lower in AUXILIARIES) or (prev is not None and prev.lower in AUXILIARIES)
                ):
                    index += 1  # "is there", "there was": nothing is referred to
                    continue
                if word.lower == "it" and _names_an_event(prev, nxt):
                    index += 1  # "who did it?", "carried it out": an event, which no actor stands for
                    continue
                # Each pass searches all recent turns before the next: a place two turns back is a
                # better "there" than a country in the last turn.
                actor = None
                for types in passes:
                    actor = actor or self._referent(recent, (types,), order=order, exclude=named_here)
                thing = _thing_asked_about(recent[0]) if word.lower in ("it", "its") else None
                if thing is not None:
                    # "who detailed the missile program?" -> "who backs it?": no actor in the question,
                    # so "it" is the thing it ended on, not an actor its answer happens to name.
                    name = thing + ("'s" if form == "possessive" and nxt is not None else "")
                    replacements.append((word.start, word.end, name))
                elif actor is not None:
                    if form == "possessive" and nxt is not None:
                        name = actor.name + ("'" if actor.name.endswith("s") else "'s")
                    elif form == "place" and not (prev is not None and prev.lower in PREPOSITIONS):
                        name = "in " + actor.name
                    else:
                        name = actor.name
                    replacements.append((word.start, word.end, name))
            index += 1
        if not replacements:
            return None
        pieces = []
        cursor = 0
        for start, end, name in replacements:
            pieces.append(text[cursor:start])
            own_parts.append(text[cursor:start])
            pieces.append(name)
            cursor = end
        pieces.append(text[cursor:])
        own_parts.append(text[cursor:])
        rewritten = _drop_connector(_tidy("".join(pieces)))
        return Reading(text, _capitalise(rewritten), "pronoun", _tidy(" ".join(own_parts)))

    def _referent(self, recent: list[Turn], passes: Passes, *, order: str, exclude: set[str]) -> Actor | None:
        """The most salient actor of an allowed type: the previous turn first, then older ones.

        Within a turn the candidates are the question's own actors (its topic), what the answer
        brought in (its short answer, the actors of the kind its question asked for, then those of
        its highlighted sentence) and last the rest of its passage; ``order`` says which of the
        first two comes first (TOPIC, NEWS), or FOCUS: the kind asked for, then the topic.
        """
        for turn in recent:
            asked = {a.name for a in turn.question_actors}
            highlight = [a for a in turn.highlight_actors if a.name not in asked]
            question = list(turn.question_actors)
            rest = [a for a in turn.passage_actors if a.name not in asked]
            if order == NEWS:
                ranked = [*turn.short_actors, *turn.focus_actors, *highlight, *question, *rest]
            elif order == FOCUS:
                ranked = [*turn.short_actors, *turn.focus_actors, *question, *highlight, *rest]
            else:
                ranked = [*question, *turn.short_actors, *turn.focus_actors, *highlight, *rest]
            for types in passes:
                for actor in ranked:
                    if actor.type in types and actor.name not in exclude:
                        return actor
        return None


# --- helpers -------------------------------------------------------------------------------------


_TRAILING_THING = re.compile(r"\b((?:the|a|an)\s+(?:[^\W\d_][\w'’-]*\s+){0,3}[^\W\d_][\w'’-]*)\s*[?!.]*\s*$", re.I)


def _thing_asked_about(turn: Turn) -> str | None:
    """The noun phrase a question without actors (bar people) ends on: "the missile program"."""
    if any(actor.type != PERSON for actor in turn.question_actors):
        return None
    found = _TRAILING_THING.search(turn.asked)
    return found.group(1) if found else None


def _subject_question(question: str) -> tuple[int, str] | None:
    """For a question asking for its subject ("Who held X?", "Which armies abandoned X?"), the index of
    its verb among the words after the question word and the verb; None for "Who did X blame?"."""
    found = [m.group(0) for m in _WORD.finditer(_drop_connector(question.strip()))]
    lowered = [w.casefold() for w in found]
    if not lowered or lowered[0] not in {"who", "what", "which"} or len(lowered) < 2:
        return None
    at = 0 if lowered[0] == "who" or lowered[1] in VERB_FORMS or lowered[1].endswith("ed") else 1
    if len(lowered) <= at + 1 or lowered[at + 1] in AUXILIARIES | QUESTION_WORDS | HAPPEN:
        return None
    verb = lowered[at + 1]
    return (at, verb) if verb in VERB_FORMS or verb.endswith(("ed", "s")) else None


# Stems that take back the "e" their "-ed" form dropped ("liberat" -> "liberate", "captur" -> "capture").
_E_ENDINGS = ("at", "ut", "ur", "iz", "is", "us", "ag", "ud", "ov", "iv", "av", "ev", "rv", "dg", "am", "ar", "ir")
_E_ENDINGS += ("or", "c")


def _do_support(verb: str) -> tuple[str, str] | None:
    """("did", "hold") for "held", ("does", "run") for "runs", ("did", "liberate") for "liberated": the
    auxiliary and base form that put a verb after a new question word ("Why did X hold ...?"); None
    when ``verb`` is no form it can read."""
    if verb in VERB_FORMS:
        return "did", VERB_FORMS[verb]
    if verb in {"has", "does", "goes"}:
        return "does", {"has": "have", "does": "do", "goes": "go"}[verb]
    if verb.endswith("ed") and len(verb) > 3:
        stem = verb[:-2]
        if verb.endswith("ied") and len(verb) > 4:
            return "did", verb[:-3] + "y"
        if verb.endswith(("eed", "ied")):
            return "did", verb[:-1]  # "freed", "died"
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouslfz":
            return "did", stem[:-1]  # "stopped", "planned"
        if stem.endswith("ll") and len(verb) >= 9:
            return "did", stem[:-1]  # "controlled", "patrolled"
        return "did", stem + "e" if stem.endswith(_E_ENDINGS) else stem
    if verb.endswith("s") and not verb.endswith("ss") and len(verb) > 3:
        if verb.endswith("ies"):
            return "does", verb[:-3] + "y"
        if verb.endswith(("ches", "shes", "sses", "xes")):
            return "does", verb[:-2]
        return "does", verb[:-1]
    return None


def _own_words_undated(text: str | None) -> str | None:
    """The words the person typed, without the date a time reference was read as (they did not type it)."""
    if text is None:
        return None
    return _tidy(DATE.sub(" ", text)) or None


def _enumeration_items(paragraph: str) -> tuple[str, ...]:
    """The items of a "First, ... Second, ... Third, ..." enumeration in ``paragraph`` (at least two),
    each by its first words, cut short on a word rather than on "that" or "the"."""
    items = []
    for sentence in _SENTENCE_SPLIT.split(paragraph):
        mark = _ENUMERATION_MARK.match(sentence.strip())
        if mark:
            item = sentence.strip()[mark.end() :]
            item_words = [w.strip(",;:\"“”'’‘") for w in item.rstrip(".").split()[:ENUMERATION_ITEM_WORDS]]
            while item_words and item_words[-1].casefold() in TRAILING_WORDS:
                item_words.pop()
            items.append(" ".join(w for w in item_words if w))
    return tuple(items) if len(items) >= 2 else ()


def _names_an_event(prev: _Word | None, nxt: _Word | None) -> bool:
    """ "did it", "do it again", "carried it out": "it" is something done, not a doer."""
    after_do = prev is not None and prev.lower in DO_FORMS and (nxt is None or nxt.lower in PREPOSITIONS | {"again"})
    return after_do or (nxt is not None and nxt.lower in {"out", "off"})


def _family(actor_type: str) -> str:
    if actor_type in (PERSON, PLACE):
        return actor_type
    return "body"  # states, armies, groups, organisations and media swap for one another


def _unique(actors: Iterable[Actor]) -> tuple[Actor, ...]:
    seen: dict[str, Actor] = {}
    for actor in actors:
        seen.setdefault(actor.name, actor)
    return tuple(seen.values())


def _short_answer_text(answer: Any) -> str | None:
    """The answer's short answer as text, when the responder gives one."""
    short = getattr(answer, "short_answer", None)
    if short is None:
        return None
    text = getattr(short, "text", short)
    return text if isinstance(text, str) and text.strip() else None


def _without_question_word(question: str) -> str:
    """ "When did Kata'ib Hezbollah enter Syria?" -> "did Kata'ib Hezbollah enter Syria"."""
    text = _drop_connector(question.strip()).rstrip("?!. ")
    words = list(_WORD.finditer(text))
    if not words:
        return text
    index = 0
    while index < len(words) and words[index].group(0).casefold() in {"until", "till", "since", "from", "for"}:
        index += 1
    if index < len(words) and words[index].group(0).casefold() in QUESTION_WORDS:
        index += 1
        while index < len(words) and words[index].group(0).casefold() in QUANTIFIERS:
            index += 1
        return text[words[index].start() :] if index < len(words) else ""
    return text[:1].lower() + text[1:] if text[:1].isupper() and not _is_name_start(text) else text


def _is_name_start(text: str) -> bool:
    first = _WORD.match(text)
    return first is not None and first.group(0).casefold() not in QUESTION_WORDS | AUXILIARIES | {
        "tell",
        "give",
        "show",
    }


def _drop_connector(text: str, to_what_about: bool = False) -> str:
    lowered = text.casefold()
    for connector in CONNECTORS:
        if lowered.startswith(connector + " "):
            rest = text[len(connector) :].strip()
            first = _WORD.match(rest)
            if to_what_about and first and first.group(0).casefold() not in QUESTION_WORDS | AUXILIARIES:
                return "What about " + rest
            return rest
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() and not text.startswith(("al-", "el-")) else text


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([?!.,])", r"\1", text)
    return text
