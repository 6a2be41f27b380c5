"""Answers to questions about the shipped article: the right paragraph first, cited, verbatim."""

import pytest

from bot.responder import EMPTY_QUESTION, NO_WORDS, NOT_IN_ARTICLE, TOO_LONG

# (question, paragraphs that answer it). Written by reading the article, not the ranker's output.
QUESTIONS = [
    ("Who runs Kata'ib Hezbollah?", {10}),
    ("Which Iraqi town is next to al-Bukamal?", {3}),
    ("When did the al-Qaeda branch pledge allegiance to Islamic State?", {5}),
    ("Which armies abandoned the border area?", {5}),
    ("Where did the New Syrian Army train?", {6}),
    ("How many men attacked al-Bukamal in June 2016?", {7}),
    ("Who liberated al-Bukamal from ISIS in November 2017?", {7}),
    ("Where are US forces stationed south of al-Bukamal?", {9}),
    ("Which side of the Euphrates are the SDF on?", {9}),
    ("Where was Muhandis accused of terrorist offenses?", {10}),
    ("Who did Kata'ib Hezbollah members blame for the June 2018 airstrike?", {11}),
    ("Who did Al-Jarida say carried out the strike?", {11}),
    ("What did the maps and satellite images show?", {12}),
    ("What did Fox News report in May 2019?", {13}),
    ("What were the airstrikes in Iraq aimed to destroy?", {13}),
    ("How many mysterious airstrikes hit Iraq between July 19 and August 25?", {14}),
    ("What did Israel strike on August 24?", {14}),
    ("Where did the Israeli drones crash?", {14}),
    ("Who was killed in the airstrike on the convoy near al-Qa'im?", {15}),
    ("Does the base include housing for precision-guided missiles?", {15}),
    ("What did Trump say in December 2018?", {17}),
    ("What does Iraq not want the ISIS war to end with?", {17}),
    ("Who wrote about the NSA capturing al-Tank?", {6}),
    ("Who served alongside the IRGC in the 1980s?", {10}),
]

OFF_TOPIC = [
    "what's the weather in Paris today?",
    "tell me a joke",
    "Who won the football World Cup in 2018?",
    "How do I bake sourdough bread?",
    "How do I reverse a list in Python?",
]


@pytest.mark.parametrize(("question", "paragraphs"), QUESTIONS)
def test_question_puts_the_answering_paragraph_first(any_mode_router, question: str, paragraphs: set[int]) -> None:
    answer = any_mode_router.ask(question)
    assert answer.answered, answer.message
    assert set(answer.passages[0].paragraphs) & paragraphs, [p.citation for p in answer.passages]


def test_what_iran_is_building_comes_first_in_bm25_mode_and_in_the_top_three_with_embeddings(any_mode_router) -> None:
    # A known miss of the fused ranking since the one IDF: MiniLM prefers ¶3 ("It is all taking place
    # near al-Bukamal"), whose common words now weigh a little in BM25 too.
    answer = any_mode_router.ask("What is Iran building near al-Bukamal?")
    ranks = [bool(set(p.paragraphs) & {1, 2}) for p in answer.passages]
    assert ranks[0] if answer.mode == "bm25" else any(ranks[:3]), [p.citation for p in answer.passages]


def test_a_when_question_the_article_gives_no_date_for_is_declined(any_mode_router) -> None:
    # ¶16 says "the only question ... is when the border crossing will become active": it gives no date.
    answer = any_mode_router.ask("When will the border crossing become active?")
    assert not answer.answered and "does not give that date" in answer.message


def test_kataib_question_finds_the_run_by_passage_first(any_mode_router) -> None:
    answer = any_mode_router.ask("Who runs Kata'ib Hezbollah?")
    assert "This group is run by Abu Mahdi al-Muhandis" in answer.passages[0].text


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_are_declined_in_one_sentence(any_mode_router, question: str) -> None:
    answer = any_mode_router.ask(question)
    assert not answer.answered
    assert answer.passages == ()
    assert answer.reason == NOT_IN_ARTICLE
    assert answer.message.count(".") <= 1 + answer.message.count("’'") and "\n" not in answer.message


