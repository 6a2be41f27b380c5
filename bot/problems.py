"""One definition of how knowledge problems are counted and named, shared by `check` and `source`.

Every problem has a severity: ``error`` (the file is skipped), ``warning`` (read with a fallback)
or ``note`` (how a file was read; fails nothing). Each listed line starts with its severity, and
every count printed above or below a list is :func:`tally` of exactly the lines listed, so a
summary such as "1 error, 3 warnings, 2 notes" always matches the lines a person can count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .knowledge import ERROR, NOTE, WARNING, Article, Problem
from .wording import plural

SEVERITIES = (ERROR, WARNING, NOTE)  # the order counts are given in


def tally(problems: Iterable[Problem]) -> dict[str, int]:
    """{"errors": n, "warnings": n, "notes": n}: the problems by severity (JSON's ``counts``)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for problem in problems:
        counts[problem.severity] = counts.get(problem.severity, 0) + 1
    return {f"{severity}s": counts[severity] for severity in SEVERITIES}


def summary(counts: dict[str, int]) -> str:
    """"1 error, 3 warnings, 2 notes" for :func:`tally`'s counts, zero counts left out ("" for none)."""
    return ", ".join(plural(counts[f"{s}s"], s) for s in SEVERITIES if counts[f"{s}s"])


def layout_notes(articles: Sequence[Article]) -> list[Problem]:
    """A note for each article not read as plain text with one paragraph per line: how it was read."""
    notes = []
    for article in articles:
        if article.kind != "text":
            message = f"{article.path}: {article.layout}; `briefbot source --text {article.id}` prints the text cited"
        elif article.layout != "one paragraph per line":
            message = f"{article.path}: {article.layout}; check the paragraphs with `briefbot index`"
        else:
            continue
        notes.append(Problem(article.path, message, NOTE))
    return notes


def problem_line(problem: Problem) -> str:
    """The one line a problem is listed as: "<severity>: <file[:line]>: what is wrong; the fix"."""
    return f"{problem.severity}: {problem.message}"


def problems_json(problems: Iterable[Problem]) -> dict[str, Any]:
    """The JSON shared by `check --json` and `source --json`: {"counts": tally, "problems": [...]}."""
    listed = list(problems)
    return {"counts": tally(listed), "problems": [p.to_dict() for p in listed]}
