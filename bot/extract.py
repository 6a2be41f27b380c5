"""Draft a timeline and an actors list for an article, for a person to review.

Dates: "June 28, 2016", "28 June 2016", "June 2014", "March [2016]", "August 24", "in August",
"between July 19 and August 25", "1980-88", "the 1980s", "in 2017". A date without a year takes
the nearest explicit year before it, else the article's publication year, and never lands after
the publication date.

Why hand-written patterns rather than dateparser or datefinder: those return full datetimes, filling
a missing day or year from today, so "June 2014" and "June 1, 2014" look the same and "August 24"
gets the wrong year; the timeline needs the precision the text gives, ranges and decades, and
inference from the article's own years, which is exactly the part they leave out.

Actors: runs of capitalised words ("Islamic Revolutionary Guard Corps", "Abu Mahdi al-Muhandis"),
cut at possessives and titles, without sentence-initial common words; merged when they differ only
by "al-", case or apostrophes, when an acronym follows in parentheses "(SDF)" or spells a name's
initials ("IRGC", "NSA", "ISI" for ImageSat International), and when a surname repeats a person's
full name ("Muhandis"). "Syrian regime", "Iraqi armies": a nationality followed by regime, army or
forces. The type is a guess from cues (titles, "said", country names, "Army", "News", "in"/"near").

Everything here is the standard library; nothing is loaded unless `extract` runs.
"""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .actors import ARMED_GROUP, MEDIA, MILITARY, ORGANISATION, OTHER, PERSON, PLACE, STATE, find_mentions, lookup_key
from .errors import InputError, KnowledgeError
from .layout import Block
from .knowledge import Article, load_article
from .textnorm import STOP_WORDS

# --- dates -------------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {name: number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name: number for number, name in enumerate(calendar.month_abbr) if name})
# A set, once: `in calendar.day_name` formats all seven names with strftime at every test.
DAY_NAMES = frozenset(calendar.day_name)
MONTHS["Sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR_RE = r"(?:1[6-9]|20)\d\d"
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])"
_CUES = frozenset(
    [
        "in",
        "since",
        "by",
        "until",
        "till",
        "from",
        "during",
        "early",
        "late",
        "mid",
        "last",
        "next",
        "this",
        "that",
        "a",
        "an",
        "the",
        "of",
        "through",
    ]
)
_AMBIGUOUS_MONTHS = frozenset(
    {"May", "March", "Mar", "Jan", "Jun", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "Feb", "Apr", "Jul"}
)


def _point(p: str) -> str:
    """A date with at least a month ("June 28, 2016", "28 June", "March [2016]") or a year alone."""
    return (
        rf"(?:(?:(?P<{p}d1>{_DAY_RE})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<{p}m>{_MONTH_NAMES})\b\.?"
        rf"(?:\s+(?P<{p}d2>{_DAY_RE})(?:st|nd|rd|th)?\b)?"
        rf"(?:,?\s+(?:of\s+)?\[?(?P<{p}y>{_YEAR_RE})\]?)?"
        rf"|\[?(?P<{p}yo>{_YEAR_RE})\]?)"
    )


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("range", re.compile(rf"\b(?i:between)\s+{_point('a')}\s+and\s+{_point('b')}")),
    ("range", re.compile(rf"\b(?i:from)\s+{_point('a')}\s+(?:to|until|till|through)\s+{_point('b')}")),
    ("years", re.compile(rf"(?<![\d-])(?P<y1>{_YEAR_RE})\s*[-\u2013\u2014/]\s*(?P<y2>\d{{4}}|\d{{2}})(?![\d-])")),
    ("decade", re.compile(r"\b(?P<dec>(?:1[6-9]|20)\d0)['\u2019]?s\b")),
    ("decade", re.compile(r"(?<!\w)['\u2019](?P<dec2>\d0)s\b")),  # "the '90s"
    # "mid-2018" and "pre-2014" are dates; the second half of "1980-88" was taken by "years" already.
    ("point", re.compile(rf"(?<!\w)(?<!\d-){_point('a')}(?![\w-])")),
)


