"""The page inside a Safari web archive (.webarchive: a binary property list around the HTML).

Standard library only (:mod:`plistlib`): ``WebMainResource`` holds the page's bytes
(``WebResourceData``), their charset (``WebResourceTextEncodingName``) and address
(``WebResourceURL``); the page is then read as any saved web page is.
"""

from __future__ import annotations

import plistlib

from ..errors import KnowledgeError

MAGIC = b"bplist00"


def webarchive_page(raw: bytes) -> tuple[bytes, str | None, str | None]:
    """(HTML bytes, declared charset or None, URL or None); raises KnowledgeError when it holds no page."""
    try:
        archive = plistlib.loads(raw)
    except Exception as exc:  # noqa: BLE001 - plistlib raises several kinds on a damaged file
        reason = " ".join(str(exc).split())[:80] or type(exc).__name__
        raise KnowledgeError(
            f"a damaged web archive ({reason}); open it in Safari and save it as Page Source (.html)"
        ) from None
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    data = main.get("WebResourceData") if isinstance(main, dict) else None
    if not isinstance(data, bytes):
        raise KnowledgeError("a property list with no web page inside; save the page as .html")
    charset = main.get("WebResourceTextEncodingName")
    url = main.get("WebResourceURL")
    return data, charset if isinstance(charset, str) else None, url if isinstance(url, str) else None
