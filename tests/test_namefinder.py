"""The one-pass name finder matches what one regex per name (actors.alias_pattern) matched."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from benchmarks.synthetic_corpus import write_archive
from bot.actors import alias_pattern
from bot.curated import ArticleText, load_knowledge
from bot.knowledge import default_knowledge_dir, load_articles
from bot.namefinder import NameFinder


def regex_spans(text: str, groups: Sequence[Sequence[str]]) -> list[tuple[int, int, int]]:
    """What find_mentions found before the automaton: every name's regex, longest span first."""
    spans = [
        (match.start(), match.end(), index)
        for index, names in enumerate(groups)
        for name in names
        if name.strip()
        for match in alias_pattern(name).finditer(text)
    ]
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int, int]] = []
    for start, end, index in spans:
        if not any(start < t_end and t_start < end for t_start, t_end, _ in taken):
            taken.append((start, end, index))
    return sorted(taken)


def test_same_mentions_as_the_regexes_on_the_shipped_article() -> None:
    article = load_articles(default_knowledge_dir())[0]
    groups = [actor.names for actor in load_knowledge(article).actors]
    finder = NameFinder(groups)
    for _, _, text in ArticleText(article).segments:
        assert finder.find(text) == regex_spans(text, groups)


def test_same_mentions_as_the_regexes_on_drafted_names_of_other_articles(tmp_path: Path) -> None:
    write_archive(tmp_path, 3, seed=11)
    articles = load_articles(tmp_path)
    groups = [actor.names for article in articles for actor in load_knowledge(article).actors]
    finder = NameFinder(groups)
    for article in articles:
        for _, _, text in ArticleText(article).segments:
            assert finder.find(text) == regex_spans(text, groups)


@pytest.mark.parametrize(
    ("names", "text", "found"),
    [
        (["US"], "the U.S.-backed rebels and the US", ["U.S.", "US"]),
        (["US"], "between us and them, USA", []),
        (["Kata'ib Hezbollah"], "KATA’IB  HEZBOLLAH and Kataib-Hezbollah", ["KATA’IB  HEZBOLLAH", "Kataib-Hezbollah"]),
        (["Iran"], "Iran's base, Iranian forces, Tehran–Iran", ["Iran", "Iran"]),
        (["al-Tanf"], "al-Tanf, Al Tanf, Tanf and xal-Tanf", ["al-Tanf", "Al Tanf", "Tanf", "Tanf"]),
        (["St. Louis"], "St Louis or St. Louis", ["St Louis", "St. Louis"]),
    ],
)
def test_forgiving_spellings_and_whole_words(names: list[str], text: str, found: list[str]) -> None:
    spans = NameFinder([names]).find(text)
    assert [text[start:end] for start, end, _ in spans] == found
    assert spans == regex_spans(text, [names])


def test_the_longest_name_wins_and_a_shared_name_goes_to_the_first_group() -> None:
    groups = [["Hezbollah"], ["Kata'ib Hezbollah", "KH"], ["Hezbollah"]]
    text = "Kata'ib Hezbollah (KH) is not Hezbollah."
    assert NameFinder(groups).find(text) == [(0, 17, 1), (19, 21, 1), (30, 39, 0)]


def test_no_names_find_nothing() -> None:
    assert NameFinder([]).find("Iran") == []
    assert NameFinder([["Iran"]]).find("") == []


def test_overlaps_are_settled_as_a_scan_of_every_taken_span_settles_them() -> None:
    """longest_first's binary search keeps exactly the spans the plain quadratic scan kept."""
    import random

    from bot.namefinder import longest_first

    def scanned(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        taken: list[tuple[int, int, int]] = []
        for span in sorted(candidates, key=lambda s: (s[0] - s[1], s[0], s[2])):
            if not any(span[0] < end and start < span[1] for start, end, _ in taken):
                taken.append(span)
        return sorted(taken)

    rng = random.Random(3)
    for _ in range(300):
        candidates = []
        for _ in range(rng.randint(0, 40)):
            start = rng.randint(0, 120)
            candidates.append((start, start + rng.randint(1, 25), rng.randint(0, 5)))
        assert longest_first(list(candidates)) == scanned(candidates)


def _own_finder(groups: Sequence[Sequence[str]]) -> NameFinder:
    """A finder on an automaton of these groups alone (``NameFinder.shared`` may lend a bigger one)."""
    return NameFinder(groups)


def test_a_shared_automaton_finds_the_spans_of_a_finder_of_its_own_groups(tmp_path: Path) -> None:
    """Subsets, repeats, another order and blank names: a finder lent a bigger automaton finds exactly
    what one built over its own groups finds (the index's three users share one automaton)."""
    import random

    write_archive(tmp_path, 4, seed=5)
    articles = load_articles(tmp_path)
    every = [actor.names for article in articles for actor in load_knowledge(article).actors]
    assert len(every) > 40
    everything = NameFinder.shared(every)
    rng = random.Random(9)
    subsets = [
        every,
        every[::3],
        [names for names in every if len(names) > 1],  # the retriever's alias groups
        list(reversed(every)),
        [*every[:20], *every[:20], ("  ",), *every[5:30]],  # repeats and a blank name
        rng.sample(every, 25),
        [[*names, " "] for names in every[10:50]],
    ]
    for groups in subsets:
        lent = NameFinder.shared(groups)
        assert lent._core is everything._core  # no second automaton was built
        own = _own_finder(groups)
        assert own._core is not everything._core
        for article in articles:
            for _, _, text in ArticleText(article).segments:
                assert lent.find(text) == own.find(text)


def test_shared_builds_one_automaton_for_many_threads_and_they_find_the_same_spans(tmp_path: Path) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    write_archive(tmp_path, 3, seed=13)
    articles = load_articles(tmp_path)
    groups = [(*actor.names, "Zyxwv Unique Marker") for article in articles for actor in load_knowledge(article).actors]
    texts = [text for article in articles for _, _, text in ArticleText(article).segments]
    alone = [_own_finder(groups).find(text) for text in texts]
    threads = 16
    barrier = threading.Barrier(threads)

    def work(offset: int) -> tuple[NameFinder, list[list[tuple[int, int, int]]]]:
        barrier.wait()
        finder = NameFinder.shared(groups)
        return finder, [finder.find(text) for text in texts[offset:] + texts[:offset]]

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(work, range(threads)))
    assert len({id(finder._core) for finder, _ in results}) == 1  # built once, under the lock
    for offset, (_, found) in enumerate(results):
        assert found == alone[offset:] + alone[:offset]
