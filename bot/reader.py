"""Read one plain-text article file into its documented text, title and paragraph spans.

(Other kinds, a web page, a Word file, a PDF, are turned into text by :mod:`bot.formats`, which
builds their ArticleFile with :func:`from_blocks` or :func:`from_converted_text`; their documented
text is that extracted text.)

Every later step (indexing, curated quotes, extraction, citations) works on what this module
returns, so citation offsets mean one thing: character offsets into the *documented text*

    text = open(path, encoding=article.encoding).read()      # "utf-8-sig" for almost every file

that is, the file decoded (a byte-order mark dropped) with Python's universal newlines (``\\r\\n``
and ``\\r`` read as ``\\n``). Nothing else is changed: soft hyphens, zero-width characters and
no-break spaces stay in the text (tokenisation ignores or splits on them, see
:func:`bot.textnorm.fold`), so ``text[start:end]`` is exactly the cited passage.

Accepted: UTF-8 with or without a BOM; UTF-16 and UTF-32 with a BOM (Notepad's "Unicode");
Windows-1252 ("smart quotes" from Word, not valid UTF-8), read with a warning; line ends ``\\n``,
``\\r\\n``, ``\\r``, U+2028 (a line break) and U+2029 (a paragraph break). Layout: the first line
is the title (a Markdown ``# `` is dropped from it); then one paragraph per line, blank lines and
separator lines (``***``, ``---``) between them ignored, Markdown headings skipped; text
hard-wrapped at a fixed width (e-mail, ~72 columns) is detected and its lines re-flowed into
paragraphs. Refused, with one line saying how to fix it: empty, binary (PDF, Word, images), UTF-16
without a BOM, other encodings, control characters, files over :data:`MAX_BYTES`.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KnowledgeError
from .folderscan import looks_binary
from .markup import heading_text, mark_lines
from .wording import plural

Span = tuple[int, int]

MAX_BYTES = 10_000_000  # about 1.5 million words: far beyond any article; split anything bigger
ONE_PER_LINE = "one paragraph per line"
REFLOWED = "hard-wrapped"
# Hard-wrap detection: lines no wider than this, and at least this share of the lines that are
# followed by another line stop mid-sentence (a paragraph-per-line file ends nearly every line
# with a full stop; a wrapped one nearly never does).
WRAP_MAX_WIDTH = 100
WRAP_MID_SENTENCE_SHARE = 0.5
WRAP_MIN_LINES = 3

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_UNPACK = "put the article file itself in the knowledge folder"
_BINARY_KINDS = (
    (b"%PDF", "a PDF file; copy its text into a UTF-8 .txt file (or use pdftotext)"),
    (b"PK\x03\x04", "a zip archive (a .docx or .odt?); save the document as plain text (UTF-8)"),
    (
        b"\xd0\xcf\x11\xe0",
        "a Word 97-2003 .doc (or another old Office file); open it in Word or LibreOffice and save it as .docx "
        "or .txt (or run `soffice --headless --convert-to docx FILE`)",
    ),
    (b"\x1f\x8b", f"gzip-compressed; gunzip it (`gunzip -k FILE`) and {_UNPACK}"),
    (b"BZh", f"bzip2-compressed; unpack it (`bunzip2 -k FILE`) and {_UNPACK}"),
    (b"\xfd7zXZ\x00", f"xz-compressed; unpack it (`unxz -k FILE`) and {_UNPACK}"),
    (b"7z\xbc\xaf\x27\x1c", f"a 7-Zip archive; unpack it and {_UNPACK}"),
    (b"Rar!\x1a\x07", f"a RAR archive; unpack it and {_UNPACK}"),
    (b"{\\rtf", "an RTF document; save it as plain text (UTF-8)"),
    (b"\x89PNG", "a PNG image, not text; remove it from the knowledge folder"),
    (b"\xff\xd8\xff", "a JPEG image, not text; remove it from the knowledge folder"),
    (b"GIF8", "a GIF image, not text; remove it from the knowledge folder"),
)
# Characters that take no room: they neither end a line's content nor make a line non-blank.
# Bidirectional embeddings and isolates (U+202A-202E, U+2066-2069) are as invisible as zero-width spaces.
_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_EDGE = re.compile(rf"[\s{_INVISIBLE}]+")
# Line breaks besides "\n": U+2028, NEL (U+0085, mainframe and some Unicode editors), vertical tab (a
# manual line break in Word's text export); U+2029 and form feed (a page break) also end a paragraph.
_LINE_BREAK = re.compile("[\n\u2028\u2029\x85\x0b\x0c]")
_PARAGRAPH_BREAKS = ("\u2029", "\x0c")
_HAS_WORD = re.compile(r"[^\W_]")
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+")
_SENTENCE_END = re.compile(r"""[.!?:;…]["'”’)\]*_]*$""")
_ALLOWED_CONTROLS = "\t\n\r\x0b\x0c"
# Typographic characters of Windows-1252 (0x80-0x9f), the common Latin-1 signs and accented
# letters of Western European languages; not þ, ð, ÿ or ×, which are rare in such text and
# common in misread binary.
_CP1252_PLAUSIBLE = frozenset(
    "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\u00a0¡¢£¥§©«®°±²³´µ¶·¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüý"
)


