"""The text of an RTF document (what macOS TextEdit and WordPad save), by striprtf.

RTF is 7-bit text with control words; striprtf drops them and decodes ``\\'hh`` bytes in the
document's code page and ``\\uN`` characters. Paragraph marks (``\\par``) become line ends, so the
result is read as a .txt file is: the first line is the title, one paragraph per line.
"""

from __future__ import annotations

from ..errors import KnowledgeError


def rtf_text(raw: bytes) -> str:
    """The plain text of an RTF document; raises KnowledgeError, one line with the fix."""
    from striprtf.striprtf import rtf_to_text

    try:
        return str(rtf_to_text(raw.decode("latin-1"), errors="ignore"))
    except Exception as exc:  # noqa: BLE001 - striprtf may fail anywhere on a damaged file; it is one bad file
        reason = " ".join(str(exc).split())[:80] or type(exc).__name__
        raise KnowledgeError(f"a damaged RTF document ({reason}); save it again as plain text (UTF-8)") from None
