"""Caption line layout: CJK-aware line breaking, a fixed number of rolling rows, clearing after silence.

Widths count a Chinese (wide) character as 2 and a Latin character as 1, so ``chars_per_line=32``
holds 16 汉字 or about 32 letters. Latin text breaks between words; Chinese between any two
characters, except that closing punctuation (，。！？、…) never starts a row and opening brackets
or a currency sign never end one. Each speaker's utterance is one line (:mod:`.utterances`) that
grows in place and wraps onto rows; its committed text and its partial (still changing) text are
kept apart, so a page can draw the partial differently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from streamkit.events import Caption

from .utterances import UtteranceBoard, UtteranceLine, fit

_NO_LINE_START = set("，。！？、：；）》」』】〕〗〙〛｝］〉”’,.!?:;)]}…%‰～")
_NO_LINE_END = set("（《「『【〔〖〘〚｛［〈“‘([{¥￥$€£")
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_ATOM = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[\w'’\-.@#%&+/])+\s*|\S\s*|\s+")


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
class CaptionLayout:
    """What a caption display shows now: one line per speaker utterance, in speaking order, wrapped at
    ``chars_per_line``, the last ``lines`` rows (someone still speaking always keeps their last row).

    Feed it every caption with :meth:`show` (or :meth:`apply`); call :meth:`tick` now and then.
    """

    chars_per_line: int = 32
    lines: int = 2
    clear_after: float = 4.0
    show_partial: bool = True
    speaker_labels: bool = False
    label_single_speaker: bool = False
    board: UtteranceBoard = field(default_factory=UtteranceBoard)
    _last_activity: float = 0.0

    def show(self, c: Caption, now: float) -> None:
        """Take one caption event into its utterance's line."""
        self.apply(source=c.source, speaker=c.speaker, kind=c.kind, text=c.text, now=now, utterance=c.utterance,
                   start=c.audio_start, utterance_end=c.utterance_end)

    def apply(self, *, source: str, speaker: str, kind: str, text: str, now: float, utterance: int = 0,
              start: float | None = None, utterance_end: bool = False) -> None:
        """A final is appended to its utterance's line for good; a partial replaces the line's partial.

        ``start`` (the utterance's audio time) orders the lines; without it, the time it arrived."""
        self._last_activity = now
        self.board.apply(source=source, speaker=speaker, kind=kind, text=text, utterance=utterance,
                         start=now if start is None else start, utterance_end=utterance_end)

    def end_source(self, source: str, now: float) -> None:
        """A source ended: its partial text goes."""
        self._last_activity = now
        self.board.end_source(source)

    def tick(self, now: float) -> bool:
        """Clear everything after ``clear_after`` seconds without captions; True when that changed the display."""
        lines = self.board.lines()
        if self.clear_after and lines and now - self._last_activity >= self.clear_after and not self.board.speaking:
            self.board.clear()
            return True
        return False

    def clear(self) -> None:
        self.board.clear()

    @property
    def labelled(self) -> bool:
        """Lines start with their speaker's label (once a second source has spoken, or always)."""
        return self.speaker_labels and (self.label_single_speaker or len(self.board.sources_seen) > 1)

    def spans(self, line: UtteranceLine) -> list[Span]:
        """A line as spans: label, committed text, partial tail ([] when nothing of it shows)."""
        spans = [Span(line.committed)] if line.committed else []
        if self.show_partial and line.partial:
            spans.append(Span(line.partial_tail, True))
        if not any(s.text.strip() for s in spans):
            return []
        return ([Span(f"{line.speaker}：")] if self.labelled and line.speaker else []) + spans

    def line_rows(self) -> list[tuple[UtteranceLine, list[Line]]]:
        """Each line on screen now, with the rows it shows (its last ones when space is short)."""
        lines = self.board.lines()
        wrapped = [wrap(self.spans(ln), self.chars_per_line) for ln in lines]
        keep = self._fit(lines, [len(rows) for rows in wrapped])
        return [(ln, rows[len(rows) - k:]) for ln, rows, k in zip(lines, wrapped, keep) if k]

    def recent(self) -> list[UtteranceLine]:
        """The last ``lines`` lines, one row each (for a page that wraps lines itself)."""
        lines = [ln for ln in self.board.lines() if self.spans(ln)]
        keep = self._fit(lines, [1] * len(lines))
        return [ln for ln, k in zip(lines, keep) if k]

    def _fit(self, lines: list[UtteranceLine], rows: list[int]) -> list[int]:
        """Rows each line shows (:func:`fit`). A finished line that rolled out above a shown one is
        dropped for good, so it never flickers back when a line below it gets shorter."""
        keep = fit([(ln.active, n) for ln, n in zip(lines, rows)], self.lines)
        last_shown = max((i for i, k in enumerate(keep) if k), default=-1)
        self.board.retire([ln for i, (ln, k) in enumerate(zip(lines, keep)) if not k and not ln.active and i < last_shown])
        return keep

    def rows(self) -> list[Line]:
        """The rows on screen now, as spans."""
        return [row for _, rows in self.line_rows() for row in rows]

    def text(self) -> str:
        """Plain text for an OBS text source: one row per line."""
        return "\n".join("".join(s.text for s in row) for row in self.rows())
