"""Showing the streamer what the system sees and is about to do: the overlay page, and drawing for the preview window."""

from __future__ import annotations

import logging
import time
from importlib import resources
from typing import Any, Protocol

import numpy as np

from streamkit.events import VideoFrame
from streamkit.overlay import OverlayServer

from .config import GesturesConfig
from .detector import FrameResult
from .hands import HAND_BONES
from .signs import NONE
from .triggers import EngineStatus, Fire

log = logging.getLogger(__name__)

CHANNEL = "gestures"
PAGE = "/gestures"
PUBLISH_EVERY_S = 0.1


def overlay_html(language: str = "zh-CN") -> str:
    """The feedback page (large print, high contrast); ``language`` picks its words."""
    html = resources.files(__package__).joinpath("overlay.html").read_text(encoding="utf-8")
    return html.replace("__LANG__", "zh-CN" if language.startswith("zh") else "en")


def _binding_of(config: GesturesConfig, rule: str, attr: str) -> str:
    """``action``/``target`` of the binding behind a rule name ("3: smile → scene X"); arm/confirm holds → ""."""
    head = rule.removeprefix("confirm ").split(":", 1)[0]
    if head.isdigit() and 0 < int(head) <= len(config.bindings):
        return str(getattr(config.bindings[int(head) - 1], attr))
    return "arm" if attr == "action" and rule in ("arm", "disarm") else ""


def status_message(config: GesturesConfig, result: FrameResult, status: EngineStatus, fires: list[Fire],
                   last: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON pushed to the overlay page on channel ``gestures``."""
    face = None
    if result.face is not None:
        face = {k: round(v, 2) for k, v in result.face_scores.items()}
    hand = None
    if result.hands:
        hand = {"gesture": result.hand.name, "score": round(result.hand.score, 2), "kind": result.hand.kind}
    return {
        "t": round(result.t, 3),
        "armed": status.armed,
        "tracking": {m: state for m, state in status.tracking.items() if config.uses(m)},
        "hand": hand,
        "face": face,
        "holds": [{"rule": h.rule, "gesture": h.gesture, "score": round(h.score, 2), "progress": round(h.progress, 2),
                   "action": _binding_of(config, h.rule, "action"), "target": _binding_of(config, h.rule, "target")}
                  for h in status.holds],
        "pending": None if status.pending is None else
        {"rule": status.pending[0], "gesture": status.pending[1], "seconds_left": round(status.pending[2], 1)},
        "cooling": {k: round(v, 1) for k, v in status.cooling.items()},
        "last": last,
        "bindings": [{"gestures": b.gestures, "action": b.action, "target": b.target, "confirm": b.needs_confirm}
                     for b in config.bindings],
    }


class OverlayFeedback:
    """Publishes the state to the overlay server every 0.1 s of stream time, and at once when something fires."""

    def __init__(self, overlay: OverlayServer, config: GesturesConfig) -> None:
        self.overlay = overlay
        self.config = config
        self._last_sent: float | None = None
        self._last_fire: dict[str, Any] | None = None

    def __call__(self, frame: VideoFrame, result: FrameResult, status: EngineStatus, fires: list[Fire]) -> None:
        for f in fires:
            binding = f.rule.action if f.rule is not None else None
            self._last_fire = {"kind": f.kind, "gesture": f.gesture, "at": time.time(),
                               "action": binding.action if binding else "", "target": binding.target if binding else ""}
        if not fires and self._last_sent is not None and 0 <= result.t - self._last_sent < PUBLISH_EVERY_S:
            return
        self._last_sent = result.t
        self.overlay.publish(CHANNEL, status_message(self.config, result, status, fires, self._last_fire))

    def close(self) -> None:
        """Nothing to release: the overlay server belongs to the session."""


def draw(image: np.ndarray, result: FrameResult, status: EngineStatus) -> np.ndarray:
    """A copy of ``image`` with hand skeletons, the seen sign, face scores and hold bars drawn on it."""
    import cv2

    out = image.copy()
    for i, hand in enumerate(result.hands):
        colour = (0, 220, 0) if i == result.hand_index else (160, 160, 160)
        pts = [(int(x), int(y)) for x, y, _ in hand.landmarks]
        for a, b in HAND_BONES:
            cv2.line(out, pts[a], pts[b], colour, 2)
    lines = []
    if result.hand.name != NONE:
        lines.append(f"hand: {result.hand.name} {result.hand.score:.2f}")
    lines += [f"{k}: {v:.2f}" for k, v in result.face_scores.items() if v >= 0.2]
    lines.append("armed" if status.armed else "DISARMED")
    if status.pending:
        lines.append(f"confirm {status.pending[1]} ({status.pending[2]:.1f}s)")
    for n, text in enumerate(lines):
        cv2.putText(out, text, (10, 28 + 26 * n), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 255, 255), 2)
    h = out.shape[0]
    for n, hold in enumerate(status.holds):
        y = h - 20 - 28 * n
        cv2.rectangle(out, (10, y - 16), (310, y), (80, 80, 80), 1)
        cv2.rectangle(out, (10, y - 16), (10 + int(300 * hold.progress), y), (0, 200, 255), -1)
        cv2.putText(out, hold.gesture, (320, y), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 200, 255), 2)
    return out


class Feedback(Protocol):
    """Somewhere the streamer sees what is recognised: called with every analysed frame."""

    def __call__(self, frame: VideoFrame, result: FrameResult, status: EngineStatus, fires: list[Fire]) -> None: ...

    def close(self) -> None: ...


class Feedbacks:
    """Several feedback callbacks as one."""

    def __init__(self, *targets: Feedback | None) -> None:
        self.targets = [t for t in targets if t is not None]

    def __call__(self, frame: VideoFrame, result: FrameResult, status: EngineStatus, fires: list[Fire]) -> None:
        for target in self.targets:
            target(frame, result, status, fires)

    def close(self) -> None:
        for target in self.targets:
            target.close()
