"""Question typing for short answers: which kind of span a factoid question asks for.

The first question word decides (:func:`expected_type`): who / which group (an actor), when / what
year (a date), where / which town (a place), how many / how much / how long (a number with its unit
noun), a "what ... made of?" question ending in a preposition (the phrase the preposition
introduces). Why / how / what-happened questions ask for no span: they keep the sentence answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..actors import ARMED_GROUP, MEDIA, MILITARY, ORGANISATION, OTHER, PERSON, STATE
from ..textnorm import STOP_WORDS, words

ACTOR = "actor"
DATE = "date"
NUMBER = "number"
PLACE_TYPE = "place"
PHRASE = "phrase"
COUNTED = frozenset({DATE, NUMBER})  # types whose absence from the best passage declines the question

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
OBJECT_AUXILIARIES = frozenset({"did", "does", "do", "will", "would", "should", "can", "could", "might"})


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
