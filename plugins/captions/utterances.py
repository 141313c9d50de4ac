"""Caption lines per speaker utterance: what the monitor page, the overlay and the OBS text source show.

Each utterance of each source (``Caption.utterance``) is one line that grows in place: a final is
appended to the line's committed text, a partial replaces its partial tail. Lines are kept in
speaking order — by the audio time at which the utterance started; the sources of one session start
together, so their audio times share one time line — so two people talking at once read as two
whole lines, never as fragments interleaved ("嘉宾：甚至出现 / 主播：product / 嘉宾：交易几乎停 …").

A caption without an utterance number (``utterance=0``) continues the source's open line, and a
final with ``utterance_end`` closes it. A revision (the closing pass read the utterance better)
rewrites its own line's committed text in one update while that line is still kept; it never brings
back a line that rolled off, and never touches another line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streamkit.text import join_caption

#: Committed text longer than this is cut at the front (a monologue without a pause).
MAX_LINE_CHARS = 600
#: Where a sentence ends inside committed text: announced to screen readers up to there.
SENTENCE_END = re.compile(r"[。！？!?…]+[”’」』）)]*|\.(?=\s|$)")


@dataclass
class UtteranceLine:
    """One speaker's utterance as shown: the committed text and the partial tail still changing."""

    source: str
    speaker: str
    utterance: int
    start: float
    seq: int
    committed: str = ""
    partial: str = ""
    done: bool = False

    @property
    def key(self) -> str:
        """A stable id for the line (the page keeps one element per key)."""
        return f"{self.source}#{self.utterance or f'n{self.seq}'}"

    @property
    def partial_tail(self) -> str:
        """The partial as it follows the committed text (with the space English needs)."""
        if not self.partial or not self.committed:
            return self.partial
        return join_caption(self.committed, self.partial)[len(self.committed):]

    @property
    def text(self) -> str:
        return self.committed + self.partial_tail

    @property
    def active(self) -> bool:
        """Still being spoken: not closed, or words still being recognised."""
        return not self.done or bool(self.partial)

    @property
    def settled(self) -> int:
        """How much of the committed text is a finished sentence (all of it once the utterance ended)."""
        if self.done:
            return len(self.committed)
        ends = [m.end() for m in SENTENCE_END.finditer(self.committed)]
        return ends[-1] if ends else 0

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "source": self.source, "speaker": self.speaker, "start": self.start,
                "committed": self.committed, "partial": self.partial_tail, "done": self.done,
                "settled": self.settled}


class UtteranceBoard:
    """The lines of every source in speaking order; feed it every caption with :meth:`apply`."""

    def __init__(self, keep: int = 40) -> None:
        self.keep = keep
        self._lines: list[UtteranceLine] = []
        self._seq = 0
        self.sources_seen: set[str] = set()

    def apply(self, *, source: str, speaker: str, kind: str, text: str, utterance: int = 0,
              start: float = 0.0, utterance_end: bool = False) -> None:
        """A final is appended to its line for good; a partial replaces the line's partial ("" clears it);
        a revision replaces the committed text of its line when that line is still kept."""
        line = self._line_for(source, utterance)
        if line is None and kind == "revision":
            return
        if line is None:
            if not text.strip():
                return
            line = self._new_line(source, speaker, utterance, start)
        if start < line.start:
            line.start = start
            self._lines.sort(key=lambda ln: (ln.start, ln.seq))
        if kind == "final":
            line.committed = join_caption(line.committed, text)[-MAX_LINE_CHARS:]
            line.partial = ""
            line.done = line.done or utterance_end
        elif kind == "revision":
            line.committed, line.partial = text.strip()[-MAX_LINE_CHARS:], ""
        else:
            line.partial = text
        if not line.committed and not line.partial:
            self._lines.remove(line)  # a false start, or the source was muted mid-word
        self._prune()

    def end_source(self, source: str) -> None:
        """The source stopped: its partial text goes, its open line is closed."""
        for line in [ln for ln in self._lines if ln.source == source and ln.active]:
            line.partial, line.done = "", True
            if not line.committed:
                self._lines.remove(line)

    def lines(self) -> list[UtteranceLine]:
        """Every line kept, in speaking order."""
        return list(self._lines)

    def clear(self) -> None:
        self._lines.clear()

    def retire(self, lines: list[UtteranceLine]) -> None:
        """Drop lines that rolled off a display (they never come back)."""
        gone = {id(ln) for ln in lines}
        self._lines = [ln for ln in self._lines if id(ln) not in gone]

    @property
    def speaking(self) -> bool:
        return any(ln.partial for ln in self._lines)

    def _line_for(self, source: str, utterance: int) -> UtteranceLine | None:
        for line in reversed(self._lines):
            if line.source != source:
                continue
            if utterance and line.utterance == utterance:
                return line
            if not utterance and not line.done:
                return line
        return None

    def _new_line(self, source: str, speaker: str, utterance: int, start: float) -> UtteranceLine:
        for line in self._lines:  # a new utterance of a source closes its previous one
            if line.source == source and line.active:
                line.partial, line.done = "", True
        self._seq += 1
        self.sources_seen.add(source)
        line = UtteranceLine(source, speaker, utterance, start, self._seq)
        self._lines.append(line)
        self._lines.sort(key=lambda ln: (ln.start, ln.seq))
        return line

    def _prune(self) -> None:
        self._lines = [ln for ln in self._lines if ln.committed or ln.partial]
        while len(self._lines) > self.keep:
            oldest_done = next((ln for ln in self._lines if not ln.active), self._lines[0])
            self._lines.remove(oldest_done)


def fit(sizes: list[tuple[bool, int]], budget: int) -> list[int]:
    """How many of its last rows each item keeps so that at most ``budget`` rows show.

    ``sizes`` is ``(active, rows)`` per item in display order. Every active item (someone still
    speaking) is sure of its last row; the rest of the budget goes to the newest rows, bottom up.
    """
    keep = [0] * len(sizes)
    left = budget
    for i in reversed(range(len(sizes))):
        active, rows = sizes[i]
        if active and rows and left:
            keep[i], left = 1, left - 1
    for i in reversed(range(len(sizes))):
        extra = min(sizes[i][1] - keep[i], left)
        keep[i] += extra
        left -= extra
    return keep
