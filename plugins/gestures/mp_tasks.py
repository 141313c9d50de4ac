"""Loading MediaPipe task models once and creating tasks from the cached bytes."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def native_stderr_quiet() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the block.

    MediaPipe's C++ code prints banners and warnings ("Created TensorFlow Lite XNNPACK delegate",
    "Feedback manager requires …") straight to fd 2 when a task is created and on its first frame,
    and no environment variable turns them off. Only wrap those short moments.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (AttributeError, OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@functools.lru_cache(maxsize=4)
def model_bytes(name: str, explicit_path: str = "") -> bytes:
    """The verified bytes of model ``name`` (``hand_landmarker`` / ``face_landmarker``), read once per process."""
    from streamkit.models import resolve

    path: Path = resolve(name, explicit_path or None)
    log.info("loading %s from %s", name, path)
    return path.read_bytes()


def to_mp_image(image_bgr: "object") -> "object":
    """A BGR ``uint8`` frame as a ``mediapipe.Image`` (SRGB)."""
    import cv2
    import mediapipe as mp
    import numpy as np

    rgb = np.ascontiguousarray(cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB))  # type: ignore[call-overload]
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)


class Timestamps:
    """Strictly increasing millisecond timestamps for MediaPipe VIDEO mode, whatever the source says."""

    def __init__(self) -> None:
        self._last = -1

    def next(self, t_seconds: float) -> int:
        ms = int(round(t_seconds * 1000))
        if ms <= self._last:
            ms = self._last + 1
        self._last = ms
        return ms


class LandmarkBox:
    """Bounding box, size and centre of ``self.landmarks`` (N×2+ pixel coordinates): for hands and faces."""

    landmarks: np.ndarray

    @property
    def box(self) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)`` around the landmarks, in pixels."""
        xy = self.landmarks[:, :2]
        x0, y0 = xy.min(axis=0)
        x1, y1 = xy.max(axis=0)
        return float(x0), float(y0), float(x1), float(y1)

    @property
    def size(self) -> float:
        """The longer side of :attr:`box` in pixels."""
        x0, y0, x1, y1 = self.box
        return max(x1 - x0, y1 - y0)

    @property
    def center(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        return (x0 + x1) / 2, (y0 + y1) / 2
