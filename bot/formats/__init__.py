"""Read an article from any kind of file people bring: plain text, a web page, a document, a PDF.

:func:`read_any` decides how to read a file by its content first (a PDF, a zip holding a Word,
OpenDocument or EPUB file, RTF, a Safari web archive, a news feed, HTML) and by its suffix second
(.html, .eml, .json, .srt/.vtt subtitles; .txt, Markdown, reStructuredText, AsciiDoc and Org are
plain text, their markup told by the suffix), and returns the reader's
:class:`~bot.reader.ArticleFile`. For plain text the documented text is the file itself (see
:mod:`bot.reader`); for every other kind it is the *extracted* text, which ``briefbot source --text
ID`` prints, and every citation offset points into it.

A file whose suffix says one kind and whose content another (a PDF named .txt, a web page saved
as .txt) is read by its content with a warning to rename it. Raises KnowledgeError, one line
naming the file, what it is and how to fix it, for anything that is not an article.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

from ..errors import KnowledgeError
from ..reader import (
    MAX_BYTES,
    ArticleFile,
    decode,
    from_blocks,
    from_converted_text,
    from_text,
    looks_like_html,
    read_bytes,
    starts_like_html,
)
from . import office
from .epub import epub_article
from .feed import looks_like_feed, read_feed
from .jsonarticle import read_json_article
from .rtf import rtf_text
from .subtitles import looks_like_subtitles, subtitle_paragraphs
from .webarchive import MAGIC as WEBARCHIVE_MAGIC
from .webarchive import webarchive_page
from .webpage import declared_charset, parse_page, structured_article

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
# Light markup read as plain text, each with the markup that says which lines are no paragraphs.
MARKUP_OF_SUFFIX = {
    **dict.fromkeys(MARKDOWN_SUFFIXES, "markdown"),
    ".rst": "rst",
    ".rest": "rst",
    ".adoc": "asciidoc",
    ".asciidoc": "asciidoc",
    ".asc": "asciidoc",
    ".org": "org",
}
TEXT_SUFFIXES = (".txt", ".text", *MARKUP_OF_SUFFIX)
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".xht")
MAIL_SUFFIXES = (".eml", ".mht", ".mhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
SUBTITLE_SUFFIXES = (".srt", ".vtt")
DOCUMENT_SUFFIXES = (".docx", ".odt", ".pdf", ".rtf", ".json", ".epub", ".webarchive")
# Every suffix read as an article, in the order that decides which of two same-named files wins.
ARTICLE_SUFFIXES = (
    *TEXT_SUFFIXES, *HTML_SUFFIXES, *MAIL_SUFFIXES, *DOCUMENT_SUFFIXES, *FEED_SUFFIXES, *SUBTITLE_SUFFIXES
)  # fmt: skip

_KIND_SUFFIX = {
    "pdf": ".pdf", "docx": ".docx", "odt": ".odt", "rtf": ".rtf", "html": ".html", "eml": ".eml", "epub": ".epub",
    "webarchive": ".webarchive", "feed": ".rss", "subtitles": ".srt",
}  # fmt: skip
_TEXT_ONLY = "not an article; save the article's text as .txt"
# What else a zip can be, by a member only that kind has.
_ZIP_KINDS = (
    ("xl/", f"an Excel workbook (a spreadsheet), {_TEXT_ONLY}"),
    ("ppt/", f"a PowerPoint presentation, {_TEXT_ONLY}"),
    (
        "Index/Document.iwa",
        "an Apple Pages, Numbers or Keynote document; export it (File > Export To) as .docx or .txt",
    ),
)
_ODF_TEXT = b"application/vnd.oasis.opendocument.text"
_ODF_OTHER = {
    b"application/vnd.oasis.opendocument.presentation": f"an OpenDocument presentation (.odp), {_TEXT_ONLY}",
    b"application/vnd.oasis.opendocument.spreadsheet": f"an OpenDocument spreadsheet (.ods), {_TEXT_ONLY}",
    b"application/vnd.oasis.opendocument.graphics": f"an OpenDocument drawing (.odg), {_TEXT_ONLY}",
}


def read_any(path: Path, max_bytes: int = MAX_BYTES) -> ArticleFile:
    """Read the article in ``path``, whatever its kind; raises KnowledgeError ("file: what; fix")."""
    raw = read_bytes(path, max_bytes)
    try:
        return _read(path, raw)
    except KnowledgeError as exc:
        message = str(exc)
        raise KnowledgeError(message if message.startswith(str(path)) else f"{path}: {message}") from None
    except Exception as exc:  # noqa: BLE001
        # A parser (zlib, expat, pypdf, striprtf, email) meeting a file broken in a way no one foresaw
        # raises whatever it raises; it is one bad file, and must never stop the bot.
        reason = " ".join(str(exc).split())[:80] or type(exc).__name__
        raise KnowledgeError(
            f"{path}: cannot be read ({type(exc).__name__}: {reason}); save the article's text as UTF-8 .txt"
        ) from None


def _read(path: Path, raw: bytes) -> ArticleFile:
    suffix = path.suffix.lower()
    if raw.startswith(b"%PDF"):
        return _misnamed(_pdf(path), suffix)
    if raw.startswith(b"PK\x03\x04"):
        return _misnamed(_document(path), suffix)
    if raw.lstrip().startswith(b"{\\rtf"):
        return _misnamed(_rtf(path, raw), suffix)
    if raw.startswith(WEBARCHIVE_MAGIC):
        return _misnamed(_webarchive(path, raw), suffix)
    if suffix in MAIL_SUFFIXES:
        return _mail(path, raw)
    if suffix in HTML_SUFFIXES:
        return _html(path, raw)
    if looks_like_feed(raw):
        return _misnamed(_feed(path, raw), suffix)
    if suffix in FEED_SUFFIXES:
        return _xml(path, raw)
    text, encoding, notes = decode(raw, path)  # refuses images, Word .doc and other binaries
    if suffix == ".json":
        return _json(path, text, encoding, notes)
    if suffix in SUBTITLE_SUFFIXES or looks_like_subtitles(text):
        return _misnamed(_subtitles(path, text, encoding, notes, suffix), suffix)
    markup = MARKUP_OF_SUFFIX.get(suffix)
    if markup is not None:
        # Markdown may hold inline HTML: only a whole page saved as .md is read as one.
        if starts_like_html(text):
            return _misnamed(_html(path, raw), suffix)
        return from_text(path, text, encoding, notes, markup_allowed=True, markup=markup)
    if looks_like_html(text):
        return _misnamed(_html(path, raw), suffix)
    if looks_like_email(text):
        return _misnamed(_mail(path, raw), suffix)
    if suffix not in TEXT_SUFFIXES and not looks_like_prose(text):
        raise KnowledgeError(
            "text that does not read as an article (code, data or a list?); "
            "remove it, or save the article as .txt (a title line, then its paragraphs)"
        )
    if suffix in _KIND_SUFFIX.values():  # plain text named .pdf, .docx, .odt, .rtf: the suffix misleads
        notes += (f"plain text in a {suffix} file: read as plain text; rename it .txt",)
    elif suffix in (".txt", ".text") and reads_as_code(text):  # named as text, so read, but said
        notes += ("reads as code or data, not an article's prose; check it belongs in the knowledge folder",)
    return from_text(path, text, encoding, notes, markup_allowed=True)  # not a page: looks_like_html said so


def _misnamed(article: ArticleFile, suffix: str) -> ArticleFile:
    right = _KIND_SUFFIX[article.kind]
    if suffix == right or any(
        article.kind == kind and suffix in suffixes
        for kind, suffixes in (("html", HTML_SUFFIXES), ("feed", FEED_SUFFIXES), ("subtitles", SUBTITLE_SUFFIXES))
    ):
        return article
    if article.kind == "eml":
        note = f"an e-mail in a {suffix or 'suffix-less'} file: read as e-mail (Subject the title); rename it .eml"
        return _with_notes(article, (note,))
    note = f"{article.kind.upper()} content in a {suffix} file: read as {article.kind.upper()}; rename it {right}"
    return _with_notes(article, (note,))


def _with_notes(article: ArticleFile, notes: tuple[str, ...]) -> ArticleFile:
    return replace(article, notes=article.notes + notes)


def _document(path: Path) -> ArticleFile:
    """A .docx or .odt, told apart by what the zip holds."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                kind, layout = "docx", "text of a Word document"
                blocks = office.docx_blocks(archive)
            elif "content.xml" in names and "mimetype" in names and archive.read("mimetype").startswith(_ODF_TEXT):
                kind, layout = "odt", "text of an OpenDocument text"
                blocks = office.odt_blocks(archive)
            elif (
                "META-INF/container.xml" in names
                and "mimetype" not in names
                or ("mimetype" in names and archive.read("mimetype").startswith(b"application/epub+zip"))
            ):
                title, blocks_read, metadata = epub_article(archive)
                return from_blocks(path, title, blocks_read, "epub", "text of an EPUB book", "utf-8", (), metadata)
            elif "mimetype" in names and archive.read("mimetype")[:60].strip() in _ODF_OTHER:
                raise KnowledgeError(_ODF_OTHER[archive.read("mimetype")[:60].strip()])
            else:
                what = next((w for member, w in _ZIP_KINDS if any(n.startswith(member) for n in names)), None)
                raise KnowledgeError(what or "a zip archive; unzip it and put its article files in the folder")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise KnowledgeError(f"a damaged zip or document file ({exc}); open it and save it again") from None
    except ElementTree.ParseError as exc:
        raise KnowledgeError(f"a damaged document (its XML: {exc}); open it and save it again") from None
    title, body = office.title_and_blocks(blocks)
    return from_blocks(path, title, body, kind, layout, "utf-8")


