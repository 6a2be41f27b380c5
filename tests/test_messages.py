"""User-facing messages agree with what they describe: counts with the lines listed, kinds with content."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from bot.check import check, render_check
from bot.config import load_config
from bot.engine import build_engine
from bot.errors import ConfigError, KnowledgeError
from bot.formats.jsonarticle import read_json_article
from bot.folderscan import looks_binary
from bot.render_text import Style, render_source
from bot.router import Router
from bot.wording import plural
from bot.yamlfile import read_yaml

from .test_cli import briefbot
from .test_reader import WRAPPED, harbour

RANDOM = random.Random(7).randbytes(3000)  # bytes like os.urandom's, the same on every run

MIXED = {
    "empty.txt": b"",  # error
    "blob.bin": RANDOM,  # warning
    "data.csv": b"a,b\n1,2\n",  # warning
    "harbour.meta.yaml": b"title: [broken\n",  # warning
    "wrapped.txt": WRAPPED.replace("Council", "Board").encode("utf-8"),  # note: re-flowed
    "nosuffix": b"Rail line\n\nThe line to Deir ez-Zor reopened on Monday after four years.\n",  # note
}


def write_project(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir(parents=True)
    (folder / "harbour.txt").write_text(harbour(), encoding="utf-8")
    for name, content in files.items():
        (folder / name).write_bytes(content)
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\nretrieval:\n  mode: bm25\n", encoding="utf-8")
    return config


def _listed(lines: list[str]) -> dict[str, int]:
    return {s: sum(1 for line in lines if line.lstrip().startswith(f"{s}: ")) for s in ("error", "warning", "note")}


def test_check_counts_every_line_it_lists_by_severity(tmp_path: Path) -> None:
    report = check(write_project(tmp_path, MIXED))
    lines = render_check(report).splitlines()
    assert _listed(lines) == {"error": 1, "warning": 3, "note": 2}
    assert lines[-1] == "1 error, 3 warnings, 2 notes: fix the errors and warnings and run `briefbot check` again"
    data = report.to_dict()
    assert data["counts"] == {"errors": 1, "warnings": 3, "notes": 2}
    assert len(data["problems"]) == 6


def test_source_lists_and_counts_the_same_problems_as_check(tmp_path: Path) -> None:
    config_path = write_project(tmp_path, MIXED)
    report = check(config_path)
    info = Router(build_engine(load_config(config_path))).source()
    text = render_source(info, 200, Style(False))
    problem_lines = text.split("Problems (", 1)[1].splitlines()
    assert problem_lines[0] == "1 error, 3 warnings, 2 notes; `briefbot check` checks the config too):"
    assert _listed(problem_lines[1:]) == {"error": 1, "warning": 3, "note": 2}
    source_json = info.to_dict()
    assert source_json["counts"] == report.to_dict()["counts"]
    assert sorted(p["message"] for p in source_json["problems"]) == sorted(p.message for p in report.problems)


def test_a_clean_check_still_counts_its_notes(tmp_path: Path) -> None:
    lines = render_check(check(write_project(tmp_path, {"wrapped.txt": MIXED["wrapped.txt"]}))).splitlines()
    assert lines[-1] == "ok (1 note; notes fail nothing)"
    assert render_check(check(write_project(tmp_path / "b", {}))).splitlines()[-1] == "ok"


def test_a_folder_where_nothing_loads_lists_every_problem_in_check(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_bytes(b"")
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\n", encoding="utf-8")
    lines = render_check(check(config)).splitlines()
    assert _listed(lines) == {"error": 4, "warning": 0, "note": 0}  # 3 empty files, and no article loads
    assert lines[-1].startswith("4 errors:")


def test_random_bytes_are_reported_as_binary_whatever_the_suffix(tmp_path: Path) -> None:
    names = ("blob.bin", "blob.py", "blob.csv", "blob.yaml", "blob.txt", "blob", "blob.dat")
    report = check(write_project(tmp_path, {name: RANDOM for name in names}))
    by_name = {p.path.name: p.message for p in report.problems}
    assert "(binary data)" in by_name["blob.bin"]
    for name in ("blob.py", "blob.csv", "blob.yaml"):
        assert "(binary data, not text)" in by_name[name], by_name[name]
    for name in ("blob.txt", "blob", "blob.dat"):
        assert "a binary file, not text" in by_name[name], by_name[name]
    assert not any("program" in message for message in by_name.values())


def test_binary_without_a_nul_byte_is_binary_and_legacy_text_is_not() -> None:
    no_nul = bytes(b for b in RANDOM if b)
    assert looks_binary(RANDOM) and looks_binary(no_nul)
    assert not looks_binary("Café “smart” report\r\n\tOne paragraph.\n".encode("cp1252"))
    assert not looks_binary("Title\nA paragraph.\n".encode("utf-16"))
    assert not looks_binary("Title\nA paragraph.\n".encode("utf-16-le"))  # UTF-16 with no mark: its own message


def test_a_real_python_file_is_still_code(tmp_path: Path) -> None:
    report = check(write_project(tmp_path, {"tool.py": b"import os\nprint(os.sep)\n"}))
    assert any("tool.py: not an article (a program or code)" in p.message for p in report.problems)
    assert json.dumps(report.to_dict())  # serialisable


def test_every_check_json_key_is_in_the_readme(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    documented = readme.split("`check --json` prints `{", 1)[1].split("}`", 1)[0]
    keys = {key.strip().strip('"') for key in documented.replace("\n", " ").split(",")}
    assert keys == set(check(write_project(tmp_path, {})).to_dict())


BROKEN_AT_THE_END = {  # (text, the line to name): an unclosed construct is reported where it began
    "knowledge_dir: k\nretrieval:\n  top_k: [3\n": 3,
    'title: "Broken\npublished: 2019\n': 1,
    "a: 1\nb: {x: 1\n\n\n": 2,
    "a: 1\nb: 'open\n": 2,
}


def test_a_yaml_error_at_the_end_names_a_line_of_the_file(tmp_path: Path) -> None:
    for number, (text, line) in enumerate(BROKEN_AT_THE_END.items()):
        path = tmp_path / f"bad{number}.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            read_yaml(path, ConfigError)
        assert str(caught.value).startswith(f"{path}:{line}: invalid YAML"), (text, str(caught.value))
        assert line <= len(text.splitlines())


def test_a_broken_config_check_names_the_line_of_the_open_bracket(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("knowledge_dir: k\nretrieval:\n  top_k: [3\n", encoding="utf-8")
    (problem,) = check(config).problems
    assert problem.message.startswith(f"{config}:3: invalid YAML")


def test_a_json_article_missing_its_last_brace_names_its_last_line() -> None:
    with pytest.raises(KnowledgeError, match=r"^line 2: not valid JSON"):
        read_json_article('{"title": "x",\n"text": "y"\n\n')


def test_the_json_question_is_the_text_as_given(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("retrieval:\n  mode: bm25\n", encoding="utf-8")
    typed = "Who runs ```Kataib Hezbollah```?\n  and since when"
    result = briefbot("--config", str(config), "ask", "--json", typed, "x" * 5000)
    first, too_long = (json.loads(line) for line in result.stdout.splitlines())
    assert first["question"] == typed
    assert first["normalized_question"] == "Who runs '''Kataib Hezbollah'''? and since when"
    assert too_long["reason"] == "question_too_long" and too_long["question"] == "x" * 5000


def test_ask_from_stdin_answers_every_line_so_output_lines_up_with_input(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("retrieval:\n  mode: bm25\n", encoding="utf-8")
    lines = ["what is al-Tanf", "", "   ", "who is muhandis\r"]
    result = briefbot("--config", str(config), "ask", "--json", "-", stdin="\n".join(lines) + "\n")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["what is al-Tanf", "", "   ", "who is muhandis"]
    assert [a["reason"] for a in answers] == [None, "empty_question", "empty_question", None]


def test_a_blank_line_under_follow_ups_starts_a_new_conversation_and_says_so(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("retrieval:\n  mode: bm25\n", encoding="utf-8")
    stdin = "Who runs Kataib Hezbollah?\nwhen did he serve with the IRGC?\n\nwhen did he serve with the IRGC?\n"
    result = briefbot("--config", str(config), "ask", "--json", "--follow-ups", "-", stdin=stdin)
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 4
    assert answers[1]["read_as"] == "When did Abu Mahdi al-Muhandis serve with the IRGC?"
    assert answers[2]["reason"] == "new_conversation" and answers[2]["question"] == ""
    assert answers[3]["read_as"] is None  # the new conversation has no "he" to read


def test_counts_of_one_are_singular_wherever_a_count_is_shown(tmp_path: Path) -> None:
    assert plural(1, "paragraph") == "1 paragraph" and plural(0, "paragraph") == "0 paragraphs"
    assert plural(1032, "word", digits=",") == "1,032 words"
    one = "Short note\n\nThe harbour wall at Latakia was raised by two metres in a month of night work.\n"
    wrapped = "Wrapped\n\n" + "\n".join(["The harbour wall at Latakia was raised by two metres in a"] * 6) + "\n"
    config = write_project(tmp_path, {"one-para.txt": one.encode(), "wrapped-one.txt": wrapped.encode()})
    text = render_source(Router(build_engine(load_config(config))).source(), 200, Style(False))
    assert "split into: 1 paragraph, 1 passage (" in text
    assert "re-flowed into 1 paragraph\n" in text or "re-flowed into 1 paragraph;" in text
    assert not re.search(r"\b1 [a-z]+s\b", text), re.findall(r"\b1 [a-z]+s\b", text)


def test_an_answer_with_one_passage_says_one_passage(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("retrieval:\n  mode: bm25\n", encoding="utf-8")
    result = briefbot("--config", str(config), "ask", "--json", "--top-k", "1", "Who runs Kataib Hezbollah?")
    message = json.loads(result.stdout)["message"]
    assert "(1 passage)" in message, message


PLAIN = b"Dam report\n\nThe Tabqa dam on the Euphrates holds less water than in any year since 1990.\n"


def test_plain_text_under_a_document_suffix_is_read_with_a_warning_to_rename(tmp_path: Path) -> None:
    names = ("notreally.pdf", "letter.docx", "memo.odt", "note.rtf")
    report = check(write_project(tmp_path, {name: PLAIN.replace(b"Dam", name.encode()) for name in names}))
    assert sorted(report.articles) == ["harbour", "letter", "memo", "note", "notreally"]
    for name in names:
        (problem,) = [p for p in report.problems if p.path.name == name]
        suffix = name[name.index(".") :]
        assert problem.severity == "warning"
        assert problem.message.endswith(f"plain text in a {suffix} file: read as plain text; rename it .txt")


def test_a_txt_file_that_reads_as_code_is_read_and_reported(tmp_path: Path) -> None:
    code = b"def f(x):\n    return {x: [1, 2]}\nimport os\nprint(f(os.sep))\n"
    table = b"Prices\n\n2019;12.5;13.1\n2020;14.0;15.2\n2021;16.3;17.9\n"
    report = check(write_project(tmp_path, {"code.txt": code, "table.txt": table}))
    flagged = {p.path.name for p in report.problems if "reads as code or data" in p.message}
    assert flagged == {"code.txt", "table.txt"}  # harbour.txt, prose, is not
    assert {"code", "table"} <= set(report.articles)


def test_a_scripted_console_states_the_mode_on_stderr_and_only_answers_on_stdout(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("retrieval:\n  mode: bm25\n", encoding="utf-8")
    result = briefbot("--config", str(config), "console", stdin="/ask what is the land bridge?\n/quit\n")
    assert result.stderr.splitlines()[0].startswith("briefbot (bm25 retrieval): ask about ")
    assert result.stdout.startswith("From the article")
    assert "retrieval)" not in result.stdout
