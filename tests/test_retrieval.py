"""Retrieval mechanisms: pronoun context, typo tolerance, alias expansion, the decline rule, modes."""

from __future__ import annotations

import msgspec
import pytest

from bot.config import AnswerSettings, Config, RetrievalSettings
from bot.engine import build_engine
from bot.entities import is_entity_token
from bot.retrieval import Retriever, opens_with_reference
from bot.router import Router

BM25 = Config(retrieval=RetrievalSettings(mode="bm25"))


@pytest.fixture(scope="module")
def bm25_router() -> Router:
    return Router(build_engine(BM25))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("This group is run by Abu Mahdi al-Muhandis.", True),
        ("Then it decided to stay in Syria.", True),
        ("He was accused of terrorist offenses in Kuwait.", True),
        ("Kata'ib Hezbollah entered Syria from Iraq.", False),
        ("In June 2018, a mysterious airstrike eviscerated a base.", False),
    ],
)
def test_a_sentence_that_leans_on_the_previous_one_is_recognised(sentence: str, expected: bool) -> None:
    assert opens_with_reference(sentence) is expected


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
def test_who_runs_kataib_hezbollah_puts_the_run_by_sentence_first_and_highlights_it(mode: str) -> None:
    router = Router(build_engine(Config(retrieval=RetrievalSettings(mode=mode))))
    answer = router.ask("Who runs Kata'ib Hezbollah?")
    assert answer.answered and answer.mode == mode
    assert "This group is run by Abu Mahdi al-Muhandis" in answer.passages[0].text
    assert answer.passages[0].highlight.startswith("This group is run by Abu Mahdi al-Muhandis")


def test_without_pronoun_context_a_referring_sentence_keeps_only_its_own_words() -> None:
    nsa = "\x01actor:new_syrian_army"
    for pronoun_context in (True, False):
        engine = build_engine(Config(retrieval=RetrievalSettings(mode="bm25", pronoun_context=pronoun_context)))
        passage = next(p for p in engine.passages if p.text.startswith("It received backing from the US"))
        tokens = engine.retriever.sentences.tokens(passage, passage.sentences[0])
        assert (nsa in tokens) is pronoun_context  # "the NSA" closes the paragraph before


def test_a_paragraph_opening_with_this_sums_up_and_leans_on_nothing() -> None:
    engine = build_engine(BM25)
    passage = next(p for p in engine.passages if p.text.startswith("This is the situation"))
    opening = passage.sentences[0]
    alone = engine.retriever.analyzer.tokenize(passage.text[: opening.end - opening.start])
    assert engine.retriever.sentences.tokens(passage, opening) - {t for t in alone} <= {"\x01actor:bukamal"}


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
@pytest.mark.parametrize(
    ("question", "highlight"),
    [
        # A paragraph opening "It ..." leans on the paragraph before (the New Syrian Army).
        ("When did the New Syrian Army attack al-Bukamal?", "It received backing from the US"),
        ("Who supported the New Syrian Army?", "It received backing from the US"),
    ],
)
def test_the_highlight_is_the_sentence_that_says_it_not_the_one_naming_the_subject(
    mode: str, question: str, highlight: str
) -> None:
    answer = Router(build_engine(Config(retrieval=RetrievalSettings(mode=mode)))).ask(question)
    assert answer.answered and answer.passages[0].highlight.startswith(highlight)


@pytest.mark.parametrize(
    ("question", "typed", "read_as"),
    [("who runs kataib hezbolah", "hezbolah", "hezbollah"), ("when did the new syrian amry attack", "amry", "army")],
)
def test_a_misspelt_word_is_read_as_the_nearest_article_word(
    bm25_router: Router, question: str, typed: str, read_as: str
) -> None:
    answer = bm25_router.ask(question)
    assert answer.answered and answer.corrections == {typed: read_as}


def _retriever(alias_groups: list[list[str]]) -> Retriever:
    engine = build_engine(BM25)
    return Retriever(engine.passages, BM25.retrieval, alias_groups=alias_groups)


