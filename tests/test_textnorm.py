"""Tokenisation: both the article and the questions go through the same folding."""

import pytest

from bot.textnorm import capitalised, fold, normalize_for_match, tokenize, words


@pytest.mark.parametrize(
    "spelling",
    ["al-Bukamal", "Al Bukamal", "al bukamal", "AL-BUKAMAL", "al‑Bukamal", "Bukamal", "al–Bukamal"],
)
def test_every_spelling_of_bukamal_yields_the_same_token(spelling: str) -> None:
    assert tokenize(spelling) == tokenize("bukamal") != []


def test_curly_and_straight_apostrophes_fold_together() -> None:
    assert tokenize("Kata’ib Hezbollah") == tokenize("Kata'ib Hezbollah") == tokenize("kataib hezbollah")


def test_possessive_is_dropped() -> None:
    assert words("Iran’s land bridge") == ["iran", "land", "bridge"]


def test_numbers_and_short_tokens_are_kept() -> None:
    tokens = tokenize("the US in 2014 and the 45th Brigade")
    assert "us" in tokens and "2014" in tokens and "45th" in tokens


def test_dotted_abbreviation_reads_as_the_plain_one() -> None:
    assert tokenize("U.S. forces") == tokenize("US forces")


def test_stemming_joins_word_forms() -> None:
    assert tokenize("airstrikes") == tokenize("airstrike")
    assert tokenize("runs") == tokenize("run")


def test_stop_words_go_and_can_be_kept() -> None:
    assert tokenize("Who is the man?") == ["man"]
    assert tokenize("Who is the man?", stop_words=False, stemming=False) == ["who", "is", "the", "man"]


def test_fold_removes_control_characters_and_odd_spaces() -> None:
    assert fold("a\x00b\u00a0c") == "a b c"


def test_accents_and_fullwidth_letters_fold() -> None:
    assert tokenize("Qāʾim") == tokenize("Qaim")
    assert tokenize("ＩＳＩＳ") == tokenize("ISIS")


def test_normalize_for_match_ignores_quote_style_space_and_case() -> None:
    assert normalize_for_match("“killer  drone”\n team") == normalize_for_match('"Killer drone" team')


def test_right_to_left_and_emoji_text_do_not_crash() -> None:
    assert tokenize("🙂🙂🙂") == []
    assert tokenize("مرحبا بكم") != []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("what's the weather in Paris today?", ["paris"]),
        ("Who runs Kata'ib Hezbollah?", ["kataib", "hezbollah"]),  # the opening "Who" is no name
        ("hi. Tokyo is nice", []),  # opens a sentence
        ("What Is The Weather In Paris", []),  # Title Case says nothing about names
        ("WHAT IS THE WEATHER IN PARIS", []),
        ("what did the U.S. say?", ["us"]),
    ],
)
def test_capitalised_marks_the_words_written_as_names(text: str, names: list[str]) -> None:
    flags = capitalised(text)
    assert len(flags) == len(words(text))
    assert [w for w, flag in zip(words(text), flags, strict=True) if flag] == names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the wheat har-\nvest", ["the", "wheat", "harvest"]),
        ("lack of ir- \n  rigation", ["lack", "of", "irrigation"]),
        ("a well-known fact", ["a", "well", "known", "fact"]),  # a hyphen inside a line stays a break
        ("Syria -\nIraq", ["syria", "iraq"]),  # a dash before a capital is not a syllable break
    ],
)
def test_a_word_broken_at_a_line_end_reads_as_one_word(text: str, expected: list[str]) -> None:
    assert words(text) == expected
