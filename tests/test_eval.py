"""The answer-quality harness and the figures it reached, pinned as floors.

Retrieval is deterministic, so each floor is the level reached when the thresholds were tuned: a
change that makes answers worse on tests/data/eval.yaml fails here. The semantic floors run for
real: the semantic extra is part of the test extra.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Config, RetrievalSettings
from bot.engine import build_engine
from bot.errors import InputError
from bot.evaluate import evaluate, load_eval_set, missing_gold, router_retriever
from bot.router import Router

DATA = Path(__file__).resolve().parent / "data"
SETS = [DATA / "eval.yaml", DATA / "eval_holdout.yaml"]

# Reached on eval.yaml (see README, "Answer quality"; its not-in-text declines, README rules 4 and 5,
# cost two answerable "when" questions whose passage says it in other words, "when did Daesh lose ...").
FLOORS = {
    "bm25": {
        "hit_at_1": 0.82,
        "hit_at_3": 0.88,
        "mrr": 0.86,
        "answered": 0.92,
        "declined": 0.85,
        "off_topic": 1.0,
        "short_correct": 0.84,
    },
    "semantic": {
        "hit_at_1": 0.83,
        "hit_at_3": 0.92,
        "mrr": 0.87,
        "answered": 0.96,
        "declined": 0.83,
        "off_topic": 1.0,
        "short_correct": 0.86,
    },
}
# Ceilings on short_wrong (a short answer given that does not hold the gold one: worse than none),
# reached with the relation check and time reasoning (README, "Short answers by answer type"): eval.yaml.
SHORT_WRONG_CEILINGS = {"bm25": 0.07, "semantic": 0.05}  # 0.06 / 0.03 before the 7 questions added for declines
# Ranking and declines on a third article (a dam repair story, tests/data/second_article/) whose
# questions were written before the second round of issue 9 and never tuned on: a change that helps
# the shipped article by hurting another one fails here.
SECOND_ARTICLE = DATA / "second_article"
SECOND_FLOORS = {
    "bm25": {"hit_at_1": 0.72, "hit_at_3": 0.84, "answered": 0.96, "off_topic": 0.9, "not_in_text": 0.5},
    "semantic": {"hit_at_1": 0.68, "hit_at_3": 0.88, "answered": 0.92, "off_topic": 0.9, "not_in_text": 0.5},
}
# Declines on a fifth article (a wildfire story, tests/data/wildfire_article/) whose questions were
# written before the date-or-number decline was measured on it (README, "Answer quality").
WILDFIRE_ARTICLE = DATA / "wildfire_article"
WILDFIRE_FLOORS = {
    "bm25": {"hit_at_1": 0.83, "answered": 0.91, "off_topic": 1.0, "not_in_text": 0.64},
    "semantic": {"hit_at_1": 0.83, "answered": 0.95, "off_topic": 1.0, "not_in_text": 0.57},
}
# Short answers on two other articles (a court ruling; the Kessel Dam) whose questions were written
# before the short-answer rules and never tuned on: the rules carry over to other articles and names.
SELVA_ARTICLE = DATA / "articles"
SELVA_SET = DATA / "eval_selva.yaml"
OTHER_ARTICLE_SHORT_FLOORS = {
    (SELVA_ARTICLE, SELVA_SET): {"bm25": 0.93, "semantic": 0.9},
    (SECOND_ARTICLE, DATA / "eval_second_article.yaml"): {"bm25": 0.9, "semantic": 0.8},
}
OTHER_ARTICLE_SHORT_WRONG_CEILINGS = {
    (SELVA_ARTICLE, SELVA_SET): {"bm25": 0.04, "semantic": 0.0},
    (SECOND_ARTICLE, DATA / "eval_second_article.yaml"): {"bm25": 0.1, "semantic": 0.1},
}


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_every_gold_quote_occurs_in_the_article(path: Path, article_text: str) -> None:
    questions = load_eval_set(path)
    assert missing_gold(questions, [article_text]) == []


def test_the_tuning_set_is_big_enough_and_covers_every_kind() -> None:
    questions = load_eval_set(DATA / "eval.yaml")
    answerable = [q for q in questions if q.answerable]
    assert len(answerable) >= 70
    assert len(questions) - len(answerable) >= 20
    assert {q.kind for q in questions} == {
        "lexical",
        "paraphrase",
        "alias",
        "pronoun",
        "typo",
        "lowercase",
        "short",
        "off_topic",
        "not_in_text",
    }


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
def test_figures_on_the_tuning_set_stay_at_their_floors(mode: str) -> None:
    router = Router(build_engine(Config(retrieval=RetrievalSettings(mode=mode))))
    assert router.engine.mode == mode
    report = evaluate(load_eval_set(DATA / "eval.yaml"), router_retriever(router))
    overall, floors = report.overall, FLOORS[mode]
    reached = {
        "hit_at_1": overall.hit_at_1,
        "hit_at_3": overall.hit_at_3,
        "mrr": overall.mrr,
        "answered": overall.answered,
        "declined": overall.declined,
        "off_topic": report.by_kind["off_topic"].declined,
        "short_correct": overall.short_correct,
    }
    assert {k: v for k, v in reached.items() if v is None or v < floors[k]} == {}
    assert overall.short_wrong is not None and overall.short_wrong <= SHORT_WRONG_CEILINGS[mode]


def test_every_gold_quote_of_the_court_ruling_set_occurs_in_its_article() -> None:
    texts = [path.read_text(encoding="utf-8") for path in SELVA_ARTICLE.glob("*.txt")]
    assert missing_gold(load_eval_set(SELVA_SET), texts) == []


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
@pytest.mark.parametrize("article", list(OTHER_ARTICLE_SHORT_FLOORS), ids=lambda a: a[1].stem)
def test_short_answers_on_other_articles_stay_at_their_floor(article: tuple[Path, Path], mode: str) -> None:
    folder, question_set = article
    router = Router(build_engine(Config(knowledge_dir=folder, retrieval=RetrievalSettings(mode=mode))))
    report = evaluate(load_eval_set(question_set), router_retriever(router))
    assert report.overall.short_correct is not None
    assert report.overall.short_correct >= OTHER_ARTICLE_SHORT_FLOORS[article][mode]
    assert report.overall.short_wrong is not None
    assert report.overall.short_wrong <= OTHER_ARTICLE_SHORT_WRONG_CEILINGS[article][mode]


def test_the_second_articles_gold_quotes_occur_in_it() -> None:
    text = (SECOND_ARTICLE / "kessel-dam-2023.txt").read_text(encoding="utf-8")
    assert missing_gold(load_eval_set(DATA / "eval_second_article.yaml"), [text]) == []


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
def test_figures_on_the_second_article_stay_at_their_floors(mode: str) -> None:
    config = Config(knowledge_dir=SECOND_ARTICLE, retrieval=RetrievalSettings(mode=mode))
    report = evaluate(load_eval_set(DATA / "eval_second_article.yaml"), router_retriever(Router(build_engine(config))))
    overall, floors = report.overall, SECOND_FLOORS[mode]
    reached = {
        "hit_at_1": overall.hit_at_1,
        "hit_at_3": overall.hit_at_3,
        "answered": overall.answered,
        "off_topic": report.by_kind["off_topic"].declined,
        "not_in_text": report.by_kind["not_in_text"].declined,
    }
    assert {k: v for k, v in reached.items() if v is None or v < floors[k]} == {}


def test_a_gold_quote_missing_from_the_article_is_reported(article_text: str, tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text("questions:\n  - q: who?\n    kind: short\n    gold: [not in the article at all]\n")
    assert [quote for _, quote in missing_gold(load_eval_set(path), [article_text])] == ["not in the article at all"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("questions: []\n", "set.yaml:1: questions: expected a list of questions, each with q, kind and gold"),
        ("questions:\n  - q: hi\n    kind: weird\n", "set.yaml:3: questions.0.kind: 'weird' is not allowed; choose"),
        ("questions:\n  - q: hi\n    kind: short\n", "set.yaml:2: an answerable question needs gold quotes"),
        ("questions:\n  - q: hi\n    kind: off_topic\n    answerable: false\n    gold: [x]\n", "cannot have gold"),
        (
            "questions:\n  - q: hi\n    kind: short\n    gold: [x]\n    extra: 1\n",
            "set.yaml:5: questions.0.extra: unknown key;",
        ),
    ],
)
def test_a_bad_question_file_gets_one_line_naming_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=message.replace("[", r"\[")):
        load_eval_set(path)


def test_eval_json_has_the_figures_per_kind_and_the_misses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        "questions:\n"
        "  - q: Who runs Kata'ib Hezbollah?\n    kind: pronoun\n"
        "    gold: [This group is run by Abu Mahdi al-Muhandis]\n"
        "  - q: What did Sam Heller write?\n    kind: lexical\n    gold: [Maps, satellite images and photos]\n"
        "  - q: tell me a joke\n    kind: off_topic\n    answerable: false\n"
    )
    config = tmp_path / "config.yaml"
    config.write_text("retrieval:\n  mode: bm25\n")
    assert main(["--config", str(config), "eval", "--json", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "bm25"
    assert set(report["overall"]) >= {"hit_at_1", "hit_at_3", "hit_at_10", "mrr", "answered", "declined"}
    assert report["overall"]["hit_at_1"] == 0.5 and report["overall"]["declined"] == 1.0
    assert set(report["by_kind"]) == {"pronoun", "lexical", "off_topic"}
    assert [m["question"] for m in report["misses"]] == ["What did Sam Heller write?"]


def test_the_baseline_never_declines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--baseline", "--json", str(DATA / "eval.yaml")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "baseline"
    assert report["overall"]["answered"] == 1.0 and report["overall"]["declined"] == 0.0


def test_eval_on_a_missing_file_is_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "no-such-file.yaml"]) == 1
    assert "no-such-file.yaml: file not found" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "questions:\n  - q: hi\n    kind: short\n    glod: [x]\n",
            ":4: questions.0.glod: unknown key (did you mean 'gold'?); allowed: q, kind, gold, answerable, short",
        ),
        (
            "questions:\n  - q: hi\n    kind: short\n    gold: [x]\n  - q: ho\n    kind: short\n    gold: {a: 1}\n",
            ":7: questions.1.gold: expected a quote from the article, or a list of them, got a mapping",
        ),
        (
            "questions:\n  - kind: short\n    gold: [x]\n",
            ":2: questions.0.q: missing: this key is required (non-empty text)",
        ),
        ("questions:\n  - q: hi\n    kind: short\n    kind: lexical\n", ":4: questions.0.kind: the key appears twice"),
        ("question:\n  - q: hi\n", ":1: question: unknown key (did you mean 'questions'?); allowed: questions"),
    ],
)
def test_a_question_file_error_names_file_line_and_key_exactly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        load_eval_set(path)
    assert str(error.value).startswith(f"{path}{message}")


def test_gold_may_be_one_quote_and_an_entry_keeps_its_line(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text("questions:\n  - q: who?\n    kind: short\n    gold: Muhandis\n    short: Abu Mahdi\n")
    (question,) = load_eval_set(path)
    assert (question.gold, question.short, question.line) == (("Muhandis",), ("Abu Mahdi",), 2)


def test_the_wildfire_articles_gold_quotes_occur_in_it() -> None:
    text = (WILDFIRE_ARTICLE / "calder-wildfire-2025.txt").read_text(encoding="utf-8")
    assert missing_gold(load_eval_set(DATA / "eval_wildfire.yaml"), [text]) == []


@pytest.mark.parametrize("mode", ["bm25", "semantic"])
def test_figures_on_the_wildfire_article_stay_at_their_floors(mode: str) -> None:
    config = Config(knowledge_dir=WILDFIRE_ARTICLE, retrieval=RetrievalSettings(mode=mode))
    report = evaluate(load_eval_set(DATA / "eval_wildfire.yaml"), router_retriever(Router(build_engine(config))))
    reached = {
        "hit_at_1": report.overall.hit_at_1,
        "answered": report.overall.answered,
        "off_topic": report.by_kind["off_topic"].declined,
        "not_in_text": report.by_kind["not_in_text"].declined,
    }
    assert {k: v for k, v in reached.items() if v is None or v < WILDFIRE_FLOORS[mode][k]} == {}
