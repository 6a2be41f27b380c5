"""A question only a date or a number answers is declined unless a passage shown states one in a
sentence saying what is asked (bot/responder.py, ``requires_value``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, RetrievalSettings
from bot.engine import build_engine
from bot.retrieval.answerability import Evidence, Thresholds, is_answerable
from bot.retrieval.query import Query
from bot.retrieval.short_answer import expected_type, requires_value
from bot.router import Router

from .test_questions import knowledge

BRIDGE = [
    "The coast road over the Venn estuary will stay closed to lorries this winter, the county said on Monday.",
    "Inspectors found cracks in two of the Alder Bridge's four steel bearings last October and asked for them to"
    " be replaced within a year.",
    "The contract has not been signed because the county's lawyers dispute who pays if the work overruns."
    " The repair was put out to tender in February.",
    "The bridge was built between 1958 and 1962 to replace a ferry that had crossed the estuary since 1890.",
    "The flood of March 2021 tore away the old walkway beside the bridge. The county rebuilt the footpath in steel"
    " with a grant from the coast fund.",
]


@pytest.fixture(scope="module", params=["bm25", "semantic"])
def bridge(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Router:
    folder = knowledge(tmp_path_factory.mktemp("bridge") / "k", {"bridge": BRIDGE})
    return Router(build_engine(Config(knowledge_dir=folder, retrieval=RetrievalSettings(mode=request.param))))


@pytest.mark.parametrize(
    ("question", "needs"),
    [
        ("When will the contract be signed?", True),
        ("How many bearings are cracked?", True),
        ("How much did the repair cost?", True),
        ("How tall is the bridge?", True),
        ("How long is the bridge?", True),
        ("How big is the new base?", False),  # may be answered in words: "a base of this scale"
        ("Who signed the contract?", False),
        ("Why is the bridge closed?", False),
    ],
)
def test_which_questions_only_a_date_or_a_number_answers(question: str, needs: bool) -> None:
    expected = expected_type(question)
    assert (expected is not None and requires_value(expected)) is needs


def test_a_date_in_a_sentence_that_does_not_say_what_is_asked_is_no_answer(bridge: Router) -> None:
    # The best passage says the contract is unsigned and, in the next sentence, dates the tender.
    answer = bridge.ask("When will the contract be signed?")
    assert not answer.answered and answer.reason == "not_in_article"
    assert "does not give that date" in answer.message


def test_a_measure_the_article_never_gives_is_declined(bridge: Router) -> None:
    # "between 1958 and 1962", "two of the four bearings": numbers, but no height.
    answer = bridge.ask("How tall is the Alder Bridge?")
    assert not answer.answered and "does not give that number" in answer.message


def test_the_thing_named_by_its_head_noun_is_the_one_asked_about(bridge: Router) -> None:
    # "The bridge was built ..." names the Alder Bridge of the question by its head noun.
    answer = bridge.ask("When was the Alder Bridge built?")
    assert answer.answered and answer.short_answer is not None
    assert "1958" in answer.short_answer.text
    article = bridge.engine.articles[answer.short_answer.article].text
    assert article[answer.short_answer.start : answer.short_answer.end] == answer.short_answer.text


def test_a_date_stated_with_what_is_asked_still_answers(bridge: Router) -> None:
    answer = bridge.ask("When did the inspectors find the cracks?")
    assert answer.answered and answer.short_answer is not None and answer.short_answer.text == "October"


def test_a_sentence_saying_what_is_asked_is_dated_by_the_one_before(bridge: Router) -> None:
    # "The flood of March 2021 tore away the old footpath. The county rebuilt the footpath ...": the
    # passage dates the rebuilding; the short answer stays with what a sentence itself states (none).
    answer = bridge.ask("When did the county rebuild the footpath?")
    assert answer.answered and answer.passages[0].paragraph == 5


RIDGE = [
    "About 850 residents were told to leave their homes on Tuesday evening, when the wind turned. Most spent the"
    " night in the sports hall of Carrow Academy.",
    "The fire service expects to let residents return on Saturday if the wind stays light. The council has handed"
    " out 2,000 sandbags to the lower streets.",
    "Ecologists warned that the heath was home to nightjars. Dr. Helen Marsh, who has studied the colony since"
    " 2015, said it was too early to know how many nests had been lost.",
]


@pytest.fixture(scope="module", params=["bm25", "semantic"])
def ridge(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Router:
    folder = knowledge(tmp_path_factory.mktemp("ridge") / "k", {"ridge": RIDGE})
    return Router(build_engine(Config(knowledge_dir=folder, retrieval=RetrievalSettings(mode=request.param))))


def test_a_weekday_is_a_date_a_when_question_is_answered_with(ridge: Router) -> None:
    answer = ridge.ask("When can residents return?")
    assert answer.answered and answer.short_answer is not None and answer.short_answer.text == "Saturday"


def test_a_capitalised_name_the_actors_index_lacks_is_not_what_a_sentence_must_say(ridge: Router) -> None:
    # "Carrow Academy" is named beside a date ("on Tuesday evening") but nothing says when it was built.
    answer = ridge.ask("When was Carrow Academy built?")
    assert not answer.answered and "does not give that date" in answer.message


def test_how_long_is_answered_by_a_since_date(ridge: Router) -> None:
    answer = ridge.ask("How long has Marsh studied the colony?")
    assert answer.answered and "since 2015" in answer.passages[0].text


def test_a_who_question_no_passage_names_anyone_for_is_declined(bridge: Router) -> None:
    # The passages about the bridge name no person, group or organisation besides what is asked about.
    answer = bridge.ask("Who owns the Alder Bridge?")
    assert not answer.answered and "does not say who" in answer.message


def test_who_is_asks_what_someone_is_and_is_not_declined_for_want_of_another_name(ridge: Router) -> None:
    answer = ridge.ask("Who is Helen Marsh?")
    assert answer.answered and "Helen Marsh" in answer.passages[0].text


def test_a_count_of_the_things_asked_about_is_no_amount(ridge: Router) -> None:
    # "2,000 sandbags" says how many sandbags, not what they cost.
    answer = ridge.ask("How much did the sandbags cost?")
    assert not answer.answered and "does not give that number" in answer.message


@pytest.mark.parametrize(("coverage", "answered"), [(0.6, True), (0.5, True), (0.45, False)])
def test_in_semantic_mode_a_passage_holding_most_of_the_question_needs_no_cosine(
    coverage: float, answered: bool
) -> None:
    query = Query("What did the inspectors find?", ())
    evidence = Evidence(bm25_share=0.5, coverage=coverage, similarity=0.11)
    assert is_answerable(query, evidence, Thresholds()) is answered


DAM = [
    "The 1962 dam above the town needs new gates before the autumn rains, but the repair contract is still unsigned.",
    "In 2023 the board chose a contractor for the work on the gates.",
]


def test_a_when_will_question_is_not_answered_with_a_year_already_past(tmp_path: Path) -> None:
    # bm25 mode: on two sentences the semantic cosine gate declines the question before this rule.
    folder = knowledge(tmp_path / "k", {"dam": DAM})
    router = Router(build_engine(Config(knowledge_dir=folder, retrieval=RetrievalSettings(mode="bm25"))))
    answer = router.ask("When will the contract be signed?")
    assert not answer.answered and "does not give that date" in answer.message
    past = router.ask("When did the board choose a contractor?")
    assert past.answered and past.short_answer is not None and past.short_answer.text == "2023"
