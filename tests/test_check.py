"""`briefbot check`: every problem of a knowledge folder and its config, one line each, for CI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import SHIPPED_ARTICLE
from .test_cli import briefbot
from .test_reader import WRAPPED, harbour


def project(tmp_path: Path, files: dict[str, bytes], config: str = "knowledge_dir: knowledge\n") -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "harbour.txt").write_text(harbour(), encoding="utf-8")
    for name, content in files.items():
        (folder / name).write_bytes(content)
    path = tmp_path / "config.yaml"
    path.write_text(config, encoding="utf-8")
    return path


def test_a_clean_folder_passes(tmp_path: Path) -> None:
    config = project(tmp_path, {"wrapped.txt": WRAPPED.replace("Council", "Board").encode("utf-8")})
    result = briefbot("--config", str(config), "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "ok (1 note; notes fail nothing)"
    assert "note: " in result.stdout and "hard-wrapped at 71 columns" in result.stdout


def test_every_problem_is_listed_and_the_exit_status_is_1(tmp_path: Path) -> None:
    files = {
        "empty.txt": b"",
        "harbour-copy.txt": harbour().encode("utf-8"),
        "harbour.meta.yaml": b"published: last week\n",
        "orphan.timeline.yaml": b"events: []\n",
        "scan.pdf": b"%PDF-1.4",
    }
    config = project(tmp_path, files)
    result = briefbot("--config", str(config), "check", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["articles"] == ["harbour"]
    assert report["config_origin"] == "--config"
    by_file = {Path(p["file"]).name: p for p in report["problems"]}
    assert set(by_file) == set(files)
    assert by_file["empty.txt"]["severity"] == "error" and "empty file" in by_file["empty.txt"]["message"]
    assert "same text as" in by_file["harbour-copy.txt"]["message"]
    assert "published: expected a date like" in by_file["harbour.meta.yaml"]["message"]
    assert all("\n" not in p["message"] for p in report["problems"])


def test_a_bad_curated_file_fails_the_check(tmp_path: Path) -> None:
    config = project(tmp_path, {})
    for path in SHIPPED_ARTICLE.parent.glob("al-bukamal-2019.*"):
        shutil.copy(path, tmp_path / "knowledge" / path.name)
    actors = tmp_path / "knowledge" / "al-bukamal-2019.actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace("type: person", "type: persona", 1), encoding="utf-8")
    result = briefbot("--config", str(config), "check")
    assert result.returncode == 1
    assert "warning: " in result.stdout and "type: 'persona' is not allowed; choose one of" in result.stdout


def test_a_broken_config_exits_2_naming_the_file(tmp_path: Path) -> None:
    config = project(tmp_path, {}, config="retrieval:\n  top_k: 0\n")
    result = briefbot("--config", str(config), "check")
    assert result.returncode == 2
    assert f"{config}:2: retrieval.top_k: 0 is too small" in result.stdout


def test_a_sub_folder_and_a_broken_link_are_reported_not_skipped_in_silence(tmp_path: Path) -> None:
    config = project(tmp_path, {})
    folder = tmp_path / "knowledge"
    (folder / "archive").mkdir()
    (folder / "archive" / "old.txt").write_text(harbour(), encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = briefbot("--config", str(config), "check")
    assert result.returncode == 1
    assert f"{folder / 'archive'}: a folder; articles in sub-folders are not read" in result.stdout
    assert f"{folder / 'gone.txt'}: a link to {tmp_path / 'nowhere.txt'}, which does not exist" in result.stdout
