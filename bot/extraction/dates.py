"""Dates in article text, with the precision the text gives them, and the years they leave out.

Reads "June 28, 2016", "28 June 2016", "June 2014", "March [2016]", "August 24", "in August",
"between July 19 and August 25", "1980-88", "the 1980s", "in 2017". A date without a year takes
the year of the nearest dated sentence before it in the same paragraph, else the article's
publication year (and is marked inferred), and never lands after the publication date.

Why hand-written patterns rather than dateparser or datefinder: those return full datetimes, filling
a missing day or year from today, so "June 2014" and "June 1, 2014" look the same and "August 24"
gets the wrong year; the timeline needs the precision the text gives, ranges and decades, and
inference from the article's own years, which is exactly the part they leave out.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .wordlists import word_set

MONTHS: dict[str, int] = {name: number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name: number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["Sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR_RE = r"(?:1[6-9]|20)\d\d"
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])"
_CUES = word_set("date_cues")
_AMBIGUOUS_MONTHS = word_set("ambiguous_months")


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


FROM_TEXT = "text"  # the year is written in the date
FROM_PARAGRAPH = "paragraph"  # taken from the nearest dated sentence before it in the same paragraph
FROM_PUBLICATION = "publication"  # taken from the publication date
FROM_ARTICLE = "article"  # no publication date: the nearest year before it anywhere in the article


def infer_years(mentions: list[DateMention], published: str | None) -> list[tuple[DateMention, str, bool]]:
    """(mention, normalised date, year inferred) in order, all mentions read as one paragraph."""
    return [(m, text, source != FROM_TEXT) for m, text, source in infer_years_in_paragraphs(mentions, published)]


def infer_years_in_paragraphs(
    mentions: list[DateMention], published: str | None, paragraphs: list[int] | None = None
) -> list[tuple[DateMention, str, str]]:
    """(mention, normalised date, where its year came from: FROM_*) in order; undatable ones left out.

    A date without a year takes the year of the nearest dated mention before it in the same
    paragraph (``paragraphs[i]`` is mention i's), else the publication year, else (no publication
    date) the nearest year before it in the article; never a day after publication.
    """
    published_first = published_day(published)
    article_year: int | None = None
    context: int | None = None
    current_paragraph: int | None = None
    result: list[tuple[DateMention, str, str]] = []
    for index, mention in enumerate(mentions):
        paragraph = paragraphs[index] if paragraphs is not None else 0
        if paragraph != current_paragraph:
            current_paragraph, context = paragraph, None
        fallback = published_first.year if published_first else article_year
        source_of_fallback = FROM_PUBLICATION if published_first else FROM_ARTICLE
        if mention.kind == "decade":
            result.append((mention, f"{mention.decade}s", FROM_TEXT))
            continue
        stated = mention.explicit_year
        points = [p for p in (mention.first, mention.last) if p is not None]
        source = FROM_TEXT
        for point in points:
            if point.year is None:
                base = stated if stated is not None else context if context is not None else fallback
                if base is None:
                    break
                point.year = base
                if stated is None:
                    source = FROM_PARAGRAPH if context is not None else source_of_fallback
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
            context = article_year = stated
        result.append((mention, normalised, source))
    return result


def _safe_first(point: _Point) -> bool:
    try:
        point.first_day()
    except ValueError:
        return False
    return True


def published_day(published: str | None) -> date | None:
    """The last day ``published`` ("2019", "2019-09", "2019-09-04") can mean; None without one; ValueError if unreal."""
    """The last day the publication date could be: "2019-09" -> 2019-09-30."""
    if not published:
        return None
    parts = [int(x) for x in published.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day)