@dataclass
class _Point:
    year: int | None
    month: int | None
    day: int | None
    year_given: bool

    def text(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> date:
        return date(self.year or 1, self.month or 1, self.day or 1)


@dataclass
class DateMention:
    """A date found in the text, before year inference."""

    start: int  # offsets in the article text
    end: int
    kind: str  # "point", "range", "decade"
    first: _Point
    last: _Point | None = None
    decade: int | None = None

    @property
    def explicit_year(self) -> int | None:
        """The latest year the mention states itself, which dates what follows it."""
        years = [p.year for p in (self.first, self.last) if p is not None and p.year_given and p.year]
        return max(years) if years else (self.decade if self.kind == "decade" else None)


def _read_point(match: re.Match[str], p: str) -> _Point | None:
    year_only = match.group(f"{p}yo")
    if year_only:
        return _Point(int(year_only), None, None, True)
    month_name = match.group(f"{p}m")
    if month_name is None:
        return None
    day_text = match.group(f"{p}d1") or match.group(f"{p}d2")
    year_text = match.group(f"{p}y")
    return _Point(
        int(year_text) if year_text else None, MONTHS[month_name], int(day_text) if day_text else None, bool(year_text)
    )


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date mentions in ``text[start:end]``, longest forms first, none overlapping."""
    end = len(text) if end is None else end
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text, start, end):
            a, b = match.span()
            if any(a < t_end and t_start < b for t_start, t_end in taken):
                continue
            mention = _mention(kind, match, text)
            if mention is None:
                continue
            taken.append((a, b))
            found.append(mention)
    found.sort(key=lambda m: m.start)
    return found


def _mention(kind: str, match: re.Match[str], text: str) -> DateMention | None:
    a, b = match.span()
    if kind == "decade":
        if match.groupdict().get("dec2"):
            short = int(match.group("dec2"))  # '90s: the 1990s; '10s: the 2010s
            decade = 2000 + short if short <= 30 else 1900 + short
        else:
            decade = int(match.group("dec"))
        return DateMention(a, b, "decade", _Point(None, None, None, False), decade=decade)
    if kind == "years":
        first_year, last_text = int(match.group("y1")), match.group("y2")
        last_year = int(last_text) if len(last_text) == 4 else first_year // 100 * 100 + int(last_text)
        if last_year <= first_year or last_year - first_year > 50:
            return None  # "2016-12" is not a range of years, nor is "150-200"
        return DateMention(a, b, "range", _Point(first_year, None, None, True), _Point(last_year, None, None, True))
    first = _read_point(match, "a")
    if first is None:
        return None
    if kind == "range":
        last = _read_point(match, "b")
        if last is None:
            return None
        return DateMention(a, b, "range", first, last)
    if first.month is not None and first.day is None and not first.year_given:
        # A month on its own: "May" and "March" are also words, so they need a cue ("in May").
        before = text[max(0, a - 12) : a].split()
        month_word = match.group("am")
        if month_word in _AMBIGUOUS_MONTHS and (not before or before[-1].casefold() not in _CUES):
            return None
    if first.month is None:
        # A bare year: "in 2017", "[2016]"; not "150" or a figure like "2,000".
        before_char, after_char = text[max(0, a - 1) : a], text[b : b + 1]
        if before_char == "$" or after_char == "%" or (after_char == "," and text[b + 1 : b + 2].isdigit()):
            return None
    return DateMention(a, b, "point", first)


def infer_years(mentions: list[DateMention], published: str | None) -> list[tuple[DateMention, str, bool]]:
    """(mention, normalised date, year inferred) in order; undatable mentions are left out."""
    published_first = _published_day(published)
    context = published_first.year if published_first else None
    result: list[tuple[DateMention, str, bool]] = []
    for mention in mentions:
        if mention.kind == "decade":
            result.append((mention, f"{mention.decade}s", False))
            context = mention.decade if context is None else context
            continue
        stated = mention.explicit_year
        points = [p for p in (mention.first, mention.last) if p is not None]
        inferred = False
        for point in points:
            if point.year is None:
                base = stated if stated is not None else context
                if base is None:
                    break
                point.year = base
                inferred = inferred or stated is None
                if stated is None and published_first and _safe_first(point) and point.first_day() > published_first:
                    point.year -= 1  # an article does not report dates after it was published
        if any(p.year is None or not _safe_first(p) for p in points):
            continue
        if mention.last is not None:
            if mention.last.first_day() < mention.first.first_day() and not mention.last.year_given:
                mention.last.year = (mention.last.year or 0) + 1
            normalised = f"{mention.first.text()}/{mention.last.text()}"
        else:
            normalised = mention.first.text()
        if stated is not None:
            context = stated
        result.append((mention, normalised, inferred))
    return result


def _safe_first(point: _Point) -> bool:
    try:
        point.first_day()
    except ValueError:
        return False
    return True


def _published_day(published: str | None) -> date | None:
    """The last day the publication date could be: "2019-09" -> 2019-09-30."""
    if not published:
        return None
    parts = [int(x) for x in published.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day)


# --- actors ------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_](?:[\w'\u2019\u02bc-]*[^\W_])?")
_POSSESSIVE = re.compile(r"['\u2019\u02bc]s$")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_PARTICLES = frozenset(
    {
        "al",
        "el",
        "ez",
        "es",
        "ad",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "ar",
        "ibn",
        "bin",
        "bint",
        "de",
        "du",
        "van",
        "von",
        "der",
        "la",
        "le",
        "da",
        "di",
    }
)
_TITLES = frozenset(
    [
        "President",
        "Vice",
        "Prime",
        "Minister",
        "Foreign",
        "Defense",
        "Defence",
        "Secretary",
        "General",
        "Gen",
        "Lt",
        "Colonel",
        "Col",
        "Major",
        "Maj",
        "Captain",
        "Capt",
        "Commander",
        "Admiral",
        "Sheikh",
        "Sheik",
        "Ayatollah",
        "Imam",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Emir",
        "Sultan",
        "Senator",
        "Sen",
        "Rep",
        "Representative",
        "Governor",
        "Gov",
        "Mayor",
        "Judge",
        "Justice",
        "Chancellor",
        "Ambassador",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Professor",
        "Prof",
        "Sir",
        "Lord",
        "Lady",
        "Pope",
        "Bishop",
        "Chief",
        "Leader",
        "Supreme",
        "Premier",
        "Speaker",
        "Spokesman",
        "Spokeswoman",
        "Deputy",
        "Director",
    ]
)
_PERSON_VERBS = frozenset(["said", "says", "wrote", "writes", "told", "tells", "added", "argued", "tweeted"])
_PERSON_STARTS = frozenset(["abu", "umm", "ibn", "bin", "sheikh"])
_PLACE_PREPOSITIONS = frozenset(
    ["in", "near", "at", "from", "to", "across", "outside", "into", "towards", "toward", "around"]
)
_ORG_NOUNS = {
    "regime": STATE,
    "government": STATE,
    "army": MILITARY,
    "armies": MILITARY,
    "military": MILITARY,
    "forces": MILITARY,
    "navy": MILITARY,
    "militias": ARMED_GROUP,
    "militia": ARMED_GROUP,
}
_SINGULAR = {"armies": "army", "militias": "militia"}
_ETHNIC = frozenset(
    [
        "kurdish",
        "kurds",
        "kurd",
        "shia",
        "shiite",
        "shiites",
        "shi'ite",
        "shi'ites",
        "shi'a",
        "sunni",
        "sunnis",
        "arab",
        "arabs",
        "arabic",
        "muslim",
        "muslims",
        "christian",
        "christians",
        "jewish",
        "jews",
        "alawite",
        "alawites",
        "druze",
        "persian",
        "persians",
        "turkmen",
        "yazidi",
        "yazidis",
        "islamist",
        "islamists",
        "jihadist",
        "jihadists",
    ]
)
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ese", "ish", "ites", "ite", "n")
_COMMON_STARTERS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "finally",
        "however",
        "meanwhile",
        "moreover",
        "also",
        "still",
        "yet",
        "but",
        "and",
        "or",
        "so",
        "then",
        "thus",
        "south",
        "north",
        "east",
        "west",
        "southern",
        "northern",
        "eastern",
        "western",
        "maps",
        "photos",
        "images",
        "according",
        "while",
        "although",
        "though",
        "since",
        "after",
        "before",
        "during",
        "when",
        "where",
        "despite",
        "because",
        "if",
        "as",
        "here",
        "there",
        "today",
        "yesterday",
    ]
)
_ARMED_WORDS = (
    "army",
    "forces",
    "force",
    "corps",
    "guard",
    "guards",
    "brigade",
    "brigades",
    "militia",
    "units",
    "front",
    "battalion",
    "regiment",
    "hezbollah",
    "hizballah",
    "kata'ib",
    "kataib",
    "qaeda",
    "taliban",
    "state",
    "mobilization",
    "mobilisation",
    "rebels",
    "movement",
)
_MEDIA_WORDS = (
    "news",
    "times",
    "post",
    "journal",
    "gazette",
    "herald",
    "tribune",
    "tv",
    "radio",
    "press",
    "reuters",
    "network",
    "channel",
    "daily",
    "telegraph",
    "guardian",
    "monitor",
    "magazine",
)
_ORG_WORDS = (
    "international",
    "inc",
    "ltd",
    "company",
    "corporation",
    "committee",
    "council",
    "institute",
    "ministry",
    "organization",
    "organisation",
    "agency",
    "foundation",
    "university",
    "center",
    "centre",
    "bank",
    "fund",
    "union",
    "nations",
    "commission",
    "group",
    "association",
    "party",
    "authority",
)
_STATE_WORDS = ("regime", "government", "republic", "kingdom", "emirates", "administration")
COUNTRIES = frozenset(
    [
        "Afghanistan",
        "Albania",
        "Algeria",
        "Andorra",
        "Angola",
        "Argentina",
        "Armenia",
        "Australia",
        "Austria",
        "Azerbaijan",
        "Bahamas",
        "Bahrain",
        "Bangladesh",
        "Barbados",
        "Belarus",
        "Belgium",
        "Belize",
        "Benin",
        "Bhutan",
        "Bolivia",
        "Bosnia",
        "Botswana",
        "Brazil",
        "Brunei",
        "Bulgaria",
        "Burkina",
        "Burundi",
        "Cambodia",
        "Cameroon",
        "Canada",
        "Chad",
        "Chile",
        "China",
        "Colombia",
        "Comoros",
        "Congo",
        "Croatia",
        "Cuba",
        "Cyprus",
        "Czechia",
        "Denmark",
        "Djibouti",
        "Dominica",
        "Ecuador",
        "Egypt",
        "Eritrea",
        "Estonia",
        "Eswatini",
        "Ethiopia",
        "Fiji",
        "Finland",
        "France",
        "Gabon",
        "Gambia",
        "Georgia",
        "Germany",
        "Ghana",
        "Greece",
        "Grenada",
        "Guatemala",
        "Guinea",
        "Guyana",
        "Haiti",
        "Honduras",
        "Hungary",
        "Iceland",
        "India",
        "Indonesia",
        "Iran",
        "Iraq",
        "Ireland",
        "Israel",
        "Italy",
        "Jamaica",
        "Japan",
        "Jordan",
        "Kazakhstan",
        "Kenya",
        "Kiribati",
        "Kosovo",
        "Kuwait",
        "Kyrgyzstan",
        "Laos",
        "Latvia",
        "Lebanon",
        "Lesotho",
        "Liberia",
        "Libya",
        "Liechtenstein",
        "Lithuania",
        "Luxembourg",
        "Madagascar",
        "Malawi",
        "Malaysia",
        "Maldives",
        "Mali",
        "Malta",
        "Mauritania",
        "Mauritius",
        "Mexico",
        "Micronesia",
        "Moldova",
        "Monaco",
        "Mongolia",
        "Montenegro",
        "Morocco",
        "Mozambique",
        "Myanmar",
        "Namibia",
        "Nauru",
        "Nepal",
        "Netherlands",
        "Nicaragua",
        "Niger",
        "Nigeria",
        "Norway",
        "Oman",
        "Pakistan",
        "Palau",
        "Palestine",
        "Panama",
        "Paraguay",
        "Peru",
        "Philippines",
        "Poland",
        "Portugal",
        "Qatar",
        "Romania",
        "Russia",
        "Rwanda",
        "Samoa",
        "Senegal",
        "Serbia",
        "Seychelles",
        "Singapore",
        "Slovakia",
        "Slovenia",
        "Somalia",
        "Spain",
        "Sudan",
        "Suriname",
        "Sweden",
        "Switzerland",
        "Syria",
        "Taiwan",
        "Tajikistan",
        "Tanzania",
        "Thailand",
        "Togo",
        "Tonga",
        "Tunisia",
        "Turkey",
        "Turkmenistan",
        "Tuvalu",
        "Uganda",
        "Ukraine",
        "Uruguay",
        "Uzbekistan",
        "Vanuatu",
        "Venezuela",
        "Vietnam",
        "Yemen",
        "Zambia",
        "Zimbabwe",
        "US",
        "USA",
        "UK",
        "UAE",
        "America",
        "Britain",
    ]
) | {
    "United States",
    "United Kingdom",
    "Saudi Arabia",
    "South Africa",
    "North Korea",
    "South Korea",
    "New Zealand",
    "Sri Lanka",
    "United Arab Emirates",
    "Costa Rica",
    "El Salvador",
    "South Sudan",
    "Ivory Coast",
}
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
            close()
            titled = next_is_cap
        else:
            close()
    close()
    return runs


def _is_demonym(word: str, names: Iterable[str]) -> bool:
    """ "Iranian", "Iraqi", "Syrian", "Shi'ite": adjectives, not actors of their own."""
    folded = word.casefold().replace("\u2019", "'")
    if folded in _ETHNIC or folded.replace("'", "") in _ETHNIC:
        return True
    if word.isupper():
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
            if len(run.pieces) == 1 and _is_demonym(name, proper | COUNTRIES):
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
                "quotes": [{"paragraph": p, "quote": text[s:e]} for p, s, e in spots],
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
    """ "Muhandis" into "Abu Mahdi al-Muhandis" when that is a person's name."""
    for key in list(candidates):
        if key not in candidates or " " in key:
            continue
        people = [
            c
            for k, c in candidates.items()
            if k != key and len(c.words) > 1 and _looks_like_person(c) and lookup_key(c.words[-1]) == key
        ]
        if len(people) == 1:
            _absorb(people[0], candidates.pop(key), quotes)


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


# --- events ------------------------------------------------------------------------------------------


def extract_events(article: Article, blocks: list[Block], actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Draft timeline entries (the curated file's format): one per date, quoting its sentence."""
    text = article.text
    mentions: list[tuple[int, DateMention]] = []
    sentences = [(block.paragraph, s.start, s.end) for block in blocks for s in block.sentences]
    for block in blocks:
        for mention in find_dates(text, block.start, block.end):
            mentions.append((block.paragraph, mention))
    dated = infer_years([m for _, m in mentions], article.published)
    paragraph_of = {id(m): p for p, m in mentions}
    segments = [(p, a, text[a:b]) for p, a, b in sentences]
    actor_mentions = find_mentions(segments, [[a["name"], *a["aliases"]] for a in actors])

    entries: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    ids: Counter[str] = Counter()
    for mention, normalised, inferred in dated:
        paragraph = paragraph_of[id(mention)]
        start, end = next((a, b) for p, a, b in sentences if a <= mention.start < b)
        if (normalised, paragraph, start) in seen:
            continue
        seen.add((normalised, paragraph, start))
        involved = [actors[m.actor]["name"] for m in actor_mentions if start <= m.start < end]
        slug = normalised.replace("/", "-to-")
        ids[slug] += 1
        entries.append(
            {
                "id": f"{slug}-p{paragraph}" + (f"-{ids[slug]}" if ids[slug] > 1 else ""),
                "date": normalised,
                "year_inferred": inferred,
                "event": _clip(text[start:end]),
                "actors": list(dict.fromkeys(involved)),
                "paragraph": paragraph,
                "quote": text[start:end],
            }
        )
    return entries


# --- entry points ------------------------------------------------------------------------------------


def extract(article: Article) -> dict[str, list[dict[str, Any]]]:
    """Draft entries for both curated files: {"timeline": [...], "actors": [...]}."""
    blocks = list(article.blocks)
    actors = extract_actors(article, blocks)
    return {"timeline": extract_events(article, blocks, actors), "actors": actors}


def extract_knowledge(article: Article, draft: dict[str, list[dict[str, Any]]] | None = None) -> Any:
    """The drafts (``extract(article)`` unless given) checked by the curated loader, as
    :class:`bot.curated.ArticleKnowledge`."""
    from .curated import ArticleText, Source, build_knowledge

    if draft is None:
        draft = extract(article)
    name = f"{article.path} (extracted)"
    return build_knowledge(
        article,
        ArticleText(article),
        draft["actors"],
        Source(name, None),
        draft["timeline"],
        Source(name, None),
        actors_automatic=True,
        timeline_automatic=True,
    )


def _load(path_text: str, published: str | None) -> Article:
    path = Path(path_text)
    if not path.is_file():
        raise InputError(f"{path}: no such article file; give the path to a .txt article")
    if path.suffix != ".txt":
        raise InputError(f"{path}: an article is a .txt file (title line, then one paragraph per line)")
    article = load_article(path)
    if published:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", published):
            raise InputError(f'--published must look like "2019", "2019-09" or "2019-09-04", not "{published}"')
        try:
            _published_day(published)
        except ValueError:
            raise InputError(f"--published {published} is not a real date") from None
        article = replace(article, published=published)
    return article


def draft_files(
    path_text: str, *, published: str | None = None, as_json: bool = False, write: bool = False
) -> list[str]:
    """For `briefbot extract`: the drafts as YAML texts (or one JSON text), or the paths written."""
    import yaml

    article = _load(path_text, published)
    draft = extract(article)
    # Checked even when printed as YAML: what `extract` prints must be a file the loader accepts.
    knowledge = extract_knowledge(article, draft)
    if as_json:
        data = {"timeline": [e.to_dict() for e in knowledge.events], "actors": [a.to_dict() for a in knowledge.actors]}
        return [json.dumps(data, ensure_ascii=False)]
    header = (
        "# Drafted by `briefbot extract` from {name}: review every entry before relying on it.\n"
        "# Dates without a year in the text are marked year_inferred; check them against the text.\n"
    )
    documents = {
        ".timeline.yaml": {"events": draft["timeline"]},
        ".actors.yaml": {"actors": draft["actors"]},
    }
    texts = {
        suffix: header.format(name=article.path.name)
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
        for suffix, data in documents.items()
    }
    if not write:
        return [f"--- # {article.id}{suffix}\n{body}" for suffix, body in texts.items()]
    written = []
    targets = {suffix: article.path.with_name(article.id + suffix) for suffix in texts}
    for target in targets.values():
        if target.exists():
            raise KnowledgeError(f"{target}: already exists; move it away or edit it by hand")
    for suffix, target in targets.items():
        target.write_text(texts[suffix], encoding="utf-8")
        written.append(str(target))
    return written
