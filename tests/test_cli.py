"""The command line and the console, run as a user runs them: as processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

PASSAGE_KEYS = {"article", "paragraph", "sentences", "text", "highlight", "score", "citation"}


def briefbot(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict[str, str] | None = None):
    environment = {**os.environ, "NO_COLOR": "1"}
    environment.pop("BRIEFBOT_CONFIG", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=environment,
        timeout=60,
    )


def test_ask_json_follows_the_contract() -> None:
    result = briefbot("ask", "--json", "Who runs Kata'ib Hezbollah?", "what's the weather in Paris today?")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    answered, declined = (json.loads(line) for line in lines)
    assert {"question", "answered", "message", "passages"} <= answered.keys()
    assert answered["answered"] is True
    assert "This group is run by Abu Mahdi al-Muhandis" in answered["passages"][0]["text"]
    for passage in answered["passages"]:
        assert passage.keys() >= PASSAGE_KEYS
        assert passage["article"] == "al-bukamal-2019"
        assert isinstance(passage["paragraph"], int) and isinstance(passage["score"], float)
        assert passage["highlight"] in passage["text"]
        assert f"¶{passage['paragraph']}" in passage["citation"]
    assert declined["answered"] is False and declined["passages"] == []


def test_ask_reads_questions_from_stdin() -> None:
    result = briefbot("ask", "--json", "-", stdin="who is muhandis\n\nwhere is al-Tanf\n")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["who is muhandis", "", "where is al-Tanf"]  # one per input line
    assert [a["answered"] for a in answers] == [True, False, True]
    assert answers[1]["reason"] == "empty_question"


def test_ask_text_output_is_plain_when_piped() -> None:
    result = briefbot("ask", "Who runs Kata'ib Hezbollah?")
    assert "\x1b[" not in result.stdout
    assert "¶10" in result.stdout and "**" in result.stdout


def test_ask_top_k_option() -> None:
    result = briefbot("ask", "--json", "--top-k", "1", "Who runs Kata'ib Hezbollah?")
    assert len(json.loads(result.stdout)["passages"]) == 1


def test_ask_rejects_a_bad_top_k_with_one_line() -> None:
    result = briefbot("ask", "--top-k", "0", "Who runs Kata'ib Hezbollah?")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "top-k" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_bad_inputs_never_trace_back() -> None:
    questions = ["", "   ", "x" * 10_000, "\x01\x02\x1b[31m", "🙂", "שלום עולם", "@everyone <@&123> **bold**"]
    result = briefbot("ask", "--json", *questions)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(questions)
    assert all(len(a["message"]) < 200 for a in answers)


def test_console_session_through_a_pipe() -> None:
    script = (
        "/help\n/ask Who runs Kata'ib Hezbollah?\nwhat's the weather in Paris today?\n"
        "/nope\n/quit\n/ask never reached\n"
    )
    result = briefbot("console", stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    flat = " ".join(out.replace("**", "").split())  # the same text, whatever the wrapping
    assert "/ask QUESTION" in out
    assert "This group is run by Abu Mahdi al-Muhandis" in flat and "¶10" in out
    assert "does not answer" in out
    assert "unknown command /nope; try one of: ask, timeline, actors, actor, source, help, new, good, bad" in out
    # The console's own commands are listed with the others, before the closing line.
    assert out.index("/new") < out.index("/quit\n") < out.index("Anything not starting with /")
    assert "never reached" not in out
    assert "briefbot>" not in out and "\x1b[" not in out


def test_console_stops_at_end_of_input() -> None:
    result = briefbot("console", stdin="who is muhandis\n")
    assert result.returncode == 0 and "Muhandis" in result.stdout


def test_index_lists_passages_with_ids_and_offsets() -> None:
    result = briefbot("index", "--json")
    passages = json.loads(result.stdout)
    article = (REPO / "knowledge" / "al-bukamal-2019.txt").read_text(encoding="utf-8")
    assert passages and all(article[p["start"] : p["end"]] == p["text"] for p in passages)
    assert "al-bukamal-2019:" in briefbot("index").stdout


def test_source_shows_article_metadata() -> None:
    info = json.loads(briefbot("source", "--json").stdout)
    article = info["articles"][0]
    assert article["title"] == "Al Bukamal: The hub of Iran’s 'land bridge'"
    assert article["published"] == "2019-09" and article["paragraphs"] == 17
    assert "Retrieval" in briefbot("source").stdout


def test_help_teaches_the_verbs() -> None:
    out = briefbot("--help").stdout
    for verb in ("console", "ask", "index", "source"):
        assert verb in out


def test_works_from_any_directory_with_the_shipped_article(tmp_path: Path) -> None:
    result = briefbot("ask", "--json", "who is muhandis", cwd=tmp_path)
    assert json.loads(result.stdout)["answered"] is True


def test_one_shot_commands_never_import_discord() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", "ask", "test"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    imported = [line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "bot.responder" in imported
    assert not [name for name in imported if name.split(".")[0] == "discord"]


def test_broken_config_gives_file_line_and_fix(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("retrieval:\n  top_k: three\n", encoding="utf-8")
    result = briefbot("--config", str(config), "ask", "who is muhandis")
    assert result.returncode == 2
    assert f"{config}:2: retrieval.top_k: expected an integer" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_from_environment_variable(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("retrieval:\n  top_k: 1\n", encoding="utf-8")
    result = briefbot("ask", "--json", "who is muhandis", env={"BRIEFBOT_CONFIG": str(config)})
    assert len(json.loads(result.stdout)["passages"]) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Title\n\xff\xfe broken\n", ":2: not UTF-8"),
        (b"Title\nA paragraph with a \x01 control character.\n", ":2: control character U+0001"),
        (b"Only a title\n", "needs a title line and at least one paragraph"),
    ],
)
def test_broken_knowledge_file_is_named(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "bad.txt").write_bytes(content)
    config = tmp_path / "config.yaml"
    config.write_text("knowledge_dir: knowledge\n", encoding="utf-8")
    result = briefbot("--config", str(config), "ask", "anything")
    assert result.returncode == 1
    assert "bad.txt" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
