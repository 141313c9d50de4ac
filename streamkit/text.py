"""Caption text shared by every feature: which characters are CJK, how caption pieces join,
and how a source's caption events become whole utterances.

Captions publish :class:`~streamkit.events.Caption` pieces and, after each utterance's last
final, one :class:`~streamkit.events.Utterance`; products (commands) and review (transcript) read
the same pieces with the same :class:`UtteranceAssembler`, so they agree on what was said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .events import Caption, Utterance

#: CJK ideographs: Extension A, the unified block and the compatibility block.
CJK_IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Scripts written without spaces between words: the ideographs plus kana and hangul.
CJK_CHARS = CJK_IDEOGRAPHS + "\u3040-\u30ff\uac00-\ud7af"
_CJK = re.compile(f"[{CJK_CHARS}]")

#: Punctuation that takes no space before it, and after which none is added.
NO_SPACE_BEFORE = "，。？！：；、）”,.?!:;"
NO_SPACE_AFTER = "，。？！：；、（“"


def has_cjk(text: str) -> bool:
    """True when ``text`` holds any CJK character."""
    return bool(_CJK.search(text))


def is_cjk_char(ch: str) -> bool:
    """True when ``ch`` (one character) is CJK."""
    return bool(ch) and bool(_CJK.match(ch))


def join_caption(left: str, right: str) -> str:
    """Join two caption pieces: nothing between Chinese text, one space between Latin words."""
    if not left:
        return right.lstrip()
    if not right:
        return left
    right = right.lstrip()
    a, b = left[-1], right[:1]
    if b in "-'’" and a.isalnum():  # the rest of a word: "ill" + "-disposed", "man" + "'s"
        return left + right
    if is_cjk_char(a) or is_cjk_char(b) or a in NO_SPACE_AFTER or b in NO_SPACE_BEFORE:
        return left + right
    return left.rstrip() + " " + right


@dataclass
class _Open:
    """The utterance a source is saying: what is committed so far, and the partial rest."""

    first: Caption
    committed: str = ""
    partial: str = ""
    audio_end: float = 0.0


@dataclass
class UtteranceAssembler:
    """Rebuilds each source's utterances from its caption pieces.

    :meth:`add` returns the utterance that a final with ``utterance_end`` (or a new utterance
    number) closed; a revision replaces what the open utterance committed so far; :meth:`current` is what the source is saying right now (committed + partial).
    A final caption without an utterance number is a whole utterance on its own.
    """

    _open: dict[str, _Open] = field(default_factory=dict)

    def add(self, c: Caption) -> list[Utterance]:
        """Take one caption piece; returns the utterances it finished (usually none)."""
        done: list[Utterance] = []
        cur = self._open.get(c.source)
        if cur is not None and cur.first.utterance != c.utterance:
            done += self._close(c.source)
            cur = None
        if cur is None:
            cur = self._open[c.source] = _Open(first=c, audio_end=c.audio_end)
        if c.kind == "final":
            cur.committed = join_caption(cur.committed, c.text)
            cur.partial = ""
            cur.audio_end = max(cur.audio_end, c.audio_end)
            if c.utterance_end or not c.utterance:
                done += self._close(c.source)
        elif c.kind == "revision":
            cur.committed = c.text
            cur.partial = ""
            cur.audio_end = max(cur.audio_end, c.audio_end)
        else:
            cur.partial = c.text
        return done

    def current(self, source: str) -> str:
        """What ``source`` has said so far in its open utterance, committed and partial."""
        cur = self._open.get(source)
        return join_caption(cur.committed, cur.partial) if cur is not None else ""

    def close_all(self) -> list[Utterance]:
        """Finish every open utterance (the end of a session or a source)."""
        return [u for source in list(self._open) for u in self._close(source)]

    def _close(self, source: str) -> list[Utterance]:
        cur = self._open.pop(source, None)
        if cur is None or not cur.committed.strip():
            return []
        f = cur.first
        return [Utterance(text=cur.committed.strip(), source=source, speaker=f.speaker, language=f.language,
                          audio_start=f.audio_start, audio_end=max(cur.audio_end, f.audio_start),
                          utterance=f.utterance)]
