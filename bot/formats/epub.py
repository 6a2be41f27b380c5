"""The text of an EPUB book (.epub: a zip of XHTML chapters), as an article saved by Calibre,
Pocket or a "send to e-reader" tool is.

Standard library only. ``META-INF/container.xml`` names the package file (OPF); its ``dc:title``
is the title, ``dc:creator`` and ``dc:date`` metadata; the chapters are read in ``spine`` order,
each as a web page (:func:`bot.formats.webpage.parse_page`), their blocks one after another. A
book is not one article: past :data:`MAX_CHAPTERS` chapters it is refused with the fix, and every
part is read only up to :data:`bot.formats.office.MAX_PART_BYTES`.
"""

from __future__ import annotations

import posixpath
import zipfile
from urllib.parse import unquote
from xml.etree import ElementTree

from ..errors import KnowledgeError
from .office import MAX_PART_BYTES
from .webpage import parse_page

MAX_CHAPTERS = 60
_CONTAINER = "META-INF/container.xml"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        with archive.open(name) as member:
            data = member.read(MAX_PART_BYTES + 1)
    except KeyError:
        raise KnowledgeError(
            f"a damaged EPUB (no {name} inside); export the article again or save it as .txt"
        ) from None
    if len(data) > MAX_PART_BYTES:
        raise KnowledgeError(f"an EPUB whose {name} is over {MAX_PART_BYTES // 1_000_000} MB; save the article as .txt")
    return data


def _parse(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(_read(archive, name))
    except ElementTree.ParseError as exc:
        raise KnowledgeError(
            f"a damaged EPUB (its {name}: {exc}); export it again or save the article as .txt"
        ) from None


def epub_article(archive: zipfile.ZipFile) -> tuple[str | None, list[tuple[bool, str]], dict[str, str]]:
    """(title, blocks (is_paragraph, text), metadata) of the book in ``archive``; raises KnowledgeError."""
    container = _parse(archive, _CONTAINER)
    rootfile = next((e.get("full-path") for e in container.iter() if _local(e.tag) == "rootfile"), None)
    if not rootfile:
        raise KnowledgeError("a damaged EPUB (no package file named); export it again or save it as .txt")
    package = _parse(archive, rootfile)
    base = posixpath.dirname(rootfile)
    manifest = {e.get("id"): e.get("href") for e in package.iter() if _local(e.tag) == "item"}
    spine = [manifest.get(e.get("idref")) for e in package.iter() if _local(e.tag) == "itemref"]
    chapters = [posixpath.normpath(posixpath.join(base, unquote(href))) for href in spine if href]
    if len(chapters) > MAX_CHAPTERS:
        raise KnowledgeError(
            f"an e-book of {len(chapters)} chapters (over {MAX_CHAPTERS}), not an article; "
            "save the chapter you want as .txt"
        )
    metadata: dict[str, str] = {}
    title = None
    for element in package.iter():
        name, text = _local(element.tag), " ".join("".join(element.itertext()).split())
        if name == "title" and title is None and text:
            title = text
        elif name == "creator" and text:
            metadata.setdefault("byline", text)
        elif name == "date" and text:
            metadata.setdefault("published", text)
    blocks: list[tuple[bool, str]] = []
    for chapter in chapters:
        page_title, page_blocks = parse_page(_read(archive, chapter).decode("utf-8", "replace")).article()
        if page_title and page_title != title and not page_title.isdigit():
            blocks.append((False, page_title))  # a chapter's heading: in the text, not cited
        blocks.extend(page_blocks)
    return title, blocks, metadata
