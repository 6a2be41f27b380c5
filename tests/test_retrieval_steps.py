"""Each step of bot/retrieval/ on a three-passage toy corpus a reader can see whole."""

from __future__ import annotations

import math
from collections.abc import Callable

import msgspec
import numpy as np
import pytest

from bot.config import BM25Settings, RetrievalSettings
from bot.entities import EntityMatcher
from bot.indexer import BODY, Passage, Sentence
from bot.retrieval import Analyzer, Lexicon, Retriever, Thresholds, build_scorer, idf, is_answerable, tokenize_passages
from bot.retrieval import retriever as retriever_module
from bot.retrieval.analysis import compound_heads, with_compound_heads
from bot.retrieval.answerability import Evidence, coverage_weights
from bot.retrieval.fusion import convex_combination, z_scores
from bot.retrieval.query import ACTOR, ALIAS, CORRECTED, TYPED
from bot.retrieval.state import RetrieverState

TEXTS = [
    "The harbour council approved a new breakwater made of granite blocks.",
    "Work on the breakwater starts in March. The fishing fleet will moor at the north quay.",
    "The mayor said the granite comes from a quarry inland.",
]
ALIASES = [["Harbour Council", "HC"], ["North Quay", "Nordkai"]]
SETTINGS = RetrievalSettings(mode="bm25")


def _passages(texts: list[str] = TEXTS) -> list[Passage]:
    passages, offset = [], 0
    for number, text in enumerate(texts, start=1):
        sentences, cursor = [], offset
        for index, part in enumerate(text.split(". "), start=1):
            part = part if part.endswith(".") else part + "."
            sentences.append(Sentence(number, index, cursor, cursor + len(part)))
            cursor += len(part) + 1
        passages.append(Passage(f"toy:{number}", "toy", BODY, tuple(sentences), offset, offset + len(text), text))
        offset += len(text) + 1
    return passages


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever(_passages(), SETTINGS, alias_groups=ALIASES)


def test_analysis_stems_drops_stop_words_and_keeps_acronyms_whole() -> None:
    analyzer = Analyzer(SETTINGS, unstemmed=frozenset({"isis"}))
    assert analyzer.tokenize("The boats are moored at ISIS's quays") == ["boat", "moor", "isis", "quay"]


def test_passage_tokens_keep_entity_tokens_apart_from_the_length() -> None:
    analyzer = Analyzer(SETTINGS)
    tokens = tokenize_passages(_passages(), analyzer, EntityMatcher(ALIASES, analyzer.stem))
    assert tokens.lengths == [len(w) for w in tokens.words] == [8, 9, 5]
    assert [len(e) for e in tokens.entities] == [1, 1, 0]  # the council in 1, the north quay in 2
    assert tokens.combined[0][-1] == tokens.entities[0][0]


def test_a_closed_compound_carries_its_head() -> None:
    analyzer = Analyzer(SETTINGS)
    known = ["airstrikes", "strike", "capacity", "city", "paramilitary", "military"]
    heads = compound_heads(known, {analyzer.stem(w) for w in known}, analyzer)
    assert heads == {"airstrik": "strike", "paramilitari": "militari"}  # "city" is too short to be a head
    assert with_compound_heads([["two", "airstrik"], ["strike", "airstrik"]], heads) == [
        ["two", "airstrik", "strike"],
        ["strike", "airstrik"],  # a head already there is not counted twice
    ]


def test_a_question_naming_a_head_finds_the_compound_and_highlights_it() -> None:
    texts = [
        "The depot stood empty all summer. Two airstrikes hit the depot in July.",
        "The harbour council met in July to talk about the depot.",
        "Dock workers went on strike in May over pay.",
    ]
    retriever = Retriever(_passages(texts), SETTINGS)
    query = retriever.parse("when did the strikes hit the depot?")
    best = retriever.search(query, 3)[0]
    assert best.passage.id == "toy:1" and best.best_sentence.number == 2 and best.coverage == 1.0


def test_the_one_idf_is_lucenes_positive_and_falls_with_document_frequency() -> None:
    assert idf(3, 3) == pytest.approx(math.log(1 + 0.5 / 3.5))
    assert idf(2, 2) > 0  # a word in every passage of a two-paragraph article still counts
    assert idf(3, 0) > idf(3, 1) > idf(3, 2) > idf(3, 3) > 0
    lexicon = Lexicon([["granit", "breakwat"], ["breakwat"], ["granit"]], ["granite", "the", "fleet"])
    assert lexicon.document_frequency("granit") == 2 and lexicon.idf("granit") == idf(3, 2)
    assert lexicon.surface_words == ("fleet", "granite")  # short words are never typo candidates


