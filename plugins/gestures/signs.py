"""Built-in static hand signs from landmark geometry.

Each finger gets a degree of "stretched out" in [0, 1] from :mod:`.handshape` (distances in palm
units, so position, size, rotation and left/right hand do not matter); a sign's score is the
smallest degree among the finger states it needs (a fuzzy AND). Three signs are about direction
by their very name — thumbs up, thumbs down, pointing up — and also need the thumb or index to
point that way in the picture. The best sign below :data:`MIN_SCORE` is ``"none"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .handshape import HandShape, measure, ramp

NONE = "none"
MIN_SCORE = 0.5

#: Built-in sign names with a short description (shown by ``streamkit gestures signs``).
BUILTIN_SIGNS: dict[str, str] = {
    "open_palm": "all five fingers stretched out ✋",
    "fist": "all fingers curled, thumb in ✊",
    "thumbs_up": "thumb out and pointing up, fingers curled 👍",
    "thumbs_down": "thumb out and pointing down, fingers curled 👎",
    "victory": "index and middle finger out ✌",
    "pointing_up": "index finger out and pointing up ☝",
    "i_love_you": "thumb, index and little finger out 🤟",
    "call": "thumb and little finger out 🤙",
    "rock": "index and little finger out, thumb in 🤘",
    "ok": "thumb tip touching index tip, other fingers out 👌",
}


@dataclass(frozen=True)
class FingerStates:
    """How stretched out each finger is (0 curled … 1 stretched), plus pinch and directions."""

    thumb: float
    index: float
    middle: float
    ring: float
    pinky: float
    pinch: float  # 1 when thumb tip and index tip touch
    thumb_up: float  # 1 when the thumb points up in the picture
    thumb_down: float
    index_up: float


def finger_states(shape: HandShape) -> FingerStates:
    """Turn invariant measures into per-finger degrees (thresholds in palm units)."""
    r = shape.reach
    thumb = min(ramp(shape.thumb_out, 0.5, 0.8), ramp(-shape.thumb_across, -0.2, 0.3))
    return FingerStates(
        thumb=thumb,
        index=ramp(r["index"], 0.55, 0.85),
        middle=ramp(r["middle"], 0.55, 0.85),
        ring=ramp(r["ring"], 0.55, 0.85),
        pinky=ramp(r["pinky"], 0.5, 0.8),
        pinch=ramp(shape.pinch, 0.45, 0.25),
        thumb_up=ramp(-shape.thumb_direction[1], 0.5, 0.8),
        thumb_down=ramp(shape.thumb_direction[1], 0.5, 0.8),
        index_up=ramp(-shape.index_direction[1], 0.5, 0.8),
    )


def sign_scores(states: FingerStates) -> dict[str, float]:
    """Score of every built-in sign for one hand."""
    s = states

    def out(x: float) -> float:
        return x

    def cur(x: float) -> float:
        return 1.0 - x

    four_curled = min(cur(s.index), cur(s.middle), cur(s.ring), cur(s.pinky))
    return {
        "open_palm": min(out(s.thumb), out(s.index), out(s.middle), out(s.ring), out(s.pinky), 1.0 - s.pinch),
        "fist": min(four_curled, cur(s.thumb)),
        "thumbs_up": min(four_curled, out(s.thumb), s.thumb_up),
        "thumbs_down": min(four_curled, out(s.thumb), s.thumb_down),
        "victory": min(out(s.index), out(s.middle), cur(s.ring), cur(s.pinky), cur(s.thumb)),
        "pointing_up": min(out(s.index), cur(s.middle), cur(s.ring), cur(s.pinky), cur(s.thumb), s.index_up),
        "i_love_you": min(out(s.thumb), out(s.index), cur(s.middle), cur(s.ring), out(s.pinky)),
        "call": min(out(s.thumb), cur(s.index), cur(s.middle), cur(s.ring), out(s.pinky)),
        "rock": min(cur(s.thumb), out(s.index), cur(s.middle), cur(s.ring), out(s.pinky)),
        "ok": min(s.pinch, out(s.middle), out(s.ring), out(s.pinky)),
    }


def classify_builtin(landmarks: np.ndarray, min_score: float = MIN_SCORE) -> tuple[str, float]:
    """``(sign, score)`` for one hand's (21, 3) landmarks; ``("none", best score)`` when nothing fits."""
    scores = sign_scores(finger_states(measure(landmarks)))
    name = max(scores, key=lambda k: scores[k])
    return (name, scores[name]) if scores[name] >= min_score else (NONE, scores[name])
