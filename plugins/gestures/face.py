"""Face gestures from MediaPipe FaceLandmarker blendshapes, and the streamer's neutral face.

Scores are in [0, 1]. ``smile``, ``mouth_open``, ``brows_raised`` and ``long_blink`` come from
blendshapes (a blink counts only when *both* eyes close; how long it must last is the binding's
hold, see ``long_blink_ms``); ``head_tilt_left`` / ``head_tilt_right`` from the line through the
outer eye corners: 30° towards that shoulder scores 1 (15° scores 0.5). Left and right are the
streamer's own, for a camera picture that is not mirrored.

A :class:`NeutralFace` (``streamkit gestures calibrate``) holds each score on the streamer's
relaxed face; calibrated scores are measured from there: ``(raw − neutral) / (1 − neutral)``.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from streamkit.errors import StreamkitError
from streamkit.home import streamkit_home, write_private_text

from .mp_tasks import LandmarkBox, Timestamps, model_bytes, native_stderr_quiet, to_mp_image

#: Face gesture names with a short description.
FACE_GESTURES: dict[str, str] = {
    "smile": "smile (both mouth corners up)",
    "mouth_open": "open the mouth (jaw down)",
    "brows_raised": "raise the eyebrows",
    "long_blink": "close both eyes and keep them closed (longer than a blink)",
    "head_tilt_left": "tilt the head towards the left shoulder",
    "head_tilt_right": "tilt the head towards the right shoulder",
}

#: Default score thresholds (a binding may set its own).
FACE_THRESHOLDS: dict[str, float] = {
    "smile": 0.5, "mouth_open": 0.4, "brows_raised": 0.5, "long_blink": 0.6,
    "head_tilt_left": 0.5, "head_tilt_right": 0.5,
}

FULL_TILT_DEG = 30.0
RIGHT_EYE_OUTER, LEFT_EYE_OUTER = 33, 263  # the streamer's right / left eye, outer corners
FOREHEAD, CHIN = 10, 152

NEUTRAL_FORMAT = "streamkit-face-neutral"
NEUTRAL_VERSION = 1


class NeutralError(StreamkitError):
    """A neutral-face calibration file that cannot be used."""


@dataclass(frozen=True)
class Face(LandmarkBox):
    """One detected face: landmarks in pixels, blendshape scores by name, head roll in degrees."""

    landmarks: np.ndarray
    blendshapes: dict[str, float]
    roll: float  # > 0: tilted towards the streamer's left shoulder


def head_roll(landmarks: np.ndarray) -> float:
    """Head tilt in degrees from the outer eye corners: > 0 towards the streamer's left shoulder."""
    r, l = landmarks[RIGHT_EYE_OUTER], landmarks[LEFT_EYE_OUTER]
    return math.degrees(math.atan2(float(l[1] - r[1]), float(l[0] - r[0])))


def raw_scores(face: Face) -> dict[str, float]:
    """Uncalibrated score of every face gesture."""
    b = face.blendshapes
    return {
        "smile": (b.get("mouthSmileLeft", 0.0) + b.get("mouthSmileRight", 0.0)) / 2,
        "mouth_open": b.get("jawOpen", 0.0),
        "brows_raised": (b.get("browInnerUp", 0.0) + (b.get("browOuterUpLeft", 0.0) + b.get("browOuterUpRight", 0.0)) / 2) / 2,
        "long_blink": min(b.get("eyeBlinkLeft", 0.0), b.get("eyeBlinkRight", 0.0)),
        "head_tilt_left": float(np.clip(face.roll / FULL_TILT_DEG, 0.0, 1.0)),
        "head_tilt_right": float(np.clip(-face.roll / FULL_TILT_DEG, 0.0, 1.0)),
    }


