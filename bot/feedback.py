"""Votes on answers (👍 good / 👎 bad), kept as JSON lines, and 👎 answers turned into draft eval items.

One line per vote: ``{"time", "answer_id", "question", "read_as", "passage_ids", "short_answer",
"vote", "voter"}``. ``voter`` is a salted SHA-256 of the voter's id (a Discord user id, or the
console's user), never the id itself; the salt is drawn once and kept beside the file
(``<file>.salt``, readable by its owner only), so one person's votes stay linked to each other
without the file naming anyone. The file is only appended to: anyone may vote once per answer, and
a second vote by the same voter on the same answer *replaces* the first when the file is read
(:func:`read_votes` keeps the last line per ``(answer_id, voter)``).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import InputError

GOOD, BAD = "good", "bad"
VOTES = (GOOD, BAD)


@dataclass(frozen=True)
class Vote:
    """One vote as written to (and read from) the feedback file."""

    time: str  # ISO 8601, UTC
    answer_id: str
    question: str
    read_as: str | None
    passage_ids: tuple[str, ...]
    short_answer: str | None
    vote: str  # "good" or "bad"
    voter: str  # salted hash

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passage_ids"] = list(self.passage_ids)
        return data


def new_answer_id() -> str:
    """A fresh id for an answer shown to people (votes on it are grouped by it)."""
    return uuid.uuid4().hex


class FeedbackLog:
    """Appends votes to one JSON-lines file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._salt: bytes | None = None

    def voter_hash(self, voter_id: str | int) -> str:
        """The salted hash written instead of ``voter_id`` (16 hex digits)."""
        digest = hashlib.sha256(self._load_salt() + str(voter_id).encode("utf-8"))
        return digest.hexdigest()[:16]

    def record(self, answer_id: str, answer: Any, vote: str, voter_id: str | int) -> Vote:
        """Append one vote on ``answer`` (a responder Answer); raises InputError for an unknown vote."""
        if vote not in VOTES:
            raise InputError(f"a vote is one of: {', '.join(VOTES)}")
        short = getattr(answer, "short_answer", None)
        short_text = getattr(short, "text", short)
        entry = Vote(
            time=datetime.now(UTC).isoformat(timespec="seconds"),
            answer_id=answer_id,
            question=answer.question,
            read_as=getattr(answer, "read_as", None),
            passage_ids=tuple(p.passage_id for p in answer.passages),
            short_answer=short_text if isinstance(short_text, str) else None,
            vote=vote,
            voter=self.voter_hash(voter_id),
        )
        line = json.dumps(entry.to_dict(), ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write of the whole line with O_APPEND: lines of concurrent processes never interleave.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        return entry

    def _load_salt(self) -> bytes:
        with self._lock:
            if self._salt is None:
                salt_path = self.path.with_name(self.path.name + ".salt")
                try:
                    self._salt = bytes.fromhex(salt_path.read_text(encoding="ascii").strip())
                except (FileNotFoundError, ValueError):
                    salt_path.parent.mkdir(parents=True, exist_ok=True)
                    salt = secrets.token_bytes(16)
                    fd = os.open(salt_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    try:
                        os.write(fd, salt.hex().encode("ascii"))
                    finally:
                        os.close(fd)
                    self._salt = salt
            return self._salt


def read_votes(path: Path) -> tuple[list[Vote], int]:
    """The votes in force (the last per answer and voter, in file order) and the number of unreadable lines.

    A file that does not exist yet holds no votes (nobody voted since feedback_file was set)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], 0
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give the feedback file (config feedback_file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the feedback file ({exc})") from None
    latest: dict[tuple[str, str], Vote] = {}
    skipped = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            vote = Vote(
                time=str(data["time"]),
                answer_id=str(data["answer_id"]),
                question=str(data["question"]),
                read_as=data.get("read_as"),
                passage_ids=tuple(str(p) for p in data.get("passage_ids", ())),
                short_answer=data.get("short_answer"),
                vote=str(data["vote"]),
                voter=str(data["voter"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            skipped += 1  # a line cut short by a crash must not hide the others
            continue
        if vote.vote not in VOTES:
            skipped += 1
            continue
        key = (vote.answer_id, vote.voter)
        latest.pop(key, None)  # a replaced vote moves to where the newer one stands
        latest[key] = vote
    return list(latest.values()), skipped


def draft_eval_entries(votes: Sequence[Vote], source: str = "", skipped: int = 0) -> str:
    """The 👎 answers as a YAML ``questions:`` list in tests/data/eval.yaml's shape, gold left to fill in.

    Each distinct question (as read) appears once, with how many bad votes it got and what it was
    answered with, so a person can add gold quotes or mark it ``answerable: false``.
    """
    bad: dict[str, list[Vote]] = {}
    for vote in votes:
        if vote.vote == BAD:
            bad.setdefault(vote.read_as or vote.question, []).append(vote)
    header = [
        f"# Draft eval entries from the 👎 votes in {source or 'the feedback file'}: {len(bad)} question(s).",
        "# Complete each: add gold quotes (verbatim snippets of the article) and the right kind,",
        "# or, when the article does not answer it, drop gold and set answerable: false, kind: not_in_text.",
    ]
    if skipped:
        header.append(f"# {skipped} unreadable line(s) of the feedback file were skipped.")
    if not bad:
        return "\n".join([*header, "questions: []"]) + "\n"
    lines = [*header, "questions:"]
    for question, items in bad.items():
        first = items[0]
        lines.append(f"  - q: {json.dumps(question, ensure_ascii=False)}")
        if first.read_as and first.read_as != first.question:
            lines.append(f"    # typed: {_one_line(first.question)}")
        lines.append(f"    # {len(items)} bad vote(s); answered with: {', '.join(first.passage_ids) or 'nothing'}")
        if first.short_answer:
            lines.append(f"    # short answer given: {_one_line(first.short_answer)}")
        lines.append("    kind: paraphrase")
        lines.append("    gold: []")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:200]


def votes_by_answer(votes: Iterable[Vote]) -> dict[str, dict[str, int]]:
    """For each answer id: how many good and bad votes it has."""
    tally: dict[str, dict[str, int]] = {}
    for vote in votes:
        counts = tally.setdefault(vote.answer_id, {GOOD: 0, BAD: 0})
        counts[vote.vote] += 1
    return tally
