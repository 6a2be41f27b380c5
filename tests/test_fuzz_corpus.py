"""The seeded corpus of tests/fuzz_corpus.py in one knowledge folder: each file is read as an article
holding its words, left out as litter, or reported in one line that names it and says the fix; one
bad file never takes another down, and damaged copies of every article never crash the loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge import ERROR, KnowledgeFolder, load_folder

from .fuzz_corpus import ARTICLE, LITTER, PROBLEM, corpus, mutations, write

CASES = {case.name: case for case in corpus(seed=11)}


def _folded(text: str) -> str:
    """White space runs as one space, invisible marks dropped: how a reader sees a paragraph."""
    text = re.sub("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]", "", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeFolder:
    folder = tmp_path_factory.mktemp("fuzz") / "knowledge"
    write(folder, list(CASES.values()))
    return load_folder(folder)


def _articles_by_file(loaded: KnowledgeFolder) -> dict[str, object]:
    return {article.path.name: article for article in loaded.articles}


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.expect == ARTICLE])
def test_each_article_kind_is_read_with_its_words_in_a_paragraph(loaded: KnowledgeFolder, name: str) -> None:
    case = CASES[name]
    article = _articles_by_file(loaded).get(name)
    errors = [p.message for p in loaded.problems if p.path.name == name and p.severity == ERROR]
    assert article is not None, errors
    paragraphs = [_folded(article.text[b.start : b.end]) for b in article.blocks]  # type: ignore[attr-defined]
    assert any(case.needle in paragraph for paragraph in paragraphs), paragraphs
    if case.title is not None:
        assert _folded(article.title) == case.title  # type: ignore[attr-defined]
    assert errors == []


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.expect == PROBLEM])
def test_each_refused_file_is_one_line_naming_it_and_the_fix(loaded: KnowledgeFolder, name: str) -> None:
    case = CASES[name]
    lines = [p.message for p in loaded.problems if p.path.name == name]
    assert len(lines) == 1, lines
    (line,) = lines
    assert line.startswith(str(loaded.directory / name)) and "\n" not in line
    assert case.needle in line
    assert name not in _articles_by_file(loaded)


def test_litter_is_left_out_without_a_word(loaded: KnowledgeFolder) -> None:
    litter = {n for n, c in CASES.items() if c.expect == LITTER}
    assert [p.message for p in loaded.problems if p.path.name in litter] == []
    assert litter.isdisjoint(_articles_by_file(loaded))


def test_every_problem_line_is_one_line_that_names_its_file(loaded: KnowledgeFolder) -> None:
    for problem in loaded.problems:
        assert "\n" not in problem.message and problem.message.startswith(str(problem.path)), problem.message


@pytest.mark.slow
def test_damaged_copies_of_every_article_are_read_or_reported_in_one_line(tmp_path: Path) -> None:
    cases = list(CASES.values())
    folder = tmp_path / "knowledge"
    write(folder, [c for c in cases if c.name in ("SHOUTING.TXT", "_outside_real")])
    damaged = dict(mutations(cases, seed=3, per_case=3))
    for name, data in damaged.items():
        (folder / name).write_bytes(data)
    loaded = load_folder(folder)
    read = {a.path.name for a in loaded.articles}
    reported = {p.path.name for p in loaded.problems if p.severity == ERROR}
    for problem in loaded.problems:
        assert "\n" not in problem.message and problem.message.startswith(str(problem.path))
    # Every damaged file is an article or an error line (a same-text copy is a warning instead).
    duplicates = {p.path.name for p in loaded.problems if "same text as" in p.message}
    assert set(damaged) <= read | reported | duplicates
    assert "SHOUTING.TXT" in read
