"""A seeded synthetic news archive for scale benchmarks and tests.

Articles read like the shipped one to briefbot: a title line, then one paragraph per line, about
1,000 words, long paragraphs among short ones (so some become sentence windows), names of people,
armed groups, organisations and places, acronyms in parentheses, dates in every form the extractor
reads. As in a real archive, names recur across articles (a few often, most rarely) while every
article also brings new ones, so the number of names grows with the corpus; the vocabulary grows
too, with rare made-up words drawn from a Zipf-like distribution (Heaps' law).

The same seed gives the same corpus, and the first N articles of a larger corpus are the N
articles of a smaller one, so sizes share their prefix.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MONTHS = _split("January February March April May June July August September October November December")
COUNTRIES = _split(
    "Iran Iraq Syria Turkey Jordan Lebanon Israel Russia Egypt Yemen Qatar Oman Kuwait Libya Sudan Tunisia "
    "Algeria Morocco Pakistan Afghanistan Armenia Georgia Cyprus Greece Ethiopia Somalia Kenya Nigeria Mali Chad"
)
DEMONYMS = {
    "Iran": "Iranian",
    "Iraq": "Iraqi",
    "Syria": "Syrian",
    "Turkey": "Turkish",
    "Jordan": "Jordanian",
    "Lebanon": "Lebanese",
    "Russia": "Russian",
    "Egypt": "Egyptian",
}
GIVEN = _split(
    "Ahmed Ali Hassan Omar Yusuf Karim Samir Tariq Nabil Walid Faisal Hamid Jamal Rami Ziad Bashir Khalid Majid "
    "Sara Layla Noor Rania Huda Amal Dina Mona Salma Yara John Michael David Anna Maria Peter Elena Viktor Igor"
)
SYLLABLES = _split(
    "ba bu da di fa ha ja ka ki ku la li ma mi mu na ni nu qa ra ri sa si ta ti wa za zu "
    "dar bar kar mar nar sar tar lan ran han man rin din mal kal hal sul dul"
)
GROUP_FORMS = (
    "{x} Brigade",
    "{x} Front",
    "Kata'ib {x}",
    "Harakat {x}",
    "{x} Liberation Army",
    "Sons of {x}",
    "{x} Resistance Movement",
    "Popular {x} Forces",
)
ORG_FORMS = (
    "{x} Institute",
    "{x} Monitor",
    "{x} Research Center",
    "{x} Analytics",
    "{x} News",
    "{x} Foundation",
)
PLACE_FORMS = ("al-{x}", "{x}", "Tel {x}", "Deir {x}", "{x} Crossing", "{x} Valley")
NOUNS = _split(
    "base road convoy border crossing militia town village river bridge airstrike drone missile attack "
    "commander force report analysis satellite image compound warehouse route supply war conflict ceasefire "
    "agreement government minister official policy region province city district checkpoint highway desert "
    "camp operation offensive defence weapon shipment corridor influence alliance network leader fighter "
    "army soldier officer battalion unit company election protest economy oil pipeline port airport"
)
VERBS = _split(
    "attacked captured built destroyed controlled crossed defended abandoned expanded reported observed "
    "supplied trained funded backed opposed recruited moved seized shelled bombed monitored secured"
)
ADJECTIVES = _split(
    "new old key strategic large small heavy regional local foreign military political economic border "
    "northern southern eastern western remote fortified contested weak strong secret public"
)
FILLER = (
    "According to local sources, the situation remained tense for several weeks.",
    "It was not the first time that the area had changed hands.",
    "Officials declined to comment on the report.",
    "This has raised concerns among residents and observers alike.",
    "Analysts say the move could reshape the balance of power in the region.",
)


@dataclass
class Cast:
    """The names one article uses."""

    people: list[tuple[str, str]]  # (full name, surname)
    groups: list[tuple[str, str]]  # (name, acronym)
    orgs: list[str]
    places: list[str]
    countries: list[str]


class ArchiveGenerator:
    """Generates articles one after another; names are shared across articles with a skewed reuse."""

    def __init__(self, seed: int = 7, new_names_per_article: int = 6) -> None:
        self._rng = random.Random(seed)
        self._new = new_names_per_article
        self._people: list[tuple[str, str]] = []
        self._groups: list[tuple[str, str]] = []
        self._orgs: list[str] = []
        self._places: list[str] = []
        self._used_words: set[str] = set()
        self._used_names: set[str] = set()
        self.count = 0

    # --- names ---------------------------------------------------------------------------------

    def _word(self, syllables: int) -> str:
        attempts = 0
        while True:
            # Longer words once the short ones run out (46 syllables make only 2,116 two-syllable words).
            length = syllables + attempts // 50
            word = "".join(self._rng.choice(SYLLABLES) for _ in range(length)).capitalize()
            if word not in self._used_names:
                self._used_names.add(word)
                return word
            attempts += 1

    def _new_person(self) -> tuple[str, str]:
        surname = self._word(3)
        given = self._rng.choice(GIVEN)
        full = f"{given} {surname}" if self._rng.random() < 0.7 else f"{given} al-{surname}"
        return full, surname

    def _new_group(self) -> tuple[str, str]:
        name = self._rng.choice(GROUP_FORMS).format(x=self._word(2))
        acronym = "".join(w[0] for w in name.replace("'", " ").split() if w[0].isupper())
        return name, acronym if 2 <= len(acronym) <= 5 else ""

    def _pick(self, pool: list, make, count: int, new: int) -> list:
        """``new`` fresh names plus reused ones, the most recent and the earliest favoured (Zipf-like)."""
        chosen = [make() for _ in range(new)]
        pool.extend(chosen)
        while len(chosen) < count and len(pool) > len(chosen):
            index = int(len(pool) * (self._rng.random() ** 2.5))  # skewed towards the oldest, most famous
            candidate = pool[min(index, len(pool) - 1)]
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def _cast(self) -> Cast:
        rng = self._rng
        per = max(1, self._new // 3)
        people = self._pick(self._people, self._new_person, 4, per)
        groups = self._pick(self._groups, self._new_group, 3, max(1, per - 1))
        orgs = self._pick(self._orgs, lambda: rng.choice(ORG_FORMS).format(x=self._word(2)), 2, 1)
        places = self._pick(self._places, lambda: rng.choice(PLACE_FORMS).format(x=self._word(2)), 3, per)
        return Cast(people, groups, orgs, places, rng.sample(COUNTRIES, 3))

    # --- text ----------------------------------------------------------------------------------

    def _rare_word(self) -> str:
        # A Zipf-like draw over an open vocabulary: most draws repeat earlier words, some are new.
        rank = int(1 / max(1e-6, self._rng.random()) ** 1.1)
        local = random.Random(rank * 7919 + 13)
        return "".join(local.choice(SYLLABLES) for _ in range(2 + rank % 3)).lower()

    def _date(self) -> tuple[str, int]:
        rng = self._rng
        year = rng.randint(1985, 2024)
        month = rng.choice(MONTHS)
        form = rng.random()
        if form < 0.3:
            return f"{month} {rng.randint(1, 28)}, {year}", year
        if form < 0.5:
            return f"{rng.randint(1, 28)} {month} {year}", year
        if form < 0.8:
            return f"{month} {year}", year
        return f"{year}", year

    def _sentence(self, cast: Cast, first_mentions: set[str]) -> str:
        rng = self._rng
        person, surname = rng.choice(cast.people)
        group, acronym = rng.choice(cast.groups)
        place, place2 = rng.sample(cast.places, 2)
        country = rng.choice(cast.countries)
        org = rng.choice(cast.orgs)
        date, _ = self._date()
        noun, noun2 = rng.sample(NOUNS, 2)
        verb = rng.choice(VERBS)
        adj = rng.choice(ADJECTIVES)
        rare = self._rare_word()
        if group not in first_mentions and acronym:
            first_mentions.add(group)
            group_text = f"{group} ({acronym})"
        elif acronym and rng.random() < 0.4:
            group_text = acronym
        else:
            group_text = f"the {group}" if not group.startswith(("Kata", "Harakat", "Sons")) else group
        who = person if person not in first_mentions or rng.random() < 0.4 else surname
        first_mentions.add(person)
        demonym = DEMONYMS.get(country, country)
        templates = (
            f"In {date}, {group_text} {verb} {place}, a {adj} {noun} near {place2}.",
            f"{who}, a commander of {group_text}, said the {noun} at {place} was {adj} and {rare}.",
            f"{group_text.capitalize() if group_text.startswith('the') else group_text} has been backed by "
            f"{country} since {date}, according to {org}.",
            f"A report by {org} based on satellite images showed a {adj} {noun} and a {noun2} at {place}.",
            f"On {date}, {demonym} forces {verb} the {noun} between {place} and {place2} with {rare} support.",
            f"{who} told reporters that {country} wanted to {rng.choice(('expand', 'secure', 'control'))} "
            f"the {noun2} linking {place} and {place2}.",
            f"The {adj} {noun} of {place} {verb} the {noun2} in {date}, and {rare} {noun} followed.",
            rng.choice(FILLER),
        )
        return rng.choice(templates)

    def article(self) -> tuple[str, str]:
        """(id, text) of the next article: a title line, then about 1,000 words in 10-16 paragraphs."""
        rng = self._rng
        self.count += 1
        cast = self._cast()
        first_mentions: set[str] = set()
        place = cast.places[0]
        title = f"{place}: {cast.groups[0][0]} and the {rng.choice(NOUNS)} of {cast.countries[0]}"
        paragraphs: list[str] = []
        words = 0
        while words < 1000:
            size = rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 6))  # long paragraphs become sentence windows
            paragraph = " ".join(self._sentence(cast, first_mentions) for _ in range(size))
            paragraphs.append(paragraph)
            words += len(paragraph.split())
        article_id = f"synthetic-{self.count:05d}"
        return article_id, "\n".join([title, *paragraphs]) + "\n"

    def articles(self, count: int) -> Iterator[tuple[str, str]]:
        for _ in range(count):
            yield self.article()

    def questions(self, count: int) -> list[str]:
        """Questions a channel would ask about the archive so far: names, places, years, typos, off-topic."""
        rng = random.Random(count * 31 + len(self._people))
        asked: list[str] = []
        for index in range(count):
            person, surname = rng.choice(self._people)
            group, acronym = rng.choice(self._groups)
            place = rng.choice(self._places)
            kind = index % 8
            if kind == 0:
                asked.append(f"Who is {person}?")
            elif kind == 1:
                asked.append(f"When did {group} attack {place}?")
            elif kind == 2:
                asked.append(f"what happened at {place.lower()}")
            elif kind == 3:
                asked.append(f"who backs the {acronym or group}?")
            elif kind == 4:
                typo = surname[:2] + surname[3:] if len(surname) > 5 else surname
                asked.append(f"what did {typo} say about the base")
            elif kind == 5:
                asked.append(f"Which convoy crossed the border near {place} in {rng.randint(1990, 2020)}?")
            elif kind == 6:
                asked.append("what's the weather in Paris today?")
            else:
                asked.append(f"satellite images of the compound at {place}")
        return asked


def write_archive(folder: Path, count: int, seed: int = 7) -> list[str]:
    """Write ``count`` articles (``<id>.txt`` and a ``.meta.yaml``) into ``folder``; returns questions."""
    folder.mkdir(parents=True, exist_ok=True)
    generator = ArchiveGenerator(seed)
    for index, (article_id, text) in enumerate(generator.articles(count)):
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
        year = 2015 + index % 10
        (folder / f"{article_id}.meta.yaml").write_text(f'published: "{year}-{1 + index % 12:02d}"\n')
    return generator.questions(60)
