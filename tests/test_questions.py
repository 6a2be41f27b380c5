"""Questions on small knowledge folders: the one IDF, decoration around a question, repeated passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import BM25Settings, Config, RetrievalSettings
from bot.engine import build_engine
from bot.retrieval import build_scorer, idf
from bot.router import Router

TITLE = "Council approves breakwater"
HARBOUR = [
    "The harbour council approved a new breakwater made of granite blocks after winter storms damaged the pier twice.",
    "Work on the breakwater starts in March and the fishing fleet will moor at the north quay until it is finished.",
    "The mayor said the granite comes from a quarry inland and that the cost is shared with the regional port"
    " authority.",
]
MODES = ["bm25", "semantic"]


def knowledge(folder: Path, articles: dict[str, list[str]]) -> Path:
    """A knowledge folder with one ``<id>.txt`` per article: the title line, then one paragraph per line."""
    folder.mkdir(parents=True, exist_ok=True)
    for article_id, paragraphs in articles.items():
        (folder / f"{article_id}.txt").write_text("\n".join([TITLE, *paragraphs]) + "\n", encoding="utf-8")
    return folder


def router_for(folder: Path, mode: str) -> Router:
    return Router(build_engine(Config(knowledge_dir=folder, retrieval=RetrievalSettings(mode=mode))))


@pytest.mark.parametrize("mode", MODES)
def test_a_two_paragraph_article_answers_a_question_in_its_own_words(tmp_path: Path, mode: str) -> None:
    # Every word is in one of two passages or both: Okapi's IDF is 0 for "breakwater", the one IDF is not.
    router = router_for(knowledge(tmp_path / "k", {"harbour": HARBOUR[:2]}), mode)
    answer = router.ask("What is the breakwater made of?")
    assert answer.answered and "made of granite blocks" in answer.passages[0].text


@pytest.mark.parametrize("mode", MODES)
def test_a_question_naming_the_articles_most_common_word_is_answered(mode: str) -> None:
    router = Router(build_engine(Config(retrieval=RetrievalSettings(mode=mode))))
    answer = router.ask("Where is al-Bukamal?")
    assert answer.answered and answer.passages[0].text.count("al-Bukamal") >= 1


def test_the_scorer_weighs_a_token_with_the_one_idf_even_when_every_passage_has_it() -> None:
    scorer = build_scorer([["breakwat", "granit"], ["breakwat", "fleet"]], [2, 2], BM25Settings(k1=1.2, b=0.75))
    # One occurrence in a passage of average length: BM25 is exactly the IDF.
    assert list(scorer.scores(["breakwat"])) == pytest.approx([idf(2, 2), idf(2, 2)])
    assert idf(2, 2) == pytest.approx(0.18232, abs=1e-5)


DECORATED = [
    '"{q}"',
    "“{q}”",
    "'{q}'",
    "«{q}»",
    "> {q}",
    "> **{q}**",
    "- {q}",
    "* {q}",
    "1. {q}",
    "- [ ] {q}",
    "## {q}",
    "**{q}**",
    "`{q}`",
    "_{q}_",
    "~~{q}~~",
    "||{q}||",
    "¿{q}",
    "¡{q}!",
    "...{q}",
    "({q})",
    "{q}???",
    "{q}?!",
    "{q} ?",
    "{q}.",
    "{q}",
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("Where will the fishing fleet moor", True),
        ("When does work on the breakwater start", True),
        ("What is the weather in Paris today", False),
    ],
)
def test_punctuation_and_markdown_around_a_question_never_change_the_answer(
    tmp_path: Path, mode: str, question: str, answered: bool
) -> None:
    router = router_for(knowledge(tmp_path / "k", {"harbour": HARBOUR}), mode)
    plain = router.ask(question + "?")
    assert plain.answered is answered
    for form in DECORATED:
        answer = router.ask(form.format(q=question + "?" if "{q}?" not in form and "{q} ?" not in form else question))
        assert answer.answered is answered, form
        assert [p.passage_id for p in answer.passages] == [p.passage_id for p in plain.passages], form


def test_a_paragraph_two_articles_share_appears_once_in_an_answer(tmp_path: Path) -> None:
    other = ["The ferry timetable changes in May, when the summer crossings to the island begin again.", HARBOUR[0]]
    router = router_for(knowledge(tmp_path / "k", {"harbour": HARBOUR, "ferry": other}), "bm25")
    answer = router.ask("What is the new breakwater made of?", top_k=3)
    texts = [p.text for p in answer.passages]
    assert answer.answered and texts.count(HARBOUR[0]) == 1 and len(texts) == len(set(texts))
