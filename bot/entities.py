"""Entity tokens: one synthetic retrieval token per actor, whatever name a text uses for it.

A passage that says "Islamic State" and a question that says "ISIS" both carry the token of the
same actor, so BM25 matches them and weighs the match by the actor's own IDF, without adding the
other names' words ("state", "islamic") to the question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .actors import NAME_PARTICLES, is_acronym, lookup_key
from .namefinder import NameFinder
from .textnorm import STOP_WORDS, name_words

MIN_NAME_STEM = 4  # shorter one-word names ("Fox", "IS") have too many lookalikes
ENTITY_PREFIX = "\x01actor:"  # words() never yields a control character, so no real word collides


def entity_token(name: str) -> str:
    """The token of the actor whose canonical name is ``name``."""
    return ENTITY_PREFIX + lookup_key(name).replace(" ", "_")


def is_entity_token(token: str) -> bool:
    return token.startswith(ENTITY_PREFIX)


class EntityMatcher:
    """Finds actors by any of their names, in passages (raw text) and in questions (words)."""

    def __init__(self, name_groups: Iterable[Sequence[str]], stem: Callable[[str], str]) -> None:
        groups = [tuple(name for name in group if name.strip()) for group in name_groups]
        # The same actor drafted in many articles brings the same names many times: kept once, in order
        # (a name shared by two groups still goes to the first, as before).
        self._groups = list(dict.fromkeys(group for group in groups if group))
        self._tokens = [entity_token(group[0]) for group in self._groups]
        self._finder = NameFinder.shared(self._groups)  # the automaton the index's other users share
        self._stem = stem
        names = {name for group in self._groups for name in group}
        words_of = {name: name_words(name) for name in names}  # each name split once, not once per use
        # Question side: a name as the stemmed words it is typed as, "al"/"the" dropped ("tanf").
        self._by_words: dict[tuple[str, ...], set[str]] = {}
        for group, token in zip(self._groups, self._tokens, strict=True):
            for name in group:
                key = self._key(words_of[name])
                # A name made only of stop words ("IS") would match every "is": the article side
                # finds it case-sensitively, the question side leaves it out.
                if key and not all(w in STOP_WORDS for w in key):
                    self._by_words.setdefault(key, set()).add(token)
        self._longest = max((len(key) for key in self._by_words), default=0)
        self._name_words: dict[str, set[str]] = {}
        for group, token in zip(self._groups, self._tokens, strict=True):
            for name in group:
                kept = [w for w in words_of[name] if w not in NAME_PARTICLES and w not in STOP_WORDS]
                if len(kept) > 1:
                    for w in kept:
                        self._name_words.setdefault(self._stem(w), set()).add(token)
        # One-word names by their first letters, for forms of them the article never uses ("Americans").
        self._stems: dict[str, set[str]] = {}
        for group, token in zip(self._groups, self._tokens, strict=True):
            for name in group:
                kept = [w for w in words_of[name] if w not in NAME_PARTICLES]
                if len(kept) == 1 and len(kept[0]) >= MIN_NAME_STEM and not is_acronym(name):
                    self._stems.setdefault(_name_stem(kept[0]), set()).add(token)

    def _key(self, typed: Sequence[str]) -> tuple[str, ...]:
        kept = [w for w in typed if w not in NAME_PARTICLES]
        return tuple(self._stem(w) for w in kept)

    def in_text(self, text: str) -> set[str]:
        """The tokens of the actors ``text`` names (longest name wins, acronyms case-sensitive)."""
        return {self._tokens[group] for _, _, group in self._finder.find(text)}

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, actor token) of every name in ``text``, in text order, longest name first on overlaps.

        One pass per text: callers find the names of a whole paragraph once and give each of its
        sentences and passages the tokens whose spans fall inside it.
        """
        return [(start, end, self._tokens[group]) for start, end, group in self._finder.find(text)]

    def related(self, word: str) -> frozenset[str]:
        """Actors one of whose one-word names ``word`` is a form of ("americans" -> America, "lebanese"),
        else the one actor a word of whose longer names it is ("river" -> "Euphrates River")."""
        found: set[str] = set()
        for stem, tokens in self._stems.items():
            if word.startswith(stem):
                found |= tokens
        if not found:  # measured on tests/data/eval.yaml: +1 hit@3 (bm25), semantic unchanged
            owners = self._name_words.get(self._stem(word), set())
            if len(owners) == 1:
                found |= owners
        return frozenset(found)

    def in_words(self, typed: Sequence[str]) -> list[tuple[int, int, frozenset[str]]]:
        """(first word, end word, actor tokens) for each name among the question's words, longest first."""
        found: list[tuple[int, int, frozenset[str]]] = []
        i = 0
        while i < len(typed):
            match = None
            if typed[i] not in NAME_PARTICLES:
                for end in range(min(len(typed), i + self._longest + 2), i, -1):
                    tokens = self._by_words.get(self._key(typed[i:end]))
                    if tokens:
                        match = (i, end, frozenset(tokens))
                        break
            if match is None:
                i += 1
                continue
            found.append(match)
            i = match[1]
        return found


def _name_stem(name: str) -> str:
    """What a form of a one-word name starts with: all of a short name, else all but its last two letters
    and at least five ("america" -> "ameri", "hezbollah" -> "hezboll", "iraq" -> "iraq")."""
    return name if len(name) < 5 else name[: max(5, len(name) - 2)]
