"""Curated timeline and actors files: every quote is in the article, and bad files are refused clearly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import Config
from bot.curated import load_knowledge
from bot.engine import build_engine
from bot.errors import KnowledgeError
from bot.indexer import split_blocks
from bot.knowledge import load_article
from bot.textnorm import normalize_for_match

from .conftest import SHIPPED_ARTICLE

KNOWLEDGE = SHIPPED_ARTICLE.parent
TIMELINE_FILE = KNOWLEDGE / "al-bukamal-2019.timeline.yaml"
ACTORS_FILE = KNOWLEDGE / "al-bukamal-2019.actors.yaml"


def paragraph_texts() -> dict[int, str]:
    article = load_article(SHIPPED_ARTICLE)
    return {b.paragraph: normalize_for_match(article.text[b.start : b.end]) for b in split_blocks(article)}


def curated_quotes() -> list[tuple[str, int, str]]:
    timeline = yaml.safe_load(TIMELINE_FILE.read_text(encoding="utf-8"))
    actors = yaml.safe_load(ACTORS_FILE.read_text(encoding="utf-8"))
    quotes = [(e["id"], e["paragraph"], e["quote"]) for e in timeline["events"]]
    quotes += [(a["name"], q["paragraph"], q["quote"]) for a in actors["actors"] for q in a["quotes"]]
    return quotes


@pytest.mark.parametrize(("entry", "paragraph", "quote"), curated_quotes())
def test_every_curated_quote_is_in_the_paragraph_it_names(entry: str, paragraph: int, quote: str) -> None:
    assert normalize_for_match(quote) in paragraph_texts()[paragraph], entry


def test_the_shipped_article_has_a_full_curated_timeline_and_cast() -> None:
    knowledge = load_knowledge(load_article(SHIPPED_ARTICLE))
    assert not knowledge.timeline_automatic and not knowledge.actors_automatic
    assert len(knowledge.events) >= 20
    assert len(knowledge.actors) >= 30
    assert {
        "Iran",
        "Islamic Revolutionary Guard Corps",
        "ImageSat International",
        "Fox News",
        "al-Qaeda",
        "Islamic State",
        "New Syrian Army",
        "United States",
        "Syrian Democratic Forces",
        "Syrian regime",
        "Kata'ib Hezbollah",
        "Popular Mobilization Forces",
        "Abu Mahdi al-Muhandis",
        "Israel",
        "Hezbollah",
        "Donald Trump",
        "al-Tanf",
    } <= {a.name for a in knowledge.actors}


def test_loaded_quotes_are_the_article_s_exact_text(article_text: str) -> None:
    knowledge = load_knowledge(load_article(SHIPPED_ARTICLE))
    for event in knowledge.events:
        assert article_text[event.quote_start : event.quote_start + len(event.quote)] == event.quote
    # The YAML may use straight quotes; what the bot shows is the article's own curly ones.
    muhandis = next(a for a in knowledge.actors if a.name == "Abu Mahdi al-Muhandis")
    assert "Kata’ib" in muhandis.quotes[1].quote


# --- refusing bad files -----------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A knowledge folder holding a copy of the shipped article and its curated files."""
    target = tmp_path / "knowledge"
    target.mkdir()
    for path in KNOWLEDGE.glob("al-bukamal-2019.*"):
        shutil.copy(path, target / path.name)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once in ``path``; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def load_error(folder: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(load_article(folder / SHIPPED_ARTICLE.name))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_quote_not_in_the_article_names_file_line_entry_and_quote(folder: Path) -> None:
    timeline = folder / TIMELINE_FILE.name
    line = edit(timeline, "quote: In June 2018, a mysterious airstrike", "quote: In June 2018, a famous airstrike")
    message = load_error(folder)
    assert message.startswith(f"{timeline}:{line}: ")
    assert 'event "strike-on-kh-base"' in message
    assert '"In June 2018, a famous airstrike' in message
    assert "not found" in message


def test_a_bad_actor_quote_is_refused_the_same_way(folder: Path) -> None:
    actors = folder / ACTORS_FILE.name
    line = edit(actors, "quote: Sam Heller wrote at the time", "quote: Sam Heller said at the time")
    message = load_error(folder)
    assert message.startswith(f"{actors}:{line}: ")
    assert 'actor "Sam Heller"' in message and "Sam Heller said at the time" in message


def test_a_quote_in_another_paragraph_says_where_it_is(folder: Path) -> None:
    timeline = folder / TIMELINE_FILE.name
    text = timeline.read_text(encoding="utf-8")
    entry = text.index("id: regime-takes-bukamal")
    start = text.index("paragraph: 7", entry)
    timeline.write_text(text[:start] + "paragraph: 9" + text[start + len("paragraph: 7") :], encoding="utf-8")
    assert "quote is in paragraph 7, not 9" in load_error(folder)


def test_quotes_match_despite_straight_quotes_spacing_and_case(folder: Path) -> None:
    edit(
        folder / TIMELINE_FILE.name,
        "quote: This is the context of the September 3 report about Iran’s new base",
        "quote: this is the context of the  September 3 report about Iran's new base",
    )
    knowledge = load_knowledge(load_article(folder / SHIPPED_ARTICLE.name))
    report = next(e for e in knowledge.events if e.id == "september-3-report")
    assert report.quote.startswith("This is the context of the September 3 report about Iran’s")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (TIMELINE_FILE.name, "    date: 2014-06\n", "    date: 2014-13\n", "'2014-13' is not a real date"),
        (TIMELINE_FILE.name, "    date: 2014-06\n", "    date: June 2014\n", "is not a date; use"),
        (TIMELINE_FILE.name, "    date: 2014-06\n", "    date: 2014-06\n    when: soon\n", "when: unknown key;"),
        (
            TIMELINE_FILE.name,
            "actors: [al-Qaeda, Islamic State, al-Bukamal]",
            "actors: [al-Qaeda, Napoleon]",
            'unknown actor "Napoleon"',
        ),
        (
            TIMELINE_FILE.name,
            "    year_inferred: false\n    event: The Iran–Iraq war",
            "    year_inferred: maybe\n    event: The Iran–Iraq war",
            "year_inferred: expected true or false, got 'maybe' (str)",
        ),
        (TIMELINE_FILE.name, "  - id: nsa-takes-tanf", "  - id: iran-iraq-war", "the id is used twice"),
        (
            ACTORS_FILE.name,
            "    aliases: [Hashemite Kingdom of Jordan]",
            "    aliases: [Tehran]",
            '"Tehran" is already a name of "Iran"',
        ),
        (
            ACTORS_FILE.name,
            "  - name: Jordan\n    type: state",
            "  - name: Jordan\n    type: country",
            "type: 'country' is not allowed; choose one of: person, state,",
        ),
        (
            ACTORS_FILE.name,
            "      - paragraph: 6\n        quote: after initially training in Jordan",
            "      - paragraph: 60\n        quote: after initially training in Jordan",
            "paragraph 60 does not exist",
        ),
    ],
)
def test_invalid_entries_name_file_line_and_problem(folder: Path, file: str, old: str, new: str, expected: str) -> None:
    path = folder / file
    edit(path, old, new)
    message = load_error(folder)
    assert re.match(rf"{re.escape(str(path))}:\d+: (event|actor) ", message), message
    assert expected in message


