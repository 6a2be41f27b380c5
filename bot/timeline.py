"""Dated events of an article: the date model, ordering and filters, and the Timeline result.

Dates keep the precision the text gives them: a decade ("1980s"), a year ("2016"), a month
("2016-06"), a day ("2016-06-28") or a range of any of those ("2019-07-19/2019-08-25"). Each covers
a span of days, which is what ordering and filtering work on: coarser dates sort before the finer
ones inside them ("2016" before "2016-06" before "2016-06-28"), ranges sort by their start.
"""

from __future__ import annotations

import calendar
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import msgspec

from .errors import InputError
from .textnorm import fold

DECADE, YEAR, MONTH, DAY, RANGE = "decade", "year", "month", "day", "range"
PRECISIONS = (DECADE, YEAR, MONTH, DAY, RANGE)

Day = date  # inside TimelineEvent, "date" is the field
_DECADE = re.compile(r"^(\d{3})0s$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class DateSpan:
    """A normalised date text, its precision and the first and last day it covers."""

    text: str
    precision: str
    first: date
    last: date

    @property
    def start_text(self) -> str:
        return self.text.split("/")[0]

    @property
    def end_text(self) -> str | None:
        return self.text.split("/")[1] if self.precision == RANGE else None


@lru_cache(maxsize=1 << 16)  # every event's sort key parses its date; 2,000 articles hold ~30,000
def parse_date(text: str) -> DateSpan:
    """Parse "1980s", "2016", "2016-06", "2016-06-28" or "START/END"; ValueError says what is allowed."""
    text = text.strip()
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        start, end = _parse_point(start_text.strip()), _parse_point(end_text.strip())
        if end.last < start.first:
            raise ValueError(f"the range {text!r} ends before it starts")
        return DateSpan(f"{start.text}/{end.text}", RANGE, start.first, end.last)
    return _parse_point(text)


def _parse_point(text: str) -> DateSpan:
    try:
        if match := _DECADE.match(text):
            year = int(match.group(1)) * 10
            return DateSpan(text, DECADE, date(year, 1, 1), date(year + 9, 12, 31))
        if match := _YEAR.match(text):
            year = int(match.group(1))
            return DateSpan(text, YEAR, date(year, 1, 1), date(year, 12, 31))
        if match := _MONTH.match(text):
            year, month = int(match.group(1)), int(match.group(2))
            days = calendar.monthrange(year, month)[1]
            return DateSpan(text, MONTH, date(year, month, 1), date(year, month, days))
        if match := _DAY.match(text):
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            return DateSpan(text, DAY, day, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None
    except calendar.IllegalMonthError:
        raise ValueError(f"{text!r} is not a real date") from None
    raise ValueError(f'{text!r} is not a date; use "1980s", "2016", "2016-06", "2016-06-28" or "START/END" for a range')


def format_date(span: DateSpan) -> str:
    """A reader's form: "1980s", "2016", "June 2016", "June 28, 2016", "July 19 – August 25, 2019"."""
    if span.precision != RANGE:
        return _format_point(span)
    start, end = _parse_point(span.start_text), _parse_point(span.end_text or "")
    if start.precision == end.precision == DAY and start.first.year == end.first.year:
        return f"{_month_day(start.first)} – {_month_day(end.first)}, {end.first.year}"
    if start.precision == end.precision == YEAR:
        return f"{start.text}–{end.text}"
    return f"{_format_point(start)} – {_format_point(end)}"


def _format_point(span: DateSpan) -> str:
    if span.precision == MONTH:
        return f"{calendar.month_name[span.first.month]} {span.first.year}"
    if span.precision == DAY:
        return f"{_month_day(span.first)}, {span.first.year}"
    return span.text


def _month_day(day: date) -> str:
    return f"{calendar.month_name[day.month]} {day.day}"


class TimelineEvent(msgspec.Struct, frozen=True, array_like=True):
    """One dated event with its evidence: a verbatim quote from a paragraph of an article.

    A msgspec Struct, kept in index entries as an array of its fields in order, so a warm start
    decodes every article's events straight from the snapshot.
    """

    date: str  # normalised: "1980s", "2016", "2016-06", "2016-06-28" or "START/END"
    precision: str
    year_inferred: bool
    event: str
    actors: tuple[str, ...]
    article: str
    paragraph: int
    quote: str
    id: str = ""
    automatic: bool = False  # drafted by the extractor, not reviewed by a person
    quote_start: int = -1  # offset of the quote in the article text

    @property
    def span(self) -> DateSpan:
        return parse_date(self.date)

    @property
    def end(self) -> str | None:
        return self.span.end_text

    @property
    def label(self) -> str:
        return format_date(self.span)

    def sort_key(self) -> tuple[Any, ...]:
        span = self.span
        # Coarser first among equal starts: the later the last day, the earlier it sorts.
        return (span.first, -span.last.toordinal(), self.article, self.quote_start, self.paragraph)

    def overlaps(self, first: Day, last: Day) -> bool:
        span = self.span
        return span.first <= last and span.last >= first

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "precision": self.precision,
            "year_inferred": self.year_inferred,
            "event": self.event,
            "actors": list(self.actors),
            "article": self.article,
            "paragraph": self.paragraph,
            "quote": self.quote,
            "id": self.id,
            "start": self.span.start_text,
            "end": self.end,
            "label": self.label,
            "automatic": self.automatic,
        }


def sort_events(events: list[TimelineEvent] | tuple[TimelineEvent, ...]) -> tuple[TimelineEvent, ...]:
    """Chronological order: by first day, coarser dates before the finer ones they contain."""
    return tuple(sorted(events, key=TimelineEvent.sort_key))


def merge_repeats(events: tuple[TimelineEvent, ...]) -> tuple[TimelineEvent, ...]:
    """``events`` without repeats: one event per date and quote (compared ignoring quote style,
    spacing and case), the first kept, so two articles quoting the same sentence show it once."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for event in events:
        key = (event.date, quote_key(event.quote))
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return tuple(kept)


def _ascii_folding() -> bytes | None:
    """A bytes.translate table doing to ASCII text what fold() and casefold() do, character by
    character (NFKC leaves ASCII as it is); None if some ASCII character would not map to one ASCII
    character that is white space exactly when bytes.split() says so."""
    table = bytearray(range(256))
    for code in range(128):
        folded = fold(chr(code)).casefold()
        if len(folded) != 1 or not folded.isascii() or folded.isspace() != bytes([ord(folded)]).isspace():
            return None
        table[code] = ord(folded)
    return bytes(table)


_ASCII_FOLDING = _ascii_folding()


def quote_key(quote: str) -> str:
    """The form quotes are compared in: folded (``textnorm.fold``), case-folded, one space between words.

    ASCII quotes (nearly all) take one bytes translation instead of fold's two str translations, the
    slowest part of merging 67,000 events at 2,000 articles; the result is the same.
    """
    if _ASCII_FOLDING is not None and quote.isascii():
        return b" ".join(quote.encode("ascii").translate(_ASCII_FOLDING).split()).decode("ascii")
    return " ".join(fold(quote).casefold().split())


class MergedTimeline:
    """Every article's timeline as one: in date order without repeats (:func:`sort_events`, then
    :func:`merge_repeats`), put together on first use under a lock, then only read.

    At 2,000 articles (67,000 events) that took 0.7 s of every start, for a command asked far less
    often than questions.
    """

    def __init__(self, timelines: Iterable[Sequence[TimelineEvent]] = ()) -> None:
        self._timelines = tuple(timelines)  # each article's events
        self._events: tuple[TimelineEvent, ...] | None = None
        self._lock = threading.Lock()

    def events(self) -> tuple[TimelineEvent, ...]:
        if self._events is None:
            with self._lock:
                if self._events is None:
                    self._events = merge_repeats(sort_events([e for events in self._timelines for e in events]))
        return self._events


_YEARS = re.compile(r"^(\d{4})(?:\s*(?:-|–|—|to|until|through|\.\.)\s*(\d{2}|\d{4}))?$")
_YEARS_DECADE = re.compile(r"^(\d{3})0s$")


def parse_years(text: str | None) -> tuple[int, int] | None:
    """ "2016" -> (2016, 2016); "2016-2018", "2016-18", "2016 to 2018", "1980s" -> a range; "" -> None."""
    if text is None or not text.strip():
        return None
    cleaned = " ".join(fold(text).casefold().split())  # fold drops control and direction marks
    if match := _YEARS_DECADE.match(cleaned):
        first = int(match.group(1)) * 10
        return first, first + 9
    match = _YEARS.match(cleaned)
    if match is None:
        raise InputError(f'years must look like "2016" or "2016-2018", not "{shown_text(text, 40)}"')
    first = int(match.group(1))
    if match.group(2) is None:
        return first, first
    end_text = match.group(2)
    last = int(end_text) if len(end_text) == 4 else first // 100 * 100 + int(end_text)
    if len(end_text) == 2 and last < first:  # "2019-08" is a month, not a range of years
        raise InputError(f'years must look like "2016" or "2016-2018", not "{shown_text(text, 40)}"')
    if last < first:
        raise InputError(f"the year range {first}-{last} ends before it starts; write it as {last}-{first}")
    return first, last


def shown_text(text: str, limit: int) -> str:
    """User text safe to echo in a message: no control or direction characters, one line, clipped."""
    clean = " ".join(fold(text).split())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def filter_by_years(events: tuple[TimelineEvent, ...], years: tuple[int, int]) -> tuple[TimelineEvent, ...]:
    """Events whose dates overlap the years (a decade or a range counts if any part falls inside)."""
    first, last = date(years[0], 1, 1), date(years[1], 12, 31)
    return tuple(e for e in events if e.overlaps(first, last))


def describe_years(years: tuple[int, int]) -> str:
    return f"in {years[0]}" if years[0] == years[1] else f"from {years[0]} to {years[1]}"


@dataclass(frozen=True)
class Timeline:
    """The result of a timeline command: events in order and a sentence saying what was asked."""

    events: tuple[TimelineEvent, ...]
    message: str
    years: tuple[int, int] | None = None
    actor: str | None = None  # the canonical name the actor filter resolved to
    automatic: bool = False  # some events were drafted by the extractor, not curated

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": [e.to_dict() for e in self.events],
            "message": self.message,
            "count": len(self.events),
            "years": list(self.years) if self.years else None,
            "actor": self.actor,
            "automatic": self.automatic,
        }
