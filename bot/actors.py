"""The people, groups, states, organisations and places an article names, and finding them by name.

Lookup forgives what people type in a chat: case, hyphens, apostrophes, a leading "al-" or "the",
and small typos ("kataib hezbolah"); a name that matches nothing gets the closest suggestions.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import InputError
from .namefinder import NameFinder, is_acronym
from .textnorm import fold, name_words
from .timeline import TimelineEvent, shown_text

PERSON, STATE, MILITARY, ARMED_GROUP, ORGANISATION, MEDIA, PLACE, OTHER = (
    "person",
    "state",
    "military",
    "armed group",
    "organisation",
    "media",
    "place",
    "other",
)
ACTOR_TYPES = (PERSON, STATE, MILITARY, ARMED_GROUP, ORGANISATION, MEDIA, PLACE, OTHER)
_TYPE_SYNONYMS = {
    "people": PERSON,
    "persons": PERSON,
    "individual": PERSON,
    "country": STATE,
    "countries": STATE,
    "government": STATE,
    "organization": ORGANISATION,
    "organizations": ORGANISATION,
    "org": ORGANISATION,
    "company": ORGANISATION,
    "group": ARMED_GROUP,
    "groups": ARMED_GROUP,
    "militia": ARMED_GROUP,
    "militias": ARMED_GROUP,
    "armed": ARMED_GROUP,
    "army": MILITARY,
    "armies": MILITARY,
    "press": MEDIA,
    "news": MEDIA,
    "location": PLACE,
    "locations": PLACE,
}
# Words a name is typed with or without ("al-Qa'im", "Qaim"; "the Pentagon"): names compare without them.
NAME_PARTICLES = frozenset({"al", "el", "the"})
FUZZY_ACCEPT = 0.84  # SequenceMatcher ratio at which a typed name is read as an actor's name
FUZZY_SUGGEST = 0.6
FUZZY_MARGIN = 0.05  # the best actor must beat the next one by this much to be chosen alone


@dataclass(frozen=True)
class ActorQuote:
    """A verbatim quote about an actor, with the paragraph it comes from."""

    paragraph: int
    quote: str
    start: int = -1  # offset in the article text

    def to_dict(self) -> dict[str, Any]:
        return {"paragraph": self.paragraph, "quote": self.quote}


@dataclass(frozen=True)
class Actor:
    """One actor of an article, with how the article names and quotes it."""

    name: str
    type: str
    aliases: tuple[str, ...]
    role: str
    mentions: int
    first_paragraph: int | None
    quotes: tuple[ActorQuote, ...]
    events: tuple[TimelineEvent, ...]
    article: str
    automatic: bool = False  # drafted by the extractor, not reviewed by a person
    # (article id, mentions) for every article naming this actor; set on the merged entries of
    # ActorDirectory.merged(), else just this entry's own article.
    mentions_by_article: tuple[tuple[str, int], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def articles(self) -> tuple[tuple[str, int], ...]:
        """(article id, mentions) for every article that names this actor."""
        return self.mentions_by_article or ((self.article, self.mentions),)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "role": self.role,
            "mentions": self.mentions,
            "first_paragraph": self.first_paragraph,
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [{"id": e.id, "date": e.date, "label": e.label, "event": e.event} for e in self.events],
            "article": self.article,
            "automatic": self.automatic,
            "mentions_by_article": dict(self.articles),
        }


@dataclass(frozen=True)
class ActorList:
    """The result of an actors command."""

    actors: tuple[Actor, ...]
    message: str
    type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "actors": [a.to_dict() for a in self.actors],
            "message": self.message,
            "count": len(self.actors),
            "type": self.type,
        }


@dataclass(frozen=True)
class ActorLookup:
    """The result of an actor command: the actor found, or the closest names."""

    query: str
    actor: Actor | None
    suggestions: tuple[str, ...]
    message: str
    read_as: str | None = None  # the name a typo was read as

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "found": self.actor is not None,
            "actor": self.actor.to_dict() if self.actor else None,
            "suggestions": list(self.suggestions),
            "message": self.message,
            "read_as": self.read_as,
        }


@lru_cache(maxsize=1 << 16)  # the same names recur in every article's drafted actors
def lookup_key(name: str) -> str:
    """The form names are compared in: folded words without "al"/"the" ("Al-Qa'im" -> "qaim")."""
    tokens = name_words(name)
    kept = [t for t in tokens if t not in NAME_PARTICLES]
    return " ".join(kept or tokens)


def normalize_type(text: str) -> str:
    """A typed actor type ("States", "organization", "armed-group") as one of ACTOR_TYPES."""
    cleaned = " ".join(fold(text).casefold().replace("-", " ").replace("_", " ").split())
    if cleaned in ACTOR_TYPES:
        return cleaned
    if cleaned in _TYPE_SYNONYMS:
        return _TYPE_SYNONYMS[cleaned]
    if cleaned.endswith("s") and cleaned[:-1] in ACTOR_TYPES:
        return cleaned[:-1]
    raise InputError(f'unknown actor type "{shown_text(text, 40)}"; use one of: {", ".join(ACTOR_TYPES)}')


class ActorDirectory:
    """Every actor of the loaded articles, found by any of its names."""

    def __init__(self, actors: Iterable[Actor] = ()) -> None:
        self.actors = tuple(actors)
        self._names: tuple[str, ...] | None = None  # names(), computed on first use
        # The actors by the lookup key of each of their names, and by that key without spaces: built on
        # the first lookup (under the lock), not at every start (0.17 s at 2,000 articles).
        self._keys: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None
        self._keys_lock = threading.Lock()

    @property
    def _by_key(self) -> dict[str, list[int]]:
        return self._indexes()[0]

    @property
    def _by_compact(self) -> dict[str, list[int]]:
        return self._indexes()[1]

    def _indexes(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        if self._keys is None:
            with self._keys_lock:
                if self._keys is None:
                    self._keys = self._index_names()
        return self._keys

    def _index_names(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        by_key: dict[str, list[int]] = {}
        by_compact: dict[str, list[int]] = {}
        keys: dict[str, tuple[str, str] | None] = {}  # name -> its keys, worked out once per name
        for index, actor in enumerate(self.actors):
            for name in actor.names:
                if name not in keys:
                    key = lookup_key(name)
                    keys[name] = (key, key.replace(" ", "")) if key else None
                found = keys[name]
                if found is not None:
                    _add(by_key, found[0], index)
                    _add(by_compact, found[1], index)
        return by_key, by_compact

    def __len__(self) -> int:
        return len(self.actors)

    def merged(self) -> tuple[Actor, ...]:
        """One entry per actor across articles (entries sharing a name are one actor), with its
        mentions summed and counted per article; the most mentioned entry gives name, type and role."""
        groups: dict[int, list[int]] = {}
        owner: dict[str, int] = {}  # lookup key -> group
        parent = list(range(len(self.actors)))

        def root(index: int) -> int:
            while parent[index] != index:
                parent[index] = parent[parent[index]]
                index = parent[index]
            return index

        for index, actor in enumerate(self.actors):
            for name in actor.names:
                key = lookup_key(name)
                if key in owner:
                    parent[root(index)] = root(owner[key])
                else:
                    owner[key] = index
        for index in range(len(self.actors)):
            groups.setdefault(root(index), []).append(index)
        return tuple(_merge([self.actors[i] for i in members]) for members in groups.values())

    def find(self, name: str) -> Actor | None:
        """The actor with exactly this name or alias (compared by :func:`lookup_key`), if one."""
        key = lookup_key(name)
        indexes = self._by_key.get(key) or self._by_compact.get(key.replace(" ", ""))
        return self.actors[indexes[0]] if indexes else None

    def lookup(self, query: str) -> ActorLookup:
        """Find an actor forgivingly; an unknown name gets suggestions instead."""
        shown = shown_text(query, 80)
        key = lookup_key(query)
        if not key:
            raise InputError("give an actor's name, e.g. /actor muhandis")
        exact = self._by_key.get(key) or self._by_compact.get(key.replace(" ", ""))
        if exact:
            actor = self.actors[exact[0]]
            return ActorLookup(shown, actor, (), f"{actor.name} ({actor.type})")
        inside = self._containing(key)
        if len(inside) == 1:
            actor = self.actors[inside[0]]
            return ActorLookup(shown, actor, (), f"{actor.name} ({actor.type})", read_as=actor.name)
        ranked = self._fuzzy(key)
        # A word several actors share ("syrian", "army") is a question back, not a guess.
        if ranked and len(key) > 3 and not inside:
            (best_index, best), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
            if best >= FUZZY_ACCEPT and best - runner_up >= FUZZY_MARGIN:
                actor = self.actors[best_index]
                return ActorLookup(
                    shown,
                    actor,
                    (),
                    f'{actor.name} ({actor.type}), reading "{shown}" as "{actor.name}"',
                    read_as=actor.name,
                )
        candidates = list(dict.fromkeys([*inside, *(i for i, score in ranked if score >= FUZZY_SUGGEST)]))
        suggestions = tuple(dict.fromkeys(self.actors[i].name for i in candidates))[:5]
        if suggestions:
            message = f'No actor named "{shown}". Did you mean: {", ".join(suggestions)}?'
        else:
            message = f'No actor named "{shown}" in the article. /actors lists them all.'
        return ActorLookup(shown, None, suggestions, message)

    def _containing(self, key: str) -> list[int]:
        """Actors one of whose names contains the typed words in order ("mahdi" -> Muhandis)."""
        wanted = f" {key} "
        found = [i for k, indexes in self._by_key.items() if wanted in f" {k} " for i in indexes]
        return list(dict.fromkeys(found))

    def _fuzzy(self, key: str) -> list[tuple[int, float]]:
        """(actor index, best similarity over its names), best first."""
        compact = key.replace(" ", "")
        best: dict[int, float] = {}
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(compact)
        for name_key, indexes in self._by_compact.items():
            matcher.set_seq1(name_key)
            if matcher.real_quick_ratio() < FUZZY_SUGGEST or matcher.quick_ratio() < FUZZY_SUGGEST:
                continue
            score = matcher.ratio()
            for index in indexes:
                best[index] = max(best.get(index, 0.0), score)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def same_actor(self, actor: Actor) -> list[Actor]:
        """``actor`` and the entries of other articles that share one of its names."""
        keys = {lookup_key(name) for name in actor.names}
        return [a for a in self.actors if a is actor or keys & {lookup_key(name) for name in a.names}]

    def names(self) -> list[str]:
        """Every canonical name and alias, canonical names first, for autocomplete.

        Sorted once per directory (it never changes): autocomplete asks at every keystroke, and
        sorting 60,000 names of 2,000 articles each time took longer than Discord waits.
        """
        if self._names is None:
            canonical = [a.name for a in self.actors]
            aliases = sorted((alias for a in self.actors for alias in a.aliases), key=str.casefold)
            self._names = tuple(dict.fromkeys([*sorted(canonical, key=str.casefold), *aliases]))
        return list(self._names)

    def types(self) -> list[str]:
        present = {a.type for a in self.actors}
        return [t for t in ACTOR_TYPES if t in present]

    def alias_groups(self) -> list[tuple[str, ...]]:
        """Each actor's names, for the retriever's alias expansion."""
        return [actor.names for actor in self.actors if actor.aliases]


def _merge(entries: list[Actor]) -> Actor:
    if len(entries) == 1:
        return entries[0]
    main = max(entries, key=lambda a: a.mentions)  # max keeps the first of equals: article order
    names = list(dict.fromkeys(name for entry in [main, *entries] for name in entry.names))
    keys = {lookup_key(main.name)}
    aliases = []
    for name in names[1:]:
        if lookup_key(name) not in keys:
            keys.add(lookup_key(name))
            aliases.append(name)
    per_article: dict[str, int] = {}
    for entry in entries:
        per_article[entry.article] = per_article.get(entry.article, 0) + entry.mentions
    return Actor(
        name=main.name,
        type=main.type,
        aliases=tuple(aliases),
        role=main.role,
        mentions=sum(per_article.values()),
        first_paragraph=main.first_paragraph,
        quotes=tuple(q for entry in [main, *(e for e in entries if e is not main)] for q in entry.quotes),
        events=tuple(e for entry in [main, *(e for e in entries if e is not main)] for e in entry.events),
        article=main.article,
        automatic=all(entry.automatic for entry in entries),
        mentions_by_article=tuple(per_article.items()),
    )


def _add(index: dict[str, list[int]], key: str, value: int) -> None:
    bucket = index.setdefault(key, [])
    # Values come in increasing order, so a repeat can only be the last one: checking the whole
    # bucket made a name shared by every article (a country) quadratic in the number of articles.
    if not bucket or bucket[-1] != value:
        bucket.append(value)


# --- counting mentions -------------------------------------------------------------------------

_SEPARATOR = r"[\s\-\u2010-\u2015]+"


def alias_pattern(name: str) -> re.Pattern[str]:
    """A regex finding ``name`` in raw article text: any quote style, hyphen or space, dotted or not.

    The reference for what :class:`~bot.namefinder.NameFinder` matches (it finds the same, for all
    names in one pass); kept for checking a single name.
    """
    parts: list[str] = []
    acronym = is_acronym(name)
    folded = fold(name).strip()
    # "al-Tanf" also finds "Tanf", as lookup does: the article drops the article now and then.
    particle = re.match(r"(?i)(al|el|the)[ -](?=\w)", folded)
    if particle:
        parts.append(f"(?:{particle.group(1)}{_SEPARATOR})?")
        folded = folded[particle.end() :]
    for char in folded:
        if char == "'":
            parts.append("['\u2018\u2019\u02bc\u02be`\u00b4]?")
        elif char in " -":
            if not parts or parts[-1] != _SEPARATOR:
                parts.append(_SEPARATOR)
        elif char == ".":
            parts.append(r"\.?")
        elif acronym and char.isalpha():
            parts.append(re.escape(char) + r"\.?")  # "US" also finds "U.S."
        else:
            parts.append(re.escape(char))
    flags = 0 if acronym else re.IGNORECASE
    return re.compile(r"(?<![^\W_])" + "".join(parts) + r"(?![^\W_])", flags)


@dataclass(frozen=True)
class Mention:
    """Where a name of an actor occurs: which actor (by index), the paragraph and the offsets."""

    actor: int
    paragraph: int
    start: int
    end: int


def find_mentions(
    segments: Sequence[tuple[int, int, str]],
    name_groups: Sequence[Sequence[str]],
    finder: NameFinder | None = None,
) -> list[Mention]:
    """Mentions of each group's names in ``segments`` ((paragraph, offset, text) each), in text order.

    Longer names win overlaps across all actors, so "Kata'ib Hezbollah" is not also a mention of
    Hezbollah and "Abu Mahdi al-Muhandis" counts once, not as "Muhandis" too. ``finder``, a
    :class:`~bot.namefinder.NameFinder` of the same groups, saves building it again.
    """
    finder = finder or NameFinder(name_groups)
    found = [
        Mention(group, paragraph, offset + start, offset + end)
        for paragraph, offset, text in segments
        for start, end, group in finder.find(text)
    ]
    found.sort(key=lambda m: m.start)
    return found