def test_a_name_the_article_does_not_use_is_expanded_to_the_one_it_does() -> None:
    retriever = _retriever([["Islamic State", "ISIS", "Daesh"]])
    query = retriever.parse("when did Daesh lose al-Bukamal?")
    assert "isis" in query.tokens and "daesh" not in query.corrections
    assert retriever.search(query, 1)[0].coverage > 0.5


def test_a_name_is_expanded_only_into_names_the_article_uses() -> None:
    # "Islamic State of Iraq and Syria" is not in the article: its "Iraq" and "Syria" would match everywhere.
    retriever = _retriever([["Islamic State", "ISIS", "Islamic State of Iraq and Syria", "Daesh"]])
    tokens = retriever.parse("where is Daesh?").tokens
    assert "isis" in tokens and "iraq" not in tokens and "syria" not in tokens


def test_acronyms_are_not_stemmed_into_each_other() -> None:
    # Stemmed, "ISIS" would read as "isi", the article's short name for ImageSat International.
    retriever = _retriever([])
    assert retriever.parse("when did isis take the town").tokens[0] == "isis"
    assert retriever.parse("what did ISI report").tokens[0] == "isi"
    hits = retriever.search(retriever.parse("what did ISI assess in August?"), 1)
    assert "ISI assessed in August" in hits[0].passage.text


def test_phrasing_words_are_dropped_from_questions_but_kept_in_the_article() -> None:
    retriever = _retriever([])
    assert retriever.parse("what's the deal with the drones, what happened?").tokens == ("drone",)
    assert retriever.parse("what role does Tehran play").tokens == ("tehran",)
    assert any("play" in retriever.token_set(i) for i in range(len(retriever.passages)))  # "playing a key role" is still indexed


def test_a_name_the_article_uses_is_not_expanded() -> None:
    # "US" is in the article; expanding it to "United States" would match "Islamic State".
    retriever = _retriever([["United States", "US", "America"]])
    tokens = retriever.parse("what did the US say?").tokens
    assert [t for t in tokens if not is_entity_token(t)] == ["us"]  # no "state": only the actor's own token


def test_the_decline_threshold_is_what_declines_a_loosely_matching_question() -> None:
    question = "who won the super bowl last year?"  # shares "year" with the article
    strict = Router(build_engine(BM25)).ask(question)
    loose = Router(build_engine(msgspec.structs.replace(BM25, answer=AnswerSettings(min_coverage=0.0)))).ask(question)
    assert not strict.answered and loose.answered


def test_semantic_mode_answers_a_paraphrase_bm25_declines() -> None:
    question = "why are people in Baghdad worried?"
    semantic = Router(build_engine(Config(retrieval=RetrievalSettings(mode="semantic")))).ask(question)
    assert semantic.answered and "there was alarm in Baghdad" in semantic.passages[0].text
    assert not Router(build_engine(BM25)).ask(question).answered


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
@pytest.mark.parametrize(
    "question", ["what's the weather in Paris today?", "tell me a joke", "how do I fix a merge conflict in git?"]
)
def test_off_topic_questions_are_declined(mode: str, question: str) -> None:
    router = Router(build_engine(Config(retrieval=RetrievalSettings(mode=mode))))
    assert not router.ask(question).answered


def test_engine_mode_reports_bm25_when_asked_for_bm25(bm25_router: Router) -> None:
    assert bm25_router.engine.mode == "bm25" and bm25_router.help().mode == "bm25"


def test_a_question_about_the_photo_finds_the_caption(bm25_router: Router) -> None:
    answer = bm25_router.ask("who is marching in the photo?")
    assert answer.passages[0].kind == "caption"


def test_semantic_mode_reads_the_article_names_for_a_name_it_does_not_use() -> None:
    engine = build_engine(Config(retrieval=RetrievalSettings(mode="semantic")))
    retriever = Retriever(engine.passages, engine.config.retrieval, [["Islamic State", "ISIS", "Daesh"]])
    assert retriever.parse("when did Daesh lose the town?").also_known_as == ("Islamic State", "ISIS")


