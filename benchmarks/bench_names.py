"""Finding every actor's names in every paragraph: one regex per name, one combined regex, an automaton.

Names are the drafted actors of a synthetic archive (benchmarks/synthetic_corpus.py); the texts are
its paragraphs. Prints build and search seconds for each way, as medians of ``--runs``, and the
ratio to the automaton (bot/namefinder.py). Usage: python benchmarks/bench_names.py [--articles N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from synthetic_corpus import write_archive  # noqa: E402

from bot.actors import alias_pattern  # noqa: E402
from bot.curated import ArticleText, load_knowledge  # noqa: E402
from bot.knowledge import load_articles  # noqa: E402
from bot.namefinder import NameFinder  # noqa: E402


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        write_archive(Path(folder), args.articles)
        articles = load_articles(Path(folder))
        groups = [actor.names for article in articles for actor in load_knowledge(article).actors]
        texts = [text for article in articles for _, _, text in ArticleText(article).segments]
    names = sorted({name for group in groups for name in group}, key=len, reverse=True)
    print(f"{args.articles} articles, {len(texts)} paragraphs, {len(names)} distinct names")

    def per_name() -> None:
        patterns = [alias_pattern(name) for name in names]
        for text in texts:
            for pattern in patterns:
                pattern.findall(text)

    def combined() -> None:
        # One alternation of every name's pattern, longest first (case rules simplified: all ignore case).
        pattern = re.compile("|".join(f"(?:{alias_pattern(n).pattern})" for n in names), re.IGNORECASE)
        for text in texts:
            pattern.findall(text)

    def automaton() -> None:
        finder = NameFinder(groups)
        for text in texts:
            finder.find(text)

    base = timed(automaton, args.runs)
    print(f"automaton (pyahocorasick): {base:.2f} s")
    for label, function in (("one combined regex", combined), ("one regex per name", per_name)):
        seconds = timed(function, 1)
        print(f"{label}: {seconds:.2f} s, {seconds / base:.0f}x the automaton")


if __name__ == "__main__":
    main()