def test_the_scorer_gives_one_score_per_passage_from_token_lists() -> None:
    scorer = build_scorer([["granit", "block"], ["fleet"], ["granit"]], [2, 1, 1], BM25Settings())
    scores = list(scorer.scores(["block"]))
    assert len(scores) == 3 and scores[0] > 0 and scores[1] == scores[2] == 0


def test_query_terms_record_where_each_came_from(retriever: Retriever) -> None:
    query = retriever.parse("when does the HC let the fishing flet moor?")
    origins = {(t.surface, t.origin) for t in query.terms}
    assert {("hc", TYPED), ("fishing", TYPED), ("flet", CORRECTED), ("moor", TYPED)} <= origins
    assert query.corrections == {"flet": "fleet"}
    alias = [t for t in query.terms if t.origin == ALIAS]
    assert {t.token for t in alias} == {"harbour", "council"} and alias[0].surface == "Harbour Council"
    actor = [t for t in query.terms if t.origin == ACTOR]
    assert len(actor) == 1 and actor[0].surface == "hc"
    # bm25 mode matches the council once, by its actor token, not by the words of its other name too.
    assert actor[0].token in query.tokens_once and not {"harbour", "council"} & set(query.tokens_once)
    assert query.term("hc").covered_by >= {actor[0].token, "harbour", "council"}
    assert all(t.idf == retriever.lexicon.idf(t.token) for t in query.terms)


def test_unknown_capitalised_names_are_noted_but_relatives_of_known_words_are_not(retriever: Retriever) -> None:
    assert retriever.parse("is the breakwater near Oslo?").unknown_names == ("oslo",)
    assert retriever.parse("is the breakwater near Granitebury?").unknown_names == ()  # shares "grani"


def test_z_score_convex_combination() -> None:
    assert z_scores([1.0, 2.0, 3.0]) == pytest.approx([-1.2247, 0.0, 1.2247], abs=1e-4)
    assert z_scores([2.0, 2.0]) == [0.0, 0.0]
    fused = convex_combination([1.0, 2.0, 3.0], [3.0, 2.0, 1.0], 0.25)
    assert fused == pytest.approx([-0.6124, 0.0, 0.6124], abs=1e-4)
    with pytest.raises(ValueError, match="one score per passage"):
        convex_combination([1.0], [1.0, 2.0], 0.5)


def test_coverage_weighs_words_by_idf_and_typo_fixes_in_part(retriever: Retriever) -> None:
    thresholds = Thresholds()
    query = retriever.parse("granite fleet")
    weights = coverage_weights(query, thresholds)
    granite, fleet = query.term("granit").idf, query.term("fleet").idf
    assert weights.coverage({"granit"}) == pytest.approx(granite / (granite + fleet))
    typo = coverage_weights(retriever.parse("granite flet"), thresholds)
    assert typo.coverage({"granit", "fleet"}) == pytest.approx((granite + 0.65 * fleet) / (granite + fleet))


def test_the_decline_rule_uses_every_threshold_from_one_object(retriever: Retriever) -> None:
    query, rule = retriever.parse("what is the breakwater made of"), Thresholds()

    def answerable(share: float, coverage: float, similarity: float | None) -> bool:
        return is_answerable(query, Evidence(share, coverage, similarity), rule)

    assert answerable(0.1, 0.5, None) and not answerable(0.9, 0.2, None)  # bm25 mode: coverage
    # semantic mode: the cosine, and coverage or else a BM25 share of the highest IDF
    assert answerable(0.1, 0.5, 0.2) and answerable(0.4, 0.2, 0.2)
    assert not answerable(0.2, 0.2, 0.9) and not answerable(0.9, 0.45, 0.1)
    # ... except that a passage covering half the question's weight needs no cosine (lexical_coverage)
    assert answerable(0.9, 1.0, 0.1) and answerable(0.1, 0.5, 0.0)
    assert not is_answerable(retriever.parse("is it near Oslo"), Evidence(0.9, 1.0), rule)
    assert not is_answerable(retriever.parse("how do I make granite blocks"), Evidence(0.9, 1.0), rule)


def test_hits_are_ordered_by_their_ranking_score_and_carry_bm25_apart(retriever: Retriever) -> None:
    hits = retriever.search(retriever.parse("where does the fishing fleet moor?"), 3)
    assert hits[0].passage.id == "toy:2"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.score == h.bm25 and h.similarity is None for h in hits)  # bm25 mode: the same number


def test_the_highlight_is_the_sentence_with_the_most_query_idf(retriever: Retriever) -> None:
    passage = _passages()[1]
    best = retriever.best_sentence(passage, retriever.parse("where will the fleet moor?"))
    assert best.number == 2
    assert retriever.best_sentence(passage, retriever.parse("when does work start?")).number == 1