def test_an_overlapping_window_is_merged_into_the_passage_it_overlaps_not_dropped(bm25_router: Router) -> None:
    # The window holding "This group is run by ..." ranks right behind a window it shares two sentences with.
    answer = bm25_router.ask("Who is in charge of Kataib Hezbollah?")
    texts = [p.text for p in answer.passages]
    assert any("This group is run by Abu Mahdi al-Muhandis" in text for text in texts)
    merged = next(p for p in answer.passages if "This group is run by" in p.text)
    assert len(merged.sentences) > 3  # longer than one three-sentence window
    assert merged.passage_id.endswith(f"{merged.sentences[0]}-{merged.sentences[-1]}")


@pytest.mark.parametrize("top_k", [3, 10])
def test_merged_passages_are_verbatim_spans_that_never_repeat_text(
    bm25_router: Router, article_text: str, top_k: int
) -> None:
    questions = ["Who is in charge of Kataib Hezbollah?", "what happened to the New Syrian Army?", "airstrikes in Iraq"]
    for question in questions:
        spans = []
        for passage in bm25_router.ask(question, top_k=top_k).passages:
            start = passage.citation.start - passage.highlight_start  # the highlight's offset, back to the passage's
            assert article_text[start : start + len(passage.text)] == passage.text
            assert passage.text[passage.highlight_start :].startswith(passage.highlight)
            spans.append((start, start + len(passage.text)))
        spans.sort()
        assert spans and all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize(
    ("question", "other_name"),
    [
        ("When did ISIS lose the desert outpost?", "from the Islamic State in March"),
        ("what is the PMU?", "a member of the Popular Mobilization Forces"),
        ("tell me about the IRGC", "Revolutionary Guards march"),
    ],
)
def test_a_name_finds_the_passage_that_calls_the_actor_by_another_name(
    bm25_router: Router, question: str, other_name: str
) -> None:
    answer = bm25_router.ask(question)
    assert answer.answered and any(other_name in p.text for p in answer.passages[:3])


def test_a_question_word_is_covered_by_the_actor_it_names() -> None:
    # "ISIS" is covered by a passage that only says "Islamic State", so that passage may answer.
    retriever = _retriever([["Islamic State", "ISIS", "IS"]])
    hits = retriever.search(retriever.parse("ISIS"), 30)
    other_name_only = [h for h in hits if "Islamic State" in h.passage.text and "ISIS" not in h.passage.text]
    assert other_name_only and all(h.coverage == 1.0 for h in other_name_only)


def test_an_actor_named_only_by_stop_words_is_not_read_into_every_question() -> None:
    # "IS" (Islamic State) must not turn every "is" into a mention of the group.
    retriever = _retriever([["Islamic State", "ISIS", "IS"]])
    assert all(not t.covered_by for t in retriever.parse("what is the town near").terms)
    isis = retriever.parse("ISIS").term("isis").covered_by
    assert isis and retriever.parse("where is isis").term("isis").covered_by == isis


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
@pytest.mark.parametrize(
    "question",
    ["what time is it in Tokyo right now", "What does Netanyahu think about the base?", "is Oslo near the border?"],
)
def test_a_name_the_article_never_uses_declines(mode: str, question: str) -> None:
    router = Router(build_engine(Config(retrieval=RetrievalSettings(mode=mode))))
    answer = router.ask(question)
    assert not answer.answered and answer.reason == "not_in_article"


@pytest.mark.parametrize(
    "question",
    [
        "What did Hezbolah do in Beirut?",  # a typo of a name the article uses
        "what did Daesh do?",  # an actor's name the article does not use
        "What did the Lebanese drones do?",  # a form of a name ("Lebanese Hezbollah")
        "when did the US leave al-Bukamal?",  # capitals the article uses
    ],
)
def test_a_capitalised_word_the_article_or_its_actors_know_is_no_reason_to_decline(
    bm25_router: Router, question: str
) -> None:
    assert bm25_router.engine.retriever.parse(question).unknown_names == ()


