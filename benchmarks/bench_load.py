"""Load time of one long article: 200 and 2,000 paragraphs, and their ratio (goal: <= 15x).

Loading is what every command and every bot start pays before the first answer: reading the file
(bot/reader.py), its layout and repeat check (bot/layout.py), passages, drafted timeline and
actors (no curated files) and the BM25 index, in bm25 mode with an empty index cache, so nothing
is reused. Each figure is the median over ``--runs`` fresh processes. The paragraphs come from
benchmarks/synthetic_corpus.py (seeded): the first N body lines of its articles, one article.

For comparison in the same run it also times the repeat check briefbot had before (every pair
of lines compared, run three times per load) on the same paragraphs.

    python benchmarks/bench_load.py                 # 200 and 2,000 paragraphs, 3 runs each
    python benchmarks/bench_load.py --sizes 200,2000,5000 --runs 1
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from synthetic_corpus import write_archive  # noqa: E402

from bot.textnorm import normalize_for_match, words  # noqa: E402

PARAGRAPHS_PER_ARTICLE = 20  # fewer than the generator writes, so every article fills its share

LOAD = """
import sys, time
start = time.perf_counter()
from pathlib import Path
from bot.config import Config, RetrievalSettings
from bot.engine import build_engine
config = Config(knowledge_dir=Path(sys.argv[1]), cache_dir=Path(sys.argv[2]),
                retrieval=RetrievalSettings(mode="bm25"))
engine = build_engine(config)
print(time.perf_counter() - start, len(engine.passages))
"""


def long_article(folder: Path, paragraphs: int) -> list[str]:
    """Write ``long.txt`` with ``paragraphs`` body lines into ``folder``; return the lines."""
    source = folder / "source"
    source.mkdir()
    write_archive(source, -(-paragraphs // PARAGRAPHS_PER_ARTICLE))
    lines: list[str] = []
    for path in sorted(source.glob("*.txt")):
        body = [line for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
        lines.extend(body[:PARAGRAPHS_PER_ARTICLE])
    lines = lines[:paragraphs]
    knowledge = folder / "knowledge"
    knowledge.mkdir()
    (knowledge / "long.txt").write_text("A long article\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return lines


def time_load(knowledge: Path, runs: int) -> tuple[float, int]:
    times, passages = [], 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            done = subprocess.run(
                [sys.executable, "-c", LOAD, str(knowledge), cache],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
        seconds, count = done.stdout.split()
        times.append(float(seconds))
        passages = int(count)
    return statistics.median(times), passages


def all_pairs_repeat_check(lines: list[str]) -> None:
    """The repeat check before bot/layout.py: every pair of lines, prefix or 80% word overlap."""
    keys = [normalize_for_match(line) for line in lines]
    bags = [set(words(key)) for key in keys]
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            a, b = keys[i], keys[j]
            if a.startswith(b) or b.startswith(a):
                continue
            if bags[i] and bags[j]:
                _ = len(bags[i] & bags[j]) / len(bags[i] | bags[j]) >= 0.8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,2000", help="paragraph counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="processes per size (median)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {}
    print(f"{'paragraphs':>10}  {'passages':>8}  {'load s (median)':>15}  {'old all-pairs check x3, s':>25}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            lines = long_article(Path(tmp), size)
            seconds, passages = time_load(Path(tmp) / "knowledge", args.runs)
            start = time.perf_counter()
            for _ in range(3):
                all_pairs_repeat_check(lines)
            old_check = time.perf_counter() - start
        results[size] = (seconds, old_check)
        print(f"{size:>10}  {passages:>8}  {seconds:>15.2f}  {old_check:>25.2f}")
    first, last = sizes[0], sizes[-1]
    ratio = results[last][0] / results[first][0]
    old_ratio = results[last][1] / results[first][1]
    print(f"load ratio {last}/{first} paragraphs: {ratio:.1f}x (goal <= 15x; {last / first:.0f}x the text)")
    print(f"the old all-pairs check alone, same ratio: {old_ratio:.0f}x")


if __name__ == "__main__":
    main()
