"""The timeline: chronological order, precision, inferred years, filters and the JSON contract."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Config
from bot.engine import build_engine
from bot.errors import InputError
from bot.router import Router
from bot.timeline import TimelineEvent, format_date, parse_date, parse_years, sort_events


def event(date: str, paragraph: int = 1) -> TimelineEvent:
    span = parse_date(date)
    return TimelineEvent(span.text, span.precision, False, f"event {date}", (), "a", paragraph, "q")


def test_the_shipped_timeline_runs_from_the_1980s_to_the_september_3_report(router: Router) -> None:
    events = router.timeline().events
    assert len(events) >= 20
    assert events[0].date == "1980s"
    assert events[-1].date == "2019-09-03"
    starts = [e.span.first for e in events]
    assert starts == sorted(starts)


def test_the_timeline_holds_the_dates_the_article_gives(router: Router) -> None:
    dates = {e.date for e in router.timeline().events}
    assert {
        "1980s",
        "1980/1988",
        "2014-06",
        "2016-03",
        "2016-06",
        "2016-06-28",
        "2017",
        "2017-11",
        "2018-06",
        "2018-06-30",
        "2018-07",
        "2018-12",
        "2019-05",
        "2019-07-19/2019-08-25",
        "2019-08",
        "2019-08-24",
        "2019-08-25",
        "2019-09-02",
        "2019-09-03",
    } <= dates


def test_coarser_dates_sort_before_the_finer_ones_inside_them() -> None:
    shuffled = [event("2016-06-28"), event("2016-03"), event("2016-06"), event("2016"), event("2010s")]
    assert [e.date for e in sort_events(shuffled)] == ["2010s", "2016", "2016-03", "2016-06", "2016-06-28"]


def test_ranges_sort_by_their_start() -> None:
    shuffled = [event("2019-08"), event("2019-07-19/2019-08-25"), event("2019-07"), event("2019-08-24")]
    assert [e.date for e in sort_events(shuffled)] == ["2019-07", "2019-07-19/2019-08-25", "2019-08", "2019-08-24"]


def test_a_year_missing_from_the_text_is_marked_inferred(router: Router) -> None:
    by_date = {e.date: e for e in router.timeline().events}
    assert by_date["2019-08-24"].year_inferred  # "the August 24 airstrike", after "In May 2019"
    assert by_date["2018-07"].year_inferred  # "A July report", after "In June 2018"
    assert not by_date["2016-06-28"].year_inferred  # "on June 28, 2016"
    assert not by_date["2016-03"].year_inferred  # "in March [2016]"


def test_a_year_filter_keeps_the_events_of_that_year(router: Router) -> None:
    assert [e.date for e in router.timeline("2016").events] == ["2016-03", "2016-06", "2016-06-28"]


def test_a_range_filter_keeps_events_overlapping_it(router: Router) -> None:
    dates = [e.date for e in router.timeline("2016-2018").events]
    assert dates[0] == "2016-03" and dates[-1] == "2018-12"
    assert all("2016" <= d[:4] <= "2018" for d in dates)
    expected = router.timeline("2016-2018").events
    assert router.timeline("2016-18").events == router.timeline("2016 to 2018").events == expected


def test_a_decade_filter_includes_ranges_that_overlap_it(router: Router) -> None:
    assert [e.date for e in router.timeline("1980s").events] == ["1980s", "1980/1988"]


def test_an_actor_filter_accepts_any_of_its_names(router: Router) -> None:
    by_alias = router.timeline(actor="isis")
    assert by_alias.actor == "Islamic State"
    assert by_alias.events and all("Islamic State" in e.actors for e in by_alias.events)
    assert by_alias.events == router.timeline(actor="Islamic State").events


def test_years_and_actor_combine(router: Router) -> None:
    result = router.dispatch("/timeline 2016-2018 --actor isis")
    assert [e.date for e in result.events] == ["2016-03", "2016-06", "2017-11"]
    assert result.message == "3 events from 2016 to 2018 involving Islamic State, oldest first."


def test_a_multi_word_actor_needs_no_quotes_in_text_commands(router: Router) -> None:
    result = router.dispatch("/timeline --actor abu mahdi al-muhandis")
    assert [e.date for e in result.events] == ["1980s", "2019-09-02"]


def test_no_events_says_what_the_timeline_covers(router: Router) -> None:
    result = router.timeline("1995")
    assert result.events == ()
    assert result.message.startswith("No events in 1995; the timeline runs from 1980s to September 3, 2019")


@pytest.mark.parametrize("years", ["20x", "2016-2018-2020", "last year", "16", "2016--2018"])
def test_bad_years_get_a_short_message(router: Router, years: str) -> None:
    with pytest.raises(InputError, match='years must look like "2016" or "2016-2018"'):
        router.timeline(years)


def test_a_backwards_range_is_refused(router: Router) -> None:
    with pytest.raises(InputError, match="ends before it starts"):
        router.timeline("2018-2016")


def test_an_unknown_actor_filter_suggests_names(router: Router) -> None:
    with pytest.raises(InputError, match="Did you mean: .*Iraq"):
        router.timeline(actor="irak")


def test_parse_years_forms() -> None:
    assert parse_years(None) is None and parse_years("  ") is None
    assert parse_years("2016") == (2016, 2016)
    assert parse_years("2016–2018") == (2016, 2018)
    with pytest.raises(InputError, match='not "2019-08"'):
        parse_years("2019-08")  # a month, not a range of years


def test_dates_are_validated_and_labelled() -> None:
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2019-02-30")
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_date("2019-08-25/2019-07-19")
    assert format_date(parse_date("2019-07-19/2019-08-25")) == "July 19 – August 25, 2019"
    assert format_date(parse_date("1980/1988")) == "1980–1988"
    assert format_date(parse_date("2016-06")) == "June 2016"
    assert format_date(parse_date("2016-06-28")) == "June 28, 2016"


def test_event_json_keeps_the_issue_s_names(router: Router) -> None:
    data = router.timeline("2016").events[-1].to_dict()
    assert {"date", "precision", "year_inferred", "event", "actors", "article", "paragraph", "quote"} <= set(data)
    assert data["date"] == "2016-06-28" and data["precision"] == "day" and data["paragraph"] == 7
    assert data["article"] == "al-bukamal-2019"
    assert data["quote"] == (
        "It received backing from the US, and with just 150 men, attacked al-Bukamal on June 28, 2016."
    )
    ranged = next(e for e in router.timeline("2019").events if e.precision == "range").to_dict()
    assert (ranged["start"], ranged["end"]) == ("2019-07-19", "2019-08-25")


def test_an_actor_filter_spans_every_article_that_names_the_actor(tmp_path: Path) -> None:
    from .conftest import SHIPPED_ARTICLE

    for path in SHIPPED_ARTICLE.parent.glob("al-bukamal-2019.*"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "tehran-talks.txt").write_text(
        "Talks in Tehran\nIran hosted Iraq's foreign minister on May 4, 2020, officials said.\n", encoding="utf-8"
    )
    router = Router(build_engine(Config(knowledge_dir=tmp_path)))
    events = router.timeline(actor="Iran").events
    assert {e.article for e in events} == {"al-bukamal-2019", "tehran-talks"}
    assert events[-1].date == "2020-05-04" and events[-1].automatic


def test_direction_marks_around_years_are_ignored_and_never_echoed(router: Router) -> None:
    assert router.timeline("\u202e2016").years == (2016, 2016)
    with pytest.raises(InputError) as caught:
        router.timeline("\u202ebad\x07")
    assert "\u202e" not in str(caught.value) and "\x07" not in str(caught.value)