def test_broken_yaml_gives_the_line(folder: Path) -> None:
    path = folder / ACTORS_FILE.name
    edit(path, "  - name: Kuwait\n", "  - name: Kuwait\n   type: [\n")
    message = load_error(folder)
    assert re.match(rf"{re.escape(str(path))}:\d+: invalid YAML", message)


def test_a_timeline_without_its_actors_file_is_refused(folder: Path) -> None:
    (folder / ACTORS_FILE.name).unlink()
    assert "needs al-bukamal-2019.actors.yaml beside it" in load_error(folder)


def test_the_engine_falls_back_to_drafts_on_a_bad_curated_file(folder: Path) -> None:
    edit(folder / ACTORS_FILE.name, "quote: the Iraqi town of al-Qa’im", "quote: the Iraqi city of al-Qa’im")
    engine = build_engine(Config(knowledge_dir=folder))
    (problem,) = engine.problems
    assert 'actor "al-Qa\'im": quote not found' in problem.message and problem.path.name == ACTORS_FILE.name
    assert engine.actors.actors and all(a.automatic for a in engine.actors.actors)


def test_an_article_without_curated_files_gets_automatic_ones(folder: Path) -> None:
    (folder / TIMELINE_FILE.name).unlink()
    (folder / ACTORS_FILE.name).unlink()
    engine = build_engine(Config(knowledge_dir=folder))
    assert len(engine.events) >= 15 and all(e.automatic for e in engine.events)
    assert engine.actors.find("Kata'ib Hezbollah") is not None
    assert all(a.automatic for a in engine.actors.actors)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            TIMELINE_FILE.name,
            "  - id: nsa-takes-tanf\n    date: 2016-03\n",
            "  - id: nsa-takes-tanf\n    dat: 2016-03\n",
            "event \"nsa-takes-tanf\": dat: unknown key (did you mean 'date'?); allowed: date, event, paragraph,",
        ),
        (
            TIMELINE_FILE.name,
            "  - id: nsa-takes-tanf\n    date: 2016-03\n",
            "  - id: nsa-takes-tanf\n    date: [2016]\n",
            'event "nsa-takes-tanf": date: expected a date like "2016-06-28", "2016-06", "2016", "1980s" or '
            "START/END, got a list",
        ),
        (
            ACTORS_FILE.name,
            "  - name: Jordan\n    type: state\n",
            "  - name: Jordan\n",
            'actor "Jordan": type: missing: this key is required (one of: person, state, military,',
        ),
    ],
)
def test_a_schema_error_names_file_line_entry_and_key_exactly(
    folder: Path, file: str, old: str, new: str, expected: str
) -> None:
    path = folder / file
    line = edit(path, old, new)
    wrong = {"dat": 1, "date: [": 1}
    line += next((offset for marker, offset in wrong.items() if marker in new), 0)
    assert load_error(folder).startswith(f"{path}:{line}: {expected}")


def test_drafted_entries_go_through_the_same_schema() -> None:
    from bot.curated import draft_knowledge

    article = load_article(SHIPPED_ARTICLE)
    actor = {"name": "X", "type": "person", "role": "r", "quotes": [{"paragraph": 1, "quote": "q"}], "age": 3}
    draft = {"timeline": [], "actors": [actor]}
    with pytest.raises(KnowledgeError) as caught:
        draft_knowledge(article, draft)
    assert str(caught.value) == (
        f'{SHIPPED_ARTICLE} (extracted): actor "X": age: unknown key; allowed: name, type, role, quotes, aliases'
    )


def test_a_key_twice_in_an_actor_names_both_lines(folder: Path) -> None:
    path = folder / ACTORS_FILE.name
    path.write_text(
        "actors:\n  - name: Iran\n    type: state\n    role: r\n    type: person\n"
        "    quotes: [{paragraph: 1, quote: Iran}]\n",
        encoding="utf-8",
    )
    assert load_error(folder).startswith(f"{path}:5: actors.0.type: the key appears twice (first on line 3)")
