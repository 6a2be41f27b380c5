"""One article in a JSON file: an object with a title and a body under the keys exporters use.

Title from ``title``, ``headline``, ``name`` or ``subject``; body from ``paragraphs`` (a list of
strings, or of objects with a ``text``), else ``text``, ``body``, ``content``, ``articleBody``,
``article``, ``story`` or ``description`` (a string; one wrapped as ``{"rendered": ...}`` as
WordPress exports it is unwrapped). Keys are matched ignoring case. ``published``/``date``/
``datePublished``, ``author``/``byline`` and ``url``/``link`` become metadata.

One file holds one article: the file name is its id and names its metadata and curated files, so
a list (or ``{"articles": [...]}``) of several is refused with the fix; a list of one is read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import KnowledgeError

_TITLE_KEYS = ("title", "headline", "name", "subject")
_BODY_KEYS = ("text", "body", "content", "articlebody", "article", "story", "description")
_META_KEYS = {
    "published": ("published", "date", "datepublished", "published_at", "publishedat", "pubdate"),
    "byline": ("byline", "author", "authors", "creator"),
    "url": ("url", "link", "canonical_url"),
}
_LIST_KEYS = ("articles", "items", "results", "data", "entries")


@dataclass(frozen=True)
class JsonArticle:
    """The parts of a JSON article: title, then paragraphs, or one body string (maybe HTML)."""

    title: str | None
    paragraphs: tuple[str, ...] = ()
    body: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


def read_json_article(text: str) -> JsonArticle:
    """The article in a JSON document; raises KnowledgeError, one line with the fix."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # An error at the end (a missing '}') is placed after the last line: name the last line with text.
        where = f"line {min(exc.lineno, max(1, len(text.rstrip().splitlines())))}: "
        raise KnowledgeError(f"{where}not valid JSON ({exc.msg}); fix it or save the article as .txt") from None
    if isinstance(data, dict):
        listed = next((data[k] for k in data if k.lower() in _LIST_KEYS and isinstance(data[k], list)), None)
        if listed is not None and not _field(data, _BODY_KEYS + ("paragraphs",)):
            data = listed
    if isinstance(data, list):
        if len(data) != 1:
            raise KnowledgeError(
                f"a JSON list of {len(data)} articles; save each as its own .json file "
                "(one article per file: the file name is its id)"
            )
        data = data[0]
    if not isinstance(data, dict):
        raise KnowledgeError('JSON that is not an article object; write {"title": ..., "text": ...}')
    title = _string(_field(data, _TITLE_KEYS))
    paragraphs = _field(data, ("paragraphs",))
    metadata = {key: value for key, names in _META_KEYS.items() if (value := _string(_field(data, names)))}
    if isinstance(paragraphs, list):
        texts = tuple(text for item in paragraphs if (text := _string(item)))
        if texts:
            return JsonArticle(title, texts, metadata=metadata)
    body = _string(_field(data, _BODY_KEYS))
    if not body:
        keys = ", ".join(sorted(data)) or "none"
        raise KnowledgeError(f'JSON with no article text (keys: {keys}); put the text under "text" or "paragraphs"')
    return JsonArticle(title, body=body, metadata=metadata)


def _field(data: dict[str, Any], names: tuple[str, ...]) -> Any:
    lowered = {str(key).lower(): value for key, value in data.items()}
    return next((lowered[name] for name in names if lowered.get(name) not in (None, "", [])), None)


def _string(value: Any) -> str:
    """Text from a string, a {"rendered"/"text"/"name"/"value": ...} wrapper or a list of names."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return _string(_field(value, ("rendered", "text", "name", "value")))
    if isinstance(value, list) and all(isinstance(item, (str, dict)) for item in value):
        return ", ".join(text for item in value if (text := _string(item)))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""