def _html(path: Path, raw: bytes) -> ArticleFile:
    text, encoding, notes = _decode_html(raw, path)
    page = parse_page(text)
    title, blocks = page.article()
    headline, paragraphs, structured = structured_article(page.json_ld)
    metadata = {**structured, **page.metadata}  # the page's <meta> tags first
    if paragraphs and not any(is_paragraph for is_paragraph, _ in blocks):
        # A page its scripts draw: the text is only in its schema.org data.
        layout = "text of an HTML page (its JSON-LD articleBody)"
        body = [(True, paragraph) for paragraph in paragraphs]
        return from_blocks(path, title or headline, body, "html", layout, encoding, notes, metadata)
    return from_blocks(path, title, blocks, "html", "text of an HTML page", encoding, notes, metadata)


def _decode_html(raw: bytes, path: Path) -> tuple[str, str, tuple[str, ...]]:
    charset = declared_charset(raw)
    if charset and charset.replace("-", "").replace("_", "") != "utf8":
        try:
            if not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
                return raw.decode(charset), charset, ()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: read it as any text file is
    return decode(raw, path)


def _webarchive(path: Path, raw: bytes) -> ArticleFile:
    html, charset, url = webarchive_page(raw)
    try:
        text = html.decode(charset or "utf-8")
        encoding = charset or "utf-8"
    except (LookupError, UnicodeDecodeError):
        text, encoding, _ = _decode_html(html, path)
    page = parse_page(text)
    title, blocks = page.article()
    metadata = {**({"url": url} if url else {}), **page.metadata}
    return from_blocks(path, title, blocks, "webarchive", "text of a Safari web archive", encoding, (), metadata)