def test_a_form_of_a_one_word_name_the_article_never_uses_reads_as_that_actor() -> None:
    retriever = _retriever([["United States", "US", "America"], ["Islamic Revolutionary Guard Corps", "Sepah"]])
    query = retriever.parse("what did the americans say about the strike?")
    assert query.term("american").covered_by == retriever.parse("US").term("us").covered_by != frozenset()
    # "separate" is no form of "Sepah"
    assert all(not t.covered_by for t in retriever.parse("were the groups kept separate?").terms)
    hits = retriever.search(query, 3)
    assert any("the US said it had not carried out the attack" in h.passage.text for h in hits)


def test_a_word_of_one_actors_longer_name_reads_as_that_actor_when_the_article_lacks_it() -> None:
    groups = [["Euphrates", "Euphrates River"], ["Syria", "Syrian Arab Republic"], ["Iran", "Islamic Republic of Iran"]]
    retriever = _retriever(groups)
    query = retriever.parse("which river is the town on?")
    assert query.term("river").covered_by == retriever.parse("Euphrates").term("euphrat").covered_by != frozenset()
    assert any("one side of the Euphrates" in h.passage.text for h in retriever.search(query, 3))
    assert not retriever.parse("which republic is it in?").term("republ").covered_by  # two actors' word: no guess


def test_pronoun_context_lends_names_only_so_the_sentence_with_the_words_keeps_the_highlight(
    bm25_router: Router,
) -> None:
    answer = bm25_router.ask("Which group entered Syria from Iraq?")
    assert answer.passages[0].highlight.startswith("Kata’ib Hezbollah, a member of the Popular Mobilization Forces")


def test_a_paragraphs_first_sentence_borrows_nothing_from_the_paragraph_before(bm25_router: Router) -> None:
    # "This is the situation al-Bukamal finds itself today." opens ¶8 and sums up; the Syrian regime is
    # named in ¶7 and in ¶9, and only ¶9's own sentence may be highlighted for it.
    for passage in bm25_router.ask("what is the SDF").passages:
        assert not passage.highlight.startswith("This is the situation")


def test_a_typo_fix_is_only_a_guess_and_cannot_carry_an_off_topic_question(bm25_router: Router) -> None:
    # "write" is read as the article's "wrote", but a guess covers only part of the question.
    assert not bm25_router.ask("write me a poem about cats").answered
    fixed = bm25_router.ask("who runs kataib hezbolah")
    assert fixed.answered and fixed.corrections == {"hezbolah": "hezbollah"}


@pytest.mark.parametrize(
    "question",
    [
        "how do drones work?",
        "how does a satellite stay up?",
        "who invented the drone?",
        "who discovered oil in the desert?",
        "what's the best highway for a road trip?",
        "what is a good border town to visit?",
    ],
)
def test_a_general_knowledge_question_sharing_a_word_with_the_article_is_declined(
    bm25_router: Router, question: str
) -> None:
    answer = bm25_router.ask(question)
    assert not answer.answered and answer.reason == "not_in_article"


@pytest.mark.parametrize(
    "question",
    [
        "how does Iran use the crossing?",  # names an actor
        "how do the US forces in Tanf watch the area?",
        "how did the New Syrian Army attack the town?",
        "how is the border crossing going to be used?",  # the crossing of the article
    ],
)
def test_a_question_about_the_article_shaped_like_general_knowledge_is_still_answered(
    bm25_router: Router, question: str
) -> None:
    assert bm25_router.ask(question).answered


@pytest.mark.parametrize(
    "question", ["what is going on in the photograph?", "describe the picture", "who is in the picture?"]
)
def test_the_photo_caption_is_found_by_picture_and_photograph(bm25_router: Router, question: str) -> None:
    answer = bm25_router.ask(question)
    assert answer.answered and answer.passages[0].kind == "caption"


def test_an_acronym_typed_in_capitals_names_its_actor_even_when_it_is_a_stop_word(bm25_router: Router) -> None:
    retriever = bm25_router.engine.retriever
    islamic_state = "\x01actor:islamic_state"
    assert islamic_state in retriever.parse("when did IS take the crossing?").tokens
    assert islamic_state not in retriever.parse("when is the crossing going to open?").tokens
    assert islamic_state not in retriever.parse("WHEN IS THE CROSSING GOING TO OPEN?").tokens  # shouting, not a name
