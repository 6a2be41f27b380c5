"""briefbot's command line: git-style verbs over the router.

Each verb builds the engine from config, calls the router and renders text or JSON. The Discord
front end is imported only by `run` and `sync`, so the other verbs stay fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import __version__
from .config import CONFIG_ENV, Config, knowledge_dir_origin, load_config
from .errors import BriefbotError, ConfigError, InputError
from .render_text import render, render_passages

DESCRIPTION = """\
Answer questions about a news article with quoted, cited passages.

Runs on the article shipped in knowledge/ unless config.yaml says otherwise.
Start with `briefbot console`, or ask once: briefbot ask "Who runs Kata'ib Hezbollah?"
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"briefbot {__version__}")
    parser.add_argument(
        "--config", metavar="PATH", help=f"config file (default: ${CONFIG_ENV}, else ./config.yaml, else built-in)"
    )
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND")

    console = verbs.add_parser("console", help="interactive prompt (/ask, /help, /reload, /quit)")
    console.set_defaults(handler=cmd_console)

    ask = verbs.add_parser(
        "ask",
        help="answer one or more questions",
        description="Answer questions with cited passages. Pass '-' to read one question per line from stdin: "
        "each input line gets one answer (with --json, one JSON object per line, in order), so a blank line "
        'gets one too: {"reason": "empty_question"}, or with --follow-ups {"reason": "new_conversation"}.',

    )
    ask.add_argument("questions", nargs="+", metavar="QUESTION", help="a question, or '-' for standard input")
    ask.add_argument("--top-k", type=int, metavar="N", help="passages per answer (default from config: 3)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question per line")
    ask.add_argument(
        "--follow-ups",
        action="store_true",
        help="each question continues the conversation of the ones before it (an empty line from '-' starts "
        'a new one and is answered "new_conversation"); answers say how a follow-up was read ("read_as")',
    )
    ask.set_defaults(handler=cmd_ask)

    index = verbs.add_parser(
        "index",
        help="list the passages and their ids",
        description="List the passages and their ids. The index is kept between runs in the cache folder "
        "(config cache_dir, default $XDG_CACHE_HOME/briefbot); --rebuild clears it and builds it again.",
    )
    index.add_argument("--json", action="store_true", help="JSON list of passages")
    index.add_argument("--rebuild", action="store_true", help="clear the kept index and build it again")
    index.set_defaults(handler=cmd_index)

    source = verbs.add_parser(
        "source",
        help="article metadata and how it was split",
        description="Each article's metadata, how its file was read, and every knowledge problem. "
        "--text ID prints the article's documented text, the text every citation's start/end points into "
        "(for a web page, document, e-mail, PDF or JSON file: the text extracted from it).",
    )
    source.add_argument("--json", action="store_true", help="JSON output")
    source.add_argument("--text", metavar="ID", help="print the documented text of article ID (no index is built)")
    source.set_defaults(handler=cmd_source)

    timeline = verbs.add_parser(
        "timeline",
        help="the article's dated events, oldest first",
        description="Every dated event with its quote and paragraph. Filter by a year (2016), a range of "
        "years (2016-2018) and an actor by any of its names (--actor isis). Dates marked * take their "
        "year from the text before them.",
    )
    timeline.add_argument("years", nargs="*", metavar="YEAR|FROM-TO", help='"2016", "2016-2018" or "1980s"')
    timeline.add_argument("--actor", nargs="+", metavar="NAME", help="only events involving this actor")
    timeline.add_argument("--json", action="store_true", help="a JSON list of events")
    timeline.set_defaults(handler=cmd_timeline)

    actors = verbs.add_parser(
        "actors",
        help="the people, groups, states and places the article names",
        description="Every actor with its type, role and how often the article names it, most mentioned first.",
    )
    actors.add_argument(
        "--type", metavar="TYPE", help="person, state, military, armed group, organisation, media, place or other"
    )
    actors.add_argument("--json", action="store_true", help="a JSON list of actors")
    actors.set_defaults(handler=cmd_actors)

    actor = verbs.add_parser(
        "actor",
        help="one actor by any of its names",
        description="Find an actor by any name, forgiving case, hyphens and small typos "
        "(briefbot actor kataib hezbollah); an unknown name gets the closest suggestions (exit status 1).",
    )
    actor.add_argument("name", nargs="+", metavar="NAME")
    actor.add_argument("--json", action="store_true", help="JSON: {query, found, actor, suggestions, message}")
    actor.set_defaults(handler=cmd_actor)

    extract = verbs.add_parser(
        "extract",
        help="draft the timeline and actors files for a new article",
        description="Draft <id>.timeline.yaml and <id>.actors.yaml for an article (a .txt file: title line, "
        "then one paragraph per line) for a person to review. Prints both as YAML; --json prints "
        '{"timeline": [...], "actors": [...]} in the shapes `timeline --json` and `actors --json` use.',
    )
    extract.add_argument("article", metavar="ARTICLE", help="path to the article's .txt file")
    extract.add_argument(
        "--published",
        metavar="DATE",
        help="publication date (YYYY, YYYY-MM or YYYY-MM-DD) "
        "when the article has no .meta.yaml; years missing from dates are inferred from it",
    )
    extract.add_argument("--json", action="store_true", help="JSON instead of YAML")
    extract.add_argument("--write", action="store_true", help="write both files beside the article (never overwrites)")
    extract.set_defaults(handler=cmd_extract)

    evaluate = verbs.add_parser(
        "eval",
        help="measure answer quality on a question set",
        description="Ask a YAML set of questions with gold quotes (see tests/data/eval.yaml) and report "
        "hit@1, hit@3, MRR, the share answered and declined, per kind, and the misses.",
    )
    evaluate.add_argument("file", metavar="FILE", nargs="?", help="YAML question set")
    evaluate.add_argument(
        "--conversations",
        metavar="FILE",
        help="a YAML set of follow-up conversations (tests/data/conversations.yaml): first-turn and follow-up hit@1",
    )
    evaluate.add_argument(
        "--feedback",
        metavar="FILE",
        help="a feedback file (config feedback_file): print its 👎 answers as draft eval entries (YAML)",
    )
    evaluate.add_argument("--json", action="store_true", help="the report as one JSON object")
    evaluate.add_argument(
        "--baseline", action="store_true", help="score the anchor instead: plain BM25Okapi over raw paragraphs"
    )
    evaluate.set_defaults(handler=cmd_eval)

    check = verbs.add_parser(
        "check",
        help="list every problem in the knowledge folder and the config (exit status 1 if any)",
        description="Read the config and every article, metadata and curated file as the bot would, and "
        "list each problem in one line (file, what is wrong, how to fix it). Exit status 0 when all is well, "
        "1 when a file would be skipped or read with a fallback, 2 for a broken config: for a team's CI.",
    )
    check.add_argument(
        "--json",
        action="store_true",
        help='{"ok", "config", "config_origin", "knowledge_dir", "articles", "layouts", "counts", "problems"}',
    )
    check.set_defaults(handler=cmd_check)

    run = verbs.add_parser(
        "run",
        help="connect to Discord and answer slash commands and mentions",
        description="Connect to Discord with the token from $DISCORD_TOKEN (or the variable named by "
        "config discord.token_env) and answer until Ctrl-C or SIGTERM. Does not sync commands: see `sync`.",
    )
    _accept_config_after_verb(run)
    run.set_defaults(handler=cmd_run)

    sync = verbs.add_parser(
        "sync",
        help="register the slash commands with Discord",
        description="Register the slash commands: with --guild (or config discord.guilds) in those guilds, "
        "instantly, for development; otherwise globally, which Discord can take up to an hour to show. "
        "Run it after changing commands, not on every start.",
    )
    sync.add_argument("--guild", type=int, action="append", default=[], metavar="ID", help="guild id (repeatable)")
    sync.add_argument(
        "--global", dest="global_sync", action="store_true", help="sync globally even if config lists guilds"
    )
    _accept_config_after_verb(sync)
    sync.set_defaults(handler=cmd_sync)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A file name with bytes of no encoding (os.fsdecode's lone surrogates) is printed escaped
        # rather than stopping the command with UnicodeEncodeError.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verb is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except ConfigError as exc:
        print(f"briefbot: config error: {exc}", file=sys.stderr)
        return 2
    except BriefbotError as exc:
        print(f"briefbot: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `briefbot ... | head` closed the pipe: stop quietly, as Unix tools do. Point stdout at
        # /dev/null so Python's own flush at exit does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def load_router(args: argparse.Namespace, report: bool = True) -> Any:
    """Config -> engine -> router, imported lazily so `--help` stays instant.

    ``report`` puts each knowledge problem on stderr; a command whose own output lists them (source)
    passes False so no problem is shown twice.
    """
    from .engine import build_engine
    from .router import Router

    config: Config = load_config(args.config)
    engine = build_engine(config)
    if report:
        report_problems(engine.problems)
    return Router(engine)


def report_problems(problems: Iterable[Any]) -> None:
    """One line on stderr per knowledge file skipped or read with a fallback; answers still go to stdout."""
    for problem in problems:
        print(f"briefbot: {problem.severity}: {problem.message}", file=sys.stderr)


def _width() -> int:
    from .console import terminal_width

    return terminal_width()


def _color() -> bool:
    from .console import use_color

    return use_color(sys.stdout)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False))


