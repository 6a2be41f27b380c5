"""Time a one-shot `briefbot ask` and per-question latency for each retrieval mode.

Prints medians of several runs and ratios against `python -c pass` measured in the same run, so
figures from different machines can be compared. Usage: python benchmarks/bench_ask.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "Who runs Kata'ib Hezbollah?"
QUESTIONS = [
    "Who runs Kata'ib Hezbollah?",
    "how did the US-backed rebels' assault on the town go?",
    "what's the weather in Paris today?",
    "who is muhandis",
    "when did the new syrian amry attack",
]


def wall(command: list[str], runs: int) -> float:
    """Median wall time of ``command`` in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def query_latency(mode: str, rounds: int) -> tuple[float, float]:
    """(engine build seconds, median milliseconds per question) in this process."""
    from bot.config import Config, RetrievalSettings
    from bot.engine import build_engine
    from bot.router import Router

    start = time.perf_counter()
    router = Router(build_engine(Config(retrieval=RetrievalSettings(mode=mode))))
    build = time.perf_counter() - start
    samples = []
    for _ in range(rounds):
        for question in QUESTIONS:
            t = time.perf_counter()
            router.ask(question)
            samples.append((time.perf_counter() - t) * 1000)
    return build, statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from bot import semantic

    modes = ["bm25", "semantic"] if semantic.available() else ["bm25"]
    baseline = wall([sys.executable, "-c", "pass"], args.runs)
    print(f"python -c pass: median {baseline * 1000:.0f} ms over {args.runs} runs")
    with tempfile.TemporaryDirectory() as folder:
        for mode in modes:
            config = Path(folder) / f"{mode}.yaml"
            config.write_text(f"retrieval:\n  mode: {mode}\n")
            command = [sys.executable, "-m", "bot", "--config", str(config), "ask", "--json", QUESTION]
            seconds = wall(command, args.runs)
            print(f"briefbot ask ({mode}): median {seconds * 1000:.0f} ms, {seconds / baseline:.1f}x python -c pass")
    for mode in modes:
        build, per_question = query_latency(mode, rounds=5)
        print(f"{mode}: engine build {build * 1000:.0f} ms, {per_question:.1f} ms per question (median)")
    if "semantic" not in modes:
        print("semantic: not installed (pip install 'briefbot[semantic]')")


if __name__ == "__main__":
    main()