@dataclass
class NeutralFace:
    """Each gesture's score on the streamer's relaxed face (0 = uncalibrated)."""

    scores: dict[str, float] = field(default_factory=dict)
    roll: float = 0.0
    path: Path | None = None

    def apply(self, face: Face) -> dict[str, float]:
        """Calibrated scores of ``face``."""
        tilted = Face(face.landmarks, face.blendshapes, face.roll - self.roll)
        out = raw_scores(tilted)
        for name in ("smile", "mouth_open", "brows_raised", "long_blink"):
            base = min(self.scores.get(name, 0.0), 0.9)
            out[name] = float(np.clip((out[name] - base) / (1.0 - base), 0.0, 1.0))
        return out

    @classmethod
    def from_faces(cls, faces: list[Face]) -> "NeutralFace":
        """The median of each raw score over ``faces`` (a few seconds of a relaxed face)."""
        if not faces:
            raise NeutralError("no face seen while recording the neutral face", "face the camera in good light and try again")
        rows = [raw_scores(f) for f in faces]
        scores = {k: float(np.median([r[k] for r in rows])) for k in ("smile", "mouth_open", "brows_raised", "long_blink")}
        return cls(scores=scores, roll=float(np.median([f.roll for f in faces])))

    def save(self, path: Path | None = None) -> Path:
        target = Path(path or self.path or default_neutral_path())
        target.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": NEUTRAL_FORMAT, "version": NEUTRAL_VERSION, "saved": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "scores": {k: round(v, 4) for k, v in self.scores.items()}, "roll": round(self.roll, 2)}
        write_private_text(target, json.dumps(data, indent=1))
        self.path = target
        return target

    @classmethod
    def load(cls, path: Path) -> "NeutralFace":
        redo = "record it again: streamkit gestures calibrate --camera"
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NeutralError(f"neutral face file {path} does not exist", redo + ", or fix the path") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NeutralError(f"neutral face file {path} is damaged ({exc.__class__.__name__})", redo) from None
        if not isinstance(raw, dict) or raw.get("format") != NEUTRAL_FORMAT:
            raise NeutralError(f"{path} is not a streamkit neutral face file", "pass the neutral.json written by: streamkit gestures calibrate")
        if raw.get("version") != NEUTRAL_VERSION:
            raise NeutralError(f"neutral face file {path} has format version {raw.get('version')!r}; this streamkit reads version {NEUTRAL_VERSION}", redo)
        try:
            scores = {str(k): float(v) for k, v in raw["scores"].items()}
            roll = float(raw.get("roll", 0.0))
            if not all(0.0 <= v <= 1.0 for v in scores.values()) or not math.isfinite(roll):
                raise ValueError("scores must be between 0 and 1")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise NeutralError(f"neutral face file {path} is damaged ({exc})", redo) from None
        return cls(scores=scores, roll=roll, path=Path(path))


def default_neutral_path() -> Path:
    """``STREAMKIT_HOME/gestures/neutral.json``."""
    return streamkit_home() / "gestures" / "neutral.json"


def load_neutral(path: str | Path | None) -> NeutralFace:
    """The neutral face at ``path``; with no path the default one if it exists, else an uncalibrated one."""
    if path:
        return NeutralFace.load(Path(path).expanduser())
    default = default_neutral_path()
    return NeutralFace.load(default) if default.exists() else NeutralFace()


class FaceTracker:
    """MediaPipe FaceLandmarker (one face, with blendshapes) over BGR frames; :meth:`close` when done."""

    def __init__(self, *, mode: str = "video", min_detection: float = 0.5, model_path: str = "") -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        self.mode = mode
        options = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=model_bytes("face_landmarker", model_path)),
            running_mode=vision.RunningMode.VIDEO if mode == "video" else vision.RunningMode.IMAGE,
            num_faces=1,
            min_face_detection_confidence=min_detection,
            min_face_presence_confidence=min_detection,
            output_face_blendshapes=True,
        )
        with native_stderr_quiet():
            self._task = vision.FaceLandmarker.create_from_options(options)
        self._ts = Timestamps()
        self._noisy_calls = 3  # MediaPipe logs to fd 2 on its first frames

    def detect(self, image_bgr: np.ndarray, t: float = 0.0) -> Face | None:
        """The face in one frame, or ``None``."""
        if self._noisy_calls > 0:
            self._noisy_calls -= 1
            with native_stderr_quiet():
                return self._detect(image_bgr, t)
        return self._detect(image_bgr, t)

    def _detect(self, image_bgr: np.ndarray, t: float) -> Face | None:
        h, w = image_bgr.shape[:2]
        if self.mode == "video":
            result = self._task.detect_for_video(to_mp_image(image_bgr), self._ts.next(t))
        else:
            result = self._task.detect(to_mp_image(image_bgr))
        if not result.face_landmarks:
            return None
        lm = np.array([[p.x * w, p.y * h, p.z * w] for p in result.face_landmarks[0]], dtype=np.float64)
        shapes = {c.category_name: float(c.score) for c in result.face_blendshapes[0]} if result.face_blendshapes else {}
        return Face(landmarks=lm, blendshapes=shapes, roll=head_roll(lm))

    def close(self) -> None:
        """Release the MediaPipe task explicitly."""
        self._task.close()

    def __enter__(self) -> "FaceTracker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
