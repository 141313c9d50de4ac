"""Hand shape measures that do not change with position, scale, rotation or left/right hand.

Everything is computed from the 21 landmarks in palm units (wrist → middle-finger knuckle = 1),
from distances and angles only, so moving, scaling, rotating or mirroring the hand leaves the
numbers unchanged. :func:`features` is the vector used for personal signs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .hands import FINGERS, WRIST

TIPS = (4, 8, 12, 16, 20)
PALM_POINTS = (0, 5, 9, 13, 17)


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-9 else v * 0.0


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.clip(np.dot(_unit(a), _unit(b)), -1.0, 1.0))


def ramp(x: float, lo: float, hi: float) -> float:
    """0 below ``lo``, 1 above ``hi``, linear between (``lo > hi`` ramps downwards)."""
    if lo == hi:
        return float(x >= hi)
    return float(np.clip((x - lo) / (hi - lo), 0.0, 1.0))


@dataclass(frozen=True)
class HandShape:
    """Invariant measures of one hand pose.

    ``reach`` is each fingertip's distance from the palm centre in palm units (long = stretched);
    ``straight`` is knuckle-to-tip distance over the finger's length (1 = straight);
    ``thumb_out`` is the thumb tip's distance from the ring knuckle in palm units and
    ``thumb_across`` the cosine between the thumb and the knuckle line (index → pinky): a thumb
    folded over the palm points along that line (≈ +1), a thumb held out points away (≈ −1).
    ``pinch`` is the thumb-tip to index-tip distance in palm units.
    """

    reach: dict[str, float]
    straight: dict[str, float]
    thumb_out: float
    thumb_across: float
    pinch: float
    thumb_direction: tuple[float, float]
    index_direction: tuple[float, float]


def palm_length(lm: np.ndarray) -> float:
    return float(np.linalg.norm(lm[9] - lm[WRIST])) or 1.0


def measure(landmarks: np.ndarray) -> HandShape:
    """Measure a (21, 3) landmark array (any consistent units)."""
    lm = np.asarray(landmarks, dtype=np.float64)
    palm = palm_length(lm)
    centre = lm[list(PALM_POINTS)].mean(axis=0)
    reach: dict[str, float] = {}
    straight: dict[str, float] = {}
    for name, (a, b, c, d) in FINGERS.items():
        reach[name] = float(np.linalg.norm(lm[d] - centre)) / palm
        length = sum(float(np.linalg.norm(lm[j] - lm[i])) for i, j in ((a, b), (b, c), (c, d))) or 1.0
        straight[name] = float(np.linalg.norm(lm[d] - lm[a])) / length
    thumb_vec = lm[4] - lm[2]
    index_vec = lm[8] - lm[5]
    return HandShape(
        reach=reach,
        straight=straight,
        thumb_out=float(np.linalg.norm(lm[4] - lm[13])) / palm,
        thumb_across=_cos(thumb_vec, lm[17] - lm[5]),
        pinch=float(np.linalg.norm(lm[4] - lm[8])) / palm,
        thumb_direction=tuple(_unit(thumb_vec[:2]).tolist()),  # type: ignore[arg-type]
        index_direction=tuple(_unit(index_vec[:2]).tolist()),  # type: ignore[arg-type]
    )


#: Length of :func:`features` (bumped together with the profile format version).
FEATURE_SIZE = 5 + 5 + 3 + 10 + 4


def features(landmarks: np.ndarray) -> np.ndarray:
    """An invariant description of the pose for nearest-neighbour matching (``FEATURE_SIZE`` floats).

    Fingertip reach (5) and straightness (5), thumb out / across / pinch (3), all fingertip-to-
    fingertip distances (10, palm units) and the spread between neighbouring fingers (4 cosines).
    """
    lm = np.asarray(landmarks, dtype=np.float64)
    shape = measure(lm)
    palm = palm_length(lm)
    names = list(FINGERS)
    tips = lm[list(TIPS)]
    pair = [float(np.linalg.norm(tips[i] - tips[j])) / palm for i in range(5) for j in range(i + 1, 5)]
    dirs = [lm[f[3]] - lm[f[0]] for f in FINGERS.values()]
    spread = [_cos(dirs[i], dirs[i + 1]) for i in range(4)]
    vec = ([shape.reach[n] for n in names] + [shape.straight[n] for n in names]
           + [shape.thumb_out, shape.thumb_across, shape.pinch] + pair + spread)
    return np.array(vec, dtype=np.float64)
