"""Short answers per answer type, on toy sentences: the span functions alone, then end to end on a
four-paragraph article whose actors are drafted at load (no curated files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, RetrievalSettings
from bot.engine import build_engine
from bot.retrieval.analysis import Analyzer
from bot.retrieval.question_type import ACTOR, NAME, NUMBER, PHRASE, PLACE_TYPE, ROLE, expected_type
from bot.retrieval.spans import (
    counting,
    extended_name,
    is_modifier,
    located,
    named_by_head,
    numbers,
    of_measure,
    phrases,
    placed,
    roles,
    verb_base,
)
from bot.router import Router

TOY = [
    "The Harbour Trust, which is run by retired captain Ellen Voss, approved a new breakwater on Monday.",
    "The breakwater will be built by the contractor Marlow & Finch, and the work will be overseen by the"
    " engineer Tomas Reyes.",
    "Reyes, a civil engineer at the University of Kelby, said the wall would be 300 metres long and made of granite.",
    "The contractor was accused of fraud in Dunmore in 2019, but a report at the Kelby Courier claimed Finland"
    " had cleared it.",
    "In March the trust chose Kestrel Surveys to map the seabed before the first blocks are laid.",
]


def spans(text: str, found: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in found]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which court ruled on Tuesday?", NAME),
        ("Which university does she work at?", NAME),
        ("What is Helen Marsh's job?", ROLE),
        ("What position does Daniel Whitcombe hold?", ROLE),
        ("What does Helen Marsh do?", ROLE),
        ("How long did the hearing last?", NUMBER),
        ("How far is the quarry?", NUMBER),
        ("Who did Muhandis pay a condolence call to?", ACTOR),
        ("What must the lagoon be replaced with?", PHRASE),
        ("What happened in June?", None),
        ("What did Al-Jarida claim?", None),
    ],
)
def test_the_question_decides_the_answer_type(question: str, kind: str | None) -> None:
    expected = expected_type(question)
    assert (expected.kind if expected else None) == kind


@pytest.mark.parametrize(
    ("question", "counted"),
    [("How many fish died?", True), ("How much was the fine?", True), ("When was it built?", True)]
    + [("How long did the hearing last?", False), ("How old is the pier?", False)],
)
def test_only_a_count_or_a_date_the_text_must_give_declines_when_absent(question: str, counted: bool) -> None:
    expected = expected_type(question)
    assert expected is not None and expected.counted is counted


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Who runs the trust?", True),
        ("Who will oversee the work?", True),
        ("Who did the members blame?", False),
        ("Who will the council appoint?", False),
    ],
)
def test_a_who_question_asks_for_the_subject_unless_a_noun_phrase_follows_its_auxiliary(
    question: str, subject: bool
) -> None:
    expected = expected_type(question)
    assert expected is not None and expected.subject is subject


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("they must dredge a 14-kilometre stretch of the river", ["14-kilometre stretch"]),
        ("a group of about 3,000 members that is run by", ["about 3,000 members"]),
        ("fined the firm 1.2 million pounds in 2022", ["1.2 million pounds"]),
    ],
)
def test_a_number_comes_with_its_unit(text: str, found: list[str]) -> None:
    assert spans(text, numbers(text, "how many", times=False)) == found


def test_a_year_is_a_date_not_a_number() -> None:
    text = "fined 1.2 million pounds in 2022"
    assert spans(text, numbers(text, "how much", times=False)) == ["1.2 million pounds"]


@pytest.mark.parametrize(
    ("text", "head", "name"),
    [
        ("The High Court in Lyndhurst ruled on Tuesday.", "court", "High Court"),
        ("Dr Marsh, a toxicologist at the University of Carrow, testified.", "university", "University of Carrow"),
        ("It is owned by the Dutch holding company Halvern Group.", "company", "Halvern Group"),
        ("It is adjacent to the Iraqi town of al-Qa'im.", "town", "al-Qa'im"),
    ],
)
def test_a_name_is_read_with_the_questions_noun(text: str, head: str, name: str) -> None:
    analyzer = Analyzer(RetrievalSettings())
    assert name in spans(text, named_by_head(text, head, analyzer))


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Dr Helen Marsh, a toxicologist at the University of Carrow, testified.", "Helen Marsh", "toxicologist"),
        ("It is run by retired schoolteacher Gareth Pryce.", "Gareth Pryce", "retired schoolteacher"),
        ("Its chief executive, Daniel Whitcombe, said so.", "Daniel Whitcombe", "chief executive"),
    ],
)
def test_a_role_is_the_title_given_with_the_name(text: str, name: str, role: str) -> None:
    start = text.index(name)
    assert spans(text, roles(text, [(start, start + len(name))])) == [role]


@pytest.mark.parametrize(
    ("text", "matched", "whole"),
    [
        ("It is run by retired schoolteacher Gareth Pryce.", "Pryce", "Gareth Pryce"),
        ("overseen by the engineering firm Baird & Lowe, which", "Baird", "Baird & Lowe"),
        (
            "brought by the Selva Valley Anglers' Association, a group",
            "Selva Valley Anglers",
            "Selva Valley Anglers' Association",
        ),
        ("Iran's Revolutionary Guards march", "Revolutionary Guards", "Revolutionary Guards"),
    ],
)
def test_a_name_match_grows_to_the_whole_name(text: str, matched: str, whole: str) -> None:
    start = text.index(matched)
    a, b = extended_name(text, start, start + len(matched))
    assert text[a:b] == whole


@pytest.mark.parametrize(
    ("text", "name", "is_place"),
    [
        ("He was accused of terrorist offenses in Kuwait.", "Kuwait", True),
        ("it sits on one side of the Euphrates, while", "Euphrates", True),
        ("the lonely desert outpost of al-Tanf, where", "al-Tanf", True),
        ("A report at Al-Jarida claimed Israel had carried out the strike.", "Israel", False),
        ("Kata'ib Hezbollah members initially blamed the US.", "US", False),
    ],
)
def test_a_named_place_answers_where_only_after_a_locative(text: str, name: str, is_place: bool) -> None:
    assert located(text, text.index(name)) is is_place


def test_a_possessive_name_describes_what_follows() -> None:
    text = "illustrates Tehran’s larger ambitions"
    assert is_modifier(text, text.index("Tehran") + len("Tehran"))


def test_the_phrase_after_a_preposition_may_follow_the_questions_verb_by_a_few_words() -> None:
    text = "the company must replace the lagoon with a concrete tank by the end of 2026"
    assert spans(text, phrases(text, "with", lambda w: w == "replace")) == ["concrete tank"]


@pytest.fixture(scope="module", params=["bm25", "semantic"])
def toy(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Router:
    folder: Path = tmp_path_factory.mktemp("toy")
    (folder / "harbour-trust.txt").write_text("\n".join(["Harbour news", *TOY]) + "\n", encoding="utf-8")
    return Router(build_engine(Config(knowledge_dir=folder, retrieval=RetrievalSettings(mode=request.param))))


@pytest.mark.parametrize(
    ("question", "text", "kind"),
    [
        ("Who runs the Harbour Trust?", "Ellen Voss", ACTOR),
        ("Who will build the breakwater?", "Marlow & Finch", ACTOR),
        ("Who will oversee the work?", "Tomas Reyes", ACTOR),
        ("What is Tomas Reyes's job?", "engineer", ROLE),
        ("Which university does Reyes work at?", "University of Kelby", NAME),
        ("How long will the wall be?", "300 metres", NUMBER),
        ("Where was the contractor accused of fraud?", "Dunmore", PLACE_TYPE),
        ("What will the wall be made of?", "granite", PHRASE),
    ],
)
def test_each_answer_type_on_a_toy_article(toy: Router, question: str, text: str, kind: str) -> None:
    short = toy.ask(question).short_answer
    assert short is not None and text in short.text and short.type == kind
    article = toy.engine.articles[short.article].text
    assert article[short.start : short.end] == short.text and len(short.text.split()) <= 14


def test_a_where_question_about_someone_the_passage_does_not_name_gets_no_short_answer(toy: Router) -> None:
    # The fraud sentence is about the contractor; Ellen Voss is named only in another paragraph.
    answer = toy.ask("Where was Ellen Voss accused of fraud?")
    assert answer.short_answer is None


@pytest.mark.parametrize(
    ("text", "measure", "found"),
    [
        ("Three firms bid, and its bid of 14.2 million euros was the lowest.", "much", ["14.2 million euros"]),
        ("The plan costs $5 million and needs 40 workers.", "much", ["$5 million"]),
        ("It flooded 60 houses and took eight months to repair.", "long", ["eight months"]),
        ("It flooded 60 houses.", "long", []),  # a count is no length or duration
        ("It flooded 60 houses.", "much", ["60 houses"]),  # "how much" may be answered by a bare number
    ],
)
def test_a_how_much_or_how_long_question_takes_the_number_with_a_fitting_unit(
    text: str, measure: str, found: list[str]
) -> None:
    assert spans(text, of_measure(text, numbers(text, "how", times=False), measure)) == found


def test_an_irregular_past_form_is_read_as_its_verb() -> None:
    assert (verb_base("chose"), verb_base("run"), verb_base("overseen")) == ("choose", "run", "oversee")


def test_which_noun_is_also_answered_by_the_name_the_questions_verb_takes(toy: Router) -> None:
    short = toy.ask("Which company did the trust choose?").short_answer  # "chose Kestrel Surveys"
    assert short is not None and short.text == "Kestrel Surveys"


@pytest.mark.parametrize(
    ("text", "counts", "found"),
    [
        ("The town has handed out 2,000 sandbags.", ("people",), []),  # sandbags are no people
        ("It employs 640 people at its plant.", ("people",), ["640 people"]),
        ("up to five mysterious airstrikes in Iraq", ("unexplained", "strikes"), ["up to five mysterious airstrikes"]),
        ("thousands of fish died", ("fish",), ["thousands"]),  # no unit: it may count anything
        ("on at least nine occasions", ("times",), ["at least nine occasions"]),
    ],
)
def test_a_how_many_question_takes_a_number_of_what_it_counts(
    text: str, counts: tuple[str, ...], found: list[str]
) -> None:
    analyzer = Analyzer(RetrievalSettings())
    assert spans(text, counting(text, numbers(text, "how many", times=False), counts, analyzer.stem)) == found


def test_a_how_many_question_names_what_it_counts() -> None:
    expected = expected_type("How many people live in the town?")
    assert expected is not None and expected.counts[0] == "people"


@pytest.mark.parametrize(
    ("text", "name", "is_placed"),
    [
        ("Halvorsen Civil, a contractor based in the port city of Brennick, won.", "Brennick", True),
        ("floods that regularly swept through Marrow Falls", "Marrow Falls", True),
        ("It received backing from the US.", "US", False),  # a source may be who did it
    ],
)
def test_a_name_that_says_where_something_is_does_not_answer_who(text: str, name: str, is_placed: bool) -> None:
    assert placed(text, text.index(name)) is is_placed


def test_what_someone_did_is_no_question_about_their_job() -> None:
    assert expected_type("what did the US hope the rebels would do") is None


def test_a_date_in_a_sentence_that_says_nothing_the_question_asks_is_no_answer(toy: Router) -> None:
    # The fraud sentence names the contractor and 2019 but says nothing of a founding.
    assert toy.ask("When was the contractor founded?").short_answer is None


def test_who_is_with_a_typo_in_the_name_still_asks_what_it_is(any_mode_router: Router) -> None:
    answer = any_mode_router.ask("who is muhandes")
    assert answer.answered and answer.short_answer is None