@dataclass(frozen=True)
class ArticleFile:
    """One article file as read: its documented text and where title and paragraphs are in it.

    ``paragraphs`` are (start, end) spans into ``text``, trimmed of white space, in reading order;
    a re-flowed paragraph's span covers several lines of the file (its text keeps their line
    breaks). ``notes`` are warnings for the article's owner (shown by ``briefbot source`` and
    ``briefbot check``); ``content_hash`` is the SHA-256 of the documented text (hex), stable across
    BOMs and line ends. ``kind`` is "text" for a plain-text file, else the format its text was
    extracted from ("html", "docx", ...: see :mod:`bot.formats`), whose ``metadata`` (title,
    published, byline, url) fills what no ``.meta.yaml`` gives.
    """

    path: Path
    text: str
    encoding: str
    line_ends: str  # "\\n", "\\r\\n", "\\r", "mixed" or "none", as the file had them
    layout: str
    title: Span | None
    paragraphs: tuple[Span, ...]
    notes: tuple[str, ...]
    content_hash: str
    kind: str = "text"
    metadata: dict[str, str] = field(default_factory=dict)


def read_article_file(path: Path, max_bytes: int = MAX_BYTES) -> ArticleFile:
    """Read ``path`` (an article .txt); raises KnowledgeError, one line with the fix, if unusable."""
    decoded, encoding, notes = decode(read_bytes(path, max_bytes), path)
    return from_text(path, decoded, encoding, notes)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``; raises KnowledgeError when it is too large or unreadable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise KnowledgeError(
                f"{path}: too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB); "
                "split it into several articles"
            )
        return path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read ({exc.strerror}); check the file's permissions") from None


def from_text(
    path: Path,
    decoded: str,
    encoding: str = "utf-8-sig",
    notes: tuple[str, ...] = (),
    markup_allowed: bool = False,
    markup: str | None = None,
) -> ArticleFile:
    """An ArticleFile for text already decoded (line ends as in the file); raises KnowledgeError.

    ``markup_allowed`` (Markdown, which may hold inline HTML) keeps tags as text instead of refusing;
    ``markup`` names the light markup whose headings and directives are no paragraphs (see split_layout).
    """
    line_ends = _line_ends(decoded)
    # Universal newlines, exactly as open(path, encoding=...).read() does.
    text = decoded.replace("\r\n", "\n").replace("\r", "\n")
    _check_controls(text, path)
    if not markup_allowed:
        _check_markup(text, path)
    if not _HAS_WORD.search(text):
        raise KnowledgeError(f"{path}: empty (no words); write a title line, then the paragraphs")
    title, paragraphs, layout = split_layout(text, markup=markup)
    if not paragraphs:
        raise KnowledgeError(
            f"{path}: only a title line; an article needs a title line and at least one paragraph below it"
        )
    paragraphs, metadata = byline(text, paragraphs)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ArticleFile(path, text, encoding, line_ends, layout, title, paragraphs, notes, digest, "text", metadata)


