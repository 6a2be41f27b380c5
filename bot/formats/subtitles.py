"""The words of a video's subtitles: SubRip (.srt) and WebVTT (.vtt), as a transcript.

Cue numbers, timings, WebVTT's header, NOTE, STYLE and REGION blocks, cue settings and tags
(``<i>``, ``<v Speaker>``, ``{\\an8}``) are dropped; a cue repeated as captions roll is kept once.
Cues run on into one paragraph until a pause of :data:`PARAGRAPH_PAUSE_S` seconds or more after a
full stop, which is where a speaker stops; a subtitle file has no title, so the article is titled
by its ``.meta.yaml`` or its file name.
"""

from __future__ import annotations

import re

PARAGRAPH_PAUSE_S = 2.0
_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)]*$""")


def looks_like_subtitles(text: str) -> bool:
    """True for WebVTT (its "WEBVTT" first line) or text whose first cue timing comes in its first lines."""
    head = text.lstrip("\ufeff")[:500]
    if head.startswith("WEBVTT"):
        return True
    return any(_TIMING.match(line) for line in head.splitlines()[:4])


def _seconds(groups: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, fraction = groups
    return (
        int(hours or 0) * 3600
        + int(minutes or 0) * 60
        + int(seconds or 0)
        + int((fraction or "0").ljust(3, "0")) / 1000
    )


def subtitle_paragraphs(text: str) -> list[str]:
    """The transcript's paragraphs, each the text of the cues spoken without a long pause."""
    cues: list[tuple[float, float, str]] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        timing_at = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing_at is None:
            continue  # the WEBVTT header, a NOTE, STYLE or REGION block
        timing = _TIMING.match(lines[timing_at])
        assert timing is not None
        words = " ".join(_TAG.sub("", line).strip() for line in lines[timing_at + 1 :])
        words = " ".join(words.split())
        if not words or (cues and cues[-1][2] == words):
            continue
        cues.append((_seconds(timing.groups()[:4]), _seconds(timing.groups()[4:]), words))
    paragraphs: list[str] = []
    current: list[str] = []
    last_end = None
    for start, end, words in cues:
        if (
            current
            and last_end is not None
            and start - last_end >= PARAGRAPH_PAUSE_S
            and _SENTENCE_END.search(current[-1])
        ):
            paragraphs.append(" ".join(current))
            current = []
        current.append(words)
        last_end = end
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs
