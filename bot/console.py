"""The interactive console: the same router as Discord, rendered as text.

Reads one command per line: "/ask ...", "/help", "/reload" (re-read the knowledge folder), "/quit",
or plain text as a question. With a
terminal it has line editing, history and colour; piped, it prints plain text and no prompt, so
``printf '/ask ...\\n/quit\\n' | briefbot console`` works in scripts.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .conversation import Conversation
from .errors import BriefbotError, InputError
from .feedback import VOTES, FeedbackLog, new_answer_id
from .render_text import render
from .responder import Answer
from .router import Router, parse_command
from .timeline import shown_text

PROMPT = "briefbot> "
QUIT_COMMANDS = {"/quit", "/exit", "/q"}
RELOAD_COMMAND = "/reload"
HISTORY_FILE = Path.home() / ".briefbot_history"
MAX_WIDTH = 100  # wider lines are hard to read, whatever the terminal


def use_color(stream: TextIO) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def terminal_width() -> int:
    """Columns to wrap text at: the terminal's width, at most MAX_WIDTH (MAX_WIDTH when unknown)."""
    return min(shutil.get_terminal_size((MAX_WIDTH, 24)).columns, MAX_WIDTH)


def run_console(
    router: Router,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    feedback: FeedbackLog | None = None,
    stderr: TextIO = sys.stderr,
) -> int:
    """Read-eval-print until /quit or end of input; returns the exit status.

    Questions continue one conversation (a follow-up is read against the questions before it)
    until /new. /good and /bad vote on the last answer when ``feedback`` (or config
    ``feedback_file``) is set. The first line states the retrieval mode: on stdout in a terminal,
    on ``stderr`` when scripted (stdin or stdout not a terminal), so a script's stdout holds only
    the answers while the mode is still shown (and can be logged).
    """
    interactive = stdin.isatty() and stdout.isatty()
    color = use_color(stdout)
    width = terminal_width()
    if feedback is None and router.engine.config.feedback_file is not None:
        feedback = FeedbackLog(router.engine.config.feedback_file)
    session = _Session(router, feedback)
    read_line: Callable[[], str | None]
    banner = stdout if interactive else stderr
    banner.write(f"briefbot ({router.engine.mode} retrieval): ask about {_titles(router)}.")
    if interactive:
        banner.write(
            " Questions follow on from each other; /new starts a new conversation."
            f" /help lists commands{', /good or /bad rates an answer' if feedback else ''}, /quit leaves."
        )
    banner.write("\n")
    if router.engine.mode == "bm25" and router.engine.config.retrieval.mode == "auto":
        banner.write("(bm25 only: install briefbot[semantic] for better answers to paraphrased questions)\n")
    banner.flush()
    if interactive:
        _enable_line_editing()
        read_line = _prompt_reader()
    else:
        read_line = _stream_reader(stdin)
    while True:
        line = read_line()
        if line is None:
            break
        line = line.strip()
        if not line:
            continue
        if line.lower() in QUIT_COMMANDS:
            break
        try:
            output = _reload(router) if line.lower() == RELOAD_COMMAND else session.run(line, width, color)
        except BriefbotError as exc:
            output = f"error: {exc}"
        stdout.write(output + "\n\n")
        stdout.flush()
    _save_history(interactive)
    return 0


def _reload(router: Router) -> str:
    """Re-read the knowledge folder (a :class:`~bot.reloader.LiveRouter` can; a plain router cannot)."""
    reload = getattr(router, "reload", None)
    if reload is None:
        return "error: this console cannot reload; restart it to read the knowledge folder again"
    return str(reload().summary())


class _Session:
    """One console user's conversation and the last answer they may vote on."""

    def __init__(self, router: Router, feedback: FeedbackLog | None) -> None:
        self.router = router
        self.feedback = feedback
        self.conversation = Conversation()
        self.last: tuple[str, Answer] | None = None  # (answer id, answer)
        self.voter = _console_user()

    def run(self, line: str, width: int, color: bool) -> str:
        name, rest = parse_command(line)
        if name == "new":
            self.conversation = Conversation()
            self.last = None
            return "New conversation: the next question stands on its own."
        if name in VOTES:
            return self.vote(name)
        if name == "help":
            # The console's own commands sit with the others, before the closing line.
            commands, _, closing = render(self.router.help(), width=width, color=color).rpartition("\n\n")
            return f"{commands}\n{CONSOLE_HELP}\n\n{closing}"
        known = [command.name for command in self.router.commands]
        if name not in known:
            every = ", ".join([*known, *CONSOLE_COMMANDS])
            raise InputError(f"unknown command /{name}; try one of: {every}")
        if name == "ask":
            answer = self.router.ask(rest, conversation=self.conversation)
            self.last = (new_answer_id(), answer)
            return render(answer, width=width, color=color)
        return render(self.router.dispatch(line), width=width, color=color)

    def vote(self, vote: str) -> str:
        if self.feedback is None:
            return "Feedback is off: set feedback_file in config.yaml to record votes."
        if self.last is None:
            return "Nothing to rate yet: ask a question first."
        answer_id, answer = self.last
        self.feedback.record(answer_id, answer, vote, self.voter)
        return f"Thanks: recorded {'👍' if vote == 'good' else '👎'} for “{shown_text(answer.normalized_question, 60)}”."


CONSOLE_HELP = "\n".join(
    [
        "  /new",
        "        Start a new conversation; until then each question follows on from the ones before it.",
        "  /good, /bad",
        "        Rate the last answer (written to feedback_file when config.yaml sets it).",
        "  /reload",
        "        Read the knowledge folder again (new, changed and removed articles).",
        "  /quit",
        "        Leave the console (also /exit, /q, or end of input).",
    ]
)
CONSOLE_COMMANDS = ("new", "good", "bad", "reload", "quit")


def _console_user() -> str:
    try:
        return "console:" + getpass.getuser()
    except (OSError, KeyError):  # no user name in a bare container
        return "console"


def _titles(router: Router) -> str:
    titles = [f"“{a.title}”" for a in router.engine.articles.values()]
    return titles[0] if len(titles) == 1 else f"{len(titles)} articles"


def _stream_reader(stdin: TextIO) -> Callable[[], str | None]:
    def read() -> str | None:
        line = stdin.readline()
        return line if line else None

    return read


def _prompt_reader() -> Callable[[], str | None]:
    def read() -> str | None:
        try:
            return input(PROMPT)
        except EOFError:
            print()
            return None
        except KeyboardInterrupt:
            print()
            return ""

    return read


def _enable_line_editing() -> None:
    try:
        import readline  # noqa: F401  (importing it gives input() editing and history)
    except ImportError:  # Windows without pyreadline: plain input() still works
        return
    with contextlib.suppress(OSError):  # no history yet
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(1000)


def _save_history(interactive: bool) -> None:
    if not interactive:
        return
    try:
        import readline

        readline.write_history_file(HISTORY_FILE)
    except (ImportError, OSError):
        pass
