"""`briefbot extract`: draft the curated files of a new article, as YAML or JSON, or write them.

The drafts come from :mod:`bot.extraction` and are checked by the curated loader
(:func:`bot.curated.draft_knowledge`), so what this prints is a file briefbot accepts.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from .curated import draft_knowledge
from .errors import InputError, KnowledgeError
from .extraction import extract
from .extraction.dates import published_day
from .knowledge import ARTICLE_SUFFIXES, Article, load_article


def _load(path_text: str, published: str | None) -> Article:
    path = Path(path_text)
    if not path.is_file():
        raise InputError(f"{path}: no such article file; give the path to a .txt article")
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        kinds = ", ".join(ARTICLE_SUFFIXES)
        raise InputError(f"{path}: not an article file ({kinds})")
    article = load_article(path)
    if published:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", published):
            raise InputError(f'--published must look like "2019", "2019-09" or "2019-09-04", not "{published}"')
        try:
            published_day(published)
        except ValueError:
            raise InputError(f"--published {published} is not a real date") from None
        article = replace(article, published=published)
    return article


def draft_files(
    path_text: str, *, published: str | None = None, as_json: bool = False, write: bool = False
) -> list[str]:
    """For `briefbot extract`: the drafts as YAML texts (or one JSON text), or the paths written."""
    import yaml

    article = _load(path_text, published)
    draft = extract(article)
    # Checked even when printed as YAML: what `extract` prints must be a file the loader accepts.
    knowledge = draft_knowledge(article, draft)
    if as_json:
        data = {"timeline": [e.to_dict() for e in knowledge.events], "actors": [a.to_dict() for a in knowledge.actors]}
        return [json.dumps(data, ensure_ascii=False)]
    header = (
        "# Drafted by `briefbot extract` from {name}: review every entry before relying on it.\n"
        "# Dates without a year in the text are marked year_inferred; check them against the text.\n"
    )
    documents = {
        ".timeline.yaml": {"events": draft["timeline"]},
        ".actors.yaml": {"actors": draft["actors"]},
    }
    texts = {
        suffix: header.format(name=article.path.name)
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
        for suffix, data in documents.items()
    }
    if not write:
        return [f"--- # {article.id}{suffix}\n{body}" for suffix, body in texts.items()]
    written = []
    targets = {suffix: article.path.with_name(article.id + suffix) for suffix in texts}
    for target in targets.values():
        if target.exists():
            raise KnowledgeError(f"{target}: already exists; move it away or edit it by hand")
    for suffix, target in targets.items():
        target.write_text(texts[suffix], encoding="utf-8")
        written.append(str(target))
    return written
