"""Commands from the caption stream: act as soon as a command is safe, once per utterance.

One detector for every feature that obeys spoken commands (product cards alone, or the voice
feature for OBS, streamkit and products together), so they agree on when a command fires.

Captions follow the captions plugin's contract: per source and ``utterance``, each ``final``
caption appends committed text, each ``partial`` caption is the not-yet-committed rest (replacing
the previous partial), a ``revision`` replaces the utterance's committed text (the final pass heard
it better), and ``utterance_end`` marks the last final. The detector rebuilds the
utterance so far (committed + partial) and parses it. A command fires

- from a partial caption or from committed text mid-utterance when it is ``complete`` (nothing
  more could change it, e.g. "上链接3号", "hide the card"), or when two partials in a row say the
  same words (the words stopped changing);
- when the speaker pauses (a ``paused`` caption: a short silence after words recognition heard
  whole): everything, as at the end of the utterance, also standalone forms ("确认", "confirm");
- at the end of the utterance otherwise — always so for noun-only forms ("3号链接",
  "product number three"), which are commands only as a whole utterance.

A command naming a scene or source OBS does not have ("切换场景到由" for 游戏) waits for the end of the
utterance, when the closing pass may have heard the name right, so a half-heard name is not
answered "no scene called 由" while the streamer is still speaking.

Each command fires at most once per utterance, so the partial and the final of one utterance
never both act. A caption without an ``utterance`` field counts as a whole utterance when final.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from streamkit.events import Caption
from streamkit.text import join_caption

from .model import Command

log = logging.getLogger(__name__)


class ParsesCommands(Protocol):
    """A parser of the shared grammar: the products parser, or the core one with OBS names too."""

    def parse_all(self, text: str) -> list[Command]: ...


@dataclass
class _Utterance:
    key: Any
    committed: str = ""
    fired: set[tuple[Any, ...]] = field(default_factory=set)
    last_partial: str | None = None  # the words of the last partial view


def _words(view: str) -> str:
    """What was said, without punctuation or case: "Switch." and "switch" are the same words."""
    return " ".join(re.findall(r"\w+", view.lower()))


class CommandDetector:
    """Feeds captions to the parser and calls ``execute(command, text)`` for each command that fires."""

    def __init__(self, parser: Callable[[], ParsesCommands], execute: Callable[[Command, str], Any], *,
                 min_confidence: float = 0.75, fire_on_partial: bool = True, sources: list[str] | None = None) -> None:
        self._parser = parser
        self._execute = execute
        self.min_confidence = min_confidence
        self.fire_on_partial = fire_on_partial
        self.sources = set(sources or [])
        self._utts: dict[str, _Utterance] = {}
        self._lock = threading.Lock()

    def on_caption(self, caption: Caption) -> list[Command]:
        """Handle one caption event; returns the commands it fired (usually none)."""
        source = caption.source
        if self.sources and source not in self.sources:
            return []
        kind, text, uid = caption.kind, caption.text, caption.utterance
        with self._lock:
            key = uid if uid else ("span", round(caption.audio_start, 1))
            utt = self._utts.get(source)
            if utt is None or utt.key != key:
                utt = self._utts[source] = _Utterance(key)
            if kind in ("final", "revision"):  # a revision replaces what the utterance committed
                utt.committed = join_caption(utt.committed, text) if kind == "final" else text
                view = utt.committed
                ended = caption.utterance_end or not uid
            else:
                view = join_caption(utt.committed, text)
                ended = False
            if not view:
                return []
            commands = [c for c in self._parser().parse_all(view)
                        if c.action and c.confidence >= self.min_confidence]
            stable = kind == "partial" and utt.last_partial == _words(view)
            if kind == "partial":
                utt.last_partial = _words(view)
            paused = caption.paused and self.fire_on_partial
            to_fire: list[Command] = []
            for i, cmd in enumerate(commands):
                if cmd.key not in utt.fired and self._may_fire(cmd, kind, ended, paused,
                                                               stable and i == len(commands) - 1):
                    utt.fired.add(cmd.key)
                    to_fire.append(cmd)
            if ended:
                self._utts.pop(source, None)
        for cmd in to_fire:
            log.info("command %s from %s caption %r", cmd.to_json(), "paused " + kind if paused else kind, view)
            self._execute(cmd, view)
        return to_fire

    def _may_fire(self, cmd: Command, kind: str, ended: bool, paused: bool, stable: bool) -> bool:
        """Whether ``cmd``, heard in a caption of ``kind``, acts now (see the module doc)."""
        if ended:
            return True
        if cmd.names_nothing_known:
            return False
        if paused:
            return True
        if cmd.standalone or (kind == "partial" and not self.fire_on_partial):
            return False
        return cmd.complete or stable
