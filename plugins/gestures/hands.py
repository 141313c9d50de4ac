"""Hand landmarks from MediaPipe HandLandmarker (Tasks API), as plain numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .mp_tasks import LandmarkBox, Timestamps, model_bytes, native_stderr_quiet, to_mp_image

WRIST = 0
THUMB = (1, 2, 3, 4)
INDEX = (5, 6, 7, 8)
MIDDLE = (9, 10, 11, 12)
RING = (13, 14, 15, 16)
PINKY = (17, 18, 19, 20)
FINGERS = {"thumb": THUMB, "index": INDEX, "middle": MIDDLE, "ring": RING, "pinky": PINKY}

#: Bones to draw a hand skeleton (pairs of landmark indices).
HAND_BONES: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9), (9, 10), (10, 11), (11, 12),
    (9, 13), (13, 14), (14, 15), (15, 16), (13, 17), (17, 18), (18, 19), (19, 20), (0, 17),
)


@dataclass(frozen=True)
class Hand(LandmarkBox):
    """One detected hand: 21 landmarks in pixels (x right, y down, z depth on the x scale)."""

    landmarks: np.ndarray
    handedness: str
    score: float


class HandTracker:
    """MediaPipe HandLandmarker over BGR frames.

    ``mode="video"`` tracks across frames (timestamps must grow; :meth:`detect` enforces it);
    ``mode="image"`` treats every frame alone and, with ``refine=True``, looks again at small
    hands through an enlarged crop (better landmarks for people 1–3 m from the camera).
    Call :meth:`close` (or use ``with``) when done.
    """

    def __init__(
        self,
        *,
        mode: Literal["image", "video"] = "video",
        max_hands: int = 2,
        min_detection: float = 0.5,
        min_tracking: float = 0.5,
        refine: bool = False,
        model_path: str = "",
    ) -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        self.mode = mode
        self.refine = refine and mode == "image"
        self._vision = vision
        running = vision.RunningMode.VIDEO if mode == "video" else vision.RunningMode.IMAGE
        options = vision.HandLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=model_bytes("hand_landmarker", model_path)),
            running_mode=running,
            num_hands=max_hands,
            min_hand_detection_confidence=min_detection,
            min_hand_presence_confidence=min_detection,
            min_tracking_confidence=min_tracking,
        )
        with native_stderr_quiet():
            self._task = vision.HandLandmarker.create_from_options(options)
        self._refiner = None
        if self.refine:
            single = vision.HandLandmarkerOptions(
                base_options=BaseOptions(model_asset_buffer=model_bytes("hand_landmarker", model_path)),
                running_mode=vision.RunningMode.IMAGE, num_hands=1,
                min_hand_detection_confidence=min_detection, min_hand_presence_confidence=min_detection,
            )
            with native_stderr_quiet():
                self._refiner = vision.HandLandmarker.create_from_options(single)
        self._ts = Timestamps()
        self._noisy_calls = 3  # MediaPipe logs to fd 2 on its first frames

    def detect(self, image_bgr: np.ndarray, t: float = 0.0) -> list[Hand]:
        """Hands in one frame; ``t`` (seconds) is used in video mode only."""
        if self._noisy_calls > 0:
            self._noisy_calls -= 1
            with native_stderr_quiet():
                return self._detect(image_bgr, t)
        return self._detect(image_bgr, t)

    def _detect(self, image_bgr: np.ndarray, t: float) -> list[Hand]:
        h, w = image_bgr.shape[:2]
        if self.mode == "video":
            result = self._task.detect_for_video(to_mp_image(image_bgr), self._ts.next(t))
        else:
            result = self._task.detect(to_mp_image(image_bgr))
        hands = _hands_from(result, w, h)
        if self._refiner is not None:
            hands = [self._refined(image_bgr, hand) for hand in hands]
        return hands

    def _refined(self, image_bgr: np.ndarray, hand: Hand, crop_side: int = 384) -> Hand:
        """Run the landmarker again on an enlarged square crop around a small hand."""
        h, w = image_bgr.shape[:2]
        if hand.size > 0.25 * min(h, w):
            return hand
        cx, cy = hand.center
        half = max(hand.size * 1.5, 24.0)
        x0, y0 = int(max(cx - half, 0)), int(max(cy - half, 0))
        x1, y1 = int(min(cx + half, w)), int(min(cy + half, h))
        if x1 - x0 < 8 or y1 - y0 < 8:
            return hand
        import cv2

        crop = cv2.resize(image_bgr[y0:y1, x0:x1], (crop_side, crop_side), interpolation=cv2.INTER_CUBIC)
        found = _hands_from(self._refiner.detect(to_mp_image(crop)), crop_side, crop_side)  # type: ignore[union-attr]
        if not found:
            return hand
        sx, sy = (x1 - x0) / crop_side, (y1 - y0) / crop_side
        lm = found[0].landmarks.copy()
        lm[:, 0] = lm[:, 0] * sx + x0
        lm[:, 1] = lm[:, 1] * sy + y0
        lm[:, 2] = lm[:, 2] * sx
        refined = Hand(landmarks=lm, handedness=found[0].handedness, score=found[0].score)
        rx, ry = refined.center
        if abs(rx - cx) > hand.size or abs(ry - cy) > hand.size:  # found another hand in the crop
            return hand
        return refined

    def close(self) -> None:
        """Release the MediaPipe tasks (explicitly: their ``__del__`` misbehaves at interpreter exit)."""
        for task in (self._task, self._refiner):
            if task is not None:
                task.close()
        self._refiner = None

    def __enter__(self) -> "HandTracker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _hands_from(result: object, width: int, height: int) -> list[Hand]:
    hands: list[Hand] = []
    for points, handed in zip(result.hand_landmarks, result.handedness):  # type: ignore[attr-defined]
        lm = np.array([[p.x * width, p.y * height, p.z * width] for p in points], dtype=np.float64)
        top = handed[0] if handed else None
        hands.append(Hand(landmarks=lm, handedness=top.category_name if top else "", score=float(top.score) if top else 0.0))
    return hands