@pytest.mark.parametrize("scorer", ["rank-bm25", "sparse"])
def test_an_index_built_from_its_kept_state_ranks_and_highlights_exactly_like_the_first(scorer: str) -> None:
    passages = _passages()
    settings = msgspec.structs.replace(SETTINGS, scorer=scorer)
    first = Retriever(passages, settings, alias_groups=ALIASES)
    data, arrays = first.state.to_parts()
    kept = RetrieverState.from_parts(msgspec.json.decode(msgspec.json.encode(data)), arrays, len(passages))
    again = Retriever(passages, settings, alias_groups=ALIASES, state=kept)
    for question in ("granite quarry", "where will the fleet moor?", "when does work start?", "granit blocks"):
        query, typed = again.parse(question), first.parse(question)
        assert query.terms == typed.terms
        hits, expected = again.search(query, 3), first.search(typed, 3)
        assert [(h.passage.id, h.score, h.coverage, h.best_sentence, h.tokens) for h in hits] == [
            (h.passage.id, h.score, h.coverage, h.best_sentence, h.tokens) for h in expected
        ]


def test_a_kept_state_for_other_passages_is_refused() -> None:
    first = Retriever(_passages(), SETTINGS, alias_groups=ALIASES)
    data, arrays = first.state.to_parts()
    with pytest.raises(ValueError, match="passages"):
        RetrieverState.from_parts(data, arrays, len(_passages()) + 1)
    with pytest.raises(ValueError, match="index state"):
        Retriever(_passages()[:1], SETTINGS, alias_groups=ALIASES, state=first.state)


@pytest.mark.parametrize(
    "damage",
    [
        lambda a: a.update(passage_ids=a["passage_ids"] + 10_000),  # ids past the vocabulary
        lambda a: a.update(column_rows=a["column_rows"] + 10_000),  # postings of passages that do not exist
        lambda a: a.update(passage_indptr=a["passage_indptr"][::-1].copy()),  # pointers running backwards
        lambda a: a.update(sentence_row=a["sentence_row"] * 0),  # two sentences in one row
        lambda a: a.update(lengths=a["lengths"].astype(np.float64)),  # the wrong type
        lambda a: a.pop("sentence_start"),  # a part missing
    ],
)
def test_a_damaged_state_is_refused_before_any_array_is_indexed_with(damage: Callable[[dict], object]) -> None:
    first = Retriever(_passages(), SETTINGS, alias_groups=ALIASES)
    data, arrays = first.state.to_parts()
    arrays = dict(arrays)
    damage(arrays)
    with pytest.raises(ValueError, match="index state|token rows"):
        RetrieverState.from_parts(data, arrays, len(_passages()))


def test_bm25_mode_ranks_by_bm25_times_the_coordination_factor() -> None:
    texts = [
        "Town after town, the town fair filled the town square.",
        "Rebels took control of the town after a long siege that lasted many months and left the market in ruins.",
        "Farmers sold apples at the market all day long.",
        "The army lost control of the roads in the spring.",
        "Fishermen mended nets on the quay.",
    ]
    plain = Retriever(_passages(texts), msgspec.structs.replace(SETTINGS, coordination=0.0))
    coordinated = Retriever(_passages(texts), SETTINGS)  # coordination 0.5
    query = plain.parse("who controls the town?")
    assert [h.passage.id for h in plain.search(query, 2)] == ["toy:1", "toy:2"]  # "town" three times
    hits = coordinated.search(coordinated.parse("who controls the town?"), 2)
    assert [h.passage.id for h in hits] == ["toy:2", "toy:1"]
    assert hits[1].score == pytest.approx(hits[1].bm25 * hits[1].coverage ** 0.5)


@pytest.mark.parametrize("scorer", ["rank-bm25", "sparse"])
def test_the_coordinated_order_reads_candidates_by_window_yet_equals_rescoring_them_all(
    scorer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retriever_module, "RESCORE_WINDOW", 1)  # so several windows are read
    texts = [("quay " * (1 + i % 7)) + f"filler{i} words here." for i in range(40)]
    texts += [
        f"The crane and the quay number {i} stand idle today, as they have for many a long year now." for i in range(5)
    ]
    retriever = Retriever(_passages(texts), msgspec.structs.replace(SETTINGS, scorer=scorer))
    query = retriever.parse("where do the crane and quay stand?")
    bm25 = retriever.scorer.scores(query.tokens_once)
    weights = coverage_weights(query, retriever.thresholds)
    product = [b * weights.coverage(retriever.token_set(i)) ** 0.5 for i, b in enumerate(bm25)]
    expected = sorted(range(len(texts)), key=lambda i: (-product[i], i))[:8]
    assert [h.passage.id for h in retriever.search(query, 8)] == [f"toy:{i + 1}" for i in expected]
