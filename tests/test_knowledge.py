"""The knowledge folder: every article in it is loaded, validated and searchable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Config
from bot.engine import build_engine
from bot.errors import KnowledgeError
from bot.knowledge import WARNING, load_article, load_articles, load_folder
from bot.router import Router

from .conftest import SHIPPED_ARTICLE

SECOND_ARTICLE = """Harbour cranes return to Latakia
Port workers in Latakia repaired three container cranes in March 2019, a harbour official said.
The Latakia port authority expects cargo volumes to double once the cranes are certified by inspectors.
"""


def knowledge_with_two_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(SHIPPED_ARTICLE, folder / SHIPPED_ARTICLE.name)
    shutil.copy(SHIPPED_ARTICLE.with_name("al-bukamal-2019.meta.yaml"), folder)
    (folder / "latakia-port.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    return folder


def test_shipped_metadata_is_loaded() -> None:
    (article,) = load_articles(SHIPPED_ARTICLE.parent)
    assert article.id == "al-bukamal-2019"
    assert article.title == "Al Bukamal: The hub of Iran’s 'land bridge'"
    assert article.published == "2019-09" and article.published_year == 2019
    assert article.byline is None and article.url is None


def test_answers_come_from_the_article_that_has_them(tmp_path: Path) -> None:
    router = Router(build_engine(Config(knowledge_dir=knowledge_with_two_articles(tmp_path))))
    cranes = router.ask("How many cranes did the Latakia port workers repair?")
    assert cranes.answered and cranes.passages[0].article == "latakia-port"
    assert "Harbour cranes return to Latakia" in str(cranes.passages[0].citation)
    muhandis = router.ask("Who runs Kata'ib Hezbollah?")
    assert muhandis.passages[0].article == "al-bukamal-2019"
    assert {a.id for a in router.source().articles} == {"al-bukamal-2019", "latakia-port"}


def test_title_defaults_to_the_first_line(tmp_path: Path) -> None:
    articles = {a.id: a for a in load_articles(knowledge_with_two_articles(tmp_path))}
    assert articles["latakia-port"].title == "Harbour cranes return to Latakia"


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ("title: T\nauthor: Someone\n", "latakia-port.meta.yaml:2: author: unknown key; allowed: title, published,"),
        ("published: September 2019\n", 'latakia-port.meta.yaml:1: published: expected a date like "2019", "2019-09"'),
        ("title: [a, b]\n", "latakia-port.meta.yaml:1: title: expected text, got a list"),
        ("title: 'unclosed\n", "latakia-port.meta.yaml:1: invalid YAML"),  # the quote opens on line 1, the only line
    ],
)
def test_bad_metadata_names_file_and_line_and_the_article_still_loads(tmp_path: Path, meta: str, message: str) -> None:
    folder = knowledge_with_two_articles(tmp_path)
    (folder / "latakia-port.meta.yaml").write_text(meta, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=message.replace("(", r"\(")):
        load_article(folder / "latakia-port.txt")
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["al-bukamal-2019", "latakia-port"]
    assert loaded.articles[1].title == "Harbour cranes return to Latakia"
    (problem,) = loaded.problems
    assert message in problem.message and problem.message.endswith("(metadata ignored)")
    assert problem.severity == WARNING and "\n" not in problem.message


def test_unquoted_published_date_is_accepted(tmp_path: Path) -> None:
    folder = knowledge_with_two_articles(tmp_path)
    (folder / "latakia-port.meta.yaml").write_text("published: 2021-03-04\n", encoding="utf-8")
    assert load_article(folder / "latakia-port.txt").published == "2021-03-04"


def test_empty_or_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="no articles"):
        load_articles(tmp_path)
    with pytest.raises(KnowledgeError, match="knowledge folder not found"):
        load_articles(tmp_path / "missing")


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (
            "title: T\nPublished: 2019\n",
            ":2: Published: unknown key (did you mean 'published'?); allowed: title, published, byline, url, language",
        ),
        ("title: T\nbyline:\n  name: Ann\n", ":2: byline: expected text, got a mapping"),
        ("published: 19\n", ':1: published: expected a date like "2019", "2019-09" or "2019-09-04", got 19 (int)'),
        ("title: A\nurl: x\ntitle: B\n", ":3: title: the key appears twice (first on line 1)"),
    ],
)
def test_a_metadata_error_names_file_line_and_key_exactly(tmp_path: Path, meta: str, message: str) -> None:
    folder = knowledge_with_two_articles(tmp_path)
    path = folder / "latakia-port.meta.yaml"
    path.write_text(meta, encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_article(folder / "latakia-port.txt")
    assert str(error.value).startswith(f"{path}{message}")


def test_unquoted_numbers_in_metadata_are_their_text(tmp_path: Path) -> None:
    folder = knowledge_with_two_articles(tmp_path)
    (folder / "latakia-port.meta.yaml").write_text("title: 1984\npublished: 2019\n", encoding="utf-8")
    article = load_article(folder / "latakia-port.txt")
    assert (article.title, article.published, article.published_year) == ("1984", "2019", 2019)
