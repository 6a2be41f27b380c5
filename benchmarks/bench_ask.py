"""Time a one-shot `briefbot ask` and per-question latency for each retrieval mode.

Prints medians of several runs and ratios against `python -c pass` and `python -c "import numpy, yaml"`
(what any one-shot pays before briefbot's own code) measured in the same run, so figures from
different machines can be compared. ``--against DIR`` also times the one-shot from another checkout
(say, main before a change) in the same run, interleaved run by run so load on a shared machine hits
both alike. Usage: python benchmarks/bench_ask.py [--runs N] [--modes bm25] [--against DIR]
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


def wall(command: list[str], runs: int, cwd: str | None = None) -> float:
    """Median wall time of ``command`` (run in ``cwd``) in seconds."""
    return walls([(command, cwd)], runs)[0]


def walls(commands: list[tuple[list[str], str | None]], runs: int) -> list[float]:
    """Median wall time in seconds of each (command, cwd), the commands taking turns run by run."""
    times: list[list[float]] = [[] for _ in commands]
    for command, cwd in commands:  # untimed: fills the index cache and the OS file cache
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=cwd)
    for _ in range(runs):
        for index, (command, cwd) in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=cwd)
            times[index].append(time.perf_counter() - start)
    return [statistics.median(samples) for samples in times]


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
    parser.add_argument(
        "--modes", nargs="+", choices=["auto", "bm25", "semantic"], help="default: bm25 and semantic when installed"
    )
    parser.add_argument("--against", metavar="DIR", help="also time the one-shot of the checkout in DIR")
    args = parser.parse_args()
    from bot import semantic

    modes = args.modes or (["bm25", "semantic"] if semantic.available() else ["bm25"])
    baseline, imports = walls(
        [([sys.executable, "-c", "pass"], None), ([sys.executable, "-c", "import numpy, yaml"], None)], args.runs
    )
    print(f"python -c pass: median {baseline * 1000:.0f} ms over {args.runs} runs")
    print(f"python -c 'import numpy, yaml': median {imports * 1000:.0f} ms")
    here = str(Path(__file__).resolve().parent.parent)
    checkouts = [("this checkout", here)] + ([(args.against, args.against)] if args.against else [])
    with tempfile.TemporaryDirectory() as folder:
        for mode in modes:
            config = Path(folder) / f"{mode}.yaml"
            config.write_text(f"retrieval:\n  mode: {mode}\n")
            # `python -m bot` run in a checkout imports that checkout's bot package.
            command = [sys.executable, "-m", "bot", "--config", str(config), "ask", "--json", QUESTION]
            for name, seconds in zip(
                [name for name, _ in checkouts], walls([(command, cwd) for _, cwd in checkouts], args.runs), strict=True
            ):
                print(
                    f"briefbot ask ({mode}, {name}): median {seconds * 1000:.0f} ms, {seconds / baseline:.1f}x "
                    f"python -c pass, {seconds / imports:.2f}x import numpy, yaml"
                )
    if args.modes:
        return
    for mode in modes:
        build, per_question = query_latency(mode, rounds=5)
        print(f"{mode}: engine build {build * 1000:.0f} ms, {per_question:.1f} ms per question (median)")
    if "semantic" not in modes:
        print("semantic: not installed (pip install 'briefbot[semantic]')")


if __name__ == "__main__":
    main()
