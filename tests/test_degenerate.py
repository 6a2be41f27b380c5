"""Degenerate structure never crashes: credits, punctuation, titles alone, empty lines, tiny articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.engine import build_engine
from bot.errors import KnowledgeError
from bot.router import Router

from .test_reader import PARAGRAPHS, TITLE, harbour

BODY = "\n".join(PARAGRAPHS)

# Each is one article file; every one must load (or be refused in one line) and answer what it holds.
SHAPES = {
    "credit-line": f"{TITLE}\n{PARAGRAPHS[0]}\n(Photo credit: Staff)\n{PARAGRAPHS[1]}\n{PARAGRAPHS[2]}\n",
    "credit-after-caption": f"{TITLE}\nThe pier after the storm (photo credit: STAFF)\n{BODY}\n",
    "punctuation-lines": f"{TITLE}\n***\n{PARAGRAPHS[0]}\n...\n—\n{PARAGRAPHS[1]}\n•\n{PARAGRAPHS[2]}\n",
    "empty-lines": f"\n\n\n{TITLE}\n\n\n\n{PARAGRAPHS[0]}\n\n\n{PARAGRAPHS[1]}\n\n{PARAGRAPHS[2]}\n\n\n",
    "whitespace-lines": f"{TITLE}\n \t \n{PARAGRAPHS[0]}\n\u00a0\n{PARAGRAPHS[1]}\n\u200b\n{PARAGRAPHS[2]}\n",
    "no-final-newline": f"{TITLE}\n{BODY}",
    "tabs-and-indent": f"\t{TITLE}\n    {PARAGRAPHS[0]}\n\t{PARAGRAPHS[1]}\n  {PARAGRAPHS[2]}   \n",
    "repeated-paragraph": f"{TITLE}\n{PARAGRAPHS[0]}\n{PARAGRAPHS[1]}\n{PARAGRAPHS[1]}\n{PARAGRAPHS[2]}\n",
    "one-word-lines": f"{TITLE}\nBreakwater\n{PARAGRAPHS[0]}\nQuay\n{PARAGRAPHS[1]}\n{PARAGRAPHS[2]}\nEnd\n",
    "one-paragraph": f"{TITLE}\n{PARAGRAPHS[1]}\n",
    "two-paragraphs": f"{TITLE}\n{PARAGRAPHS[0]}\n{PARAGRAPHS[1]}\n",
}


def engine_for(tmp_path: Path, text: str) -> Router:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "harbour.txt").write_text(text, encoding="utf-8")
    return Router(build_engine(Config(knowledge_dir=folder)))


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_command_works_on_a_degenerate_article(tmp_path: Path, shape: str) -> None:
    router = engine_for(tmp_path, SHAPES[shape])
    answer = router.ask("Where will the fishing fleet moor?")
    assert answer.answered
    assert PARAGRAPHS[1] in answer.passages[0].text
    router.timeline()
    router.actors()
    info = router.source().articles[0]
    assert info.title == TITLE and info.paragraphs >= 1
    # No empty or credit-only passage, and no passage twice.
    texts = [p.text for p in router.engine.passages]
    assert all(t.strip() and "credit" not in t.casefold() for t in texts)
    assert len(texts) == len(set(texts))


def test_a_credit_only_line_is_not_a_paragraph(tmp_path: Path) -> None:
    router = engine_for(tmp_path, SHAPES["credit-line"])
    assert router.source().articles[0].paragraphs == 3


def test_old_mac_line_ends_next_to_a_good_article_are_read_not_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "harbour.txt").write_bytes(harbour("\r", "\r").encode("utf-8"))
    other = "Cranes\nPort workers repaired three container cranes in March, an official said.\n"
    (folder / "other.txt").write_text(other, encoding="utf-8")
    router = Router(build_engine(Config(knowledge_dir=folder)))
    passages = [p for p in router.engine.passages if p.article_id == "harbour"]
    assert [p.text for p in passages] == PARAGRAPHS
    assert router.ask("Where will the fishing fleet moor?").passages[0].article == "harbour"


@pytest.mark.parametrize(
    "text", ["", "\n\n", TITLE, f"{TITLE}\n(Photo credit: Staff)\n", "***\n---\n", f"{TITLE}\n\n...\n"]
)
def test_an_article_with_nothing_to_cite_is_refused_in_one_line(tmp_path: Path, text: str) -> None:
    with pytest.raises(KnowledgeError) as error:
        engine_for(tmp_path, text)
    assert "harbour.txt" in str(error.value) and "\n" not in str(error.value)
