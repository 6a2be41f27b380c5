"""Start-up, per-question latency, memory and cache size on synthetic archives of 100 to 2,000 articles.

For each size (``--sizes``, default 100,400,2000) and each variant, a fresh process builds the
engine and answers questions, printing:

- cold start: seconds from importing briefbot to a built engine, with an empty cache folder;
- warm start: the same in a second process that finds the cache the first one left;
- per-question p50 / p95 in milliseconds, over every question asked in the warm process;
- peak RSS of the warm and cold processes (MB), the largest index-building worker process's (a
  cold start drafts articles in one worker per core), and the cache folder's size on disk (MB).

Variants: ``default`` (the configured scorer) and ``rank-bm25`` (rank-bm25 as shipped, forced
with ``retrieval.scorer`` when the code has that setting). ``--baseline-ref REF`` also measures the
code of a git ref (e.g. main before a change) in the same run, from a ``git archive`` copy. Every
figure is a median over ``--runs`` processes. Articles are from benchmarks/synthetic_corpus.py
(seeded, about 1,000 words, names that recur and names that are new), in bm25 mode with no
curated files, so actors and timelines are drafted at load time.

    python benchmarks/bench_scale.py                       # 100, 400, 2000 articles
    python benchmarks/bench_scale.py --sizes 20,50 --runs 1   # a quick look
    python benchmarks/bench_scale.py --sizes 2000 --no-rank-bm25   # 2,000 articles only: the goals
    python benchmarks/bench_scale.py --sizes 100,400 --baseline-ref main --semantic
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic_corpus import write_archive  # noqa: E402

ROUNDS = 3  # each question is asked this many times in the measured process


def worker(args: argparse.Namespace) -> None:
    """Runs in a child process: build the engine, ask the questions, print one JSON line of figures."""
    import resource

    if args.pure_python_stemmer:
        sys.modules["Stemmer"] = None  # type: ignore[assignment]  # snowballstemmer then uses its own Python
    start = time.perf_counter()
    sys.path.insert(0, args.code)
    from bot.config import load_config
    from bot.engine import build_engine
    from bot.router import Router

    router = Router(build_engine(load_config(args.config)))
    built = time.perf_counter() - start
    questions = json.loads(Path(args.questions).read_text())
    samples: list[float] = []
    answered = 0
    router.ask(questions[0])  # the first question pays for lazy imports; not a steady-state figure
    for _ in range(ROUNDS):
        for question in questions:
            t = time.perf_counter()
            answer = router.ask(question)
            samples.append((time.perf_counter() - t) * 1000)
            answered += bool(getattr(answer, "answered", False))
    samples.sort()
    complete_first, complete_ms = autocomplete_ms(router)
    figures = {
        "complete_first_ms": complete_first,
        "complete_ms": complete_ms,
        "start": built,
        "p50": statistics.median(samples),
        "p95": samples[int(0.95 * (len(samples) - 1))],
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "passages": len(router.engine.passages) if hasattr(router, "engine") else None,
        "answered": answered / len(samples),
    }
    print(json.dumps(figures))


def autocomplete_ms(router: object) -> tuple[float | None, float | None]:
    """(first, median of the next) milliseconds of /actor autocomplete for a few typed prefixes."""
    try:
        from bot.discord_bot.cogs.base import choices_for
    except ImportError:
        return None, None
    times = []
    for typed in ["", "a", "ka", "al-", "harakat d", "sons of", "zzz", "tel", "brigade", "iran"]:
        start = time.perf_counter()
        choices_for(typed, router.actor_names())  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
    return times[0], statistics.median(times[1:])


def run_worker(code: Path, config: Path, questions: Path, cache: Path, timeout: float) -> dict | None:
    """Figures from one child process, or None when it ran past ``timeout`` seconds."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), PYTHONHASHSEED="0")
    command = [sys.executable, str(Path(__file__).resolve()), "--worker"]
    command += ["--code", str(code), "--config", str(config), "--questions", str(questions)]
    pyproject = code / "pyproject.toml"
    if pyproject.is_file() and "PyStemmer" not in pyproject.read_text():
        command.append("--pure-python-stemmer")  # code from before PyStemmer ran without it
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=code)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"worker failed ({code}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def folder_size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20 if folder.exists() else 0.0


def supports(code: Path, key: str) -> bool:
    """True when the config of the code under test knows ``key`` (e.g. "scorer" in RetrievalSettings)."""
    return f"    {key}:" in (code / "bot" / "config.py").read_text()


