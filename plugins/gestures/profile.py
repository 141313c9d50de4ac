"""Personal hand signs: a few samples of the streamer's own hand, matched by nearest neighbour.

Many streamers cannot form textbook signs, so a sign is whatever pose they can hold: it is
learnt from a few samples (``streamkit gestures enroll NAME``). A pose is described by
:func:`sign_vector` (invariant finger measures plus the hand's direction in the picture, mirrored
so either hand works); a new pose takes the name of its nearest sample unless that sample is
further than the profile's ``threshold``, in which case it is ``"none"``.

**Rest** samples (``streamkit gestures enroll rest``) are the streamer's relaxed hands — on the
desk, in the lap, fidgeting. They are a rejection class: a hand whose nearest sample is a rest
sample, within ``rest_radius``, is *resting* and never a sign, personal or built-in.

The profile is one JSON file, ``STREAMKIT_HOME/gestures/profile.json`` by default, holding the
landmarks of every sample (palm units, wrist at 0) so the vector can be recomputed.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from streamkit.errors import StreamkitError
from streamkit.home import streamkit_home, write_private_text

from .handshape import features, measure, palm_length, ramp
from .signs import NONE

PROFILE_FORMAT = "streamkit-gesture-profile"
PROFILE_VERSION = 1
DEFAULT_THRESHOLD = 0.35
#: A hand this close to a rest sample (and closer to it than to any sign sample) is resting. Wider
#: than the sign threshold: relaxed hands vary more than a held sign (measured on held-out relaxed
#: hands of other people: ≤ 0.5 from the nearest rest sample, ≥ 0.58 from call/rock samples).
DEFAULT_REST_RADIUS = 0.5
MIN_SAMPLES = 3
#: The reserved name under which the relaxed hands are enrolled.
REST = "rest"

# feature weights: reach ×1.5, straightness ×1, thumb ×1.5, tip distances ×0.5, spread ×0.5,
# direction ×1, finger-out degrees ×2 (the latter saturate: they separate poses, not people)
_WEIGHTS = np.array([1.5] * 5 + [1.0] * 5 + [1.5] * 3 + [0.5] * 10 + [0.5] * 4 + [1.0] * 4 + [2.0] * 5)
_NAME = re.compile(r"^[\w\-]{1,40}$")


class ProfileError(StreamkitError):
    """A gesture profile that cannot be read or used."""


def default_profile_path() -> Path:
    """``STREAMKIT_HOME/gestures/profile.json``."""
    return streamkit_home() / "gestures" / "profile.json"


def sign_vector(landmarks: np.ndarray) -> np.ndarray:
    """Weighted description of a pose for matching: shape (invariant) plus hand and thumb direction."""
    lm = np.asarray(landmarks, dtype=np.float64)
    shape = measure(lm)
    up = lm[9, :2] - lm[0, :2]
    up = up / (np.linalg.norm(up) or 1.0)
    tdx, tdy = shape.thumb_direction
    thumb_out = min(ramp(shape.thumb_out, 0.5, 0.8), ramp(-shape.thumb_across, -0.2, 0.3))
    outs = [thumb_out] + [ramp(shape.reach[n], 0.55, 0.85) for n in ("index", "middle", "ring", "pinky")]
    vec = np.concatenate([features(lm), [abs(up[0]), up[1], abs(tdx), tdy], outs])
    return vec * _WEIGHTS


def normalise(landmarks: np.ndarray) -> np.ndarray:
    """Landmarks with the wrist at 0 and a palm length of 1 (what a profile stores)."""
    lm = np.asarray(landmarks, dtype=np.float64)
    return (lm - lm[0]) / palm_length(lm)


def check_sign_name(name: str) -> str:
    """A valid personal sign name, or a one-line error.

    A personal sign may take a built-in sign's name (e.g. ``call``): it then replaces the built-in
    one, for a streamer whose own way of making that sign differs from the textbook.
    """
    from .face import FACE_GESTURES

    if not _NAME.match(name):
        raise ProfileError(f"sign name {name!r} is not usable", "use 1–40 letters, digits, _ or - (e.g. 挥手 or my_wave)")
    if name in (NONE, REST) or name in FACE_GESTURES:
        raise ProfileError(f"sign name {name!r} is reserved", "choose another name, e.g. my_" + name)
    return name


@dataclass
class Match:
    """The result of matching one pose: ``name`` is ``"none"`` when nothing is close enough or the hand
    is resting (``resting``: its nearest sample is a rest sample within the rest radius)."""

    name: str
    score: float
    distance: float
    nearest: str = ""
    rest_distance: float = math.inf
    resting: bool = False


@dataclass
class SignProfile:
    """Personal signs: ``signs[name]`` is a list of normalised (21, 3) landmark arrays; ``rest`` the
    relaxed hands that must never fire."""

    signs: dict[str, list[np.ndarray]] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD
    path: Path | None = None
    rest: list[np.ndarray] = field(default_factory=list)
    rest_radius: float = DEFAULT_REST_RADIUS
    _index: tuple[list[str], np.ndarray] | None = field(default=None, repr=False)
    _rest_index: np.ndarray | None = field(default=None, repr=False)

    # building ---------------------------------------------------------------
    def add(self, name: str, samples: list[np.ndarray], *, replace: bool = True) -> None:
        """Add (or replace) the samples of sign ``name``."""
        check_sign_name(name)
        kept = [normalise(s) for s in samples]
        self.signs[name] = kept if replace else self.signs.get(name, []) + kept
        self._index = None

    def set_rest(self, samples: list[np.ndarray], *, replace: bool = True) -> None:
        """Add (or replace) the rest samples: every relaxed hand seen."""
        kept = [normalise(s) for s in samples]
        self.rest = kept if replace else self.rest + kept
        self._rest_index = None

    @property
    def empty(self) -> bool:
        """No sign and no rest sample."""
        return not self.signs and not self.rest

    def remove(self, name: str) -> None:
        if name not in self.signs:
            raise ProfileError(f"no sign named {name!r} in the profile", f"known signs: {', '.join(self.signs) or 'none yet'}")
        del self.signs[name]
        self._index = None

    # matching ---------------------------------------------------------------
    def _vectors(self) -> tuple[list[str], np.ndarray]:
        if self._index is None:
            names = [n for n, samples in self.signs.items() for _ in samples]
            vecs = np.array([sign_vector(s) for samples in self.signs.values() for s in samples])
            self._index = (names, vecs)
        return self._index

    def _rest_distance(self, vec: np.ndarray) -> float:
        if not self.rest:
            return math.inf
        if self._rest_index is None:
            self._rest_index = np.array([sign_vector(s) for s in self.rest])
        return float(np.min(np.linalg.norm(self._rest_index - vec, axis=1)) / math.sqrt(vec.shape[0]))

    def match(self, landmarks: np.ndarray) -> Match:
        """Nearest sample's sign, or ``none`` beyond :attr:`threshold` or when the hand is resting.
        Score is 1 at distance 0, 0.5 at the threshold."""
        vec = sign_vector(landmarks)
        rest = self._rest_distance(vec)
        names, vecs = self._vectors()
        d, nearest = math.inf, ""
        if names:
            dist = np.linalg.norm(vecs - vec, axis=1) / math.sqrt(vecs.shape[1])
            i = int(np.argmin(dist))
            d, nearest = float(dist[i]), names[i]
        resting = rest <= self.rest_radius and rest <= d
        score = float(np.clip(1.0 - d / (2 * self.threshold), 0.0, 1.0))
        name = nearest if d <= self.threshold and not resting else NONE
        return Match(name, score, d, nearest, rest, resting)

    def leave_one_out(self) -> list[tuple[str, Match]]:
        """Match every sample against the others: ``[(true sign, match)]`` (a quality check after enrolling)."""
        out: list[tuple[str, Match]] = []
        for name, samples in self.signs.items():
            for k, s in enumerate(samples):
                others = {n: [x for j, x in enumerate(v) if not (n == name and j == k)] for n, v in self.signs.items()}
                out.append((name, SignProfile(others, self.threshold, rest=self.rest,
                                              rest_radius=self.rest_radius).match(s)))
        return out

    # file -------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        return {
            "format": PROFILE_FORMAT,
            "version": PROFILE_VERSION,
            "saved": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "threshold": self.threshold,
            "signs": {n: [np.round(s, 5).tolist() for s in samples] for n, samples in self.signs.items()},
            "rest": [np.round(s, 5).tolist() for s in self.rest],
            "rest_radius": self.rest_radius,
        }

    def save(self, path: Path | None = None) -> Path:
        """Write atomically to ``path`` (or where it was loaded from, or the default)."""
        target = Path(path or self.path or default_profile_path())
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private_text(target, json.dumps(self.to_json(), ensure_ascii=False, indent=1))
        self.path = target
        return target

    @classmethod
    def load(cls, path: Path) -> "SignProfile":
        """Read a profile; another version or a damaged file is a one-line :class:`ProfileError`."""
        path = Path(path)
        redo = "enroll your signs again: streamkit gestures enroll NAME --camera"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ProfileError(f"gesture profile {path} does not exist", "enroll a sign first: streamkit gestures enroll NAME --camera, or fix the path") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProfileError(f"gesture profile {path} is damaged ({exc.__class__.__name__})", redo) from None
        if not isinstance(raw, dict) or raw.get("format") != PROFILE_FORMAT:
            raise ProfileError(f"{path} is not a streamkit gesture profile", "pass the profile.json written by: streamkit gestures enroll")
        if raw.get("version") != PROFILE_VERSION:
            raise ProfileError(f"gesture profile {path} has format version {raw.get('version')!r}; this streamkit reads version {PROFILE_VERSION}", redo)
        try:
            threshold = float(raw.get("threshold", DEFAULT_THRESHOLD))
            rest_radius = float(raw.get("rest_radius", DEFAULT_REST_RADIUS))
            signs = {str(n): _samples(n, samples) for n, samples in raw["signs"].items()}
            rest = _samples(REST, raw.get("rest", []))
            if not threshold > 0 or not rest_radius > 0:
                raise ValueError("threshold and rest_radius must be > 0")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ProfileError(f"gesture profile {path} is damaged ({exc})", redo) from None
        return cls(signs=signs, threshold=threshold, path=path, rest=rest, rest_radius=rest_radius)


def _samples(name: str, raw: list[object]) -> list[np.ndarray]:
    """Stored samples as (21, 3) arrays; ValueError naming ``name`` otherwise."""
    samples = [np.asarray(s, dtype=np.float64) for s in raw]
    for s in samples:
        if s.shape != (21, 3) or not np.all(np.isfinite(s)):
            raise ValueError(f"sample of {name!r} is not 21×3 numbers")
    return samples


def load_profile(path: str | Path | None) -> SignProfile | None:
    """The profile at ``path``; with no path, the default one if it exists (else ``None``)."""
    if path:
        return SignProfile.load(Path(path).expanduser())
    default = default_profile_path()
    return SignProfile.load(default) if default.exists() else None


def choose_sample_hands(candidates: list[list[np.ndarray]]) -> list[np.ndarray | None]:
    """Pick the signing hand in each sample picture.

    Pictures with one hand are taken as they are; where several hands show, the one closest to
    the single-hand samples is taken (a resting hand looks like none of them), or, with no such
    sample, the highest hand in the picture (the raised one).
    """
    anchors = [sign_vector(c[0]) for c in candidates if len(c) == 1]
    chosen: list[np.ndarray | None] = []
    for hands in candidates:
        if not hands:
            chosen.append(None)
        elif len(hands) == 1:
            chosen.append(hands[0])
        elif anchors:
            dists = [min(float(np.linalg.norm(sign_vector(h) - a)) for a in anchors) for h in hands]
            chosen.append(hands[int(np.argmin(dists))])
        else:
            chosen.append(min(hands, key=lambda h: float(h[:, 1].min())))
    return chosen
