"""Actors: lookup by any name with typos forgiven, suggestions, types, mentions, and aliases in retrieval."""

from __future__ import annotations

import pytest

from bot.actors import ActorDirectory, alias_pattern
from bot.engine import Engine
from bot.errors import InputError
from bot.router import Router


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("muhandis", "Abu Mahdi al-Muhandis"),
        ("kataib hezbollah", "Kata'ib Hezbollah"),
        ("KATA’IB-HEZBOLLAH", "Kata'ib Hezbollah"),
        ("isis", "Islamic State"),
        ("ISIL", "Islamic State"),
        ("irgc", "Islamic Revolutionary Guard Corps"),
        ("Revolutionary Guards", "Islamic Revolutionary Guard Corps"),
        ("pmu", "Popular Mobilization Forces"),
        ("Popular Mobilization Committee", "Popular Mobilization Forces"),
        ("sdf", "Syrian Democratic Forces"),
        ("nsa", "New Syrian Army"),
        ("al-Tank", "al-Tanf"),
        ("tanf", "al-Tanf"),
        ("Al Qaim", "al-Qa'im"),
        ("the US", "United States"),
        ("America", "United States"),
        ("tehran", "Iran"),
        ("trump", "Donald Trump"),
        ("ImageSat", "ImageSat International"),
    ],
)
def test_an_actor_is_found_by_any_name_in_any_case(router: Router, typed: str, expected: str) -> None:
    found = router.actor(typed)
    assert found.actor is not None and found.actor.name == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hezbolah", "Hezbollah"),
        ("kataib hezbolah", "Kata'ib Hezbollah"),
        ("muhandes", "Abu Mahdi al-Muhandis"),
        ("imagesat internacional", "ImageSat International"),
        ("mahdi", "Abu Mahdi al-Muhandis"),
    ],
)
def test_small_typos_and_partial_names_are_forgiven(router: Router, typed: str, expected: str) -> None:
    found = router.actor(typed)
    assert found.actor is not None and found.actor.name == expected
    assert found.read_as == expected


def test_an_unknown_name_gets_the_closest_suggestions(router: Router) -> None:
    found = router.actor("irak")
    assert found.actor is None
    assert {"Iraq", "Iran"} <= set(found.suggestions)
    assert found.message.startswith('No actor named "irak". Did you mean:')


def test_a_word_several_actors_share_is_answered_with_choices(router: Router) -> None:
    found = router.actor("syrian")
    assert found.actor is None
    assert {"Syrian regime", "Syrian army", "New Syrian Army", "Syrian Democratic Forces"} <= set(found.suggestions)


def test_a_name_like_nothing_says_so(router: Router) -> None:
    found = router.actor("Napoleon Bonaparte")
    assert found.actor is None and found.suggestions == ()
    assert "/actors lists them all" in found.message


def test_an_empty_name_is_an_input_error(router: Router) -> None:
    with pytest.raises(InputError, match="give an actor's name"):
        router.actor("  ")


def test_mentions_count_every_name_and_longer_names_win(router: Router) -> None:
    def actor(name: str):  # noqa: ANN202
        found = router.actor(name).actor
        assert found is not None
        return found

    assert actor("Kata'ib Hezbollah").mentions == 4
    assert actor("Hezbollah").mentions == 5  # not counting the four inside "Kata'ib Hezbollah"
    assert actor("Islamic State").mentions == 8  # "Islamic State" twice, "ISIS" six times
    assert actor("Muhandis").mentions == 3  # "Abu Mahdi al-Muhandis" twice, "the same Muhandis"
    assert actor("Islamic Revolutionary Guard Corps").first_paragraph == 0  # the photo caption
    assert actor("Donald Trump").first_paragraph == 17


def test_short_acronyms_match_only_in_capitals() -> None:
    assert alias_pattern("US").search("the US forces") is not None
    assert alias_pattern("US").search("the U.S. forces") is not None
    assert alias_pattern("US").search("between us and them") is None
    assert alias_pattern("Kata'ib Hezbollah").search("KATA’IB  HEZBOLLAH") is not None


