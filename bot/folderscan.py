"""Sort every entry of a knowledge folder: an article to read, a companion, litter, or a problem.

Nothing in the folder is passed over in silence except litter that operating systems and editors
leave (hidden files, ``.DS_Store``, ``Thumbs.db``, ``desktop.ini``, ``foo.txt~``, ``*.swp``,
``*.bak``, Office lock files, ``__MACOSX``). Companions are a ``<id>.meta.yaml``,
``<id>.timeline.yaml`` or ``<id>.actors.yaml`` beside their article, README, LICENSE, a
``config.yaml``, and the ``<page>_files`` folder a browser saves beside ``<page>.html``. A file
of a kind that is never an article (an image, a spreadsheet, an archive) is reported without
being read; every other file is a candidate article, and the reader decides by its content
(:mod:`bot.formats`).

Sub-folders are reported, not read: the file name is the article id, so articles from several
folders could clash; a cache or an archive kept inside the folder would be read as articles; and
the reloader watches one folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import KnowledgeError

COMPANION_SUFFIXES = (".meta.yaml", ".timeline.yaml", ".actors.yaml")
_COMPANION_NAMES = ("README", "LICENSE", "LICENCE", "COPYING", "NOTICE")
_CONFIG_NAMES = frozenset({"config.yaml", "config.yml"})
# "4913" is the file vim writes and deletes to test that it may write in a folder.
_LITTER_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r", "__macosx", "__pycache__", "4913"})
# Backups, swap and lock files, and downloads still under way (Chrome .crdownload, Firefox .part,
# Safari's .download folder, Opera .opdownload); the finished file arrives under its own name.
_LITTER_SUFFIX = re.compile(
    r"\.(?:bak\d*|swp|swo|swx|tmp|temp|orig|rej|crdownload|part|partial|download|opdownload|lock|pyc)$", re.I
)
_SAFE_SAVE = re.compile(r"\.sb-[0-9a-f]+-\w+$")  # macOS apps save to "name.sb-1a2b3c-XyZ" and rename

# Kinds that are never an article, by suffix: (what it is, how to fix it), reported without reading.
_REMOVE = "remove it from the knowledge folder"
_TEXT_OR_REMOVE = "copy the article's text into a .txt file, or remove it from the knowledge folder"
_NOT_ARTICLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("an image", _REMOVE, (".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".tif", ".tiff", ".bmp", ".svg", ".ico")),
    ("audio or video", _REMOVE, (".mp3", ".m4a", ".wav", ".ogg", ".flac", ".mp4", ".mov", ".avi", ".mkv", ".webm")),
    ("an archive", "unpack it and put the article files in the folder",
     (".zip", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".7z", ".rar")),
    ("a spreadsheet or table", _TEXT_OR_REMOVE, (".csv", ".tsv", ".xlsx", ".xls", ".ods", ".numbers")),
    ("a presentation", _TEXT_OR_REMOVE, (".pptx", ".ppt", ".odp", ".key")),
    ("an Apple Pages document", "export it as .docx or plain text", (".pages",)),
    ("a link to a page, not the page", "save the page itself (.html)", (".url", ".webloc", ".lnk", ".desktop")),
    ("LaTeX source", "convert it to text (`pandoc FILE -t plain -o FILE.txt`)", (".tex", ".latex")),
    ("an Outlook message", "drag it from Outlook into a folder as .eml, or copy its text into a .txt", (".msg",)),
    ("a print or scan format", "save it as a PDF with text, or its text as .txt",
     (".xps", ".oxps", ".ps", ".eps", ".djvu")),
    ("a Kindle e-book", "convert it (Calibre: `ebook-convert FILE out.txt`) and keep the article's part",
     (".mobi", ".azw", ".azw3", ".kfx")),
    ("JSON lines, several records", "save each article as its own .json or .txt file", (".jsonl", ".ndjson")),
    ("a YAML file that is no article's <id>.meta.yaml, .timeline.yaml or .actors.yaml", "rename or move it",
     (".yaml", ".yml")),
    ("a compiled program", _REMOVE, (".exe", ".dll", ".so", ".dylib", ".class", ".o")),
    ("binary data", _REMOVE, (".bin", ".dmg", ".iso", ".img")),
    ("a program or code", _REMOVE, (".py", ".js", ".sh", ".bat", ".css")),
)  # fmt: skip
# Suffixes of text kinds: a file so named whose bytes are binary is reported as binary data, not
# as the kind its suffix claims (random bytes named .py are no program).
_TEXT_KIND_SUFFIXES = frozenset(
    {".py", ".js", ".sh", ".bat", ".css", ".csv", ".tsv", ".svg", ".jsonl", ".ndjson", ".yaml", ".yml", ".tex",
     ".latex", ".url", ".desktop"}
)  # fmt: skip
_BINARY = "binary data, not text"
_NOT_ARTICLE_BY_SUFFIX = {suffix: (what, fix) for what, fix, suffixes in _NOT_ARTICLES for suffix in suffixes}


@dataclass(frozen=True)
class FolderScan:
    """The candidate article files (unsorted) and (path, message) for each entry that is not one."""

    candidates: tuple[Path, ...]
    companions: tuple[Path, ...]
    problems: tuple[tuple[Path, str], ...]


def is_litter(name: str) -> bool:
    """True for a file or folder an OS, an editor or a download leaves beside the articles."""
    return (
        name.startswith((".", "~"))
        or name.endswith(("~", ":Zone.Identifier"))  # the last: Windows' download mark, copied into WSL
        or (name.startswith("#") and name.endswith("#"))
        or name.lower() in _LITTER_NAMES
        or _LITTER_SUFFIX.search(name) is not None
        or _SAFE_SAVE.search(name) is not None
    )


def is_companion(name: str) -> bool:
    """True for metadata and curated files, README/LICENSE and a config file."""
    return (
        name.endswith(COMPANION_SUFFIXES) or name.upper().startswith(_COMPANION_NAMES) or name.lower() in _CONFIG_NAMES
    )


def scan_folder(directory: Path) -> FolderScan:
    """Every entry of ``directory`` sorted into candidates, companions, litter (left out) and problems.

    Raises KnowledgeError when the folder cannot be listed.
    """
    candidates: list[Path] = []
    companions: list[Path] = []
    problems: list[tuple[Path, str]] = []
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        raise KnowledgeError(f"{directory}: cannot list the folder ({exc.strerror}); check its permissions") from None
    for path in entries:
        name = path.name
        if is_litter(name):
            continue
        if path.is_symlink() and not path.exists():
            problems.append((path, _broken_link(path)))
        elif path.is_dir() and _saved_page_folder(path):
            companions.append(path)
        elif path.is_dir():
            problems.append((path, f"{path}: a folder; articles in sub-folders are not read: move them up"))
        elif not path.is_file():
            problems.append((path, f"{path}: not a regular file (a pipe or a device); remove it"))
        elif is_companion(name):
            companions.append(path)
        elif name.lower().endswith((".meta.yml", ".timeline.yml", ".actors.yml")):
            problems.append((path, f"{path}: not read: briefbot reads .yaml, not .yml; rename it {path.stem}.yaml"))
        elif path.suffix.lower() in _NOT_ARTICLE_BY_SUFFIX:
            what, fix = _NOT_ARTICLE_BY_SUFFIX[path.suffix.lower()]
            if path.suffix.lower() in _TEXT_KIND_SUFFIXES and looks_binary(_head(path)):
                what, fix = _BINARY, _REMOVE
            problems.append((path, f"{path}: not an article ({what}); {fix}"))
        else:
            candidates.append(path)
    return FolderScan(tuple(candidates), tuple(companions), tuple(problems))


def _broken_link(path: Path) -> str:
    """One line for a symlink that leads nowhere: to a missing file, or round in a loop."""
    try:
        path.resolve(strict=True)
    except FileNotFoundError:
        return f"{path}: a link to {os.readlink(path)}, which does not exist; fix or remove it"
    except (OSError, RuntimeError):  # ELOOP; Python before 3.13 raises RuntimeError("Symlink loop")
        pass
    return f"{path}: a link that leads round in a loop (to {os.readlink(path)}); fix or remove it"


_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".HTML", ".HTM")


def _saved_page_folder(path: Path) -> bool:
    """True for the images and scripts folder a browser saves beside a page ("Page_files")."""
    stem = path.name.removesuffix("_files")
    return stem != path.name and any(path.with_name(stem + suffix).is_file() for suffix in _PAGE_SUFFIXES)


_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")  # controls text files hold (tabs, line ends, form feed, ANSI)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _head(path: Path, size: int = 4096) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (a file's first bytes, ~4 KB) is binary data rather than text in any encoding.

    Text has no NUL byte (UTF-16, whose every other byte is NUL, aside) and almost no control
    characters; random or compiled bytes hold a NUL or a control character in about one byte in
    nine. The 1-in-20 threshold leaves text in a legacy 8-bit encoding (Windows-1252) as text.
    """
    if not head or head.startswith(_TEXT_BOMS):
        return False
    if b"\x00" in head:
        return head.count(b"\x00") * 3 < len(head)  # about half NUL: UTF-16 text without its mark
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls * 20 > len(head)