def _emit(result: Any, as_json: bool, json_data: Any = None) -> None:
    """Print a router result as text, or as JSON (``json_data`` if given, else ``result.to_dict()``)."""
    if as_json:
        _print_json(result.to_dict() if json_data is None else json_data)
    else:
        print(render(result, width=_width(), color=_color()))


def cmd_console(args: argparse.Namespace) -> int:
    from .console import run_console
    from .reloader import LiveRouter

    router = LiveRouter(load_config(args.config))
    report_problems(router.engine.problems)
    return run_console(router)  # type: ignore[arg-type]  # a Router by delegation


def _questions(raw: Iterable[str], stdin: Callable[[], Iterable[str]]) -> Iterable[str]:
    """The questions in order, one per argument and one per line of standard input for '-'.

    Every line comes through, a blank one too, so answers line up with input lines; only the
    line end (``\n``, ``\r\n``) is taken off.
    """
    for question in raw:
        if question == "-":
            yield from (line.removesuffix("\n").removesuffix("\r") for line in stdin())
        else:
            yield question


NEW_CONVERSATION = "new_conversation"  # the reason given for a blank line under --follow-ups


def _new_conversation(question: str, mode: str) -> Any:
    from .responder import Answer

    message = "A new conversation starts: the next question does not continue the ones before."
    return Answer(question, False, message, reason=NEW_CONVERSATION, mode=mode)


