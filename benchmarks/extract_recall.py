"""How much of the curated timeline and actors the extractor finds on its own.

Runs `bot.extraction` on the shipped article with its curated files set aside (the article and its
metadata are copied to a temporary folder) and prints:
- event recall: curated events for which a draft has the same normalised date in the same paragraph;
- actor recall: curated actors one of whose names (compared as lookup keys) a draft uses.

    python benchmarks/extract_recall.py [ARTICLE.txt]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bot.actors import lookup_key
from bot.curated import draft_knowledge, load_knowledge
from bot.knowledge import load_article

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = REPO / "knowledge" / "al-bukamal-2019.txt"


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_ARTICLE
    curated = load_knowledge(load_article(source))
    if curated.timeline_automatic or curated.actors_automatic:
        print(f"{source}: needs curated .timeline.yaml and .actors.yaml beside it to compare with")
        return 2
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / source.name
        shutil.copy(source, copy)
        meta = source.with_name(source.name[: -len(".txt")] + ".meta.yaml")
        if meta.exists():
            shutil.copy(meta, copy.with_name(meta.name))
        drafted = draft_knowledge(load_article(copy))

    found_dates = {(e.date, e.paragraph) for e in drafted.events}
    missed_events = [e for e in curated.events if (e.date, e.paragraph) not in found_dates]
    drafted_keys = {lookup_key(name) for actor in drafted.actors for name in actor.names}
    missed_actors = [a for a in curated.actors if not any(lookup_key(n) in drafted_keys for n in a.names)]

    events_found = len(curated.events) - len(missed_events)
    actors_found = len(curated.actors) - len(missed_actors)
    print(f"article: {source.name}")
    print(
        f"events: {events_found}/{len(curated.events)} = {events_found / len(curated.events):.0%} recall "
        f"(same date and paragraph; {len(drafted.events)} drafted)"
    )
    print(
        f"actors: {actors_found}/{len(curated.actors)} = {actors_found / len(curated.actors):.0%} recall "
        f"(any name in common; {len(drafted.actors)} drafted)"
    )
    for event in missed_events:
        print(f"  missed event: {event.date} ¶{event.paragraph} {event.event}")
    for actor in missed_actors:
        print(f"  missed actor: {actor.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
