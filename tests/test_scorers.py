"""Query cost at scale: the sparse BM25 scorer agrees with rank-bm25, typo fixes and ranking stay exact."""

from __future__ import annotations

import random
from pathlib import Path

import msgspec
import pytest

from benchmarks.synthetic_corpus import write_archive
from bot.config import BM25Settings, Config, RetrievalSettings
from bot.engine import Engine, build_engine
from bot.knowledge import default_knowledge_dir
from bot.retrieval.retriever import ranked
from bot.retrieval.scorer import RankBM25Scorer
from bot.retrieval.sparse import SparseBM25Scorer
from bot.retrieval.typos import TypoIndex, nearest_word
from bot.yamlfile import read_yaml

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("variant", ["okapi", "l", "plus"])
def test_sparse_scores_equal_rank_bm25_s(variant: str) -> None:
    rng = random.Random(4)
    vocabulary = [f"w{i}" for i in range(400)]
    passages = [[vocabulary[int(400 * rng.random() ** 3)] for _ in range(rng.randint(0, 40))] for _ in range(300)]
    lengths = [max(0, len(p) - rng.randint(0, 3)) for p in passages]  # actor tokens do not count
    settings = BM25Settings(variant=variant)
    reference, sparse = RankBM25Scorer(passages, lengths, settings), SparseBM25Scorer(passages, lengths, settings)
    for query in (["w0", "w1", "w7", "w7"], ["w399", "unknown"], ["w3"]):
        assert list(sparse.scores(query)) == pytest.approx(reference.scores(query), abs=1e-9)


def top10(engine: Engine, questions: list[str]) -> list[list[tuple[str, float]]]:
    retriever = engine.retriever
    return [[(h.passage.id, h.bm25) for h in retriever.search(retriever.parse(q), 10)] for q in questions]


def assert_same_top10(a: Engine, b: Engine, questions: list[str]) -> None:
    """Same passages in the same order, except that passages with equal scores may swap."""
    for question, left, right in zip(questions, top10(a, questions), top10(b, questions), strict=True):
        assert [s for _, s in left] == pytest.approx([s for _, s in right], abs=1e-9), question
        for (left_id, score), (right_id, _) in zip(left, right, strict=True):
            if left_id != right_id:  # a tie: the other engine ranks this passage at an equal score
                assert dict(right).get(left_id, score) == pytest.approx(score, abs=1e-9), question


def engines(folder: Path | None, cache: Path) -> tuple[Engine, Engine]:
    made = []
    for scorer in ("rank-bm25", "sparse"):
        retrieval = msgspec.structs.replace(RetrievalSettings(), mode="bm25", scorer=scorer)
        made.append(build_engine(Config(knowledge_dir=folder, cache_dir=cache, retrieval=retrieval)))
    return made[0], made[1]


def test_same_top10_on_the_shipped_article(tmp_path: Path) -> None:
    questions = [item["q"] for item in read_yaml(REPO / "tests/data/eval.yaml", ValueError).data["questions"]]
    reference, sparse = engines(default_knowledge_dir(), tmp_path)
    assert type(sparse.retriever.scorer).__name__ == "SparseBM25Scorer"
    assert_same_top10(reference, sparse, questions)


@pytest.mark.slow
def test_same_top10_on_a_200_article_folder(tmp_path: Path) -> None:
    questions = write_archive(tmp_path / "knowledge", 200, seed=9)
    reference, sparse = engines(tmp_path / "knowledge", tmp_path / "cache")
    assert len(reference.passages) > 4000
    assert_same_top10(reference, sparse, questions)


def test_the_typo_index_reads_words_as_the_full_scan_did() -> None:
    rng = random.Random(8)
    letters = "abcdeilmnorst"
    vocabulary = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(4, 11))) for _ in range(3000)})
    index = TypoIndex(vocabulary)
    typed = [w[:2] + w[3:] for w in vocabulary[::7]] + [w[0] + w[2] + w[1] + w[3:] for w in vocabulary[::11]]
    typed += ["zzzz", "abc", "1234", "stamnordes"]
    for word in typed:
        assert index.nearest(word) == nearest_word(word, vocabulary), word


def test_ranking_many_passages_is_the_order_of_a_full_sort() -> None:
    rng = random.Random(2)
    scores = [float(rng.choice([0, 0, 0, 1.5, 2.25, rng.random() * 5])) for _ in range(20_000)]
    expected = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    order = ranked(scores, 3)
    assert [next(order) for _ in range(500)] == expected[:500]
    assert list(ranked(scores, 10)) == expected
