"""`briefbot run` under load, against the fake Discord of the tests on 127.0.0.1.

Each run starts the real bot as its own process (bm25, cooldown off, views timing out after 2 s,
no follow-up threads unless --threads) and measures, with Discord's 3-second acknowledgement
window enforced by the fake:

- one /ask alone, ten times: the unloaded first-response time (the baseline of the ratios);
- RSS after the first 100 interactions and after 2,000 (bursts of 100), each once the views timed
  out, then after 2,000 /ask at once: acknowledged in time, answered or told busy, lost;
- bursts of 50, 200 and 500 /ask from distinct users: answered, lost, answers differing from the
  same question asked alone, and p50/p95/p99 from dispatch to the first callback;
- a stream of 1,000 events of which 100 are malformed: good ones answered, process alive;
- SIGTERM during a burst of 200 (a second bot process): answered, told "restarting", lost, exit code;
- a knowledge reload under load (a third bot process on a folder of 3 synthetic articles): 200 /ask
  in bursts of 25 over ~3 s while 10 articles are copied in and the watcher reloads; answered, errors,
  lost, whether the reload was done by the last answer, and whether the next question about a name
  only a new article holds is answered from it;
- a slow Discord (a fourth bot process): 800 /ask at once while every interaction callback takes
  Discord 0.3 s (answered, late past the 3 s window, lost, p50/p99 from dispatch to the callback
  reaching Discord), then 200 sent 20 a second while each callback takes 1 s (answered, late,
  p50/p99 from dispatch to the answer reaching Discord).

Prints each run's figures and the medians over runs. Bounded: every wait has a timeout and both
processes are stopped at the end. Usage: python benchmarks/bench_discord.py [--runs N] [--only-reload] [--only-slow]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.synthetic_corpus import write_archive  # noqa: E402 - the repo root must be on the path first
from tests.discord.burst import (  # noqa: E402
    distinct_questions,
    expected_embed,
    percentile,
    same_answer,
    send_burst,
    settle,
)
from tests.discord.e2e import TOKEN, start_bot, write_config  # noqa: E402
from tests.discord.fake_discord import FakeDiscord  # noqa: E402
from tests.discord.test_production import _malformed  # noqa: E402

VIEW_TIMEOUT = 2.0
SETTLE_TIMEOUT = 120.0


def rss_mb(pid: int) -> float:
    """Resident set size of process ``pid`` in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Ids:
    """Interaction ids, never reused within a run."""

    def __init__(self) -> None:
        self.next = 10_000_000

    def take(self, count: int) -> int:
        first, self.next = self.next, self.next + count
        return first


THREADS = {"threads": "false"}  # --threads: every /ask answer also opens a thread (one more request each)


