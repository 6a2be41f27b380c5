"""The text of a PDF, by pypdf (pure Python, imported only when a PDF is read).

Each page's text as pypdf lays it out (``extract_text``: lines in reading order, words spaced by
their positions), pages separated by a blank line. That text is then read as a .txt file is: the
first line is the title, and lines wrapped at the page width are re-flowed into paragraphs (a word
hyphenated at a line end is found whole). A PDF without a text layer (a scan) or with a password
is refused with the fix.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import KnowledgeError

MAX_PAGES = 500  # an article is a few pages; a book is not one article


def pdf_text(path: Path) -> str:
    """The text of every page of the PDF at ``path``; raises KnowledgeError, one line with the fix."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency; a broken install says so
        raise KnowledgeError("a PDF, and pypdf is not installed; pip install pypdf (or save it as .txt)") from None
    # pypdf logs every recoverable fault of a damaged file; the reader reports one line instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise KnowledgeError("a password-protected PDF; save an unprotected copy, or its text as .txt")
        if len(reader.pages) > MAX_PAGES:
            raise KnowledgeError(f"a PDF of {len(reader.pages)} pages (over {MAX_PAGES}); split it into articles")
        pages = [page.extract_text() or "" for page in reader.pages]
    except KnowledgeError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file may fail anywhere in pypdf; it is one bad file
        reason = " ".join(str(exc).split())[:80] or type(exc).__name__
        raise KnowledgeError(f"a damaged PDF ({reason}); open it and copy its text into a .txt file") from None
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not any(ch.isalpha() for ch in text):
        raise KnowledgeError("a PDF with no text layer (a scan?); run OCR on it or type the text into a .txt file")
    return text
