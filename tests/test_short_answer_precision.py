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
from bot.retrieval.question_type import expected_type, fix_question_word
from bot.retrieval.spans import numbers, of_measure
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
    fixed, fix = fix_question_word("wen did al qaeda pledge aleigance to islamic state", lambda word: False)
    assert fix == ("wen", "when")
    expected = expected_type(fixed)
    assert expected is not None and expected.kind == "date"


def test_what_before_a_verb_asks_for_no_actor() -> None:
    # "what do militias do" asks what they do; "what town is X adjacent to" still asks for a town.
    assert expected_type("What do militias do at al-Bukamal?") is None
    town = expected_type("What town is al-Bukamal adjacent to?")
    assert town is not None and town.head == "town"


def test_a_passive_question_takes_who_it_happened_to_not_another_verbs_subject(shipped: Router) -> None:
    # "The airstrike on a convoy ... killed a member of the PMU's 45th Brigade. Abu Mahdi al-Muhandis
    # ... paid a condolence call to the family of the man killed": he is not the one killed.
    short = shipped.ask("Who was killed in the convoy strike?").short_answer
    assert short is None or "45th Brigade" in short.text


def test_which_town_is_the_name_after_of_not_the_adjective_before_the_noun(shipped: Router) -> None:
    short = shipped.ask("What town is al-Bukamal adjacent to?").short_answer
    assert short is not None and short.text == "al-Qa’im"


def test_a_misspelled_when_gets_the_date(shipped: Router) -> None:
    short = shipped.ask("wen did al qaeda pledge aleigance to islamic state").short_answer
    assert short is not None and short.text == "June 2014"


def test_a_how_much_answer_is_never_a_duration() -> None:
    text = "The old bridge reopened after three years of repairs, which cost 2 million dollars."
    found = numbers(text, "how much did the repairs cost", False)
    assert [text[a:b] for a, b in of_measure(text, found, "much")] == ["2 million dollars"]
    alone = "The old bridge reopened after three years of repairs."
    assert of_measure(alone, numbers(alone, "how much did the repairs cost", False), "much") == []


OTHER = {
    "raqqa": "Bridge reopens in Raqqa\n\nThe old bridge in Raqqa reopened in May 2021 after three years of repairs.\n\n"
    "Engineers from the city council led the work, which cost 2 million dollars.\n",
    "tartus": "Port of Tartus expands\n\nThe port of Tartus in Syria will add two new berths by 2023, the harbour "
    "authority said on Thursday.\n\nThe expansion is funded by a Russian company under a 49-year lease signed in "
    "2019, officials said.\n",
}


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
@pytest.mark.parametrize(
    ("question", "wrong", "right"),
    [
        ("How much did the Raqqa bridge repairs cost?", "three years", "2 million dollars"),
        ("Who funds the Tartus expansion?", "Syria", "Russian company"),
    ],
)
def test_other_articles_give_no_wrong_short_answer(
    tmp_path: Path, mode: str, question: str, wrong: str, right: str
) -> None:
    for name, text in OTHER.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    router = Router(build_engine(Config(knowledge_dir=tmp_path, retrieval=RetrievalSettings(mode=mode))))
    short = router.ask(question).short_answer
    assert short is None or (right in short.text and wrong not in short.text), short


def test_an_aim_is_not_the_act_asked_about(shipped: Router) -> None:
    # "the US and its Syrian rebel allies set their sights on liberating al-Bukamal" (an aim, 2016);
    # "the Syrian regime ended up liberating al-Bukamal from ISIS in November 2017" (the act).
    short = shipped.ask("Who liberated al-Bukamal from ISIS?").short_answer
    assert short is None or "Syrian regime" in short.text
