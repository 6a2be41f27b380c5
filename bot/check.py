"""`briefbot check`: every problem in a knowledge folder and its config, for a team's own CI.

Reads what the bot would read (config, every article, metadata and curated file) without
building the search index, and lists each problem in one line: file, what is wrong, how to fix
it. Errors are files the bot skips; warnings are files it reads with a fallback (a curated file
replaced by drafts, metadata ignored, a duplicate, a guessed encoding); both fail the check.
Notes (a hard-wrapped file re-flowed) are listed and do not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import config_origin, find_config_path, knowledge_dir_origin, load_config
from .curated import load_knowledge_or_drafts
from .errors import BriefbotError
from .knowledge import ERROR, WARNING, NoArticleError, Problem, default_knowledge_dir, load_folder
from .problems import layout_notes, problem_line, problems_json, summary, tally


@dataclass(frozen=True)
class CheckReport:
    """What `briefbot check` found: the config used, the folder, the good articles and every problem."""

    config: str  # the config file, or "built-in defaults"
    config_origin: str  # "--config", "$BRIEFBOT_CONFIG", "./config.yaml" or "built-in defaults"
    knowledge_dir: str | None
    articles: tuple[str, ...] = ()
    layouts: dict[str, str] = field(default_factory=dict)  # article id -> how its file was read
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(p.severity in (ERROR, WARNING) for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "config": self.config,
            "config_origin": self.config_origin,
            "knowledge_dir": self.knowledge_dir,
            "articles": list(self.articles),
            "layouts": self.layouts,
            **problems_json(self.problems),
        }


def check(explicit_config: str | os.PathLike[str] | None = None) -> CheckReport:
    """Check the config chosen as the bot would choose it and the knowledge folder it names."""
    path = find_config_path(explicit_config)
    origin = config_origin(explicit_config)
    shown = str(path) if path is not None else "built-in defaults"
    try:
        config = load_config(explicit_config)
    except BriefbotError as exc:  # with a broken config there is no folder to look at
        return CheckReport(shown, origin, None, problems=(Problem(Path(shown), str(exc), ERROR),))
    directory = config.knowledge_dir or default_knowledge_dir()
    problems: list[Problem] = []
    try:
        folder = load_folder(directory, knowledge_dir_origin(config))
    except NoArticleError as exc:  # list every problem, not only the first the message names
        none = Problem(directory, f"{directory}: no article loads; fix the problems listed", ERROR)
        return CheckReport(shown, origin, str(directory), problems=(*exc.problems, none))
    except BriefbotError as exc:
        return CheckReport(shown, origin, str(directory), problems=(Problem(directory, str(exc), ERROR),))
    problems.extend(folder.problems)
    for article in folder.articles:
        problems.extend(load_knowledge_or_drafts(article).problems)
    problems.extend(layout_notes(folder.articles))
    layouts = {article.id: f"{article.encoding}, {article.layout}" for article in folder.articles}
    return CheckReport(shown, origin, str(directory), tuple(a.id for a in folder.articles), layouts, tuple(problems))


def render_check(report: CheckReport) -> str:
    """The report as text: config, folder, one line per problem, and a verdict."""
    lines = [f"config:    {report.config} (chosen by {report.config_origin})"]
    if report.knowledge_dir is not None:
        count = len(report.articles)
        loaded = "1 article loads" if count == 1 else f"{count} articles load"
        lines.append(f"knowledge: {report.knowledge_dir} ({loaded})")
    lines.extend(problem_line(problem) for problem in report.problems)
    counted = summary(tally(report.problems))  # the lines above, by severity
    if report.ok:
        lines.append(f"ok ({counted}; notes fail nothing)" if counted else "ok")
    else:
        lines.append(f"{counted}: fix the errors and warnings and run `briefbot check` again")
    return "\n".join(lines)
