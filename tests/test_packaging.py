"""What `pip install .` puts in site-packages: every module, the tokenizer and the shipped article.

The tests import briefbot from the checkout, so a package missing from pyproject.toml would only
show up for people who install it; these tests read the packaging rules instead.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from .conftest import REPO

SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def source_dir(package: str) -> Path:
    mapping = SETUPTOOLS.get("package-dir", {})
    return REPO / mapping.get(package, package.replace(".", "/"))


def test_every_package_under_bot_is_installed() -> None:
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "bot").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk <= set(SETUPTOOLS["packages"])


def test_every_data_file_is_installed() -> None:
    data_rules = SETUPTOOLS.get("package-data", {})
    for package in SETUPTOOLS["packages"]:
        folder = source_dir(package)
        # Data files in the package's folder and its data folders (not in sub-packages, which have their own rules).
        data_files = [
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file()
            and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts
            and not any((parent / "__init__.py").is_file() for parent in p.parents if folder in parent.parents)
        ]
        patterns = data_rules.get(package, [])
        missing = [name for name in data_files if not any(fnmatch.fnmatch(name, pat) for pat in patterns)]
        assert not missing, f"{package}: {missing} would not be installed"


def test_the_extractor_word_lists_are_packaged() -> None:
    rules = SETUPTOOLS["package-data"]["bot.extraction"]
    lists = sorted((REPO / "bot" / "extraction" / "data").glob("*.txt"))
    assert lists and all(any(fnmatch.fnmatch(f"data/{p.name}", rule) for rule in rules) for p in lists)


def test_the_shipped_article_is_packaged() -> None:
    assert source_dir("bot._knowledge") == REPO / "knowledge"
    assert (REPO / "knowledge" / "al-bukamal-2019.txt").is_file()