def cmd_ask(args: argparse.Namespace) -> int:
    from .conversation import Conversation

    router = load_router(args)
    conversation = Conversation() if args.follow_ups else None
    for question in _questions(args.questions, lambda: sys.stdin):
        # One answer per input line, so output line N answers input line N: a blank line is an
        # empty_question answer, or under --follow-ups the start of a new conversation (said so).
        if args.follow_ups and not question.strip():
            conversation = Conversation()
            answer = _new_conversation(question, router.engine.mode)
        else:
            answer = router.ask(question, top_k=args.top_k, conversation=conversation)
        _emit(answer, args.json)
        if not args.json:
            print()
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    if args.rebuild:
        from .indexcache import IndexCache, cache_dir

        folder = cache_dir(load_config(args.config))
        IndexCache(folder).clear()
        print(f"cleared the kept index in {folder}", file=sys.stderr)
    router = load_router(args)
    passages = router.engine.passages
    if args.json:
        _print_json(
            [
                {
                    "id": p.id,
                    "article": p.article_id,
                    "kind": p.kind,
                    "paragraphs": list(p.paragraphs),
                    "sentences": [f"{s.paragraph}.{s.number}" for s in p.sentences],
                    "start": p.start,
                    "end": p.end,
                    "text": p.text,
                }
                for p in passages
            ]
        )
    else:
        print(render_passages(passages, width=_width(), color=_color()))
    return 0


def cmd_source(args: argparse.Namespace) -> int:
    if args.text is not None:
        return _print_documented_text(args)
    _emit(load_router(args, report=False).source(), args.json)
    return 0