def measure(code: Path, folder: Path, questions: Path, variant: str, runs: int, timeout: float, work: Path) -> dict:
    """Median figures over ``runs`` cold+warm process pairs for one variant."""
    config = work / f"{variant}.yaml"
    lines = [f"knowledge_dir: {folder}", "retrieval:"]
    mode = "semantic" if variant == "semantic" else "bm25"
    lines.append(f"  mode: {mode}")
    if variant == "rank-bm25" and supports(code, "scorer"):
        lines.append("  scorer: rank-bm25")
    config.write_text("\n".join(lines) + "\n")
    cold, warm, sizes = [], [], []
    for _ in range(runs):
        cache = work / f"cache-{variant}"
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir()
        first = run_worker(code, config, questions, cache, timeout)
        if first is None:
            return {"timeout": timeout}
        cold.append(first)
        sizes.append(folder_size_mb(cache))
        second = run_worker(code, config, questions, cache, timeout)
        if second is None:
            return {"timeout": timeout}
        warm.append(second)

    def median(rows: list[dict], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    return {
        "cold_s": median(cold, "start"),
        "warm_s": median(warm, "start"),
        "p50_ms": median(warm, "p50"),
        "p95_ms": median(warm, "p95"),
        "complete_first_ms": warm[0].get("complete_first_ms"),
        "complete_ms": warm[0].get("complete_ms"),
        "rss_cold_mb": median(cold, "rss_mb"),
        "rss_warm_mb": median(warm, "rss_mb"),
        "rss_workers_mb": max(row.get("rss_workers_mb", 0.0) for row in cold),
        "cache_mb": statistics.median(sizes),
        "passages": cold[0].get("passages"),
        "answered": cold[0].get("answered"),
    }


def export(ref: str, into: Path) -> Path:
    """The tree of git ``ref`` unpacked into ``into`` (no work tree of the repo is touched)."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,400,2000", help="comma-separated article counts")
    parser.add_argument("--runs", type=int, default=1, help="cold+warm process pairs per figure (median)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a process counts as too slow")
    parser.add_argument("--baseline-ref", metavar="REF", help="also measure this git ref's code (e.g. main)")
    parser.add_argument("--semantic", action="store_true", help="also measure semantic mode")
    parser.add_argument("--no-rank-bm25", action="store_true", help="skip the rank-bm25 variant")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    parser.add_argument("--questions", help=argparse.SUPPRESS)
    parser.add_argument("--pure-python-stemmer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        # A copy of the code under test, so editing the work tree during a long run changes nothing.
        snapshot = work / "this-tree"
        shutil.copytree(REPO / "bot", snapshot / "bot", ignore=shutil.ignore_patterns("__pycache__"))
        codes = [("this tree", snapshot)]
        if args.baseline_ref:
            codes.append((args.baseline_ref, export(args.baseline_ref, work / "baseline")))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, seed {args.seed}, runs {args.runs}")
        header = (
            f"{'code':<12} {'variant':<10} {'articles':>8} {'passages':>8} {'cold s':>8} {'warm s':>7} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'RSS MB':>7} {'wkr MB':>7} {'cache MB':>8}"
        )
        print(header)
        for size in sizes:
            folder = work / f"articles-{size}"
            questions = work / f"questions-{size}.json"
            questions.write_text(json.dumps(write_archive(folder, size, args.seed)))
            for label, code in codes:
                variants = ["default"]
                if not args.no_rank_bm25 and supports(code, "scorer"):
                    variants.append("rank-bm25")
                if args.semantic:
                    variants.append("semantic")
                for variant in variants:
                    figures = measure(code, folder, questions, variant, args.runs, args.timeout, work)
                    results.append({"code": label, "variant": variant, "articles": size, **figures})
                    if "timeout" in figures:
                        print(f"{label:<12} {variant:<10} {size:>8} {'':>8} {'>' + str(int(args.timeout)):>8}")
                        continue
                    print(
                        f"{label:<12} {variant:<10} {size:>8} {figures['passages'] or 0:>8} {figures['cold_s']:>8.2f} "
                        f"{figures['warm_s']:>7.2f} {figures['p50_ms']:>7.1f} {figures['p95_ms']:>7.1f} "
                        f"{max(figures['rss_cold_mb'], figures['rss_warm_mb']):>7.0f} "
                        f"{figures['rss_workers_mb']:>7.0f} {figures['cache_mb']:>8.1f}",
                        flush=True,
                    )
        print_ratios(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


def print_ratios(results: list[dict]) -> None:
    """Cold-start growth (400 vs 100 articles) and each variant against the first code's default."""
    done = [r for r in results if "cold_s" in r]
    by = {(r["code"], r["variant"], r["articles"]): r for r in done}
    for (code, variant, size), row in sorted(by.items()):
        smaller = by.get((code, variant, size // 4))
        if smaller:
            print(
                f"{code} {variant}: cold start at {size} articles = {row['cold_s'] / smaller['cold_s']:.2f}x "
                f"the time at {size // 4}"
            )
    first = done[0]["code"] if done else None
    for row in done:
        ref = by.get((first, "default", row["articles"]))
        if ref is None or row is ref:
            continue
        print(
            f"{row['articles']} articles, {row['code']} {row['variant']} vs {first} default: "
            f"cold {row['cold_s'] / ref['cold_s']:.2f}x, warm {row['warm_s'] / ref['warm_s']:.2f}x, "
            f"p50 {row['p50_ms'] / ref['p50_ms']:.2f}x"
        )


if __name__ == "__main__":
    main()
