"""What a warm start spends, by section: real and CPU seconds, medians of warm processes, and ratios.

    .venv/bin/python benchmarks/bench_warm.py --articles 400 --runs 3 --baseline-ref main

Writes a seeded synthetic archive (``synthetic_corpus.py``, bm25 mode, no curated files), fills
each code's cache with one cold start (not measured), then times ``--runs`` warm starts of each code
in turn (this tree, then the baseline, and again), each in a fresh process: the import, building
the engine, ``Router()``, and inside them the sections one start may spend time in (each timed
where it is called, so the names of what it calls must exist in that code; a missing one is left
out), and after the start the first ``/timeline`` and ``/actor``, which build what they need on
first use. CPU seconds (``time.process_time``) say more than real ones on a shared machine. ``--keep DIR``
keeps the archive and caches between runs, so a second invocation skips the cold starts.
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

# (module, attribute, section): the callables timed, where the engine and router call them.
TIMED = [
    ("bot.engine", "sort_events", "timeline"),
    ("bot.engine", "merge_repeats", "timeline"),
    ("bot.engine", "MergedTimeline", "timeline"),
    ("bot.engine", "ActorDirectory", "actor directory"),
    ("bot.engine", "Retriever", "retriever"),
    ("bot.engine", "Responder", "responder"),
    ("bot.router", "FollowUpResolver", "follow-up resolver"),
    ("bot.retrieval.retriever", "EntityMatcher", "entity matcher"),
    ("bot.retrieval.retriever", "alias_expansions", "alias expansions"),
]


def worker(code: str, config: str) -> None:
    """In a child process: one start of the code in ``code``, timed by section; prints one JSON line."""
    import importlib

    start_real, start_cpu = time.perf_counter(), time.process_time()
    sys.path.insert(0, code)
    from bot.config import load_config
    from bot.engine import build_engine
    from bot.router import Router

    sections: dict[str, list[float]] = {}

    def timed(function, section: str):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            real, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = sections.setdefault(section, [0.0, 0.0])
                spent[0] += time.perf_counter() - real
                spent[1] += time.process_time() - cpu

        return call

    for module_name, name, section in TIMED:
        module = importlib.import_module(module_name)
        if hasattr(module, name):
            setattr(module, name, timed(getattr(module, name), section))
    namefinder = importlib.import_module("bot.namefinder")
    builder = getattr(namefinder, "_Automaton", namefinder.NameFinder)  # what builds a names automaton
    builder.__init__ = timed(builder.__init__, "names automata")
    imported = [time.perf_counter() - start_real, time.process_time() - start_cpu]
    config = load_config(config)
    real, cpu = time.perf_counter(), time.process_time()
    engine = build_engine(config)
    built = [time.perf_counter() - real, time.process_time() - cpu]
    real, cpu = time.perf_counter(), time.process_time()
    router = Router(engine)
    routed = [time.perf_counter() - real, time.process_time() - cpu]
    total = [time.perf_counter() - start_real, time.process_time() - start_cpu]
    figures = {"warm start": total, "import": imported, "build_engine": built, "Router()": routed, **sections}
    # After the start: what the first of the commands that build on first use costs.
    name = engine.actors.actors[0].name if engine.actors.actors else "nobody"
    for label, command in (("first /timeline", router.timeline), ("first /actor", lambda: router.actor(name))):
        real, cpu = time.perf_counter(), time.process_time()
        command()
        figures[label] = [time.perf_counter() - real, time.process_time() - cpu]
    print(json.dumps({**figures, "passages": len(engine.passages)}))


def run(code: Path, config: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(code), str(config)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(command, capture_output=True, text=True, cwd=code, env=env)
    if done.returncode != 0:
        raise SystemExit(f"worker failed ({code}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def export(ref: str, into: Path) -> Path:
    """The tree of git ``ref`` unpacked into ``into`` (no work tree of the repo is touched)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=400, help="articles in the synthetic archive")
    parser.add_argument("--runs", type=int, default=3, help="warm starts of each code (medians)")
    parser.add_argument("--baseline-ref", metavar="REF", help="also measure this git ref's code (e.g. main)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="keep the archive and caches in DIR (reused next time)")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        folder = work / f"articles-{args.articles}-{args.seed}"
        if not folder.is_dir():
            write_archive(folder, args.articles, args.seed)
        # A copy of the code under test, so editing the work tree during a run changes nothing.
        this = work / "this-tree"
        shutil.rmtree(this, ignore_errors=True)
        shutil.copytree(REPO / "bot", this / "bot", ignore=shutil.ignore_patterns("__pycache__"))
        codes = {"this tree": this}
        if args.baseline_ref:
            baseline = work / "baseline"
            shutil.rmtree(baseline, ignore_errors=True)
            codes[args.baseline_ref] = export(args.baseline_ref, baseline)
        configs = {}
        for index, (label, code) in enumerate(codes.items()):
            config = work / f"config-{index}.yaml"
            config.write_text(
                f"knowledge_dir: {folder}\ncache_dir: {work / f'cache-{index}'}\nretrieval:\n  mode: bm25\n"
            )
            configs[label] = config
            run(code, config)  # a cold start (or a warm one on a kept cache): fills the cache, not measured
        rows: dict[str, list[dict]] = {label: [] for label in codes}
        for _ in range(args.runs):
            for label, code in codes.items():
                rows[label].append(run(code, configs[label]))
        report(rows, args.articles)


def report(rows: dict[str, list[dict]], articles: int) -> None:
    labels = list(rows)
    first = rows[labels[0]][0]
    print(f"{articles} articles, {first['passages']:,} passages; seconds, median of {len(rows[labels[0]])} warm starts")
    sections = list(dict.fromkeys(key for runs in rows.values() for key in runs[0] if key != "passages"))
    header = f"{'section':<20}" + "".join(f"{label + ' real':>18}{label + ' CPU':>17}" for label in labels)
    if len(labels) > 1:
        header += f"{'ratio real':>12}{'ratio CPU':>11}"
    print(header)
    for section in sections:
        medians = []
        for label in labels:
            found = [run[section] for run in rows[label] if section in run]
            medians.append(
                (statistics.median(f[0] for f in found), statistics.median(f[1] for f in found)) if found else None
            )
        line = f"{section:<20}" + "".join(
            f"{m[0]:>18.3f}{m[1]:>17.3f}" if m else f"{'-':>18}{'-':>17}" for m in medians
        )
        if len(labels) > 1 and medians[0] and medians[1] and min(medians[1]) >= 0.001:  # no ratio of nothing
            line += f"{medians[0][0] / medians[1][0]:>11.2f}x{medians[0][1] / medians[1][1]:>10.2f}x"
        print(line)


if __name__ == "__main__":
    main()
