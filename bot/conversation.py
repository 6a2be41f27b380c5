"""A conversation's state: its last turns, locked, and conversations kept per key (a Discord thread).

A :class:`Turn` records a question, how it was read (``bot.followup`` reads follow-ups against the
turns before them), the answer's passages and short answer, and the actors they name. A
:class:`Conversation` keeps the last :data:`MAX_TURNS` and is locked, since Discord handlers of one
thread may run at once; :class:`ConversationStore` keeps conversations per key, bounded in size and
forgetting idle ones, so a long-running bot does not grow. Nothing here imports discord or prints.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .actors import Actor

MAX_TURNS = 5  # turns a conversation remembers


@dataclass(frozen=True)
class Reading:
    """How a question was read: ``read_as`` is None when it stands on its own.

    ``rule`` names what rewrote it ("pronoun", "ellipsis", "enumeration") and ``own_words`` is the
    part the person typed that the answer must still match (None when all of it was borrowed).
    """

    question: str
    read_as: str | None = None
    rule: str | None = None
    own_words: str | None = None
    # A name the reading put in from the previous answer ("Why did Islamic State hold X?"): it is what
    # was said about the topic, not the topic, so a pronoun in the next question looks past it.
    borrowed: str | None = None

    @property
    def asked(self) -> str:
        """The text the retriever is given."""
        return self.read_as or self.question


@dataclass(frozen=True)
class Turn:
    """One answered question of a conversation, with the actors its question and answer name.

    Actor tuples are in text order: ``question_actors`` in the question as asked (after rewriting),
    ``short_actors`` in the answer's short answer, ``highlight_actors`` in the first passage's
    highlighted sentence, ``passage_actors`` in the rest of the first passage.
    """

    question: str
    asked: str
    read_as: str | None
    answered: bool
    passage_ids: tuple[str, ...]
    short_answer: str | None
    question_actors: tuple[Actor, ...] = ()
    short_actors: tuple[Actor, ...] = ()
    highlight_actors: tuple[Actor, ...] = ()
    passage_actors: tuple[Actor, ...] = ()
    focus_actors: tuple[Actor, ...] = ()  # what the answer brought in of the kind the question asked for
    enumeration: tuple[str, ...] = ()  # items of an enumeration in the cited paragraph


class Conversation:
    """The last :data:`MAX_TURNS` turns of one conversation; safe to share between threads.

    ``lock`` is held by ``Router.ask`` from reading a follow-up to recording its answer, so two
    questions in one thread are answered one after the other against a consistent history.
    """

    def __init__(self, max_turns: int = MAX_TURNS) -> None:
        self.lock = threading.RLock()
        self._turns: deque[Turn] = deque(maxlen=max_turns)
        self.last_used = time.monotonic()

    def turns(self) -> tuple[Turn, ...]:
        """The remembered turns, oldest first."""
        with self.lock:
            return tuple(self._turns)

    def add(self, turn: Turn) -> None:
        with self.lock:
            self._turns.append(turn)
            self.last_used = time.monotonic()

    def clear(self) -> None:
        with self.lock:
            self._turns.clear()

    def __len__(self) -> int:
        with self.lock:
            return len(self._turns)


class ConversationStore:
    """Conversations by key (e.g. a Discord thread id), at most ``max_size``, dropped after ``idle_seconds``.

    The least recently used conversation goes first when the store is full, so a long-running bot
    holds at most ``max_size`` conversations of at most :data:`MAX_TURNS` turns each. Thread-safe.
    """

    def __init__(self, max_size: int = 1000, idle_seconds: float = 3600.0, clock: Callable[[], float] = time.monotonic):
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.max_size = max_size
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[Any, tuple[Conversation, float]] = OrderedDict()

    def get(self, key: Any, create: bool = True) -> Conversation | None:
        """The conversation under ``key`` (a new one when absent or expired and ``create``)."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            entry = self._items.get(key)
            if entry is None:
                if not create:
                    return None
                conversation = Conversation()
            else:
                conversation = entry[0]
                self._items.move_to_end(key)
            self._items[key] = (conversation, now)
            while len(self._items) > self.max_size:
                self._items.popitem(last=False)
            return conversation

    def put(self, key: Any, conversation: Conversation) -> None:
        """Keep ``conversation`` under ``key`` (a thread opened on its first answer)."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            self._items.pop(key, None)
            self._items[key] = (conversation, now)
            while len(self._items) > self.max_size:
                self._items.popitem(last=False)

    def __contains__(self, key: Any) -> bool:
        with self._lock:
            self._expire(self._clock())
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._items)

    def _expire(self, now: float) -> None:
        while self._items:
            key, (_, used) = next(iter(self._items.items()))
            if now - used < self.idle_seconds:
                break
            del self._items[key]
