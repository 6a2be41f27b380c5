"""The article in an e-mail (.eml) or a web page saved as one file (.mht, .mhtml: MIME too).

Standard library :mod:`email` (policy ``default``: headers and quoted-printable or base64 bodies
decoded, charsets honoured). The Subject is the title; the body is the first ``text/plain`` part
that is not an attachment, else the first ``text/html`` part (read as a web page). The ``Date``
header gives the publication date and ``From`` the byline, unless a ``.meta.yaml`` says otherwise.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass, field
from email.message import EmailMessage

from ..errors import KnowledgeError


@dataclass(frozen=True)
class MailBody:
    """The parts of a message an article is read from."""

    subject: str
    body: str
    is_html: bool
    metadata: dict[str, str] = field(default_factory=dict)


def read_message(raw: bytes) -> MailBody:
    """Subject, body and metadata of a MIME message; raises KnowledgeError when no text part is found."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise KnowledgeError("not an e-mail (no headers found); save the message from the mail program as .eml")
    subject = " ".join(str(message.get("subject", "")).split())
    metadata: dict[str, str] = {}
    try:
        date = email.utils.parsedate_to_datetime(str(message.get("date", "")))
        metadata["published"] = date.date().isoformat()
    except (TypeError, ValueError):
        pass
    sender = email.utils.parseaddr(str(message.get("from", "")))
    if sender[0] or sender[1]:
        metadata["byline"] = sender[0] or sender[1]
    url = str(message.get("snapshot-content-location", "") or message.get("content-location", ""))
    if url.startswith("http"):
        metadata["url"] = url
    for kind, is_html in (("plain", False), ("html", True)):
        part = _first_part(message, kind)
        if part is not None:
            try:
                body = part.get_content()
            except (LookupError, ValueError) as exc:  # an unknown charset, a broken encoding
                raise KnowledgeError(f"an e-mail whose text cannot be decoded ({exc}); save it again") from None
            if isinstance(body, str) and body.strip():
                return MailBody(subject, body, is_html, metadata)
    raise KnowledgeError("an e-mail with no text or HTML body; copy the article's text into a .txt file")


def _first_part(message: EmailMessage, subtype: str) -> EmailMessage | None:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}" and not part.is_attachment():
            return part  # type: ignore[return-value]  # walk() yields EmailMessage under policy.default
    return None
