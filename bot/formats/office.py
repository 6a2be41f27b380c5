"""The paragraphs of a word-processor document: Word .docx and OpenDocument .odt (both zip + XML).

Standard library only (:mod:`zipfile`, :mod:`xml.etree.ElementTree`, whose expat refuses entity
bombs and never fetches external entities); each XML part is read up to :data:`MAX_PART_BYTES`
so a zip bomb cannot fill memory.

- .docx (ECMA-376): ``word/document.xml``; every ``w:p`` is a block, its ``w:t`` runs joined,
  ``w:tab`` a space, ``w:br`` a line break; deleted text (``w:delText``) and field codes are not
  text. A paragraph styled ``Title`` or ``Heading1`` (first one) is the title, other ``Heading``
  styles are headings. Text boxes (a ``w:p`` inside a ``w:p``) follow their paragraph.
- .odt (ODF 1.2): ``content.xml``; every ``text:p`` and ``text:h`` is a block (``text:h`` a
  heading, the first of level 1 or ``text:p`` styled ``Title`` the title), ``text:s`` its count of
  spaces, ``text:tab`` a space, ``text:line-break`` a line break; notes (``text:note``) left out.

Without a title style the first paragraph is the title, as the first line of a .txt is.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from ..errors import KnowledgeError

MAX_PART_BYTES = 50_000_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

Block = tuple[str, str]  # (role, text): role "title", "heading" or "paragraph"


def read_part(archive: zipfile.ZipFile, name: str, what: str) -> ElementTree.Element:
    """Parse one XML member of ``archive``; raises KnowledgeError (``what`` names the file kind)."""
    try:
        with archive.open(name) as member:
            data = member.read(MAX_PART_BYTES + 1)
    except KeyError:
        raise KnowledgeError(f"a damaged {what} (no {name} inside); open it and save it again") from None
    if len(data) > MAX_PART_BYTES:
        raise KnowledgeError(f"a {what} with over {MAX_PART_BYTES // 1_000_000} MB of text; split it")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise KnowledgeError(f"a damaged {what} ({name}: {exc}); open it and save it again") from None


def docx_blocks(archive: zipfile.ZipFile) -> list[Block]:
    """The blocks of a .docx in reading order; raises KnowledgeError."""
    root = read_part(archive, "word/document.xml", "Word document")
    body = root.find(f"{_W}body")
    return list(_docx_paragraphs(body if body is not None else root))


def _docx_paragraphs(element: ElementTree.Element) -> Iterator[Block]:
    for child in element:
        if child.tag == f"{_W}p":
            parts: list[str] = []
            nested: list[ElementTree.Element] = []
            _docx_runs(child, parts, nested)
            yield _docx_role(child), "".join(parts)
            for box in nested:
                yield from _docx_paragraphs(box)
        else:
            yield from _docx_paragraphs(child)  # tables, content controls, sections


def _docx_runs(element: ElementTree.Element, parts: list[str], nested: list[ElementTree.Element]) -> None:
    for child in element:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}txbxContent":
            nested.append(child)  # a text box: its paragraphs come after this one
        elif tag not in (f"{_W}del", f"{_W}pPr", f"{_W}rPr", f"{_W}instrText", f"{_W}delText"):
            _docx_runs(child, parts, nested)


def _docx_role(paragraph: ElementTree.Element) -> str:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    name = (style.get(f"{_W}val") or "").lower().replace(" ", "") if style is not None else ""
    if name in ("title", "heading1"):
        return "title"
    return "heading" if name.startswith("heading") or name == "subtitle" else "paragraph"


def odt_blocks(archive: zipfile.ZipFile) -> list[Block]:
    """The blocks of an .odt in reading order; raises KnowledgeError."""
    root = read_part(archive, "content.xml", "OpenDocument text")
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    return list(_odt_paragraphs(body if body is not None else root))


def _odt_paragraphs(element: ElementTree.Element) -> Iterator[Block]:
    for child in element:
        if child.tag in (f"{_TEXT}p", f"{_TEXT}h"):
            parts: list[str] = []
            _odt_spans(child, parts)
            yield _odt_role(child), "".join(parts)
        elif child.tag not in (f"{_TEXT}tracked-changes", f"{_TEXT}sequence-decls"):
            yield from _odt_paragraphs(child)  # lists, sections, tables


def _odt_spans(element: ElementTree.Element, parts: list[str]) -> None:
    parts.append(element.text or "")
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            parts.append(" " * (min(int(count), 100) if count.isdigit() else 1))
        elif tag == f"{_TEXT}tab":
            parts.append(" ")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag not in (f"{_TEXT}note", f"{_OFFICE}annotation"):
            _odt_spans(child, parts)
        parts.append(child.tail or "")


def _odt_role(paragraph: ElementTree.Element) -> str:
    style = (paragraph.get(f"{_TEXT}style-name") or "").lower()
    if style == "title" or (paragraph.tag == f"{_TEXT}h" and paragraph.get(f"{_TEXT}outline-level", "1") == "1"):
        return "title"
    return "heading" if paragraph.tag == f"{_TEXT}h" or style in ("subtitle", "heading") else "paragraph"


def title_and_blocks(blocks: list[Block]) -> tuple[str | None, list[tuple[bool, str]]]:
    """(title, [(is_paragraph, text)]): the first title-styled block, else the first block."""
    blocks = [(role, text) for role, text in blocks if text.strip()]
    index = next((i for i, (role, _) in enumerate(blocks) if role == "title"), 0 if blocks else None)
    if index is None:
        return None, []
    title = blocks[index][1]
    # A later Heading 1 (a section head) is a heading, not a second title.
    rest = [(role == "paragraph", text) for i, (role, text) in enumerate(blocks) if i != index]
    return title, rest