async def started_bot(fake: FakeDiscord, tmp: Path, knowledge: Path | None = None) -> Any:
    fake.identified.clear()
    config = write_config(tmp, fake, view_timeout_seconds=VIEW_TIMEOUT, shutdown_grace_seconds=10, **THREADS)
    if knowledge is not None:
        config.write_text(f"knowledge_dir: {knowledge}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    bot = await start_bot(config, TOKEN)
    await asyncio.wait_for(fake.identified.wait(), 60)
    return bot


async def burst_figures(fake: FakeDiscord, ids: Ids, size: int, check_answers: bool) -> dict[str, float]:
    questions = distinct_questions(size, repeat=not check_answers)
    sent = await send_burst(fake, questions, ids.take(size))
    outcomes = await settle(fake, sent, SETTLE_TIMEOUT)
    kinds = Counter(o.kind for o in outcomes)
    latencies = [o.first_response_s for o in outcomes if o.first_response_s is not None]
    figures = {
        "answered": kinds["answered"],
        "busy": kinds["busy"],
        "lost": kinds["lost"] + kinds["error"],
        "late": sum(1 for i in sent if i in fake.late),
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
    }
    if check_answers:
        figures["differing"] = sum(
            1
            for q, o in zip(questions, outcomes, strict=True)
            if o.kind == "answered" and not same_answer(o.embed, expected_embed(q))
        )
    return figures


async def alone_latency(fake: FakeDiscord, ids: Ids, rounds: int = 10) -> float:
    """Median first-response time of one /ask with nothing else going on."""
    times = []
    for question in distinct_questions(rounds):
        [sent] = await send_burst(fake, [question], ids.take(1))
        [outcome] = await settle(fake, [sent], 30)
        if outcome.first_response_s is not None:
            times.append(outcome.first_response_s)
    return statistics.median(times)


async def stream_figures(fake: FakeDiscord, bot: Any, ids: Ids) -> dict[str, float]:
    """1,000 events, every tenth malformed, sent back to back."""
    questions = distinct_questions(900, repeat=True)
    good: list[str] = []
    for index in range(1000):
        if index % 10 == 9:
            await fake.dispatch("INTERACTION_CREATE", _malformed(index))
        else:
            good += await send_burst(fake, [questions[len(good)]], ids.take(1))
    outcomes = await settle(fake, good, SETTLE_TIMEOUT)
    kinds = Counter(o.kind for o in outcomes)
    return {
        "good answered": kinds["answered"],
        "good lost": 900 - kinds["answered"] - kinds["busy"],
        "alive": float(bot.process.returncode is None),
    }


async def sigterm_figures(fake: FakeDiscord, tmp: Path, ids: Ids) -> dict[str, float]:
    bot = await started_bot(fake, tmp)
    try:
        questions = distinct_questions(200)
        sending = asyncio.ensure_future(send_burst(fake, questions, ids.take(200)))
        await asyncio.sleep(0.05)  # mid-burst
        bot.process.send_signal(signal.SIGTERM)
        sent = await sending
        code = await asyncio.wait_for(bot.exited(), 60)
        outcomes = await settle(fake, sent, 2)
    finally:
        if bot.process.returncode is None:
            bot.process.kill()
            await bot.process.wait()
    kinds = Counter(o.kind for o in outcomes)
    # Received = the bot sent a response (an answer, a defer, or "restarting"); lost = acknowledged
    # (deferred) but never answered, or an answer never completed.
    acknowledged = [o for o in outcomes if fake.callbacks(o.interaction_id)]
    return {
        "received": len(acknowledged),
        "answered": kinds["answered"],
        "restarting": kinds["restarting"],
        "lost after ack": sum(1 for o in acknowledged if o.kind not in ("answered", "restarting")),
        "exit code": float(code),
        "ERROR lines": float(bot.stderr.count(" ERROR ")),
    }


def _copy_articles(archive: Path, folder: Path, numbers: range) -> list[str]:
    folder.mkdir(exist_ok=True)
    for number in numbers:
        for path in archive.glob(f"synthetic-{number:05d}.*"):
            shutil.copy(path, folder / path.name)
    return [f"synthetic-{number:05d}" for number in numbers]


async def reload_figures(fake: FakeDiscord, tmp: Path, ids: Ids) -> dict[str, float]:
    """200 /ask while 10 articles are added (issue 10's reload goal, over Discord), then a question
    that only a new article answers."""
    archive, knowledge = tmp / "archive", tmp / "reload-knowledge"
    write_archive(archive, 13, seed=5)
    old = _copy_articles(archive, knowledge, range(1, 4))
    (tmp / "reload").mkdir()
    bot = await started_bot(fake, tmp / "reload", knowledge)
    try:
        new = _copy_articles(archive, knowledge, range(4, 14))
        questions = distinct_questions(200)
        sent: list[str] = []
        for start in range(0, 200, 25):  # ~3 s: past the watcher's debounce (1.6 s) and into the rebuild
            sent += await send_burst(fake, questions[start : start + 25], ids.take(25))
            await asyncio.sleep(0.4)
        outcomes = await settle(fake, sent, SETTLE_TIMEOUT)
        reloaded_during = "reloaded in" in bot.stderr
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while "reloaded in" not in bot.stderr and loop.time() < deadline:
            await asyncio.sleep(0.2)
        old_text = " ".join((archive / f"{i}.txt").read_text() for i in old)
        name = next(
            word
            for i in new
            for word in re.findall(r"\b[A-Z][a-z]{5,}\b", (archive / f"{i}.txt").read_text())
            if word not in old_text
        )
        [after] = await settle(fake, await send_burst(fake, [f"Who is {name}?"], ids.take(1)), 30)
    finally:
        await bot.stop()
    kinds = Counter(o.kind for o in outcomes)
    cited = str(after.embed or {})
    return {
        "answered": kinds["answered"],
        "errors": kinds["error"],
        "lost": kinds["lost"],
        "busy": kinds["busy"],
        "reloaded by the last answer": float(reloaded_during),
        "next question from a new article": float(after.kind == "answered" and any(i in cited for i in new)),
    }


SLOW_CALLBACK_SECONDS = 0.3


def answer_seconds(fake: FakeDiscord, interaction_id: str) -> float | None:
    """From dispatch to the accepted message carrying the answer (callback or follow-up) reaching
    the fake; None when there is none."""
    sent = [
        r
        for r in fake.callbacks(interaction_id) + fake.followups(interaction_id)
        if r.accepted and ((r.json or {}).get("embeds") or ((r.json or {}).get("data") or {}).get("embeds"))
    ]
    return sent[0].at - fake.dispatched_at[interaction_id] if sent else None


async def slow_discord_figures(fake: FakeDiscord, tmp: Path, ids: Ids) -> dict[str, dict[str, float]]:
    """800 /ask at once while Discord takes :data:`SLOW_CALLBACK_SECONDS` per callback; then 200
    sent 20 a second while it takes 1 s per callback (answers must not wait for Discord's replies)."""
    (tmp / "slow").mkdir()
    bot = await started_bot(fake, tmp / "slow")
    fault = fake.inject("callback", None, delay=SLOW_CALLBACK_SECONDS, times=1_000_000)
    try:
        burst = await burst_figures(fake, ids, 800, check_answers=False)
        fault.delay = 1.0
        questions = distinct_questions(200, repeat=True)
        sent: list[str] = []
        for start in range(0, 200, 10):
            sent += await send_burst(fake, questions[start : start + 10], ids.take(10))
            await asyncio.sleep(0.5)
        outcomes = await settle(fake, sent, SETTLE_TIMEOUT)
        answer_times = [t for t in (answer_seconds(fake, i) for i in sent) if t is not None]
        stream = {
            "answered": Counter(o.kind for o in outcomes)["answered"],
            "late": sum(1 for i in sent if i in fake.late),
            "answer p50": percentile(answer_times, 0.50),
            "answer p99": percentile(answer_times, 0.99),
        }
    finally:
        fake.faults.remove(fault)
        await bot.stop()
    return {"800 at once, 0.3 s callbacks": burst, "200 at 20/s, 1 s callbacks": stream}


async def one_run(run: int, verbose: bool, only: str | None = None) -> dict[str, dict[str, float]]:
    fake = FakeDiscord(token=TOKEN)
    await fake.start()
    ids = Ids()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if only is not None:
            if only == "reload":
                results["200 during a reload (+10)"] = await reload_figures(fake, tmp, ids)
            else:
                results |= await slow_discord_figures(fake, tmp, ids)
            await fake.stop()
            print(f"run {run}:")
            _print(results)
            return results
        bot = await started_bot(fake, tmp)
        try:
            pid = bot.process.pid
            results["alone"] = {"first response s": await alone_latency(fake, ids)}
            rss_start = rss_mb(pid)
            # The goal's reading: 2,000 interactions as a channel sends them (bursts of 100), RSS
            # compared once the views have timed out; a 2,000-at-once burst is measured after.
            await burst_figures(fake, ids, 100, check_answers=False)
            await asyncio.sleep(VIEW_TIMEOUT + 1.5)
            rss_100 = rss_mb(pid)
            for _ in range(19):
                await burst_figures(fake, ids, 100, check_answers=False)
            await asyncio.sleep(VIEW_TIMEOUT + 1.5)
            rss_2000 = rss_mb(pid)
            results["2000 at once"] = await burst_figures(fake, ids, 2000, check_answers=False)
            await asyncio.sleep(VIEW_TIMEOUT + 1.5)
            rss_at_once = rss_mb(pid)
            results["RSS MB"] = {
                "start": rss_start,
                "after 100": rss_100,
                "after 2,000": rss_2000,
                "2,000 / 100": rss_2000 / rss_100,
                "after 2,000 more at once": rss_at_once,
            }
            for size in (50, 200, 500):
                results[f"burst {size}"] = await burst_figures(fake, ids, size, check_answers=True)
                results[f"burst {size}"]["p99 / alone"] = (
                    results[f"burst {size}"]["p99"] / results["alone"]["first response s"]
                )
            results["stream 1000 (100 malformed)"] = await stream_figures(fake, bot, ids)
        finally:
            await bot.stop()
            notable = [line for line in bot.stderr.splitlines() if " WARNING " in line or " ERROR " in line]
            if verbose:
                print("\n".join(notable[-40:]))
        results["SIGTERM in a burst of 200"] = await sigterm_figures(fake, tmp, ids)
        results["200 during a reload (+10)"] = await reload_figures(fake, tmp, ids)
        results |= await slow_discord_figures(fake, tmp, ids)
    await fake.stop()
    print(f"run {run}:")
    _print(results)
    return results


def _print(results: dict[str, dict[str, float]]) -> None:
    for name, figures in results.items():
        shown = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) and v % 1 else f"{k} {v:g}" for k, v in figures.items()
        )
        print(f"  {name:30} {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (default 3)")
    parser.add_argument("--only-reload", action="store_true", help="measure only the burst during a reload")
    parser.add_argument(
        "--only-slow", action="store_true", help="measure only the burst against slow interaction callbacks"
    )
    parser.add_argument("--log", action="store_true", help="print the bot's last WARNING/ERROR lines of each run")
    parser.add_argument(
        "--threads",
        action="store_true",
        help="let /ask open a thread per answer (discord.threads, off by default here: it adds a request per "
        "answer and a conversation kept per thread, up to discord.conversations_max, which RSS would count)",
    )
    args = parser.parse_args()
    if args.threads:
        THREADS.clear()
    started = time.perf_counter()
    only = "reload" if args.only_reload else "slow" if args.only_slow else None
    runs = [asyncio.run(one_run(n + 1, args.log, only)) for n in range(args.runs)]
    medians = {name: {key: statistics.median(r[name][key] for r in runs) for key in runs[0][name]} for name in runs[0]}
    print(f"medians over {args.runs} run(s) ({time.perf_counter() - started:.0f} s in all):")
    _print(medians)
    return 0


if __name__ == "__main__":
    sys.exit(main())