def _feed(path: Path, raw: bytes) -> ArticleFile:
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise KnowledgeError(
            f"{path}:{line}: a news feed that is not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc}); "
            "save the story itself as .html or .txt"
        ) from None
    feed = read_feed(root)
    layout = "text of a news feed" + ("" if feed.items == 1 else f" of {feed.items} items")
    return from_blocks(path, feed.title, feed.blocks, "feed", layout, "utf-8", (), feed.metadata)


def _xml(path: Path, raw: bytes) -> ArticleFile:
    """An .xml, .rss or .atom file that is no feed: XHTML is read as a page, other XML refused."""
    text, _, _ = decode(raw, path)
    if re.search(r"<html[\s>]", text[:4000], re.I):
        return _html(path, raw)
    root = re.search(
        r"<([A-Za-z_][\w:.-]*)", re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", text[:4000], flags=re.S)
    )
    what = f" (its root element is <{root.group(1)}>)" if root else ""
    raise KnowledgeError(
        f"XML data{what}, not an article or a news feed (RSS or Atom); save the article's text as .txt"
    )


def _subtitles(path: Path, text: str, encoding: str, notes: tuple[str, ...], suffix: str) -> ArticleFile:
    paragraphs = subtitle_paragraphs(text)
    what = "WebVTT" if text.lstrip("\ufeff").startswith("WEBVTT") else "SubRip"
    blocks = [(True, paragraph) for paragraph in paragraphs]
    return from_blocks(path, None, blocks, "subtitles", f"text of {what} subtitles", encoding, notes)