def test_answers_quote_the_article_verbatim_with_checkable_citations(router, article_text) -> None:
    for question, _ in QUESTIONS:
        for passage in router.ask(question).passages:
            assert passage.text in article_text
            assert passage.highlight in passage.text
            assert passage.text[passage.highlight_start :].startswith(passage.highlight)
            source = passage.citation
            assert article_text[source.start : source.end] == passage.highlight
            assert f"¶{passage.paragraph}" in str(source) or passage.paragraph == 0


def test_no_answer_shows_the_same_text_twice(router) -> None:
    for question, _ in QUESTIONS:
        passages = router.ask(question, top_k=5).passages
        spans = sorted((p.citation.article, p.text) for p in passages)
        for (article_a, a), (article_b, b) in zip(spans, spans[1:], strict=False):
            assert article_a != article_b or (a not in b and b not in a)
        sentences = [s for p in passages for s in p.sentences]
        assert len(sentences) == len(set(sentences))


def test_top_k_limits_the_passages(router) -> None:
    question = "Who attacked al-Bukamal, who liberated it and who controls it?"
    assert len(router.ask(question, top_k=1).passages) == 1
    assert len(router.ask(question, top_k=5).passages) == 5


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("", EMPTY_QUESTION),
        ("   \t\n ", EMPTY_QUESTION),
        ("x" * 10_000, TOO_LONG),
        ("🙂🙂🙂", NO_WORDS),
        ("???", NO_WORDS),
    ],
)
def test_bad_questions_get_a_short_message(router, question: str, reason: str) -> None:
    answer = router.ask(question)
    assert not answer.answered and answer.reason == reason
    assert 0 < len(answer.message) < 200
    assert answer.mode == router.engine.mode  # a decline names the mode that runs, like an answer


def test_a_declined_follow_up_carries_no_short_answer(router) -> None:
    from bot.conversation import Conversation

    conversation = Conversation()
    router.ask("Who runs Kata'ib Hezbollah?", conversation=conversation)
    answer = router.ask("how old is he?", conversation=conversation)
    assert answer.read_as is not None and not answer.answered
    assert answer.passages == () and answer.short_answer is None


@pytest.mark.parametrize(
    "question",
    [
        "who runs\x00 kataib\x07 hezbollah",
        "مرحبا! who runs Kata’ib Hezbollah?",
        "ＷＨＯ ＲＵＮＳ ＫＡＴＡＩＢ ＨＥＺＢＯＬＬＡＨ",
        "@everyone **who** runs kataib hezbollah",
    ],
)
def test_odd_unicode_and_markup_still_get_answers(router, question: str) -> None:
    answer = router.ask(question)
    assert answer.answered


# "how do <bare noun> ..." is the form of a general-knowledge question, but the form alone cannot
# tell "how do drones fly?" from these: ¶16 says "militias crossing back and forth ... using the
# area as a junction". The decline asks the evidence: a passage shown must hold the subject and
# the predicate.
@pytest.mark.parametrize(
    "question",
    [
        "How are militias crossing the border?",
        "How are militias crossing?",
        "how do militias cross the border?",
        "How do militias use the area?",
        "How are militias moving across the border?",
    ],
)
def test_how_questions_about_the_news_are_answered_from_the_crossing_paragraph(any_mode_router, question) -> None:
    answer = any_mode_router.ask(question)
    assert answer.answered, answer.message
    assert any(16 in p.paragraphs for p in answer.passages)


@pytest.mark.parametrize(
    "question",
    [
        "how do drones fly?",  # the article never says "fly"
        "how do drones work?",  # "work has been done" is said of the crossing, not of drones
        "how do militias get paid?",  # "paid a condolence call" is said of Muhandis
        "how do beavers cross the border?",  # a kind of thing the article never names
    ],
)
def test_how_questions_whose_predicate_or_subject_the_article_lacks_are_declined(any_mode_router, question) -> None:
    answer = any_mode_router.ask(question)
    assert not answer.answered and answer.reason == NOT_IN_ARTICLE