# "By Ana Ruiz", "BY ANA RUIZ | Staff reporter", "By Ana Ruiz and Tom Lee, Harbour Times": a name
# of capitalised words (and the particles of names), then perhaps a comma, bar or dash and a role.
_BYLINE = re.compile(
    r"(?:By|BY)[ \t]+(?P<name>[^\W\d_][\w.'’-]*(?:[ \t]+(?:[^\W\d_][\w.'’-]*|&))*?)"
    r"(?:[ \t]*(?:,|\||–|—|[ \t]-[ \t])[ \t]*[^\n]{0,60})?[ \t]*"
)
_NAME_PARTICLES = frozenset({"and", "&", "de", "da", "del", "der", "van", "von", "la", "le", "al", "bin", "ibn"})
BYLINE_MAX_WORDS = 14


def byline(text: str, paragraphs: tuple[Span, ...]) -> tuple[tuple[Span, ...], dict[str, str]]:
    """(paragraphs without a byline, {"byline": name}) when the first paragraph is a byline ("By
    Ana Ruiz, Staff Reporter"); the paragraphs unchanged and {} otherwise, or when nothing would be
    left. The line stays in the documented text; it is metadata, not a paragraph to cite."""
    if len(paragraphs) < 2:
        return paragraphs, {}
    start, end = paragraphs[0]
    found = _BYLINE.fullmatch(text, start, end)
    if found is None or len(text[start:end].split()) > BYLINE_MAX_WORDS or _SENTENCE_END.search(text, start, end):
        return paragraphs, {}
    name = found.group("name")
    if not all(word[0].isupper() or word.lower() in _NAME_PARTICLES for word in name.split()):
        return paragraphs, {}  # "By March the work was done": a sentence, not a name
    return paragraphs[1:], {"byline": name.title() if name.isupper() else name}


# Control characters a converter may carry over (a PDF's form feeds, a Word field's marks): the
# converted text is ours to define, so they become spaces rather than refuse the file.
_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCK_SEPARATOR = "\n\n"
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")  # a block's blank line splits it: the text keeps none inside


def from_converted_text(
    path: Path,
    text: str,
    kind: str,
    layout: str,
    encoding: str = "utf-8",
    notes: tuple[str, ...] = (),
    metadata: dict[str, str] | None = None,
    wrap_max_width: int = WRAP_MAX_WIDTH,
) -> ArticleFile:
    """An ArticleFile for plain text extracted from another format (PDF, RTF, an e-mail body).

    ``text`` is laid out as a .txt file is (first line the title, hard-wrap re-flowed) after line ends
    are made ``\\n`` and control characters spaces; the result is the documented text. ``layout``
    names the source ("text of a PDF"); the plain-text layout found is appended to it.
    """
    text = _STRAY_CONTROLS.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not _HAS_WORD.search(text):
        raise KnowledgeError(f"{path}: no text in this {kind.upper()} file; copy the article's text into a .txt file")
    title, paragraphs, found = split_layout(text, wrap_max_width)
    if not paragraphs:
        raise KnowledgeError(
            f"{path}: only a title line in this {kind.upper()} file; an article needs at least one paragraph"
        )
    paragraphs, found_metadata = byline(text, paragraphs)
    metadata = {**found_metadata, **(metadata or {})}
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ArticleFile(
        path, text, encoding, "\\n", f"{layout}, {found}", title, paragraphs, notes, digest, kind, metadata or {}
    )


