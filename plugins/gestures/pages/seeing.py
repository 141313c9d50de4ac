"""What one camera picture shows, for the panel: the hands and what each one signs, the face scores
against their thresholds, and all of it in words (the preview's text alternative and the test mode).

The panel's MediaPipe trackers are made once, on first use, and shared by every page under a lock
(each picture is analysed on its own: IMAGE mode, small hands looked at again).
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass, field

import numpy as np

from ..config import GesturesConfig
from ..detector import HandClassifier
from ..enrol import sample_tracker
from ..face import Face, FaceTracker, NeutralFace
from ..hands import Hand, HandTracker
from ..signs import NONE
from .words import Words


@dataclass(frozen=True)
class HandSeen:
    """One hand: the sign it shows (``none``), how sure, where the name came from, its box (0–1)."""

    name: str
    score: float
    kind: str
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Seen:
    """Everything one picture shows, ready for JSON."""

    hands: list[HandSeen] = field(default_factory=list)
    face: dict[str, float] | None = None
    thresholds: dict[str, float] = field(default_factory=dict)

    @property
    def sign(self) -> HandSeen | None:
        """The clearest sign among the hands (None when no hand shows one)."""
        signing = [h for h in self.hands if h.name != NONE]
        return max(signing, key=lambda h: h.score) if signing else None

    @property
    def reached(self) -> list[str]:
        """Face gestures at or above their threshold now."""
        return [g for g, v in (self.face or {}).items() if v >= self.thresholds.get(g, 1.0)]

    def describe(self, w: Words) -> str:
        """What is seen, in one or two plain sentences."""
        return ("" if w.lang == "zh-CN" else " ").join([self._hands_text(w), self._face_text(w)]).strip()

    def _hands_text(self, w: Words) -> str:
        if not self.hands:
            return w("seen_no_hand")
        sign = self.sign
        if sign is not None:
            what = w("seen_sign", name=w.gesture(sign.name), percent=round(sign.score * 100))
        elif any(h.kind == "rest" for h in self.hands):
            what = w("seen_resting")
        else:
            what = w("seen_no_sign")
        return w("seen_hands", n=len(self.hands), what=what)

    def _face_text(self, w: Words) -> str:
        if self.face is None:
            return w("seen_no_face")
        reached = self.reached
        if not reached:
            return w("seen_face_plain")
        return w("seen_face", what=w.join([w.gesture(g) for g in reached]))

    def to_json(self, w: Words) -> dict[str, object]:
        sign = self.sign
        return {
            "hands": [{"name": h.name, "label": w.gesture(h.name) if h.name != NONE else "", "score": round(h.score, 2),
                       "kind": h.kind, "box": [round(v, 3) for v in h.box]} for h in self.hands],
            "sign": sign.name if sign else "", "sign_label": w.gesture(sign.name) if sign else "",
            "sign_score": round(sign.score, 2) if sign else 0.0,
            "resting": any(h.kind == "rest" for h in self.hands),
            "face": None if self.face is None else {g: round(v, 2) for g, v in self.face.items()},
            "reached": self.reached, "text": self.describe(w),
        }


class Seer:
    """The panel's hand and face trackers; :meth:`look` analyses one picture."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hands: HandTracker | None = None
        self._face: FaceTracker | None = None

    def trackers(self) -> tuple[HandTracker, FaceTracker]:
        """The trackers, made on first use (call with the lock held); closed at exit (MediaPipe complains otherwise)."""
        if self._hands is None and self._face is None:
            atexit.register(self.close)
        if self._hands is None:
            self._hands = sample_tracker()
        if self._face is None:
            self._face = FaceTracker(mode="image")
        return self._hands, self._face

    def detect(self, image: np.ndarray, *, face: bool = True) -> tuple[list[Hand], Face | None]:
        """The hands (and the face) in one picture."""
        with self._lock:
            hands_tracker, face_tracker = self.trackers()
            hands = hands_tracker.detect(image)
            return hands, (face_tracker.detect(image) if face else None)

    def detect_face(self, image: np.ndarray) -> Face | None:
        with self._lock:
            return self.trackers()[1].detect(image)

    def look(self, image: np.ndarray, classifier: HandClassifier, neutral: NeutralFace,
             config: GesturesConfig) -> Seen:
        """What ``image`` shows, classified with the streamer's profile and neutral face."""
        hands, face = self.detect(image)
        height, width = image.shape[:2]
        seen_hands = []
        for hand in hands:
            label = classifier.classify(hand.landmarks)
            x0, y0, x1, y1 = hand.box
            seen_hands.append(HandSeen(label.name, label.score, label.kind, (x0 / width, y0 / height, x1 / width, y1 / height)))
        scores = neutral.apply(face) if face is not None else None
        thresholds = {g: config.threshold_of(g) for g in (scores or {})}
        return Seen(seen_hands, scores, thresholds)

    def close(self) -> None:
        with self._lock:
            for tracker in (self._hands, self._face):
                if tracker is not None:
                    try:
                        tracker.close()
                    except RuntimeError:  # at interpreter exit MediaPipe's own executor is already gone
                        pass
            self._hands = self._face = None
