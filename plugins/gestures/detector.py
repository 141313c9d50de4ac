"""One frame in, what it shows out: hand signs, face gesture scores and whether tracking is steady."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .face import CHIN, FOREHEAD, LEFT_EYE_OUTER, RIGHT_EYE_OUTER, Face, FaceTracker, NeutralFace
from .hands import Hand, HandTracker
from .profile import SignProfile
from .signs import NONE, classify_builtin
from .triggers import Observation


@dataclass(frozen=True)
class HandLabel:
    """The sign one hand shows (``none`` when nothing fits) and where the name came from."""

    name: str
    score: float
    kind: str  # "personal" | "builtin" | "rest" (a resting hand, never a sign) | ""


class HandClassifier:
    """Personal signs first (when a profile is given), then the built-in signs not redefined by the
    profile; a hand the profile finds resting (nearest to a rest sample) is no sign at all."""

    def __init__(self, profile: SignProfile | None = None, builtin: bool = True) -> None:
        self.profile = profile if profile is not None and not profile.empty else None
        self.builtin = builtin

    def classify(self, landmarks: np.ndarray) -> HandLabel:
        best = HandLabel(NONE, 0.0, "")
        if self.profile is not None:
            m = self.profile.match(landmarks)
            if m.name != NONE:
                return HandLabel(m.name, m.score, "personal")
            if m.resting:
                return HandLabel(NONE, 0.0, "rest")
            best = HandLabel(NONE, m.score, "")
        if self.builtin:
            name, score = classify_builtin(landmarks)
            if self.profile is not None and name in self.profile.signs:  # the personal version replaces it
                name = NONE
            if name != NONE:
                return HandLabel(name, score, "builtin")
            if score > best.score:
                best = HandLabel(NONE, score, "")
        return best

    def best(self, hands: list[Hand]) -> tuple[int, HandLabel]:
        """Index and label of the hand showing the clearest sign (``(-1, none)`` without hands)."""
        pick, label = -1, HandLabel(NONE, 0.0, "")
        for i, hand in enumerate(hands):
            lab = self.classify(hand.landmarks)
            better = (lab.name != NONE, lab.score) > (label.name != NONE, label.score)
            if pick < 0 or better:
                pick, label = i, lab
        return pick, label


@dataclass
class FrameResult:
    """Everything seen in one frame (for the trigger engine, the events and the feedback)."""

    t: float
    hands: list[Hand] = field(default_factory=list)
    hand_index: int = -1
    hand: HandLabel = field(default_factory=lambda: HandLabel(NONE, 0.0, ""))
    face: Face | None = None
    face_scores: dict[str, float] = field(default_factory=dict)
    tracking: dict[str, bool] = field(default_factory=dict)

    def observation(self) -> Observation:
        scores = dict(self.face_scores)
        if self.hand.name != NONE:
            scores[self.hand.name] = self.hand.score
        return Observation(t=self.t, tracking=dict(self.tracking), scores=scores)


def covers_face(hand: Hand, face: Face) -> bool:
    """True when the hand's centre lies on the middle of the face: between the outer eye corners,
    from the top of the forehead to the chin (a sign made beside the face, like 🤙 at the ear, does not)."""
    lm = face.landmarks
    x0, x1 = sorted((float(lm[RIGHT_EYE_OUTER, 0]), float(lm[LEFT_EYE_OUTER, 0])))
    y0, y1 = sorted((float(lm[FOREHEAD, 1]), float(lm[CHIN, 1])))
    cx, cy = hand.center
    return x0 <= cx <= x1 and y0 <= cy <= y1


def _moved(prev: tuple[float, float] | None, now: tuple[float, float], size: float, max_jump: float) -> bool:
    if prev is None:
        return False
    return float(np.hypot(now[0] - prev[0], now[1] - prev[1])) > max_jump * max(size, 1.0)


class GestureDetector:
    """Runs the hand and/or face tracker on each frame and judges whether tracking is steady.

    Tracking of a modality is steady on a frame when it is present and the tracked hand/face moved
    less than ``max_jump`` × its size since the previous frame (a jump means a new or wrong detection).
    With a face tracker and ``ignore_hand_on_face``, a hand covering the face (:func:`covers_face`)
    is never read as a sign: people touch their face all the time (laughing, thinking, crying).
    """

    def __init__(
        self,
        *,
        hands: HandTracker | None = None,
        face: FaceTracker | None = None,
        classifier: HandClassifier | None = None,
        neutral: NeutralFace | None = None,
        max_jump: float = 0.6,
        ignore_hand_on_face: bool = True,
    ) -> None:
        self.hands = hands
        self.ignore_hand_on_face = ignore_hand_on_face
        self.face = face
        self.classifier = classifier or HandClassifier()
        self.neutral = neutral or NeutralFace()
        self.max_jump = max_jump
        self._prev_hands: list[tuple[float, float]] = []
        self._prev_face: tuple[float, float] | None = None

    def observe(self, image: np.ndarray, t: float) -> FrameResult:
        result = FrameResult(t=t)
        if self.face is not None:
            face = self.face.detect(image, t)
            result.face = face
            if face is not None:
                result.face_scores = self.neutral.apply(face)
                result.tracking["face"] = self._prev_face is not None and not _moved(self._prev_face, face.center, face.size, self.max_jump)
                self._prev_face = face.center
            else:
                result.tracking["face"] = False
                self._prev_face = None
        if self.hands is not None:
            hands = self.hands.detect(image, t)
            result.hands = hands
            if hands:
                signing = [h for h in hands if not (self.ignore_hand_on_face and result.face is not None
                                                    and covers_face(h, result.face))]
                if signing:
                    k, result.hand = self.classifier.best(signing)
                    result.hand_index = hands.index(signing[k])
                else:
                    result.hand_index = 0
                signer = hands[result.hand_index]
                prev = min(self._prev_hands, key=lambda c: np.hypot(c[0] - signer.center[0], c[1] - signer.center[1]), default=None)
                result.tracking["hand"] = bool(self._prev_hands) and not _moved(prev, signer.center, signer.size, self.max_jump)
            else:
                result.tracking["hand"] = False
            self._prev_hands = [h.center for h in hands]
        return result

    def close(self) -> None:
        for tracker in (self.hands, self.face):
            if tracker is not None:
                tracker.close()
