"""The stemmer in use (PyStemmer's C Snowball when installed) gives the pure-Python Snowball's stems."""

from __future__ import annotations

import re
from pathlib import Path

from snowballstemmer import english_stemmer

from benchmarks.synthetic_corpus import write_archive
from bot.textnorm import _stemmer, stem, words

REPO = Path(__file__).resolve().parent.parent


def test_stems_equal_the_reference_snowball_on_articles_docs_and_a_synthetic_archive(tmp_path: Path) -> None:
    write_archive(tmp_path, 30, seed=11)
    files = [
        *(REPO / "knowledge").glob("*.txt"),
        *tmp_path.glob("*.txt"),
        REPO / "README.md",
        *REPO.glob("bot/**/*.py"),
    ]
    texts = [p.read_text(encoding="utf-8") for p in files]
    vocabulary = sorted({w for text in texts for w in words(text)} | {"running", "generously", "dying", "skies"})
    assert len(vocabulary) > 2000
    reference = english_stemmer.EnglishStemmer()
    in_use = _stemmer()
    assert [in_use.stemWord(w) for w in vocabulary] == [reference.stemWord(w) for w in vocabulary]
    assert stem("generously") == "generous" and stem("skies") == "sky"
    assert all(re.fullmatch(r"\S+", stem(w)) for w in vocabulary)
