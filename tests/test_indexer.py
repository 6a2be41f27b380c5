"""Splitting the shipped article into passages."""

from pathlib import Path

from bot.config import PassageSettings
from bot.indexer import BODY, CAPTION, build_passages, split_blocks, split_sentences
from bot.knowledge import load_article
from bot.textnorm import normalize_for_match

from .conftest import SHIPPED_ARTICLE


def _article():
    return load_article(SHIPPED_ARTICLE)


def test_body_paragraphs_are_numbered_as_a_reader_counts_them() -> None:
    blocks = [b for b in split_blocks(_article()) if b.kind == BODY]
    text = _article().text
    assert len(blocks) == 17
    assert text[blocks[0].start : blocks[0].end].startswith("Iran is constructing a new military compound")
    assert text[blocks[9].start : blocks[9].end].startswith("The battle for al-Bukamal in 2017")
    assert [b.paragraph for b in blocks] == list(range(1, 18))


def test_pull_quote_and_caption_appear_once_and_credit_is_cut(engine) -> None:
    texts = [normalize_for_match(p.text) for p in engine.passages]
    joined = "\n".join(texts)
    assert joined.count("according to security experts") == 1
    assert joined.count("members of iran's revolutionary guards march") == 1
    assert "photo credit" not in joined and "reuters" not in joined
    captions = [p for p in engine.passages if p.kind == CAPTION]
    assert len(captions) == 1 and captions[0].sentences[0].paragraph == 0


def test_passage_offsets_point_at_the_text(engine, article_text) -> None:
    for passage in engine.passages:
        assert article_text[passage.start : passage.end] == passage.text
        for sentence in passage.sentences:
            assert passage.start <= sentence.start < sentence.end <= passage.end


def test_passage_ids_are_stable_and_unique(engine) -> None:
    again = build_passages(_article(), engine.config.retrieval.passages)
    assert [p.id for p in again] == [p.id for p in engine.passages]
    assert len({p.id for p in engine.passages}) == len(engine.passages)
    assert all(p.id.startswith("al-bukamal-2019:") for p in engine.passages)


def test_every_body_sentence_is_in_some_passage(engine) -> None:
    covered = {(s.paragraph, s.number) for p in engine.passages for s in p.sentences}
    for block in split_blocks(_article()):
        for sentence in block.sentences:
            assert (sentence.paragraph, sentence.number) in covered


def test_very_short_paragraph_joins_its_neighbour(engine) -> None:
    short = [p for p in engine.passages if "It wasn’t always that way." in p.text]
    assert short and all(len(p.paragraphs) > 1 for p in short)


def test_long_paragraphs_become_overlapping_windows() -> None:
    settings = PassageSettings(max_words=40, window_sentences=2, overlap_sentences=1, min_words=0)
    passages = build_passages(_article(), settings)
    paragraph_ten = [p for p in passages if p.paragraphs == (10,)]
    assert len(paragraph_ten) == 5  # six sentences, windows of two, stepping by one
    assert all(len(p.sentences) == 2 for p in paragraph_ten)


def test_sentence_split_keeps_an_ellipsis_inside_a_quote() -> None:
    text = "He said “not hidden... on June 30, 2018 a team visited.” Then it left."
    sentences = split_sentences(text, 0, len(text), 1)
    assert [text[s.start : s.end] for s in sentences] == [
        "He said “not hidden... on June 30, 2018 a team visited.”",
        "Then it left.",
    ]


def test_sentence_split_respects_abbreviations() -> None:
    text = "The U.S. Army left. Dr. Smith stayed."
    assert len(split_sentences(text, 0, len(text), 1)) == 2


def test_article_with_only_body_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(
        "A Title\nFirst paragraph has enough words to stand on its own as a passage here.\n"
        "Second paragraph also has enough words to stand alone as its own passage.\n",
        encoding="utf-8",
    )
    passages = build_passages(load_article(path), PassageSettings())
    assert [p.paragraphs for p in passages] == [(1,), (2,)]
