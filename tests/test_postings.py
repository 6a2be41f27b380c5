"""Token rows (compressed sparse rows over one vocabulary) and the array file they are kept in."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.arrayfile import read_arrays, write_arrays
from bot.indexcache import IndexCache
from bot.retrieval.postings import TokenRows, rows_holding, vocabulary_of

ROWS = [["quay", "crane", "quay"], [], ["crane", "fleet"], ["quay"]]


def test_token_rows_keep_each_rows_tokens_and_counts() -> None:
    vocabulary, index = vocabulary_of(ROWS)
    assert vocabulary == ["crane", "fleet", "quay"]  # sorted, so ids are the same on every run
    rows = TokenRows.from_lists(ROWS, vocabulary, index)
    assert len(rows) == 4
    assert rows.indptr.tolist() == [0, 2, 2, 4, 5]
    assert rows.ids.tolist() == [0, 2, 0, 1, 2] and rows.counts.tolist() == [1, 2, 1, 1, 1]
    assert rows.token_set(0) == {"quay", "crane"} and rows.token_set(1) == frozenset()
    assert sorted(rows.token_list(0)) == ["crane", "quay", "quay"]
    assert rows.document_frequencies().tolist() == [2, 1, 2]


def test_columns_are_the_postings_of_each_token() -> None:
    vocabulary, index = vocabulary_of(ROWS)
    columns = TokenRows.from_lists(ROWS, vocabulary, index).columns()
    ptr, passages, counts = columns
    assert ptr.tolist() == [0, 2, 3, 5]
    assert passages.tolist() == [0, 2, 2, 0, 3]  # crane: 0, 2; fleet: 2; quay: 0, 3
    assert counts.tolist() == [1, 1, 1, 2, 1]
    assert rows_holding(columns, index, ["fleet", "quay", "absent"], 4).tolist() == [0, 2, 3]


@pytest.mark.parametrize(
    ("indptr", "ids", "counts"),
    [
        ([0, 2, 1], [0, 1], [1, 1]),  # pointers decrease
        ([0, 2], [0, 9], [1, 1]),  # an id past the vocabulary
        ([0, 2], [0, 1], [1, 0]),  # a count of 0
        ([1, 2], [0, 1], [1, 1]),  # not starting at 0
    ],
)
def test_rows_that_do_not_fit_together_are_refused(indptr: list[int], ids: list[int], counts: list[int]) -> None:
    with pytest.raises(ValueError, match="token rows"):
        TokenRows(["a", "b"], np.array(indptr), np.array(ids, dtype=np.int32), np.array(counts, dtype=np.int32))


def test_an_array_file_reads_back_what_was_written_as_read_only_arrays(tmp_path: Path) -> None:
    cache = IndexCache(tmp_path)
    arrays = {"ids": np.array([3, 1, 2], dtype=np.int32), "ptr": np.array([0, 3], dtype=np.int64)}
    write_arrays(cache, "snapshots", "one.index", "k" * 64, {"words": ["quay"]}, arrays)
    read = read_arrays(tmp_path / "snapshots" / "one.index", "k" * 64)
    assert read is not None
    data, found = read
    assert data == {"words": ["quay"]}
    assert {name: a.tolist() for name, a in found.items()} == {"ids": [3, 1, 2], "ptr": [0, 3]}
    assert not found["ids"].flags.writeable
    assert read_arrays(tmp_path / "snapshots" / "one.index", "o" * 64) is None  # another key: not trusted


def test_an_array_file_naming_a_type_it_never_holds_is_refused(tmp_path: Path) -> None:
    cache = IndexCache(tmp_path)
    write_arrays(cache, "snapshots", "one.index", "k" * 64, [], {"ids": np.array([1, 2], dtype=np.int32)})
    path = tmp_path / "snapshots" / "one.index"
    header, body = path.read_bytes().split(b"\n", 1)
    fields = json.loads(header)
    fields["arrays"][0][1] = "|O"  # objects: what a crafted file would need to run anything
    path.write_bytes(json.dumps(fields).encode() + b"\n" + body)
    assert read_arrays(path, "k" * 64) is None
    with pytest.raises(ValueError, match="int32/int64"):
        write_arrays(cache, "snapshots", "two.index", "k" * 64, [], {"x": np.array([0.5])})
