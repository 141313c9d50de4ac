"""Caption line layout: CJK-aware line breaking, a fixed number of rolling lines, clearing after silence.

Widths count a Chinese (wide) character as 2 and a Latin character as 1, so ``chars_per_line=32``
holds 16 汉字 or about 32 letters. Latin text breaks between words; Chinese between any two
characters, except that closing punctuation (，。！？、) never starts a line and opening brackets
never end one. Each source's committed text and its partial (still changing) text are kept apart,
so an overlay can draw the partial in another colour.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .textproc import join_text

_NO_LINE_START = set("，。！？、：；）》」』】”’,.!?:;)]}…%")
_NO_LINE_END = set("（《「『【“‘([{")
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_ATOM = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[\w'’\-.@#%&+/])+\s*|\S\s*|\s+")
_MAX_KEEP = 600


def char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


@dataclass(frozen=True)
class Span:
    """A run of text on one line; ``partial`` marks words still being recognised."""

    text: str
    partial: bool = False


Line = list[Span]


def _atoms(spans: list[Span]) -> list[list[Span]]:
    """Unbreakable pieces (a CJK character, a Latin word with its spaces), punctuation glued on."""
    atoms: list[list[Span]] = []
    for span in spans:
        for m in _ATOM.finditer(span.text):
            piece = Span(m.group(0), span.partial)
            first = piece.text[0]
            glue_back = atoms and (first in _NO_LINE_START)
            glue_forward = atoms and atoms[-1] and atoms[-1][-1].text[-1:] in _NO_LINE_END
            if glue_back or glue_forward:
                atoms[-1].append(piece)
            else:
                atoms.append([piece])
    return atoms


def _merge(line: Line) -> Line:
    out: Line = []
    for s in line:
        if out and out[-1].partial == s.partial:
            out[-1] = Span(out[-1].text + s.text, s.partial)
        else:
            out.append(s)
    return out


def wrap(spans: list[Span], width: int) -> list[Line]:
    """Break spans into lines at most ``width`` wide (a word longer than a line is cut)."""
    lines: list[Line] = []
    line: Line = []
    used = 0
    for atom in _atoms(spans):
        w = sum(text_width(s.text.rstrip()) for s in atom)
        if line and used + w > width:
            lines.append(line)
            line, used = [], 0
            if atom[0].text.isspace():
                continue
            atom = [Span(atom[0].text.lstrip(), atom[0].partial), *atom[1:]]
        if w > width and not line:  # one very long word: cut it
            text = "".join(s.text for s in atom)
            partial = atom[-1].partial
            while text_width(text) > width:
                cut, acc = 0, 0
                while cut < len(text) and acc + char_width(text[cut]) <= width:
                    acc += char_width(text[cut])
                    cut += 1
                lines.append([Span(text[:cut], partial)])
                text = text[cut:]
            atom = [Span(text, partial)]
            w = text_width(text.rstrip())
        line.extend(atom)
        used += sum(text_width(s.text) for s in atom)
    if line:
        lines.append(line)
    cleaned = []
    for ln in lines:
        ln = _merge(ln)
        if ln:
            ln[-1] = Span(ln[-1].text.rstrip(), ln[-1].partial)
            ln[0] = Span(ln[0].text.lstrip(), ln[0].partial)
        if any(s.text for s in ln):
            cleaned.append([s for s in ln if s.text])
    return cleaned


@dataclass
class _Block:
    source: str
    speaker: str
    committed: str = ""
    partial: str = ""


@dataclass
class CaptionLayout:
    """What a caption display shows now; feed it every caption with :meth:`apply`, call :meth:`tick` now and then."""

    chars_per_line: int = 32
    lines: int = 2
    clear_after: float = 4.0
    show_partial: bool = True
    speaker_labels: bool = False
    label_single_speaker: bool = False
    _blocks: list[_Block] = field(default_factory=list)
    _last_activity: float = 0.0

    def apply(self, *, source: str, speaker: str, kind: str, text: str, now: float) -> None:
        """Add a final (appended for good) or replace the source's partial."""
        self._last_activity = now
        block = self._block_for(source, speaker, create=bool(text))
        if block is None:
            return
        if kind == "final":
            block.committed = join_text(block.committed, text)[-_MAX_KEEP:]
            block.partial = ""
        else:
            block.partial = text
        self._blocks = [b for b in self._blocks if b.committed or b.partial][-8:]

    def _block_for(self, source: str, speaker: str, create: bool) -> _Block | None:
        if self._blocks and self._blocks[-1].source == source:
            return self._blocks[-1]
        for b in reversed(self._blocks):
            if b.source == source and not b.committed and b.partial:
                return b
        if not create:
            for b in reversed(self._blocks):
                if b.source == source:
                    return b
            return None
        block = _Block(source, speaker)
        self._blocks.append(block)
        return block

    def tick(self, now: float) -> bool:
        """Clear everything after ``clear_after`` seconds without captions; True when that changed the display."""
        if self.clear_after and self._blocks and now - self._last_activity >= self.clear_after:
            if not any(b.partial for b in self._blocks):
                self._blocks.clear()
                return True
        return False

    def clear(self) -> None:
        self._blocks.clear()

    def rows(self) -> list[Line]:
        """The lines on screen now (the last ``lines`` of the wrapped text), as spans."""
        out: list[Line] = []
        several = len({b.source for b in self._blocks}) > 1
        labels = self.speaker_labels and (several or self.label_single_speaker)
        for b in self._blocks:
            spans: list[Span] = []
            if labels and b.speaker:
                spans.append(Span(f"{b.speaker}："))
            if b.committed:
                spans.append(Span(b.committed))
            if self.show_partial and b.partial:
                spans.append(Span(join_text(b.committed, b.partial)[len(b.committed):] if b.committed else b.partial, True))
            if any(s.text.strip() for s in spans if s.partial or not s.text.endswith("：")):
                out.extend(wrap(spans, self.chars_per_line))
        return out[-self.lines:]

    def text(self) -> str:
        """Plain text for an OBS text source: one row per line."""
        return "\n".join("".join(s.text for s in row) for row in self.rows())
