"""What a start builds on the answer path, restructured to be built once or on first use, gives what
building it all at once gave: passage tokens of follow-up checks, the shared names automaton, the
timeline's order, alias expansions."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.synthetic_corpus import write_archive
from bot.actors import ActorDirectory, lookup_key
from bot.config import Config, RetrievalSettings
from bot.engine import Engine, build_engine
from bot.retrieval.analysis import Analyzer
from bot.retrieval.query import _phrases_in, contains_sequence
from bot.router import Router
from bot.textnorm import fold, name_words, tokenize_words, words
from bot.timeline import MergedTimeline, TimelineEvent, merge_repeats, parse_date, quote_key, sort_events
from tests.test_concurrency import switch_often

THREADS = 16


@pytest.fixture(scope="module")
def archive_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder = tmp_path_factory.mktemp("archive")
    write_archive(folder / "knowledge", 6, seed=21)
    config = Config(
        knowledge_dir=folder / "knowledge", cache_dir=folder / "cache", retrieval=RetrievalSettings(mode="bm25")
    )
    return build_engine(config)


def _eager_passage_tokens(engine: Engine) -> dict[str, list[tuple[int, int, frozenset[str]]]]:
    """What Router() built for every passage at once before it went lazy."""
    retriever = engine.retriever
    tokens: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
    for i, passage in enumerate(retriever.passages):
        tokens.setdefault(passage.article_id, []).append((passage.start, passage.end, retriever.token_set(i)))
    return tokens


def test_passage_tokens_found_on_first_use_are_those_built_at_start(archive_engine: Engine) -> None:
    eager = _eager_passage_tokens(archive_engine)
    assert len(eager) == 6
    router = Router(archive_engine)
    for article_id, expected in eager.items():
        assert router._article_passage_tokens(article_id) == expected
    assert router._article_passage_tokens("no-such-article") == []


def test_passage_tokens_from_many_threads_are_computed_once_and_equal(archive_engine: Engine) -> None:
    eager = _eager_passage_tokens(archive_engine)
    articles = sorted(eager)
    router = Router(archive_engine)
    barrier = threading.Barrier(THREADS)

    def read(offset: int) -> list[list[tuple[int, int, frozenset[str]]]]:
        barrier.wait()
        order = articles[offset % len(articles) :] + articles[: offset % len(articles)]
        return [router._article_passage_tokens(a) for a in order for _ in range(3)]

    with switch_often(), ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(read, range(THREADS)))
    for offset, found in enumerate(results):
        order = articles[offset % len(articles) :] + articles[: offset % len(articles)]
        expected = [eager[a] for a in order for _ in range(3)]
        assert found == expected
        # One list per article, whichever thread came first: none was built twice.
        assert all(got is router._article_passage_tokens(a) for got, a in zip(found[::3], order, strict=True))


# --- the timeline ------------------------------------------------------------------------------


def _generated_events(seed: int, count: int) -> list[TimelineEvent]:
    """Events over a few articles with many shared dates, the same span written two ways ("2016" and
    "2016-01-01/2016-12-31"), equal keys, and quotes repeated with other case, spacing, quote marks,
    control characters and non-ASCII letters."""
    rng = random.Random(seed)
    dates = [
        "1980s", "2010s", "2016", "2016-01-01/2016-12-31", "2016-03", "2016-06", "2016-06-28", "2016-06/2017-02",
        "2017", "2019-07-19/2019-08-25", "2019-08", "2019-08-24", "2019-08-25",
    ]  # fmt: skip
    quotes = [
        "Militias crossed the border at al-Qa'im.",
        "The U.S. struck the base in `June`.",
        "Kata'ib Hezbollah\x01denied it.",
        "Café owners fled; the ﬁre spread.",  # NFKC turns the ligature into "fi"
        "ＦＵＬＬ width words",
        "Straße closed",  # casefold: "strasse"
    ]
    variants = [
        lambda q: q,
        str.upper,
        str.lower,
        lambda q: "  " + q.replace(" ", " \t\n "),
        lambda q: q.replace("'", "\u2019").replace("`", "\u2018"),
        lambda q: q.replace(" ", "\u00a0"),
        lambda q: q.replace("\x01", "\x0b"),
    ]
    made = []
    for index in range(count):
        date = rng.choice(dates)
        span = parse_date(date)
        quote = rng.choice(variants)(rng.choice(quotes)) + ("" if rng.random() < 0.7 else f" {index}")
        article = rng.choice(["b-story", "a-story", "c-story"])
        paragraph, start = rng.randint(1, 3), rng.choice([-1, 10, 200])
        made.append(
            TimelineEvent(
                span.text, span.precision, False, f"e{index}", (), article, paragraph, quote, "", False, start
            )
        )
    return made


def test_the_merged_timeline_from_many_threads_is_put_together_once_and_in_order() -> None:
    timelines = [_generated_events(seed, 300) for seed in range(4)]
    expected = merge_repeats(sort_events([e for events in timelines for e in events]))
    assert [e.span.first for e in expected] == sorted(e.span.first for e in expected)
    merged = MergedTimeline(timelines)
    barrier = threading.Barrier(THREADS)

    def read(_: int) -> tuple[TimelineEvent, ...]:
        barrier.wait()
        return merged.events()

    with switch_often(), ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(read, range(THREADS)))
    assert all(found is results[0] for found in results)  # put together once
    assert results[0] == expected


def test_the_engine_timeline_is_every_articles_events_in_order_without_repeats(archive_engine: Engine) -> None:
    flat = [e for events in archive_engine.timeline._timelines for e in events]
    assert len(flat) > 100
    assert archive_engine.events == merge_repeats(sort_events(flat))
    assert Router(archive_engine).timeline().events == archive_engine.events


def test_merge_repeats_keeps_what_folding_every_quote_kept() -> None:
    def folding_every_quote(events: tuple[TimelineEvent, ...]) -> tuple[TimelineEvent, ...]:
        seen: set[tuple[str, str]] = set()
        kept = []
        for event in events:
            key = (event.date, " ".join(fold(event.quote).casefold().split()))
            if key not in seen:
                seen.add(key)
                kept.append(event)
        return tuple(kept)

    for seed in range(5):
        events = sort_events(_generated_events(seed, 600))
        merged = merge_repeats(events)
        assert merged == folding_every_quote(events)
        assert len(merged) < len(events) / 2  # the input does repeat quotes


def test_quote_key_of_ascii_text_is_folding_case_folding_and_one_space() -> None:
    rng = random.Random(4)
    every_ascii = "".join(chr(code) for code in range(128))
    texts = [every_ascii, every_ascii[::-1]] + ["".join(rng.choices(every_ascii, k=60)) for _ in range(2000)]
    for text in texts:
        assert quote_key(text) == " ".join(fold(text).casefold().split())


# --- actors ------------------------------------------------------------------------------------


def test_actor_lookups_from_many_threads_on_a_new_directory_equal_those_made_alone(archive_engine: Engine) -> None:
    actors = archive_engine.actors.actors
    names = [name for actor in actors[:60] for name in actor.names] + ["no such actor", "hezbolah", "syria"]
    alone = ActorDirectory(actors)
    expected = [alone.lookup(name) for name in names]
    # The name indexes as they were built at start, before they waited for the first lookup.
    by_key: dict[str, list[int]] = {}
    for index, actor in enumerate(actors):
        for name in actor.names:
            if key := lookup_key(name):
                for table, k in ((by_key, key), (by_key, "\x00" + key.replace(" ", ""))):
                    if not table.get(k) or table[k][-1] != index:
                        table.setdefault(k, []).append(index)
    directory = ActorDirectory(actors)
    barrier = threading.Barrier(THREADS)

    def look(offset: int) -> list[object]:
        barrier.wait()
        return [directory.lookup(name) for name in names[offset:] + names[:offset]]

    with switch_often(), ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(look, range(THREADS)))
    for offset, found in enumerate(results):
        assert found == expected[offset:] + expected[:offset]
    assert directory._by_key == {k: v for k, v in by_key.items() if not k.startswith("\x00")}
    assert directory._by_compact == {k[1:]: v for k, v in by_key.items() if k.startswith("\x00")}


# --- alias expansions --------------------------------------------------------------------------


def test_phrases_in_finds_what_searching_every_token_list_finds() -> None:
    rng = random.Random(8)
    vocabulary = [f"w{i}" for i in range(40)]
    for _ in range(30):
        token_lists = [rng.choices(vocabulary, k=rng.randint(0, 30)) for _ in range(rng.randint(0, 60))]
        phrases = [tuple(rng.choices(vocabulary + ["absent"], k=rng.randint(1, 4))) for _ in range(80)]
        phrases += [tuple(tokens[i : i + 3]) for tokens in token_lists[:5] for i in range(0, len(tokens), 7)]
        phrases = [p for p in phrases if p]
        expected = {p for p in phrases if any(contains_sequence(tokens, p) for tokens in token_lists)}
        assert _phrases_in(phrases, token_lists) == expected


@pytest.mark.parametrize(("stemming", "stop_words"), [(True, True), (False, True), (True, False), (False, False)])
def test_a_names_tokens_from_its_kept_words_are_the_analyzers(
    archive_engine: Engine, stemming: bool, stop_words: bool
) -> None:
    analyzer = Analyzer(
        RetrievalSettings(mode="bm25", stemming=stemming, stop_words=stop_words),
        archive_engine.retriever.analyzer.unstemmed,
    )
    names = [name for actor in archive_engine.actors.actors for name in actor.names]
    names += ["the U.S.", "Kata\u2019ib Hezbollah", "Islamic State of Iraq and the Levant", "  ", "al-Qa'im's"]
    for name in names:
        assert name_words(name) == tuple(words(name))
        from_words = tokenize_words(
            name_words(name), stemming=stemming, stop_words=stop_words, unstemmed=analyzer.unstemmed
        )
        assert from_words == analyzer.tokenize(name)
