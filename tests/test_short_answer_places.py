"""Place answers state where the question's own words happen (newcomer findings, shipped article,
both modes): a where-question's place is said with its verb or noun, a possessive is no place, a
direction is part of the answer, and a bare infinitive or idiom is no place phrase."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, RetrievalSettings
from bot.engine import build_engine
from bot.router import Router

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=["bm25", "semantic"])
def shipped(request: pytest.FixtureRequest) -> Router:
    config = Config(knowledge_dir=ROOT / "knowledge", retrieval=RetrievalSettings(mode=request.param))
    return Router(build_engine(config))


def test_a_place_not_said_with_the_questions_words_is_no_answer(shipped: Router) -> None:
    # "the US would use Iraq to 'watch' Iran": the place is Iraq, which the question names; "taking
    # place in Syria" and "US forces in Tanf" are where other things happen.
    answer = shipped.ask("Where does the US want to use Iraq to watch Iran?")
    assert answer.answered and answer.short_answer is None


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        ("Where are US forces still stationed?", "al-Tanf"),  # "al-Tanf, where US forces are still stationed"
        ("where did the rebels get their training?", "Jordan"),  # "after initially training in Jordan"
        ("Where is al-Tanf?", "South of al-Bukamal"),  # the direction places it
        ("What town is al-Bukamal next to?", "al-Qa’im"),
        ("What town borders al-Bukamal?", "al-Qa’im"),
        ("what river is the town on", "Euphrates"),
    ],
)
def test_the_place_said_with_the_question_is_the_answer(shipped: Router, question: str, gold: str) -> None:
    short = shipped.ask(question).short_answer
    assert short is not None and short.type == "place" and short.text == gold
    text = shipped.engine.articles[short.article].text
    assert text[short.start : short.end] == gold


def test_a_possessive_is_no_place(shipped: Router) -> None:
    # "a key role in Tehran's regional ambitions": Tehran describes the ambitions.
    short = shipped.ask("Which city is the hub of Iranian activity?").short_answer
    assert short is None or "Tehran" not in short.text


@pytest.mark.parametrize("question", ["Who uses the area as a junction?", "who uses al-Bukamal as a junction?"])
def test_no_actor_uses_the_area_as_a_junction(shipped: Router, question: str) -> None:
    # "a highway of pro-Iranian power using the area as a junction": no name stands in that slot.
    assert shipped.ask(question).short_answer is None


def test_an_idiom_or_an_organisation_after_a_locative_is_no_place(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text(
        "New base\n\nThe army is building a new base from scratch, according to analysis from ImageSat "
        "International.\n\nThe old depot stands at the north gate of the camp.\n",
        encoding="utf-8",
    )
    router = Router(build_engine(Config(knowledge_dir=tmp_path, retrieval=RetrievalSettings(mode="bm25"))))
    short = router.ask("Where is the army building the new base?").short_answer
    assert short is None
    depot = router.ask("Where does the old depot stand?").short_answer
    assert depot is not None and depot.text == "north gate of the camp"
