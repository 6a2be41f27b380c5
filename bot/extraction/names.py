"""Draft the actors of an article: the people, groups, states, organisations and places it names.

Runs of capitalised words ("Islamic Revolutionary Guard Corps", "Abu Mahdi al-Muhandis"), cut at
possessives and titles, without sentence-initial common words; merged when they differ only by
"al-", case or apostrophes, when an acronym follows in parentheses "(SDF)" or spells a name's
initials ("IRGC", "NSA", "ISI" for ImageSat International), and when a surname repeats a person's
full name ("Muhandis"). "Syrian regime", "Iraqi armies": a nationality followed by regime, army or
forces. The type is a guess from cues (titles, "said", country names, "Army", "News", "in"/"near").
Word lists live in data files (:mod:`bot.extraction.wordlists`).
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..actors import ARMED_GROUP, MEDIA, ORGANISATION, OTHER, PERSON, PLACE, STATE, lookup_key
from ..knowledge import Article
from ..layout import Block
from ..textnorm import STOP_WORDS
from .dates import MONTHS
from .wordlists import word_map, word_set, word_tuple

# A set, once: `in calendar.day_name` formats all seven names with strftime at every test.
DAY_NAMES = frozenset(calendar.day_name)

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_](?:[\w'\u2019\u02bc-]*[^\W_])?")
_POSSESSIVE = re.compile(r"['\u2019\u02bc]s$")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_PARTICLES = word_set("name_particles")
_TITLES = word_set("titles")
_PERSON_VERBS = word_set("person_verbs")
_PERSON_STARTS = word_set("person_starts")
_PLACE_PREPOSITIONS = word_set("place_prepositions")
_ORG_NOUNS = word_map("nationality_nouns")
_SINGULAR = word_map("singular_nouns")
_ETHNIC = word_set("ethnic_words")
_DEMONYM_SUFFIXES = word_tuple("demonym_suffixes")
_COMMON_STARTERS = word_set("common_starters")
_ARMED_WORDS = word_tuple("armed_group_words")
_MEDIA_WORDS = word_tuple("media_words")
_ORG_WORDS = word_tuple("organisation_words")
_STATE_WORDS = word_tuple("state_words")
COUNTRIES = word_set("countries")
_COUNTRY_KEYS = frozenset(c.casefold() for c in COUNTRIES)
ROLE_CHARS = 160


@dataclass
class _Piece:
    start: int
    end: int
    text: str
    kind: str  # "cap", "ordinal", "of", "title", "other"
    break_after: bool = False  # a possessive or a cut hyphen ends the name here
    sentence_start: bool = False


@dataclass
class _Candidate:
    key: str
    forms: Counter[str] = field(default_factory=Counter)
    first: int = 10**9
    count: int = 0
    person_cues: int = 0
    place_cues: int = 0
    type_hint: str | None = None
    aliases: list[str] = field(default_factory=list)  # from "(SDF)" after the name
    merged: list[str] = field(default_factory=list)  # other candidates' names folded into this one
    only_initial: bool = True  # seen only at the start of sentences

    @property
    def name(self) -> str:
        return max(self.forms.items(), key=lambda item: (item[1], len(item[0])))[0]

    @property
    def words(self) -> list[str]:
        return self.name.split()


def _pieces(text: str, start: int, end: int) -> list[_Piece]:
    """The word pieces of one sentence, hyphenated and possessive forms cut the way names need."""
    pieces: list[_Piece] = []
    for match in _TOKEN.finditer(text, start, end):
        token, at = match.group(0), match.start()
        possessive = bool(_POSSESSIVE.search(token)) and len(token) > 3
        if possessive:
            token = token[:-2]
        parts = token.split("-")
        made: list[_Piece] = []
        if len(parts) > 1:
            if parts[0].casefold() in _PARTICLES and parts[1][:1].isupper():
                made.append(_Piece(at, at + len(token), token, "cap"))
            elif all(part[:1].isupper() for part in parts):
                offset = at
                for part in parts:  # "Iran-Iraq": two names
                    made.append(_Piece(offset, offset + len(part), part, "cap", break_after=True))
                    offset += len(part) + 1
            elif parts[0][:1].isupper():  # "US-backed", "Iraqi-based": the name, then a cut
                head = "-".join(p for p in _leading_caps(parts))
                made.append(_Piece(at, at + len(head), head, "cap", break_after=True))
            else:  # "post-ISIS", "pro-Iranian", "land-bridge"
                tail = _trailing_caps(parts)
                if tail:
                    tail_text = "-".join(tail)
                    tail_at = at + len(token) - len(tail_text)
                    made.append(_Piece(at, tail_at, token[: len(token) - len(tail_text)], "other"))
                    # "post-ISIS Iraq": the name is used as an adjective, so it ends here
                    made.append(_Piece(tail_at, at + len(token), tail_text, "cap", break_after=True))
                else:
                    made.append(_Piece(at, at + len(token), token, "other"))
        elif token[:1].isupper():
            kind = "title" if token.rstrip(".") in _TITLES else "other" if token in MONTHS else "cap"
            if token in DAY_NAMES:
                kind = "other"
            made.append(_Piece(at, at + len(token), token, kind))
        elif _ORDINAL.match(token):
            made.append(_Piece(at, at + len(token), token, "ordinal"))
        elif token == "of":
            made.append(_Piece(at, at + len(token), token, "of"))
        else:
            made.append(_Piece(at, at + len(token), token, "other"))
        if possessive and made:
            made[-1].break_after = True
        pieces.extend(made)
    if pieces:
        pieces[0].sentence_start = True
    return pieces


def _leading_caps(parts: list[str]) -> list[str]:
    out = []
    for part in parts:
        if not part[:1].isupper():
            break
        out.append(part)
    return out


def _trailing_caps(parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in reversed(parts):
        if not part[:1].isupper():
            break
        out.insert(0, part)
    return out


@dataclass
class _Run:
    pieces: list[_Piece]
    person_cue: bool = False

    @property
    def start(self) -> int:
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].end

    def text(self, source: str) -> str:
        return " ".join(source[self.start : self.end].split())


def _runs(text: str, pieces: list[_Piece]) -> list[_Run]:
    """Consecutive capitalised pieces ("of" inside, an ordinal in front), titles and cuts ending them."""
    runs: list[_Run] = []
    current: list[_Piece] = []
    titled = False

    def close() -> None:
        nonlocal current, titled
        while current and current[-1].kind == "of":
            current.pop()
        if current:
            runs.append(_Run(current, person_cue=titled))
        current, titled = [], False

    for index, piece in enumerate(pieces):
        adjacent = bool(current) and text[current[-1].end : piece.start].strip() == "" and not current[-1].break_after
        nxt = pieces[index + 1] if index + 1 < len(pieces) else None
        next_is_cap = nxt is not None and nxt.kind == "cap" and text[piece.end : nxt.start].strip() == ""
        if piece.kind == "cap":
            if current and not adjacent:
                close()
            current.append(piece)
        elif piece.kind == "of" and current and adjacent and next_is_cap:
            current.append(piece)
        elif piece.kind == "ordinal" and next_is_cap:
            close()
            current.append(piece)
        elif piece.kind == "title":
            if current and adjacent and not any(_keeps_before_title(p.text) for p in current):
                current = []  # "Transport Minister", "Central Bank Governor": part of the title, not an actor
            close()
            titled = next_is_cap
        else:
            close()
    close()
    return runs


def _keeps_before_title(word: str) -> bool:
    """A country or an acronym before a title is an actor of its own ("US President", "UN Secretary")."""
    return word in COUNTRIES or (word.isupper() and len(word) > 1)


def _prefix_index(names: Iterable[str]) -> dict[str, list[str]]:
    """Case-folded names by their first four letters, for :func:`_is_demonym` (its stems have four or more)."""
    index: dict[str, list[str]] = {}
    for name in names:
        folded = name.casefold()
        index.setdefault(folded[:4], []).append(folded)
    return index


_COUNTRY_PREFIXES = _prefix_index(COUNTRIES)


def _is_demonym(word: str, names: dict[str, list[str]]) -> bool:
    """ "Iranian", "Iraqi", "Syrian", "Shi'ite": adjectives of a name in ``names`` (a :func:`_prefix_index`),
    not actors of their own."""
    folded = word.casefold().replace("\u2019", "'")
    if folded in _ETHNIC or folded.replace("'", "") in _ETHNIC:
        return True
    if word.isupper():
        return False
    for suffix in _DEMONYM_SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 4:
            stem = folded[: -len(suffix)]
            for other in names.get(stem[:4], ()):
                if other != folded and other.startswith(stem) and len(other) - len(stem) <= 3:
                    return True
    return False
    for suffix in _DEMONYM_SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 4:
            stem = folded[: -len(suffix)]
            for name in names:
                other = name.casefold()
                if other != folded and other.startswith(stem) and len(other) - len(stem) <= 3:
                    return True
    return False


def extract_actors(article: Article, blocks: list[Block]) -> list[dict[str, Any]]:
    """Draft actor entries (the curated file's format) for ``article``."""
    text = article.text
    sentences = [(block.paragraph, s.start, s.end) for block in blocks for s in block.sentences]
    all_pieces = [(_paragraph, _pieces(text, a, b)) for _paragraph, a, b in sentences]
    lower_words = {p.text.casefold() for _, ps in all_pieces for p in ps if p.text[:1].islower()}
    mid_capitals = {p.text for _, ps in all_pieces for p in ps if p.kind == "cap" and not p.sentence_start}
    proper = {p.text for _, ps in all_pieces for p in ps if p.kind == "cap"}
    demonym_names = _prefix_index(proper | COUNTRIES)  # once per article, not once per name

    candidates: dict[str, _Candidate] = {}
    quotes: dict[str, list[tuple[int, int, int]]] = {}

    def add(
        name: str,
        position: int,
        paragraph: int,
        sentence: tuple[int, int],
        *,
        initial: bool,
        person: bool = False,
        place: bool = False,
        hint: str | None = None,
        alias: str | None = None,
    ) -> None:
        key = lookup_key(name)
        if not key or key in STOP_WORDS:
            return
        candidate = candidates.setdefault(key, _Candidate(key))
        candidate.forms[name] += 0 if initial else 1  # a sentence's first word has its case forced
        if not initial:
            candidate.only_initial = False
        candidate.count += 1
        candidate.first = min(candidate.first, position)
        candidate.person_cues += person
        candidate.place_cues += place
        candidate.type_hint = candidate.type_hint or hint
        if alias and alias not in candidate.aliases:
            candidate.aliases.append(alias)
        spots = quotes.setdefault(key, [])
        if all(spot[1] != sentence[0] for spot in spots):
            spots.append((paragraph, *sentence))

    for (paragraph, a, b), (_, pieces) in zip(sentences, all_pieces, strict=True):
        for run in _runs(text, pieces):
            kept = list(run.pieces)
            vouched = False  # a sentence's first word that is a name all the same
            if kept[0].sentence_start:
                first = kept[0]
                common = first.text.casefold() in STOP_WORDS or first.text.casefold() in _COMMON_STARTERS
                common = common or first.text.casefold() in lower_words
                lonely = len(kept) == 1 and first.text not in mid_capitals and not first.text.isupper()
                # ... unless it is a country, or a person who says something ("Rashid said").
                next_word = text[first.end : b].split()[:1]
                vouched = first.text in COUNTRIES or bool(next_word and next_word[0].strip(",.") in _PERSON_VERBS)
                lonely = lonely and not vouched
                if common or lonely:
                    kept = kept[1:]
                    while kept and kept[0].kind == "of":
                        kept = kept[1:]
            while kept and kept[0].text.casefold().replace("\u2019", "'") in _ETHNIC:
                kept = kept[1:]  # "the mostly Kurdish Syrian Democratic Forces"
            if not kept:
                continue
            run = _Run(kept, run.person_cue)
            name = run.text(text)
            initial = run.pieces[0].sentence_start and not vouched
            after = text[run.end : b]
            before_words = text[max(a, run.start - 20) : run.start].split()
            follows = after.split()[:1]
            if len(run.pieces) == 1 and _is_demonym(name, demonym_names):
                noun = follows[0].strip(",.;:").casefold() if follows else ""
                if noun in _ORG_NOUNS and after[:1] == " ":
                    phrase = f"{name} {_SINGULAR.get(noun, noun)}"
                    add(phrase, run.start, paragraph, (a, b), initial=False, hint=_ORG_NOUNS[noun])
                continue
            acronym = re.match(r"\s*\(([A-Z][A-Za-z.&]{1,9})\)", after)
            person = run.person_cue or bool(follows and follows[0].strip(",.") in _PERSON_VERBS)
            person = person or (len(run.pieces) > 1 and run.pieces[0].text.casefold() in _PERSON_STARTS)
            place = (
                bool(before_words)
                and before_words[-1].casefold() in _PLACE_PREPOSITIONS
                or (
                    len(before_words) > 1
                    and before_words[-1] == "the"
                    and before_words[-2].casefold() in _PLACE_PREPOSITIONS
                )
            )
            if [w.casefold() for w in before_words[-2:]] == ["according", "to"]:
                place = False  # a source, not a place
            add(
                name,
                run.start,
                paragraph,
                (a, b),
                initial=initial,
                person=person,
                place=place,
                alias=acronym.group(1) if acronym else None,
            )

    # Acronyms in parentheses are aliases, not actors of their own.
    for candidate in list(candidates.values()):
        for alias in candidate.aliases:
            other = candidates.pop(lookup_key(alias), None)
            if other is not None and other is not candidate:
                _absorb(candidate, other, quotes)
    _merge_initials(candidates, quotes)
    _merge_surnames(candidates, quotes)
    _merge_short_forms(candidates, quotes)

    entries = []
    used: set[str] = set()
    for candidate in sorted(candidates.values(), key=lambda c: c.first):
        if candidate.only_initial and " " not in candidate.key and candidate.count < 2 and not candidate.aliases:
            continue
        name = candidate.name
        aliases = [f for f in [*candidate.forms, *candidate.aliases, *candidate.merged] if f != name]
        names = []
        for alias in [name, *aliases]:
            key = lookup_key(alias)
            if key and key not in used:
                used.add(key)
                names.append(alias)
        if not names or names[0] != name:
            continue
        spots = quotes.get(candidate.key, [])[:2]
        if not spots:
            continue
        entries.append(
            {
                "name": name,
                "type": _guess_type(candidate),
                "aliases": names[1:],
                "role": _clip(text[spots[0][1] : spots[0][2]]),
                "quotes": [{"paragraph": p, "quote": " ".join(text[s:e].split())} for p, s, e in spots],
            }
        )
    return entries


def _absorb(into: _Candidate, other: _Candidate, quotes: dict[str, list[tuple[int, int, int]]]) -> None:
    into.merged.extend(f for f in other.forms if f not in into.merged)
    into.merged.extend(a for a in other.aliases if a not in into.merged)
    into.count += other.count
    into.first = min(into.first, other.first)
    into.person_cues += other.person_cues
    into.place_cues += other.place_cues
    into.only_initial = into.only_initial and other.only_initial
    for spot in quotes.pop(other.key, []):
        if spot not in quotes.setdefault(into.key, []):
            quotes[into.key].append(spot)
    quotes[into.key].sort()


def _initials(name: str) -> str:
    letters = []
    for word in re.split(r"[\s-]+", name):
        if word.casefold() in _PARTICLES or word.casefold() in {"of", "the", "and"} or not word:
            continue
        for part in re.findall(r"[A-Z][a-z']*|[a-z']+|\d+", word):  # "ImageSat" -> Image, Sat
            letters.append(part[0].upper())
    return "".join(letters)


def _merge_initials(candidates: dict[str, _Candidate], quotes: dict[str, list[tuple[int, int, int]]]) -> None:
    """ "IRGC" into "Islamic Revolutionary Guard Corps" when exactly one name has those initials."""
    for key, candidate in list(candidates.items()):
        name = candidate.name
        if key not in candidates or not (2 <= len(name) <= 6 and name.isupper() and name.isalpha()):
            continue
        if key in _COUNTRY_KEYS:
            continue
        matches = [c for k, c in candidates.items() if k != key and len(c.words) > 1 and _initials(c.name) == name]
        if len(matches) == 1:
            _absorb(matches[0], candidates.pop(key), quotes)


def _merge_surnames(candidates: dict[str, _Candidate], quotes: dict[str, list[tuple[int, int, int]]]) -> None:
    """ "Dorn" into "Pavel Dorn" when the article names only one person with that surname."""
    by_surname: dict[str, list[_Candidate]] = {}
    for key, candidate in candidates.items():
        if " " in key and len(candidate.words) > 1 and _looks_like_person(candidate):
            by_surname.setdefault(lookup_key(candidate.words[-1]), []).append(candidate)
    for key in [k for k in candidates if " " not in k]:
        people = [c for c in by_surname.get(key, []) if c.key != key]
        if len(people) == 1:
            _absorb(people[0], candidates.pop(key), quotes)


def _merge_short_forms(candidates: dict[str, _Candidate], quotes: dict[str, list[tuple[int, int, int]]]) -> None:
    """ "Shipping Authority" into "Baltic Shipping Authority": an organisation's name without its first
    words, when exactly one longer name ends that way. Not when the short form opens with a country
    or nationality ("Syrian Army" is not the "New Syrian Army")."""
    by_ending: dict[tuple[str, ...], list[_Candidate]] = {}
    for candidate in candidates.values():
        words = tuple(candidate.key.split())
        if len(words) > 1 and not _looks_like_person(candidate):
            for cut in range(1, len(words)):
                by_ending.setdefault(words[cut:], []).append(candidate)
    for key in list(candidates):
        short = candidates.get(key)
        words = tuple(key.split())
        if short is None or _looks_like_person(short) or not _is_organisation_word(words[-1]):
            continue
        if short.words[0] in COUNTRIES or _is_demonym(short.words[0], _COUNTRY_PREFIXES):
            continue
        longer = [c for c in by_ending.get(words, []) if c.key in candidates and c.key != key]
        if len(longer) == 1:
            _absorb(longer[0], candidates.pop(key), quotes)


def _is_organisation_word(word: str) -> bool:
    return word in _ORG_WORDS or word in _ARMED_WORDS or word in _MEDIA_WORDS


def _looks_like_person(candidate: _Candidate) -> bool:
    # "officials in Khartoum said": a place cue outweighs the verb that follows.
    return candidate.person_cues > candidate.place_cues and candidate.type_hint is None


def _guess_type(candidate: _Candidate) -> str:
    if candidate.type_hint:
        return candidate.type_hint
    name = candidate.name
    words = [w.casefold().replace("\u2019", "'") for w in re.split(r"[\s-]+", name)]
    if name in COUNTRIES or candidate.key in _COUNTRY_KEYS:
        return STATE
    if any(w in _STATE_WORDS for w in words):
        return STATE
    if any(w in _MEDIA_WORDS for w in words):
        return MEDIA
    if any(w in _ARMED_WORDS for w in words):
        return ARMED_GROUP
    if any(w in _ORG_WORDS for w in words):
        return ORGANISATION
    if _looks_like_person(candidate):
        return PERSON
    if candidate.place_cues and candidate.place_cues * 3 >= candidate.count and not name.isupper():
        return PLACE
    return OTHER


def _clip(text: str, limit: int = ROLE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
