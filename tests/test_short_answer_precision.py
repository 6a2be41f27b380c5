"""Short-answer precision: a bold short answer only when its sentence states the relation asked about.

The newcomer's confident-and-wrong cases (FINDINGS, semantic and bm25 mode, shipped article): each
got a name from a sentence that does not say what the question asks (president, leader, killed,
funds, runs, bombed, trained, uses). The passage answer stays; only the short answer goes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, RetrievalSettings
from bot.engine import build_engine
from bot.retrieval.question_type import expected_type
from bot.router import Router

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=["bm25", "semantic"])
def shipped(request: pytest.FixtureRequest) -> Router:
    config = Config(knowledge_dir=ROOT / "knowledge", retrieval=RetrievalSettings(mode=request.param))
    return Router(build_engine(config))


@pytest.mark.parametrize(
    "question",
    [
        "Who is the president of Syria?",
        "Who is the leader of Iran?",
        "Who killed Saddam?",
        "Who funds Kataib Hezbollah?",
        "Who runs Hezbollah?",
        "who bombed the kataib hezbollah base in 2018?",
        "who trained the nsa in jordan",
        "What do militias do at al-Bukamal?",
    ],
)
def test_no_short_answer_when_no_sentence_states_the_asked_relation(shipped: Router, question: str) -> None:
    answer = shipped.ask(question)
    assert answer.short_answer is None, answer.short_answer


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        ("Who runs Kata'ib Hezbollah?", "Abu Mahdi al-Muhandis"),  # "This group is run by ..."
        ("Who backed the New Syrian Army?", "US"),  # "It received backing from the US"
    ],
)
def test_the_agent_of_the_asked_relation_is_still_the_short_answer(shipped: Router, question: str, gold: str) -> None:
    short = shipped.ask(question).short_answer
    assert short is not None and gold in short.text


def test_a_misspelled_when_is_read_as_when() -> None:
    expected = expected_type("wen did al qaeda pledge aleigance to islamic state")
    assert expected is not None and expected.kind == "date"


def test_what_before_a_verb_asks_for_no_actor() -> None:
    # "what do militias do" asks what they do; "what town is X adjacent to" still asks for a town.
    assert expected_type("What do militias do at al-Bukamal?") is None
    town = expected_type("What town is al-Bukamal adjacent to?")
    assert town is not None and town.head == "town"