def _print_documented_text(args: argparse.Namespace) -> int:
    """The text citations point into, exactly: ``text[start:end]`` of it is the cited passage."""
    from .knowledge import default_knowledge_dir, load_folder

    config = load_config(args.config)
    folder = load_folder(config.knowledge_dir or default_knowledge_dir(), knowledge_dir_origin(config))
    article = next((a for a in folder.articles if a.id == args.text), None)
    if article is None:
        known = ", ".join(a.id for a in folder.articles)
        raise InputError(f"no article {args.text!r}; the articles are: {known}")
    if args.json:
        _print_json({"id": article.id, "kind": article.kind, "path": str(article.path), "text": article.text})
    else:
        sys.stdout.write(article.text)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .evaluate import baseline_retriever, evaluate, load_eval_set, render_report, router_retriever

    given = [name for name in ("file", "conversations", "feedback") if getattr(args, name)]
    if len(given) != 1:
        raise BriefbotError("eval needs exactly one of: FILE, --conversations FILE, --feedback FILE")
    if args.feedback:
        from .feedback import draft_eval_entries, read_votes

        votes, skipped = read_votes(Path(args.feedback))
        print(draft_eval_entries(votes, args.feedback, skipped), end="")
        return 0
    if args.conversations:
        from .conversation_eval import evaluate_conversations, load_conversations, render_conversation_report

        conversations = load_conversations(Path(args.conversations))
        router = load_router(args)
        if args.baseline:
            raise BriefbotError("--baseline scores single questions; it does not apply to --conversations")
        conv_report = evaluate_conversations(conversations, router, path=args.conversations, mode=router.engine.mode)
        if args.json:
            _print_json(conv_report.to_dict())
        else:
            print(render_conversation_report(conv_report))
        return 0
    questions = load_eval_set(Path(args.file))
    router = load_router(args)
    if args.baseline:
        texts = {article.id: article.text for article in router.engine.articles.values()}
        retrieve, mode = baseline_retriever(texts), "baseline"
    else:
        retrieve, mode = router_retriever(router), router.engine.mode
    report = evaluate(questions, retrieve, path=args.file, mode=mode)
    if args.json:
        _print_json(report.to_dict())
    else:
        print(render_report(report))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check, render_check

    report = check(args.config)
    if args.json:
        _print_json(report.to_dict())
    else:
        print(render_check(report))
    if report.knowledge_dir is None and not report.ok:
        return 2  # the config itself is broken
    return 0 if report.ok else 1


def _accept_config_after_verb(verb: argparse.ArgumentParser) -> None:
    # `briefbot run --config X` as well as `briefbot --config X run`: scripts and service files
    # write it both ways. SUPPRESS keeps the top-level value when the verb's option is absent.
    verb.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file (as before the verb)")


def cmd_run(args: argparse.Namespace) -> int:
    from .discord_bot import run  # only these two verbs load discord.py

    return run(load_config(args.config))


def cmd_sync(args: argparse.Namespace) -> int:
    from .discord_bot import sync

    return sync(load_config(args.config), guild_ids=args.guild, global_sync=args.global_sync)


def cmd_timeline(args: argparse.Namespace) -> int:
    actor = " ".join(args.actor) if args.actor else None
    result = load_router(args).timeline(" ".join(args.years) or None, actor)
    _emit(result, args.json, [event.to_dict() for event in result.events])
    return 0


def cmd_actors(args: argparse.Namespace) -> int:
    result = load_router(args).actors(args.type)
    _emit(result, args.json, [actor.to_dict() for actor in result.actors])
    return 0


def cmd_actor(args: argparse.Namespace) -> int:
    result = load_router(args).actor(" ".join(args.name))
    _emit(result, args.json)
    return 0 if result.actor is not None else 1


def cmd_extract(args: argparse.Namespace) -> int:
    from .drafts import draft_files

    files = draft_files(args.article, published=args.published, as_json=args.json, write=args.write)
    if args.write:
        for path in files:
            print(f"wrote {path}")
    else:
        print(files[0] if args.json else "\n".join(files), end="" if not args.json else "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
