"""Question typing for short answers: which kind of span a factoid question asks for.

The first question word decides (:func:`expected_type`): who / which group (an actor), when / what
year (a date), where / which town (a place), how many / how much / how long (a number with its unit
noun), a "what ... made of?" question ending in a preposition (the phrase the preposition
introduces). Why / how / what-happened questions ask for no span: they keep the sentence answer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from ..actors import ARMED_GROUP, MEDIA, MILITARY, ORGANISATION, OTHER, PERSON, STATE
from ..textnorm import STOP_WORDS, words

ACTOR = "actor"
DATE = "date"
NUMBER = "number"
PLACE_TYPE = "place"
PHRASE = "phrase"
NAME = "name"  # a capitalised name given with the question's noun: "which court" -> "High Court"
ROLE = "role"  # a person's title or job: "what is X's job?" -> "toxicologist"

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
NOUN_PHRASE_OPENERS = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "he", "she", "it", "they", "we"}
)
OBJECT_AUXILIARIES = frozenset({"did", "does", "do", "will", "would", "should", "can", "could", "might"})
# "how long", "how far", "how old" ...: a measure, answered by a number with its unit ("eleven weeks").
MEASURE_WORDS = frozenset(
    {"many", "much", "often", "long", "far", "old", "big", "large", "high", "tall", "deep", "wide", "heavy"}
)
# Nouns a question uses for a person's title or job ("what is her job?", "what position does he hold?").
ROLE_NOUNS = frozenset({"job", "jobs", "role", "title", "position", "post", "occupation", "profession", "rank"})
# Words after "what" that are not the noun asked for ("what kind of", "what happened").
NOT_HEADS = frozenset({"kind", "kinds", "sort", "type", "types", "happened", "happens", "caused", "causes"})


@dataclass(frozen=True)
class ExpectedType:
    """What a question asks for: a short-answer type and, for actors, the actor types that fit."""

    kind: str
    actor_types: tuple[str, ...] = ()
    preposition: str | None = None  # for PHRASE (and NAME): the preposition the question ends with
    before: str | None = None  # for PHRASE (and NAME): the question's word before it ("made" of "made of")
    head: str | None = None  # the noun after "which"/"what" ("armies", "town"), if any
    subject: bool = False  # asks for the subject ("who runs ..."), not an object ("who did X blame")
    # A count or a date the best passage must give, or the question is declined: "how many", "when";
    # not a measure ("how long did it last?" may be answered "for decades").
    counted: bool = False
    measure: str | None = None  # for "how <measure>" questions: "many", "much", "long", "far" ...
    counts: tuple[str, ...] = ()  # what "how many" counts: ("unexplained", "strikes") of "how many unexplained strikes"


def expected_type(question: str) -> ExpectedType | None:
    """The short-answer type ``question`` asks for, or None (why, how, what happened, yes/no ...).

    ``question`` is the cleaned question text; the first question word decides.
    """
    typed = words(question)
    for index, word in enumerate(typed):
        rest = typed[index + 1 :]
        following = rest[0] if rest else ""
        if word in {"who", "whom", "whose", "whos"}:
            # "Who did he pay a condolence call to?": the object of that preposition.
            ends = len(rest) >= 2 and rest[-1] in PREPOSITIONS and rest[-2] not in STOP_WORDS
            preposition, before = (rest[-1], rest[-2]) if ends else (None, None)
            subject = _asks_subject(rest)
            return ExpectedType(ACTOR, ACTOR_TYPES_FOR["who"], preposition=preposition, before=before, subject=subject)
        if word in {"when", "whens"}:
            return ExpectedType(DATE, counted=True)
        if word in {"where", "wheres"}:
            return ExpectedType(PLACE_TYPE)
        if word in {"how", "hows"}:
            if following not in MEASURE_WORDS:
                return None
            counted = following in {"many", "much", "often"} or "ago" in rest
            counts = tuple(itertools.takewhile(lambda w: w not in STOP_WORDS | OBJECT_AUXILIARIES, rest[1:4]))
            return ExpectedType(NUMBER, counted=counted, measure=following, counts=counts)
        if word in {"which", "what", "whats"}:
            return _which_type(rest)
        if word == "why":
            return None
    return None


# The question words a misspelled first word may stand for, and words after which "hwo" is "how".
QUESTION_WORDS = ("who", "what", "when", "where", "which", "why", "how", "whom", "whose")
_CONNECTORS = frozenset({"and", "but", "so", "ok", "okay", "then", "also"})


def fix_question_word(question: str, known: Callable[[str], bool]) -> tuple[str, tuple[str, str] | None]:
    """``question`` with a misspelled opening question word read as the question word ("wher is X" ->
    "where is X", "hwo runs X" -> "who runs X", "wen did" -> "when did"), and ``(typed, fixed)``, or
    ``(question, None)`` when its first word (after a connector: "and wher ...") is no such typo.

    A typo is a word one dropped, added or swapped letter (an optimal-string-alignment edit other
    than a substitution) from exactly one question word, that is neither a function word nor a word
    ``known`` accepts (the article's vocabulary: "were", "then", "now" stay). "hwo" is one swap from
    both "who" and "how": before a measure word ("hwo many") it is "how", else "who"; any other tie is left alone.
    """
    found = list(re.finditer(r"[^\W\d_]+", question))
    at = 1 if len(found) > 1 and found[0].group(0).casefold() in _CONNECTORS else 0
    if not found[at:]:
        return question, None
    match = found[at]
    typed = match.group(0)
    word = typed.casefold()
    if word in QUESTION_WORDS or word in STOP_WORDS or len(word) < 2 or known(word):
        return question, None
    near = [q for q in QUESTION_WORDS if OSA.distance(word, q, score_cutoff=1) <= 1]
    # Only a dropped, added or swapped letter ("wher", "whn", "waht"): a wrong letter makes real words
    # ("whole", "hot", "whet") and would read "wher" as "when" too.
    near = [q for q in near if len(q) != len(word) or sorted(q) == sorted(word)]
    following = found[at + 1].group(0).casefold() if len(found) > at + 1 else ""
    if set(near) == {"who", "how"}:
        near = ["how" if following in MEASURE_WORDS or following == "come" else "who"]
    if len(near) != 1:
        return question, None
    fixed = near[0].capitalize() if typed[:1].isupper() else near[0]
    return question[: match.start()] + fixed + question[match.end() :], (typed, fixed)


def _asks_subject(rest: Sequence[str]) -> bool:
    """True for "who runs X?" and "who will oversee the work?" (the subject); False for "who did X
    blame?" and "who will the council appoint?" (an object: a noun phrase follows the auxiliary)."""
    if not rest or rest[0] not in OBJECT_AUXILIARIES:
        return True
    return rest[0] not in {"did", "does", "do"} and len(rest) > 1 and rest[1] not in NOUN_PHRASE_OPENERS


def _which_type(rest: Sequence[str]) -> ExpectedType | None:
    """ "which group", "what year", "in which town", "what is X made of", "what is X's job",
    "which court" (any other noun: a name given with it) ..."""
    if any(w in ROLE_NOUNS for w in rest) or (len(rest) >= 3 and rest[0] == "does" and rest[-1] == "do"):
        return ExpectedType(ROLE)
    nouns = GROUP_NOUNS | PERSON_NOUNS | STATE_NOUNS | PLACE_NOUNS | {"year", "years", "date", "month", "day"}
    nouns |= {"decade", "time", "number", "amount"}
    # The noun asked for comes before the question's verb: "what town is X adjacent to?", not the
    # subject of "what do militias do?".
    before_verb = list(itertools.takewhile(lambda w: w not in OBJECT_AUXILIARIES | {"is", "are", "was", "were"}, rest[:3]))
    head = next((w for w in before_verb if w in nouns), "")
    if head in {"year", "years", "date", "month", "day", "decade", "time"}:
        return ExpectedType(DATE, counted=True)
    if head in {"number", "amount"}:
        return ExpectedType(NUMBER, counted=True)
    if head in GROUP_NOUNS:
        return ExpectedType(ACTOR, ACTOR_TYPES_FOR["group"], head=head)
    if head in PERSON_NOUNS:
        return ExpectedType(ACTOR, ACTOR_TYPES_FOR["person"], head=head)
    if head in STATE_NOUNS:
        return ExpectedType(ACTOR, (STATE,) + ACTOR_TYPES_FOR["group"], head=head)
    if head in PLACE_NOUNS:
        return ExpectedType(PLACE_TYPE, head=head)
    phrase = len(rest) >= 2 and rest[-1] in PREPOSITIONS and rest[-2] not in STOP_WORDS
    preposition, before = (rest[-1], rest[-2]) if phrase else (None, None)
    if rest and _is_head_noun(rest[0]):
        # "Which university does she work at?": a name given with the noun, else the phrase after "at".
        return ExpectedType(NAME, head=rest[0], preposition=preposition, before=before)
    if phrase:
        return ExpectedType(PHRASE, preposition=preposition, before=before)
    return None


def _is_head_noun(word: str) -> bool:
    """True for a word after "which"/"what" that can be the noun asked for ("court", "university"):
    not a function word, a number or a past form ("what happened", "what caused")."""
    return (
        word not in STOP_WORDS | NOT_HEADS | OBJECT_AUXILIARIES | {"must", "may", "shall"}
        and word.isalpha()
        and not word.endswith("ed")
    )