def _mail(path: Path, raw: bytes) -> ArticleFile:
    from .mail import read_message  # lazily: the e-mail package costs 20 ms of every start

    message = read_message(raw)
    kind = "mht" if path.suffix.lower() in (".mht", ".mhtml") else "eml"
    what = "text of an e-mail" if kind == "eml" else "text of a saved web page (MHTML)"
    if message.is_html:
        page = parse_page(message.body)
        title, blocks = page.article()
        metadata = {**page.metadata, **message.metadata}
        return from_blocks(path, message.subject or title, blocks, kind, what, "utf-8", (), metadata)
    text = f"{message.subject}\n\n{message.body}" if message.subject else message.body
    return from_converted_text(path, text, kind, what, "utf-8", (), message.metadata)


def _json(path: Path, text: str, encoding: str, notes: tuple[str, ...]) -> ArticleFile:
    article = read_json_article(text)
    layout = "text of a JSON article"
    if article.paragraphs:
        blocks = [(True, paragraph) for paragraph in article.paragraphs]
        return from_blocks(path, article.title, blocks, "json", layout, encoding, notes, article.metadata)
    if looks_like_html(article.body):
        title, blocks = parse_page(article.body).article()
        return from_blocks(path, article.title or title, blocks, "json", layout, encoding, notes, article.metadata)
    body = f"{article.title}\n\n{article.body}" if article.title else article.body
    return from_converted_text(path, body, "json", layout, encoding, notes, article.metadata)


# A PDF's lines are as wide as its page and font make them (often 100-130 characters in A4 text),
# wider than anything typed; its wrap is found up to this width.
PDF_WRAP_MAX_WIDTH = 200


def _pdf(path: Path) -> ArticleFile:
    from .pdf import pdf_text  # lazily, as pypdf itself is

    text = pdf_text(path)
    return from_converted_text(path, text, "pdf", "text of a PDF (pypdf)", "-", wrap_max_width=PDF_WRAP_MAX_WIDTH)


def _rtf(path: Path, raw: bytes) -> ArticleFile:
    return from_converted_text(path, rtf_text(raw), "rtf", "text of an RTF document", "-")


_PROSE_SYMBOLS = re.compile(r"[{}\[\]<>=;|\\$@^`#*_~]")
_WORD = re.compile(r"[^\W\d_]{2,}")


def looks_like_prose(text: str) -> bool:
    """True for text a person wrote in sentences, not code, data or a list of values.

    At least 8 words and a sentence end; letters at least 60% of the visible characters and the
    symbols of code and markup ({}[]<>=;|$@^`#*_~ and backslash) at most 3%.
    """
    visible = sum(1 for ch in text if not ch.isspace())
    if not visible or len(_WORD.findall(text)) < 8 or not re.search(r"[.!?…]", text):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return letters >= 0.6 * visible and len(_PROSE_SYMBOLS.findall(text)) <= 0.03 * visible


def reads_as_code(text: str) -> bool:
    """True for text whose characters are mostly not letters, or more than 3% the symbols of code
    and markup (the thresholds of :func:`looks_like_prose`, without its length and sentence tests,
    so a short article with no full stop is still prose)."""
    visible = sum(1 for ch in text if not ch.isspace())
    if not visible:
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return letters < 0.6 * visible or len(_PROSE_SYMBOLS.findall(text)) > 0.03 * visible


_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9-]*):[ \t]")


def looks_like_email(text: str) -> bool:
    """True for a message saved as text: it opens with a block of at least three ``Name: value``
    headers, among them Subject and From, Date or To (RFC 5322), ended by a blank line."""
    head = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")[:16_000].split("\n\n", 1)[0]
    names = set()
    for number, line in enumerate(head.split("\n")):
        if number == 0 and line.startswith("From "):
            continue  # an mbox separator line
        if line[:1] in (" ", "\t") and names:
            continue  # a folded header
        header = _HEADER.match(line)
        if header is None:
            return False
        names.add(header.group(1).lower())
    return len(names) >= 3 and "subject" in names and bool(names & {"from", "date", "to"})