def from_blocks(
    path: Path,
    title: str | None,
    blocks: Sequence[tuple[bool, str]],
    kind: str,
    layout: str,
    encoding: str = "utf-8",
    notes: tuple[str, ...] = (),
    metadata: dict[str, str] | None = None,
) -> ArticleFile:
    """An ArticleFile for a document whose structure was read (HTML, Word, OpenDocument).

    ``blocks`` are (is_paragraph, text) in reading order: paragraphs, and headings kept in the text
    but not cited (as a Markdown heading in a .txt). The documented text is the title, then each
    block, separated by a blank line; a block keeps any line breaks inside it (``<br>``).
    """
    parts: list[str] = []
    spans: list[Span] = []
    title_span: Span | None = None
    position = 0
    pieces = [
        (index, is_paragraph, piece.strip())
        for index, (is_paragraph, raw) in enumerate([(False, " ".join((title or "").split())), *blocks])
        for piece in _BLANK_LINE.split(_STRAY_CONTROLS.sub(" ", raw.replace("\r\n", "\n").replace("\r", "\n")))
    ]
    for index, is_paragraph, block in pieces:
        if not _HAS_WORD.search(block):
            continue
        if parts:
            parts.append(_BLOCK_SEPARATOR)
            position += len(_BLOCK_SEPARATOR)
        if index == 0:
            title_span = (position, position + len(block))
        elif is_paragraph:
            spans.append((position, position + len(block)))
        parts.append(block)
        position += len(block)
    text = "".join(parts)
    if not spans:
        raise KnowledgeError(
            f"{path}: no paragraphs of text found in this {kind.upper()} file; copy the article's text into a .txt file"
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    described = f"{layout}, {plural(len(spans), 'paragraph')}"
    return ArticleFile(
        path, text, encoding, "\\n", described, title_span, tuple(spans), notes, digest, kind, metadata or {}
    )


# A web page saved or pasted as it is: its tags and entities would be quoted back as the article's
# words, and its offsets could not be cited against what a reader sees.
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|p|div|span|br|a|h[1-6]|li|ul|ol|table|tr|td|article|section|script)\b[^>]*>", re.I
)
_HTML_TAGS_TO_REFUSE = 3


_HTML_START = re.compile(r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)


def starts_like_html(text: str) -> bool:
    """True when ``text`` opens as a web page does: a doctype or ``<html>`` (comments aside)."""
    return _HTML_START.match(text[:2000]) is not None


def looks_like_html(text: str) -> bool:
    """True for a web page: a doctype or ``<html>`` first, or three common tags or more (a stray
    "<p>" or two in prose is left alone)."""
    if starts_like_html(text):
        return True
    return len(list(itertools.islice(_HTML_TAG.finditer(text), _HTML_TAGS_TO_REFUSE))) >= _HTML_TAGS_TO_REFUSE


def _check_markup(text: str, path: Path) -> None:
    """Refuse HTML given as plain text (:mod:`bot.formats` reads a page before it gets here)."""
    if looks_like_html(text):
        raise KnowledgeError(
            f"{path}: HTML, not plain text; open the page in a browser, copy the article's text "
            "and save it as UTF-8 text"
        )


_NOT_TEXT = "a binary file, not text; remove it or save the article as UTF-8 text"


