"""What a follow-up costs over the same question asked alone (goal: at most 2 ms more, medians).

For each follow-up of tests/data/conversations.yaml, times ``Router.ask(follow_up, conversation=...)``
on a conversation holding the turns before it, and ``Router.ask(read_as)``: the question as it was
read, asked on its own (the same retrieval, without the reading, the own-words check and the
recording of the turn). Prints, per mode, the median of both, the median per-question difference
and the ratio, all measured in the same run. Usage: python benchmarks/bench_followup.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def measure(mode: str, rounds: int) -> None:
    from bot.config import Config, RetrievalSettings
    from bot.conversation import Conversation
    from bot.conversation_eval import load_conversations
    from bot.engine import build_engine
    from bot.router import Router

    router = Router(build_engine(Config(retrieval=RetrievalSettings(mode=mode))))
    cases = []  # (turns before, follow-up, read as)
    for conversation in load_conversations(REPO / "tests" / "data" / "conversations.yaml"):
        state = Conversation()
        for turn in conversation:
            before = state.turns()
            answer = router.ask(turn.question, conversation=state)
            if before:
                cases.append((before, turn.question, answer.read_as or turn.question))
    follow_ms: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    alone_ms: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    for round_number in range(rounds):
        for index, (before, question, read_as) in enumerate(cases):
            state = Conversation()
            for turn in before:
                state.add(turn)
            # Alternate which goes first, so a warm cache or a busy core does not favour one side.
            timed = [
                (follow_ms, lambda q=question, c=state: router.ask(q, conversation=c)),
                (alone_ms, lambda q=read_as: router.ask(q)),
            ]
            for samples, ask in timed if round_number % 2 == 0 else reversed(timed):
                start = time.perf_counter()
                ask()
                samples[index].append((time.perf_counter() - start) * 1000)
    follow = [statistics.median(v) for v in follow_ms.values()]
    alone = [statistics.median(v) for v in alone_ms.values()]
    extra = [f - a for f, a in zip(follow, alone, strict=True)]
    print(
        f"{mode:9} {len(cases)} follow-ups x {rounds} rounds: alone {statistics.median(alone):6.2f} ms, "
        f"follow-up {statistics.median(follow):6.2f} ms, extra per question: median "
        f"{statistics.median(extra):+5.2f} ms, worst {max(extra):+5.2f} ms "
        f"(ratio {statistics.median(follow) / statistics.median(alone):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    from bot import semantic

    for mode in ("bm25", "semantic") if semantic.available() else ("bm25",):
        measure(mode, args.rounds)


if __name__ == "__main__":
    main()
