"""The answer path is safe under concurrency: many threads asking at once get the answers given alone.

The Discord front end answers in worker threads that share one engine; anything mutable on the
answer path (the Snowball stemmer, caches) must be per-thread or locked.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from bot.router import Router
from bot.textnorm import stem, words

DATA = Path(__file__).resolve().parent / "data"
THREADS = 16


def _questions(router: Router) -> list[str]:
    """Every eval question plus questions built from runs of the article's own words: a few hundred,
    with many distinct words, so the stemmer does real work in every thread."""
    asked = [
        item["q"]
        for name in ("eval.yaml", "eval_holdout.yaml")
        for item in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["questions"]
    ]
    article_words = [w for p in router.engine.passages for w in words(p.text) if len(w) > 4]
    built = [f"what about {' '.join(article_words[i : i + 4])}?" for i in range(0, len(article_words) - 4, 3)]
    return list(dict.fromkeys(asked + built[:300]))


@contextmanager
def switch_often() -> Iterator[None]:
    # Threads switch every 5 ms by default, long enough to finish most stems: switching every
    # microsecond makes a shared stemmer's race show up in a few hundred questions.
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@pytest.mark.slow  # about 2 s in bm25 mode, 5-12 s in semantic mode on a shared 2-core machine
def test_many_threads_get_the_answers_given_alone(any_mode_router: Router) -> None:
    questions = _questions(any_mode_router)
    assert len(questions) >= 300
    if any_mode_router.engine.mode == "semantic":
        # Each semantic answer runs the embedding model (about 15 ms): every fourth question keeps the
        # test to a few seconds and still sends about a hundred through the tokenizer and session at once.
        questions = questions[::4]
    alone = {q: any_mode_router.ask(q).to_dict() for q in questions}
    # Stems computed during a race would be cached for the life of the process: start from none.
    stem.cache_clear()
    barrier = threading.Barrier(THREADS)

    def ask_share(offset: int) -> list[tuple[str, dict]]:
        barrier.wait()
        # Each thread asks its own share of the questions, so the threads stem different words at the
        # same moment (the cache was just emptied).
        return [(q, any_mode_router.ask(q).to_dict()) for q in questions[offset::THREADS]]

    with switch_often(), ThreadPoolExecutor(THREADS) as pool:
        results = [pair for batch in pool.map(ask_share, range(THREADS)) for pair in batch]

    assert len(results) == len(questions)
    differing = sorted({q for q, answer in results if answer != alone[q]})
    assert differing == []
    # And the cache holds no stem a race produced: asked alone again, still the same answers.
    assert all(any_mode_router.ask(q).to_dict() == alone[q] for q in questions)


def test_stemming_from_many_threads_equals_stemming_alone(router: Router) -> None:
    # The uncached stemmer itself, on different words at the same moment.
    unique = sorted({w for p in router.engine.passages for w in words(p.text) if len(w) > 3})
    alone = {w: stem.__wrapped__(w) for w in unique}
    with switch_often(), ThreadPoolExecutor(THREADS) as pool:
        got = list(pool.map(stem.__wrapped__, unique * 8))
    assert [w for w, s in zip(unique * 8, got, strict=True) if s != alone[w]] == []
