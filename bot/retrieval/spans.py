"""Candidate spans of one type in a sentence: numbers with their unit noun, dates, the phrase a
preposition introduces, names given with a head noun. Pure functions over text; offsets are into
the string they are given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..textnorm import STOP_WORDS, words
from .analysis import Analyzer
from .question_type import PLACE_NOUNS, PREPOSITIONS

MAX_WORDS = 14  # a short answer longer than this is no short answer
PHRASE_STOPS = frozenset(
    [
        "after",
        "before",
        "and",
        "but",
        "or",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "while",
        "where",
        "because",
        "since",
        "until",
        "as",
        "than",
        "if",
        "so",
        "then",
        "though",
        "although",
    ]
)
LOCATIVE = ("at", "in", "on", "near", "from", "into", "inside", "across", "outside", "to")
NUMBER_WORDS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "dozen",
        "dozens",
    ]
)
TIMES_WORDS = frozenset({"once", "twice", "thrice"})
_NUMBER_LEADS = frozenset({"up", "to", "about", "around", "nearly", "almost", "over", "more", "than", "fewer", "less"})
_NUMBER_LEADS |= {"at", "least", "some", "roughly", "just"}
_NUMBER = re.compile(
    r"(?<![\w.,])(?:(?:up to|about|around|nearly|almost|over|more than|fewer than|less than|at least|"
    r"some|roughly|just)\s+)?(?:\d[\d,]*(?:\.\d+)?|(?i:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))"
    r"(?:[\s-](?i:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))*(?![\w])"
)
_TIMES = re.compile(r"(?<!\w)(?i:once|twice|thrice)(?!\w)")
# A share or a multiple written in words: "a third", "two-thirds", "half", "a quarter", "twice as many",
# "double the cost"; a bare "twice" or "once" is a count of times ("damaged the pier twice"), read
# only for how-many-times questions.
FRACTION_WORDS = ("half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths")
_FRACTION = re.compile(
    r"(?<![\w-])(?:(?i:a|one|two|three|four|nine)[\s-](?i:" + "|".join(FRACTION_WORDS[2:]) + r")"
    r"|(?i:half)|(?i:twice|thrice|double|triple)(?=\s+(?i:as|the|its|their|that)\b))(?![\w-])"
)
# A word, or a number with its separators ("20,000", "1.2") as one word.
WORD_SPAN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’][^\W_]+)*")
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "his", "her", "their", "our"})


def is_modifier(text: str, end: int) -> bool:
    """True for a name that is the first half of a hyphenated compound ("US-backed SDF") or a
    possessive ("Tehran's ambitions"): it describes what follows, which is what the sentence is about."""
    return re.match(r"-[^\W\d_]|['’]s\b", text[end : end + 3]) is not None


def joined_to(text: str, start: int, end: int, named: Sequence[tuple[int, int]]) -> bool:
    """True for a name joined by "and", "or" or a comma to a name the question gives ("a Hezbollah and
    IRGC team" asked as "the Hezbollah team"): it is part of what the question names, not its answer."""
    for a, b in named:
        between = text[b:start] if b <= start else text[end:a] if end <= a else None
        if between is not None and re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", between):
            return True
    return False


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without end punctuation a name match may carry ("IRGC." at a sentence's end), keeping
    the dots of initials ("U.S.")."""
    while (
        end > start
        and text[end - 1] in ",;:!?"
        or (end > start and text[end - 1] == "." and not re.search(r"(?:^|[^\w])(?:\w\.)+$", text[start:end]))
    ):
        end -= 1
    return start, end


class _Span:
    def __init__(self, start: int, end: int, relative: bool = False) -> None:
        self.start, self.end, self.relative = start, end, relative


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PERIOD = r"(?:week|weekend|month|year|spring|summer|autumn|fall|winter|night|morning|evening)"
# Dates a news story gives relative to when it was written: "on Tuesday", "last week", "earlier this
# month", "three days ago", "yesterday". The timeline leaves them out (they have no calendar date),
# but they answer "when". "Today" and "now" do not: they say when the story speaks, not when it happened.
_RELATIVE_DATE = re.compile(
    r"(?<![\w-])(?:(?:(?i:last|next|this|early|late|earlier|later)\s+)?(?:" + "|".join(WEEKDAYS) + r")"
    r"(?:\s+(?i:morning|afternoon|evening|night))?"
    r"|(?i:yesterday|(?:(?:earlier|later)\s+)?(?:last|this|next|past)\s+" + _PERIOD + r")"
    r"|(?i:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|\d+)\s+"
    r"(?:days?|weeks?|months?|years?|decades?)\s+ago))(?![\w-])"
)


def _overlap(a: re.Match[str], b: re.Match[str]) -> bool:
    return a.start() < b.end() and b.start() < a.end()


RELATIVE_DATE_REACH = 3  # words between a relative date and the question's word it must be said with


def dates(text: str) -> list[_Span]:
    """Dates in ``text``: those of the extractor's date reader ("June 28, 2016", "the 1980s"), and
    relative ones ("Tuesday", "last week", "two years ago", marked ``relative``), in text order."""
    from ..extraction.dates import find_dates  # the extractor's date reader, loaded only when needed

    found = [_Span(m.start, m.end) for m in find_dates(text)]
    found += [
        _Span(m.start(), m.end(), relative=True)
        for m in _RELATIVE_DATE.finditer(text)
        if not any(m.start() < d.end and d.start < m.end() for d in found)
    ]
    return sorted(found, key=lambda d: d.start)


# Unit words by what a "how <measure>" question asks: an amount of money or stuff, a duration, a length.
_AMOUNT = {"million", "millions", "billion", "billions", "trillion", "percent", "cent", "euros", "euro", "pounds"}
_AMOUNT |= {"dollars", "dollar", "yen", "francs", "rupees", "tonnes", "tons", "kilograms", "litres", "gallons"}
_DURATION = {"seconds", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year"}
_DURATION |= {"years", "decade", "decades", "century", "centuries"}
_LENGTH = {"metre", "metres", "meter", "meters", "kilometre", "kilometres", "kilometer", "kilometers", "km", "mile"}
_LENGTH |= {"miles", "feet", "foot", "yards", "inches", "centimetres", "millimetres", "storeys", "floors"}
UNITS_FOR = {
    "much": frozenset(_AMOUNT),
    "long": frozenset(_DURATION | _LENGTH),
    "far": frozenset(_LENGTH),
    "old": frozenset({"year", "years", "decades", "centuries"}),
    "high": frozenset(_LENGTH),
    "tall": frozenset(_LENGTH),
    "deep": frozenset(_LENGTH),
    "wide": frozenset(_LENGTH),
    "big": frozenset(_LENGTH | _AMOUNT),
    "large": frozenset(_LENGTH | _AMOUNT),
}
_CURRENCY = "$€£¥"
# "How long" answered by "60 houses" is wrong; "how much did it cost?" may be answered by a bare "300".
STRICT_MEASURES = frozenset({"long", "far", "old", "high", "tall", "deep", "wide"})


def of_measure(text: str, found: Sequence[tuple[int, int]], measure: str | None) -> list[tuple[int, int]]:
    """The numbers of ``found`` whose unit is what a "how ``measure``" question asks for ("14.2
    million euros" for "how much", "eight months" for "how long"); when none is, all of them, or none
    for a length, an age or a duration (``STRICT_MEASURES``)."""
    units = UNITS_FOR.get(measure or "")
    if not units:
        return list(found)
    fitting = [
        (a, b)
        for a, b in found
        if text[a : a + 1] in _CURRENCY
        or any(w.casefold().rstrip("-") in units for w in re.split(r"[\s-]+", text[a:b]))
    ]
    if fitting or measure in STRICT_MEASURES:
        return fitting
    # No unit of the kind asked: a number of another measure's unit still is no answer ("three years"
    # does not say how much something cost); a bare count may be.
    other = set().union(*(u for m, u in UNITS_FOR.items() if m != measure)) - units
    return [(a, b) for a, b in found if not any(w.casefold() in other for w in re.split(r"[\s-]+", text[a:b]))]


TIMES_UNITS = frozenset({"times", "time", "occasions", "occasion"}) | TIMES_WORDS


def counting(
    text: str, found: Sequence[tuple[int, int]], counts: Sequence[str], stem: Callable[[str], str]
) -> list[tuple[int, int]]:
    """The numbers of ``found`` that count what the question counts (``counts``: "people" of "how many
    people"): their unit is one of those words ("640 people", "five airstrikes" for "strikes") or they
    have none ("thousands of fish"). "2,000 sandbags" does not answer "how many people"."""
    if not counts:
        return list(found)
    wanted = {stem(w) for w in counts}
    times = bool({"times", "occasions"} & set(counts))
    kept = []
    for a, b in found:
        unit = [w.casefold() for w in WORD_SPAN.findall(text[a:b]) if not w[0].isdigit()]
        unit = [w for w in unit if w not in NUMBER_WORDS and w not in _NUMBER_LEADS]
        if (
            not unit
            or text[a : a + 1] in _CURRENCY
            or set(unit) & _AMOUNT  # money or stuff: "how much compensation" - "2 million euros"
            or any(stem(w) in wanted or any(w.endswith(c) for c in counts) for w in unit)
            or (times and set(unit) & TIMES_UNITS)
        ):
            kept.append((a, b))
    return kept


def numbers(text: str, question: str, times: bool) -> list[tuple[int, int]]:
    """Numbers with the words they count ("150 men", "up to five mysterious airstrikes"), shares and
    multiples in words ("a third", "half", "twice"), and with ``times`` (a how-many-times question)
    "once"/"twice"; not inside dates, not given by the question."""
    taken = [(d.start, d.end) for d in dates(text)]
    found = []
    matches = [*_NUMBER.finditer(text), *(_TIMES.finditer(text) if times else ())]
    matches += [m for m in _FRACTION.finditer(text) if not any(_overlap(m, n) for n in matches)]
    matches.sort(key=lambda m: m.start())
    for match in matches:
        a, b = match.span()
        if any(a < end and start < b for start, end in taken):
            continue
        if _FRACTION.fullmatch(match.group(0)):
            found.append((a, b))  # "by a third", "half of the groves": a share, its own unit
            continue
        if a > 0 and text[a - 1] in _CURRENCY:
            a -= 1  # "$5 million"
        number = match.group(0).split()[-1].casefold()
        if number in question.split() or (number.replace(",", "").isdigit() and number in question):
            continue
        if number in TIMES_WORDS:
            found.append((a, b))
            continue
        end = b
        hyphened = re.match(r"-[a-z]+", text[b:])  # "14-kilometre", "212-page": the unit is joined on
        if hyphened:
            end = b + hyphened.end()
        # The unit: up to two lower-case words after the number ("men", "mysterious airstrikes").
        for word in list(WORD_SPAN.finditer(text, end))[: 1 if hyphened else 2]:
            gap = text[end : word.start()]
            if gap.strip() or not word.group(0).islower() or word.group(0).casefold() in STOP_WORDS | PREPOSITIONS:
                break
            end = word.end()
            if word.group(0).casefold() in {"times", "time"}:
                break
        found.append((a, end))
    return found


VERB_REACH = 4  # words between the question's verb and its preposition ("replace the lagoon with ...")


def phrases(text: str, preposition: str, before: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The noun phrase after each ``preposition`` in ``text`` when one of the ``VERB_REACH`` words
    before it in the same clause passes ``before`` ("made" of "made of", "replace" of "replace the
    lagoon with"), up to a comma, a clause word or another preposition ("of" before a capitalised
    word is kept: "the town of Ashby Marsh")."""
    found = []
    tokens = list(WORD_SPAN.finditer(text))
    for index, match in enumerate(tokens):
        if match.group(0).casefold() != preposition or index == 0:
            continue
        if not _clause_before(text, tokens, index, before):
            continue
        start = end = None
        for word in tokens[index + 1 : index + 1 + MAX_WORDS]:
            lowered = word.group(0).casefold()
            between = text[(end if end is not None else match.end()) : word.start()]
            if any(ch in between for ch in ',;:.()"“”'):
                break
            if lowered == "of" and start is not None:
                end = word.end()
                continue
            if lowered in PHRASE_STOPS or (lowered in PREPOSITIONS and start is not None):
                break
            if start is None and lowered in {"the", "a", "an"}:
                continue
            start = word.start() if start is None else start
            end = word.end()
        if start is not None and end is not None:
            found.append((start, end))
    return found


def _clause_before(text: str, tokens: Sequence[re.Match[str]], index: int, passes: Callable[[str], bool]) -> bool:
    """True when one of the ``VERB_REACH`` words before ``tokens[index]``, with no punctuation
    between, passes ``passes``."""
    for back in range(index - 1, max(-1, index - 1 - VERB_REACH), -1):
        if any(ch in text[tokens[back].end() : tokens[back + 1].start()] for ch in ',;:.()"“”'):
            return False
        if passes(tokens[back].group(0).casefold()):
            return True
    return False


_CAPITALISED_RUN = r"[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|&\s+|al-)?[A-Z][\w'’-]*)*"


def named_by_head(text: str, head: str | None, analyzer: Analyzer) -> list[tuple[int, int]]:
    """Names the sentence gives with the question's head noun (capitalised words only):

    - before it: "Syrian and Iraqi **armies**" for "which armies", "The **High Court**" for "which court";
    - after it with "of": "the Iraqi town of **al-Qa'im**" for "which town", "the **University of
      Carrow**" for "which university" (a capitalised head is part of the name);
    - after it as a name in apposition: "the holding company **Halvern Group**" for "which company".
    """
    if not head:
        return []
    wanted = analyzer.stem(head)
    found = []
    for match in WORD_SPAN.finditer(text):
        if analyzer.stem(match.group(0).casefold()) != wanted:
            continue
        capitalised = match.group(0)[:1].isupper()
        after = re.match(r"\s+of\s+(?:the\s+)?(" + _CAPITALISED_RUN + r"|al-[\w'’-]+)", text[match.end() :])
        before = re.search(_CAPITALISED_RUN + r"\s+$", text[: match.start()])
        # "the Iraqi town of al-Qa'im": the name after "of", not the adjective before the noun.
        if before and before.group(0).strip() and not (after and not capitalised):
            start = before.start()
            determiner = re.match(r"(?i:the|a|an)\s+", before.group(0))
            if determiner and _opens_sentence(text, start):
                start += determiner.end()  # "The High Court ruled": the name is "High Court"
            if start < match.start() and not _opens_sentence(text, start):
                found.append((start, match.end()))
        if after:
            found.append((match.start() if capitalised else match.end() + after.start(1), match.end() + after.end(1)))
        elif not capitalised and (named := re.match(r"\s+(" + _CAPITALISED_RUN + ")", text[match.end() :])):
            found.append((match.end() + named.start(1), match.end() + named.end(1)))
    return found


def _opens_sentence(text: str, at: int) -> bool:
    """True when ``at`` is the sentence's first word (its capital says nothing)."""
    return not text[:at].strip()


ROLE_STOPS = PHRASE_STOPS | PREPOSITIONS | STOP_WORDS


def roles(text: str, names: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The title or job the text gives a name in apposition: after it ("Dr Helen Marsh, a
    **toxicologist** at ...", "X, the **chief executive**,") or before it ("retired **schoolteacher**
    Gareth Pryce" gives "retired schoolteacher", "Its **chief executive**, Daniel Whitcombe").
    ``names`` are (start, end) spans of the name in ``text``; the role is lower-case words only,
    up to a comma, a clause word or a preposition."""
    found = []
    for start, end in names:
        after = re.match(r",\s+(?:(?:a|an|the)\s+)?((?:[a-z][\w-]*\s+)*?[a-z][\w-]*)(?=[\s,.;:]|$)", text[end:])
        if after:
            kept = _leading_role_words(after.group(1))
            if kept:
                found.append((end + after.start(1), end + after.start(1) + kept))
        before = re.search(r"(?<![\w'’])((?:[a-z][\w-]*\s+)*[a-z][\w-]*)(?:,\s+|\s+)$", text[:start])
        if before:
            run = WORD_SPAN.finditer(before.group(1))
            spans = [(m.start(), m.end()) for m in run]
            while spans and before.group(1)[spans[0][0] : spans[0][1]].casefold() in ROLE_STOPS | DETERMINERS:
                spans.pop(0)  # "run by retired schoolteacher": the role starts after the last function word
            kept_from = len(spans)
            for i in range(len(spans) - 1, -1, -1):
                if before.group(1)[spans[i][0] : spans[i][1]].casefold() in ROLE_STOPS | DETERMINERS:
                    break
                kept_from = i
            if kept_from < len(spans):
                found.append((before.start(1) + spans[kept_from][0], before.start(1) + spans[-1][1]))
    return found


def _leading_role_words(phrase: str) -> int:
    """Length of the start of ``phrase`` before its first clause word or preposition ("toxicologist"
    of "toxicologist at the")."""
    end = 0
    for match in WORD_SPAN.finditer(phrase):
        if match.group(0).casefold() in ROLE_STOPS:
            break
        end = match.end()
    return end


MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
CLAUSE_VERBS = frozenset({"is", "was", "are", "were", "has", "had", "have", "says", "said", "claims", "sits"})
# A locative preposition (or "north of") and up to four words before a place: "in the Iraqi town of".
_LOCATED = re.compile(
    r"(?i:\b(?:in|at|near|from|into|inside|across|outside|to|on|around|towards?|between|within|through|"
    r"throughout|above|below|beside|along|over|"
    r"(?:north|south|east|west)(?:ern)?(?:\s+part)?\s+of))\s+(?:[\w'’-]+\s+){0,4}$"
    # or a place noun and "of": "the lonely desert outpost of al-Tanf"
    r"|\b(?i:" + "|".join(sorted(PLACE_NOUNS)) + r")\s+of\s+(?:the\s+)?$"
)


# Prepositions that put a name where something is, rather than where something comes from or goes.
PLACING = frozenset({"in", "at", "near", "inside", "outside", "across", "around", "within", "between", "of"})
PLACING |= {"through", "throughout", "above", "below", "beside", "along"}
PLACING |= {"north", "south", "east", "west", "northern", "southern", "eastern", "western"}


def placed(text: str, start: int) -> bool:
    """True when the name at ``start`` is where something is ("based in the port city of **Brennick**",
    "near **al-Bukamal**"), so no answer to "who": "backing from **the US**" is not placed."""
    match = _LOCATED.search(text, max(0, start - 60), start)
    return located(text, start) and match is not None and words(match.group(0))[0] in PLACING


def located(text: str, start: int) -> bool:
    """True when the name at ``start`` is where something is or happens ("near **al-Bukamal**",
    "on one side of the **Euphrates**"), not an actor ("**Israel** had carried out the strike")."""
    match = _LOCATED.search(text, max(0, start - 60), start)
    if match is None:
        return False
    # The words between belong to the place ("in the Iraqi town of"), not to a verb of their own
    # ("at Al-Jarida claimed Israel ...", "set their sights on liberating al-Bukamal").
    between = words(match.group(0))[1:]
    if between and (between[0] in MONTHS or between[0].isdigit()):
        return False  # "In March the trust chose ...": a time, not a place
    return not any(w.endswith(("ed", "ing")) or w in CLAUSE_VERBS or w in VERB_BASE for w in between)


def extended_name(text: str, start: int, end: int) -> tuple[int, int]:
    """A name match grown to the whole capitalised name around it: "**Gareth** Pryce", "Baird **&
    Lowe**", "Selva Valley Anglers**' Association**". A sentence's first word and a possessive
    ("Iran's Islamic ...") are not taken in; ``text`` is the sentence."""
    while True:
        left = re.search(r"(?<![\w'’])([A-Z][\w-]*)\s$", text[:start])
        if not left or _opens_sentence(text, left.start(1)) or left.group(1).casefold() in DETERMINERS:
            break
        start = left.start(1)
    right = re.match(r"(?:['’](?=\s))?(?:\s(?:&\s)?[A-Z][\w'’-]*)+", text[end:])
    if right:
        end += right.end()
    return start, end


# Irregular past forms of verbs news questions use, read as their base form, so that "chose" is
# "choose" and "run by" answers "who runs": Snowball stems and shared prefixes miss these.
_IRREGULAR = {
    "choose": "chose chosen",
    "run": "ran",
    "win": "won",
    "take": "took taken",
    "buy": "bought",
    "build": "built",
    "bring": "brought",
    "hold": "held",
    "lead": "led",
    "make": "made",
    "pay": "paid",
    "send": "sent",
    "tell": "told",
    "keep": "kept",
    "leave": "left",
    "lose": "lost",
    "strike": "struck",
    "fight": "fought",
    "begin": "began begun",
    "drive": "drove driven",
    "fly": "flew flown",
    "throw": "threw thrown",
    "steal": "stole stolen",
    "sell": "sold",
    "spend": "spent",
    "give": "gave given",
    "write": "wrote written",
    "find": "found",
    "see": "saw seen",
    "know": "knew known",
    "shoot": "shot",
    "get": "got gotten",
    "meet": "met",
    "hit": "hit",
    "set": "set",
    "put": "put",
    "say": "said",
    "oversee": "oversaw overseen",
    "withdraw": "withdrew withdrawn",
    "forbid": "forbade forbidden",
    "speak": "spoke spoken",
    "break": "broke broken",
    "rise": "rose risen",
    "fall": "fell fallen",
    "grow": "grew grown",
    "draw": "drew drawn",
    "swear": "swore sworn",
    "teach": "taught",
    "catch": "caught",
    "think": "thought",
    "seek": "sought",
}
VERB_BASE = {form: base for base, forms in _IRREGULAR.items() for form in forms.split()}


def verb_base(word: str) -> str:
    """The base form of an irregular past form ("chose" -> "choose"), else ``word`` itself."""
    return VERB_BASE.get(word, word)
