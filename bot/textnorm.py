"""Text normalisation and tokenisation shared by the index and the questions.

The same function must tokenise both sides, or "Kata’ib" in the article and "kataib" in a
question would never meet.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

# Curly quotes, primes and the many dashes all fold to their ASCII forms.
_PUNCT_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "\u02be": "'",
        "\u02bf": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)

# Question words and function words: they say nothing about which passage answers.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "ours",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "al",
        "el",
        "ad",
        "about",
        "any",
        "tell",
        "know",
        "say",
        "said",
        "according",
        "s",
        "t",
        "also",
        "did",
        "didn",
        "doesn",
        "don",
        "isn",
        "wasn",
        "weren",
        "much",
        "many",
        "more",
        "most",
        "other",
        "own",
        "same",
        "only",
        "both",
        "each",
        "few",
        "nor",
        "not",
        "no",
    ]
)
# Words that say how a question is phrased in a channel, not what it is about ("what happened",
# "what's the deal with", "what role does ... play", "is it ever going to"). Dropped from questions
# only: in the article they can carry meaning. Generic English, not chosen for any one question.
QUESTION_PHRASING_WORDS = frozenset(
    [
        "happen",
        "happened",
        "happens",
        "happening",
        "role",
        "roles",
        "play",
        "plays",
        "played",
        "thing",
        "things",
        "stuff",
        "deal",
        "kind",
        "sort",
        "ever",
        "really",
        "actually",
        "exactly",
        "basically",
        "please",
        "think",
        "mean",
        "means",
        "like",
        "get",
        "gets",
        "got",
        "go",
        "goes",
        "going",
        "went",
        "come",
        "comes",
        "came",
        "whats",
        "whos",
        "hows",
        "wheres",
        "whens",
        "whys",
        "lets",
        "explain",
        "describe",
        "anything",
        "something",
    ]
)

# "us" is deliberately not a stop word: in news text it is almost always the United States.

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_APOSTROPHE_IN_WORD = re.compile(r"(?<=[^\W_])'(?=[^\W_])", re.UNICODE)
_POSSESSIVE = re.compile(r"(?<=[^\W_])'s\b", re.UNICODE)
_ABBREVIATION_DOTS = re.compile(r"\b((?:[A-Za-z]\.){2,})")

# A Snowball stemmer keeps its working word in the object, so two threads stemming at once corrupt
# each other's results (and lru_cache below would keep the wrong stem for the life of the process):
# each thread gets its own.
_local = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


_ASCII_CONTROLS = {code: " " for code in [*range(32), 127] if chr(code) not in "\n\t"}


def fold(text: str) -> str:
    """NFKC, ASCII quotes and dashes, no control characters; keeps length-changing edits rare.

    Invisible format characters (soft hyphen, zero-width space and joiners, a stray BOM: Unicode
    category Cf) are dropped, so "fish\u00ading" reads as "fishing"; other controls become spaces.
    """
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_FOLD)
    if text.isascii():  # the common case, and a per-character category check is slow
        return text.translate(_ASCII_CONTROLS)
    return "".join(_fold_control(ch) if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _fold_control(ch: str) -> str:
    if ch in "\n\t":
        return ch
    return "" if unicodedata.category(ch) == "Cf" else " "


def strip_accents(text: str) -> str:
    """'Qāʾim' -> 'Qaim': questions typed without diacritics still match."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# A word a PDF or a hard-wrapped mail broke at a line end ("ir-\nrigation") is read as one word; a
# lower-case letter on both sides tells a syllable break from a dash or a list.
_LINE_END_HYPHEN = re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])")


def _prepared(text: str) -> str:
    text = fold(text)
    if "-\n" in text or "- \n" in text:
        text = _LINE_END_HYPHEN.sub("", text)
    text = _ABBREVIATION_DOTS.sub(lambda m: m.group(1).replace(".", ""), text)  # U.S. -> US
    text = _POSSESSIVE.sub("", text)
    text = _APOSTROPHE_IN_WORD.sub("", text)
    return strip_accents(text)


def words(text: str) -> list[str]:
    """Case-folded words with possessives dropped and inner apostrophes removed ("kata'ib" -> "kataib")."""
    return _WORD.findall(_prepared(text).casefold())


@lru_cache(maxsize=1 << 16)  # CPython's lru_cache is thread-safe
def name_words(name: str) -> tuple[str, ...]:
    """``words(name)`` of a name (an actor's, or one typed to look an actor up), kept: a start splits each
    of ~15,000 names (2,000 articles) for the entity matcher, the alias expansions and the actors' lookup
    keys once instead of three times."""
    return tuple(words(name))


_SENTENCE_END_BEFORE = re.compile(r"[.!?]\s*$")


def capitalised(text: str) -> list[bool]:
    """For each of ``words(text)``: True when it is written with a capital and does not open a sentence.

    In a question, such a word is a name ("Paris", "Netanyahu"). Text in Title Case or in capitals
    (a capitalised "the", "is", "in" ...) says nothing about names, so all its words are False.
    """
    prepared = _prepared(text)
    flags = []
    for match in _WORD.finditer(prepared):
        opening = not prepared[: match.start()].strip() or _SENTENCE_END_BEFORE.search(prepared[: match.start()])
        flags.append(match.group(0)[0].isupper() and not opening)
    found = _WORD.findall(prepared)
    title_case = any(flag and word.casefold() in STOP_WORDS for flag, word in zip(flags, found, strict=True))
    return [False] * len(flags) if title_case else flags


@lru_cache(maxsize=65536)  # CPython's lru_cache is thread-safe; what it caches comes from one thread's stemmer
def stem(word: str) -> str:
    """Snowball English stem; numbers and very short words are kept as they are. Thread-safe."""
    if len(word) <= 3 or word.isdigit():
        return word
    return str(_stemmer().stemWord(word))


def tokenize(
    text: str, *, stemming: bool = True, stop_words: bool = True, unstemmed: frozenset[str] = frozenset()
) -> list[str]:
    """The retrieval tokens of ``text``: words, minus stop words, stemmed (except ``unstemmed`` words)."""
    return tokenize_words(words(text), stemming=stemming, stop_words=stop_words, unstemmed=unstemmed)


def tokenize_words(
    tokens: Sequence[str], *, stemming: bool = True, stop_words: bool = True, unstemmed: frozenset[str] = frozenset()
) -> list[str]:
    """The retrieval tokens of text already split into ``words``: :func:`tokenize` after its first step."""
    if stop_words:
        tokens = [t for t in tokens if t not in STOP_WORDS]
    if stemming:
        tokens = [t if t in unstemmed else stem(t) for t in tokens]
    return tokens if isinstance(tokens, list) else list(tokens)


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}\b")


def acronyms(text: str) -> frozenset[str]:
    """Case-folded all-capital words ("ISIS", "ISI", "SDF"): stemming would merge "ISIS" with "ISI"."""
    return frozenset(match.casefold() for match in _ACRONYM.findall(fold(text)))


def normalize_for_match(text: str) -> str:
    """A loose form for checking that a quote occurs in the article: folded, one space, casefolded."""
    return " ".join(fold(text).casefold().split())