def test_an_actor_lists_the_events_it_takes_part_in(router: Router) -> None:
    muhandis = router.actor("muhandis").actor
    assert muhandis is not None
    assert [e.date for e in muhandis.events] == ["1980s", "2019-09-02"]
    assert muhandis.role and muhandis.quotes[0].quote == "This group is run by Abu Mahdi al-Muhandis"


def test_actors_filter_by_type_in_any_spelling(router: Router) -> None:
    states = router.actors("state")
    assert states.actors and all(a.type == "state" for a in states.actors)
    assert {"Iran", "Iraq", "Israel", "United States", "Syrian regime"} <= {a.name for a in states.actors}
    assert router.actors("States").actors == states.actors
    assert {a.type for a in router.actors("organization").actors} == {"organisation"}
    mentions = [a.mentions for a in router.actors().actors]
    assert mentions == sorted(mentions, reverse=True)


def test_an_unknown_type_lists_the_known_ones(router: Router) -> None:
    with pytest.raises(InputError, match='unknown actor type "planet"; use one of: person, state'):
        router.actors("planet")


def test_text_commands_reach_the_same_functions(router: Router) -> None:
    assert router.dispatch("/actor kataib hezbollah").actor.name == "Kata'ib Hezbollah"
    assert router.dispatch("/actors --type state").actors == router.actors("state").actors
    assert router.dispatch("/actors person").actors == router.actors("person").actors
    with pytest.raises(InputError, match="unknown option --colour"):
        router.dispatch("/actors --colour red")


def test_autocomplete_names_cover_every_name_and_alias(router: Router) -> None:
    names = router.actor_names()
    assert {"Islamic State", "ISIS", "PMU", "Tehran", "al-Tank", "Kata'ib Hezbollah"} <= set(names)
    assert len(names) == len(set(names))
    assert router.actor_types()[:2] == ["person", "state"]


def test_actor_json_keeps_the_issue_s_names(router: Router) -> None:
    data = router.actor("isis").to_dict()
    assert data["found"] is True and data["query"] == "isis"
    actor = data["actor"]
    assert {"name", "type", "aliases", "role", "mentions", "first_paragraph", "quotes"} <= set(actor)
    assert actor["name"] == "Islamic State" and "ISIS" in actor["aliases"]
    assert actor["quotes"][0] == {
        "paragraph": 5,
        "quote": "a branch of al-Qaeda that was active in al-Bukamal pledged allegiance to Islamic State",
    }


def test_an_empty_directory_finds_nothing() -> None:
    directory = ActorDirectory()
    assert directory.find("anything") is None
    assert directory.lookup("anything").actor is None


# --- aliases feed retrieval ---------------------------------------------------------------------------


def test_the_engine_hands_every_alias_group_to_the_retriever(engine: Engine) -> None:
    expanded = set(engine.retriever.parse("What did Daesh do?").tokens)
    assert set(engine.retriever.parse("Islamic State").tokens) <= expanded
    assert set(engine.retriever.parse("Revolutionary Guards").tokens) <= set(engine.retriever.parse("Pasdaran").tokens)


@pytest.mark.parametrize(
    ("question", "actor"),
    [
        ("What did Daesh pledge in al-Bukamal?", "Islamic State"),
        ("Which militia belongs to the Hashd al-Shaabi?", "Popular Mobilization Forces"),
        ("Pasdaran military parade", "Islamic Revolutionary Guard Corps"),
    ],
)
def test_a_name_the_article_does_not_use_finds_a_passage_that_names_it(
    router: Router, question: str, actor: str
) -> None:
    names = router.actor(actor).actor.names
    answer = router.ask(question)
    assert answer.answered
    top = answer.passages[0].text
    assert any(alias_pattern(name).search(top) for name in names), top


@pytest.mark.parametrize("typed", ["🙂", "مهندس", "kata\x00ib", "x" * 10_000, "\u202eisis", "@everyone <@&123>"])
def test_odd_names_get_a_clean_short_answer(router: Router, typed: str) -> None:
    try:
        message = router.actor(typed).message
    except InputError as error:
        message = str(error)
    assert len(message) < 300
    assert not any(ord(ch) < 32 or ch == "\u202e" for ch in message)