def decode(raw: bytes, path: Path) -> tuple[str, str, tuple[str, ...]]:
    """(text before newline translation, encoding name for open(), warnings); raises KnowledgeError.

    In order: a byte-order mark; UTF-8; UTF-16 or UTF-32 without a mark (told by where the zero
    bytes fall); UTF-8 with a few Windows-1252 bytes pasted in ("mixed", read with a warning, each
    byte as its encoding); Windows-1252; else the encoding charset-normalizer finds (Shift-JIS,
    GB18030, EUC-KR, Windows-1251, ...), with a warning. NUL bytes padding the end (a download or
    a crash cut short) are dropped with a warning; a NUL inside the text is reported with its line.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding, ()
            except UnicodeDecodeError:
                raise KnowledgeError(
                    f"{path}: starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()}; "
                    "re-save it as UTF-8"
                ) from None
    for magic, what in _BINARY_KINDS:
        if raw.startswith(magic):
            raise KnowledgeError(f"{path}: {what}")
    notes: tuple[str, ...] = ()
    padded = raw.rstrip(b"\x00")
    if len(padded) < len(raw) and padded.strip() and b"\x00" not in padded[:4096]:
        left_out = f"{len(raw) - len(padded)} NUL bytes at the end (a cut-off save?) left out; check the file"
        raw, notes = padded, (left_out,)
    if not raw.strip():
        raise KnowledgeError(f"{path}: empty file; write a title line, then the paragraphs")
    head = raw[:4096]
    if b"\x00" in head:
        wide = _wide_unicode(raw)
        if wide is not None:
            return wide
        nuls = head.count(b"\x00")
        if looks_binary(head.replace(b"\x00", b"")) or (nuls >= 4 and nuls * 20 > len(head)):
            raise KnowledgeError(f"{path}: {_NOT_TEXT}")
        # Otherwise text with a stray NUL: decoded below, then refused with its line (_check_controls).
    try:
        return raw.decode("utf-8"), "utf-8-sig", notes
    except UnicodeDecodeError as exc:
        if looks_binary(head):  # control bytes throughout: no text encoding reads it
            raise KnowledgeError(f"{path}: {_NOT_TEXT}") from None
        line = raw[: exc.start].count(b"\n") + 1
        utf8_error = f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); re-save the article as UTF-8"
    mixed = _mixed_utf8(raw)
    if mixed is not None:
        text, lines, damaged = mixed
        found = []
        if lines:
            found.append(
                f"mixed encodings: UTF-8 with Windows-1252 bytes on line {_line_list(lines)}; read each as its "
                "encoding; re-save it as UTF-8"
            )
        if damaged:
            found.append(
                f"bytes that are not UTF-8 on line {_line_list(damaged)} (a damaged file?) read as \ufffd; "
                "fix them and re-save it as UTF-8"
            )
        return text, "utf-8+cp1252" if lines else "utf-8 (damaged bytes replaced)", (*notes, *found)
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    # Windows-1252 (and Latin-1, its subset for text) is what Word and old Windows editors write;
    # its curly quotes are the usual reason a file is not UTF-8. Read it only when every non-ASCII
    # character is one such text plausibly holds, so a file in another encoding is not misread.
    if text and all(ch.isascii() or ch in _CP1252_PLAUSIBLE for ch in text):
        return text, "cp1252", (*notes, "not UTF-8: read as Windows-1252 (cp1252); re-save it as UTF-8 to be sure")
    detected = _detect(raw)
    if detected is None:
        raise KnowledgeError(utf8_error)
    text, encoding = detected
    return text, encoding, (*notes, f"not UTF-8: read as {encoding} (detected); re-save it as UTF-8 to be sure")


def _wide_unicode(raw: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    """UTF-32 or UTF-16 without a byte-order mark, told by where the zero bytes of ASCII letters
    fall (every 4th byte non-zero, or every 2nd); None when the pattern is not there."""
    head = raw[:4096]
    for encoding, unit, lead in (("utf-32-le", 4, 0), ("utf-32-be", 4, 3), ("utf-16-le", 2, 0), ("utf-16-be", 2, 1)):
        units = [head[i : i + unit] for i in range(0, len(head) - unit + 1, unit)]
        ascii_units = sum(1 for u in units if u[lead] and not any(b for i, b in enumerate(u) if i != lead))
        if len(raw) % unit or ascii_units < 0.5 * len(units):
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            name = encoding.upper().replace("-LE", " little-endian").replace("-BE", " big-endian")
            return text, encoding, (f"{name} without a byte-order mark; re-save it as UTF-8 to be sure",)
    return None


def _mixed_utf8(raw: bytes) -> tuple[str, list[int], list[int]] | None:
    """UTF-8 text with some Windows-1252 bytes pasted in (a quote from Word into a UTF-8 file), or
    with a few damaged bytes: (the text, each Windows-1252 byte read as such and a damaged one as
    U+FFFD; the lines of the Windows-1252 bytes; the lines of the damaged ones). None when the file
    holds no valid UTF-8 beyond ASCII, or more damaged bytes than a few (one in 20 of its UTF-8
    characters, at least 3): then it is in another encoding."""
    valid = len(_UTF8_SEQUENCE.findall(raw))
    if not valid:
        return None
    most_damaged = max(3, valid // 20)
    parts: list[str] = []
    lines: list[int] = []
    damaged: list[int] = []
    count = 0
    position = 0
    while position < len(raw):
        try:
            parts.append(raw[position:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(raw[position : position + exc.start].decode("utf-8"))
            bad = position + exc.start
            char = raw[bad : bad + 1].decode("cp1252", errors="replace")
            found = lines if char in _CP1252_PLAUSIBLE else damaged
            if found is damaged:
                char = "\ufffd"
                count += 1
                if count > most_damaged:
                    return None
            parts.append(char)
            line = raw[:bad].count(b"\n") + 1
            if not found or found[-1] != line:
                found.append(line)
            position = bad + 1
    return "".join(parts), lines, damaged


def _line_list(lines: list[int]) -> str:
    return ", ".join(str(n) for n in lines[:5]) + (" ..." if len(lines) > 5 else "")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _detect(raw: bytes) -> tuple[str, str] | None:
    """(text, Python codec name) in the legacy encoding charset-normalizer finds most coherent, or
    None when it finds none or the text it gives is mostly not letters (binary misread)."""
    try:
        from charset_normalizer import from_bytes  # imported only for the rare file in a legacy encoding
    except ImportError:  # pragma: no cover - a dependency; a broken install refuses the file instead
        return None
    best = from_bytes(raw[:200_000]).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    encoding = codecs.lookup(best.encoding).name
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    visible = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if sum(1 for ch in visible if ch.isalpha()) < 0.6 * len(visible):
        return None
    return text, encoding


def _line_ends(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, count in (("\\r\\n", crlf), ("\\r", cr), ("\\n", lf)) if count]
    return kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none")


def _check_controls(text: str, path: Path) -> None:
    bad = next((ch for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS), None)
    if bad is None:
        return
    offset = text.index(bad)
    line = text.count("\n", 0, offset) + 1
    raise KnowledgeError(f"{path}:{line}: control character U+{ord(bad):04X} in the text; remove it")


# --- layout ---------------------------------------------------------------------------------------


# Markdown front matter (Jekyll, Hugo, Obsidian): a block of "key: value" lines between "---" lines
# at the very top. It is metadata, not the article: its title: line is the title, the rest is skipped.
# Hugo's TOML front matter is the same between "+++" lines, with "key = value".
_FRONT_MATTER = re.compile(
    r"\A(?:---[ \t]*\n(.{0,4000}?\n)(?:---|\.\.\.)|\+\+\+[ \t]*\n(.{0,4000}?\n)\+\+\+)[ \t]*(?:\n|\Z)", re.DOTALL
)
_FRONT_MATTER_TITLE = re.compile(r"^title[ \t]*[:=][ \t]*[\"']?(.*?)[\"']?[ \t]*$", re.MULTILINE)


def _front_matter(text: str) -> tuple[int, Span | None]:
    """(where the article starts after any front matter, the span of its title: value or None)."""
    block = _FRONT_MATTER.match(text)
    group = 1 if block is not None and block.group(1) is not None else 2
    if block is None or not all(
        ":" in line or "=" in line or line.startswith((" ", "\t", "-", "[")) or not line.strip()
        for line in block.group(group).splitlines()
    ):
        return 0, None
    title = _FRONT_MATTER_TITLE.search(text, block.start(group), block.end(group))
    span = (title.start(1), title.end(1)) if title is not None and title.end(1) > title.start(1) else None
    return block.end(), span


def split_layout(
    text: str, wrap_max_width: int = WRAP_MAX_WIDTH, markup: str | None = None
) -> tuple[Span | None, tuple[Span, ...], str]:
    """(title span, paragraph spans, layout description) of a documented text.

    Lines no wider than ``wrap_max_width`` characters may be found hard-wrapped and re-flowed.
    ``markup`` ("markdown", "rst", "asciidoc", "org" or None) says which lines are headings,
    directives or attributes rather than paragraphs (:mod:`bot.markup`).
    """
    lines = _lines(text)  # None marks a blank line
    body_start, front_title = _front_matter(text)
    lines, headings, declared_title = mark_lines(text, lines, markup)
    front_title = front_title or declared_title
    if body_start:
        lines = [line if line is None or line[0] >= body_start else None for line in lines]
    if front_title is not None:
        lines.insert(0, front_title)  # the title: value stands where a title line would
    content = [line for line in lines if line is not None]
    if not content:
        return None, (), ONE_PER_LINE
    title: Span | None = heading_text(text, content[0], markup)
    body = lines[lines.index(content[0]) + 1 :]
    start, end = content[0]
    if len(content) > 1 and front_title is None and _is_untitled_paragraph(text, start, end):
        # No title line: the file opens with its first paragraph (titled by .meta.yaml or the file name).
        title, body = None, lines[lines.index(content[0]) :]
    body = [None if line is not None and (line in headings or _is_heading(text, line)) else line for line in body]
    if len(content) == 1:
        # One line only: a long sentence is an untitled paragraph (titled by the file name or the
        # .meta.yaml), a short one is a title with nothing under it.
        start, end = content[0]
        if len(text[start:end].split()) >= 12 and _SENTENCE_END.search(text, start, end):
            return None, (content[0],), ONE_PER_LINE
        return title, (), ONE_PER_LINE
    width = _wrap_width(text, body, wrap_max_width)
    if width is None:
        return title, tuple(line for line in body if line is not None), ONE_PER_LINE
    paragraphs = _reflow(text, body, width)
    described = f"{REFLOWED} at {width} columns, re-flowed into {plural(len(paragraphs), 'paragraph')}"
    return title, tuple(paragraphs), described


UNTITLED_MIN_WORDS = 20  # a first line this long that ends a sentence is a paragraph, not a headline


def _is_untitled_paragraph(text: str, start: int, end: int) -> bool:
    return len(text[start:end].split()) >= UNTITLED_MIN_WORDS and _SENTENCE_END.search(text, start, end) is not None


def _lines(text: str) -> list[Span | None]:
    """Trimmed content spans of every line; None for blank and separator lines and U+2029 breaks."""
    lines: list[Span | None] = []
    start = 0
    for match in _LINE_BREAK.finditer(text + "\n"):
        end = match.start()
        lines.append(_trim(text, start, end))
        if match.group() in _PARAGRAPH_BREAKS:
            lines.append(None)
        start = match.end()
    return lines


def _trim(text: str, start: int, end: int) -> Span | None:
    lead = _EDGE.match(text, start, end)
    if lead is not None:
        start = lead.end()
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    if start >= end or not _HAS_WORD.search(text, start, end):
        return None  # blank, or a separator such as "***", "---" or "• • •"
    return start, end


def _is_heading(text: str, line: Span) -> bool:
    heading = _MARKDOWN_HEADING.match(text, *line)
    return heading is not None and heading.end() < line[1]


def _wrap_width(text: str, body: list[Span | None], max_width: int = WRAP_MAX_WIDTH) -> int | None:
    """The column the body is hard-wrapped at, or None when it has one paragraph per line."""
    lengths = [end - start for line in body if line is not None for start, end in [line]]
    if len(lengths) < WRAP_MIN_LINES or max(lengths) > max_width:
        return None
    followed = [line for line, after in zip(body, body[1:], strict=False) if line is not None and after is not None]
    if len(followed) < WRAP_MIN_LINES - 1:
        return None
    mid_sentence = sum(1 for start, end in followed if not _SENTENCE_END.search(text, start, end))
    if mid_sentence < WRAP_MID_SENTENCE_SHARE * len(followed):
        return None
    return max(lengths)


def _reflow(text: str, body: list[Span | None], width: int) -> list[Span]:
    """Join wrapped lines; a paragraph ends at a blank line, or at a full stop on a line that had
    room for the next word (so the writer broke it on purpose)."""
    paragraphs: list[Span] = []
    current: Span | None = None
    for index, line in enumerate(body):
        if line is None:
            if current is not None:
                paragraphs.append(current)
            current = None
            continue
        current = line if current is None else (current[0], line[1])
        after = body[index + 1] if index + 1 < len(body) else None
        if after is not None and _SENTENCE_END.search(text, *line):
            next_word = len(text[after[0] : after[1]].split(maxsplit=1)[0])
            if (line[1] - line[0]) + 1 + next_word <= width:
                paragraphs.append(current)
                current = None
    if current is not None:
        paragraphs.append(current)
    return paragraphs
