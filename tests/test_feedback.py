"""Votes on answers: one JSON line each, no raw user ids, a second vote replaces the first, 👎 -> draft eval items."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import yaml

from bot.conversation import Conversation
from bot.errors import InputError
from bot.feedback import FeedbackLog, draft_eval_entries, read_votes
from bot.router import Router

from .test_cli import briefbot


@pytest.fixture
def answered(router: Router):
    conversation = Conversation()
    router.ask("Who runs Kata'ib Hezbollah?", conversation=conversation)
    return router.ask("what was he accused of?", conversation=conversation)


def test_a_vote_is_one_json_line_with_the_answer_and_a_salted_voter(tmp_path: Path, answered) -> None:
    log = FeedbackLog(tmp_path / "votes.jsonl")
    log.record("a1", answered, "bad", 123456789012345678)
    (line,) = (tmp_path / "votes.jsonl").read_text().splitlines()
    vote = json.loads(line)
    assert vote.keys() == {"time", "answer_id", "question", "read_as", "passage_ids", "short_answer", "vote", "voter"}
    assert vote["question"] == "what was he accused of?"
    assert vote["read_as"] == "What was Abu Mahdi al-Muhandis accused of?"
    assert vote["passage_ids"] == [p.passage_id for p in answered.passages]
    assert vote["vote"] == "bad" and vote["answer_id"] == "a1"
    assert "123456789012345678" not in line and len(vote["voter"]) == 16


def test_the_voter_hash_is_stable_per_file_and_differs_between_salts(tmp_path: Path) -> None:
    one = FeedbackLog(tmp_path / "one.jsonl")
    assert one.voter_hash(42) == FeedbackLog(tmp_path / "one.jsonl").voter_hash(42)  # salt kept beside the file
    assert one.voter_hash(42) != one.voter_hash(43)
    assert one.voter_hash(42) != FeedbackLog(tmp_path / "two.jsonl").voter_hash(42)


def test_a_second_vote_replaces_the_first_and_others_still_count(tmp_path: Path, answered) -> None:
    path = tmp_path / "votes.jsonl"
    log = FeedbackLog(path)
    log.record("a1", answered, "good", 1)
    log.record("a1", answered, "bad", 2)
    log.record("a1", answered, "bad", 1)  # voter 1 changes their mind
    log.record("a2", answered, "good", 1)  # another answer
    votes, skipped = read_votes(path)
    assert skipped == 0
    assert sorted((v.answer_id, v.vote) for v in votes) == [("a1", "bad"), ("a1", "bad"), ("a2", "good")]


def test_unreadable_lines_are_skipped_and_counted(tmp_path: Path, answered) -> None:
    path = tmp_path / "votes.jsonl"
    FeedbackLog(path).record("a1", answered, "bad", 1)
    with path.open("a") as handle:
        handle.write('{"time": "cut short\n[1, 2]\n')
    votes, skipped = read_votes(path)
    assert len(votes) == 1 and skipped == 2


def test_an_unknown_vote_or_a_folder_is_a_clear_error_and_no_file_is_no_votes(tmp_path: Path, answered) -> None:
    with pytest.raises(InputError, match="good, bad"):
        FeedbackLog(tmp_path / "v.jsonl").record("a1", answered, "meh", 1)
    with pytest.raises(InputError, match="is a folder"):
        read_votes(tmp_path)
    assert read_votes(tmp_path / "none.jsonl") == ([], 0)  # nobody has voted yet


def test_concurrent_votes_each_write_one_whole_line(tmp_path: Path, answered) -> None:
    path = tmp_path / "votes.jsonl"
    log = FeedbackLog(path)
    threads = [threading.Thread(target=log.record, args=(f"a{n}", answered, "good", n)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    votes, skipped = read_votes(path)
    assert len(votes) == 40 and skipped == 0


def test_bad_votes_become_draft_eval_entries_a_person_completes(tmp_path: Path, answered, router: Router) -> None:
    path = tmp_path / "votes.jsonl"
    log = FeedbackLog(path)
    log.record("a1", answered, "bad", 1)
    log.record("a1", answered, "bad", 2)
    log.record("a2", router.ask("What is ImageSat?"), "good", 1)
    votes, _ = read_votes(path)
    draft = yaml.safe_load(draft_eval_entries(votes, str(path)))
    assert draft == {
        "questions": [{"q": "What was Abu Mahdi al-Muhandis accused of?", "kind": "paraphrase", "gold": []}]
    }
    assert "2 bad vote(s)" in draft_eval_entries(votes)


def test_console_votes_go_to_the_feedback_file_and_eval_lists_them(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("feedback_file: votes.jsonl\nretrieval:\n  mode: bm25\n")
    stdin = "/good\nWho runs Kata'ib Hezbollah?\n/good\n/bad\n/quit\n"
    result = briefbot("--config", str(config), "console", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Nothing to rate yet" in result.stdout
    lines = (tmp_path / "votes.jsonl").read_text().splitlines()
    assert [json.loads(line)["vote"] for line in lines] == ["good", "bad"]
    drafted = briefbot("eval", "--feedback", str(tmp_path / "votes.jsonl"))
    assert drafted.returncode == 0, drafted.stderr
    assert yaml.safe_load(drafted.stdout)["questions"][0]["q"] == "Who runs Kata'ib Hezbollah?"


def test_console_votes_are_off_without_a_feedback_file() -> None:
    result = briefbot("console", stdin="Who runs Kata'ib Hezbollah?\n/bad\n")
    assert "Feedback is off" in result.stdout
