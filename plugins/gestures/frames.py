"""Where frames come from: camera, video file, OBS source screenshots, or a folder of photos."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from streamkit.errors import SourceError
from streamkit.pipeline import Source

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}


@dataclass(frozen=True)
class LabelledImage:
    """An image file, and its label when it sits in a per-label subfolder."""

    path: Path
    label: str | None


def list_images(directory: str | Path) -> list[LabelledImage]:
    """Images directly in ``directory`` (unlabelled) or one level down (labelled by subfolder name)."""
    root = Path(directory)
    if not root.is_dir():
        raise SourceError(f"{root}: not a folder", "pass a folder of .jpg/.png photos (or one subfolder per sign)")
    found = [LabelledImage(p, None) for p in sorted(root.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES]
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        found += [LabelledImage(p, sub.name) for p in sorted(sub.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES]
    if not found:
        raise SourceError(f"{root}: no .jpg/.png images there or in its subfolders", "pass a folder of photos")
    return found


def read_image(path: Path) -> np.ndarray:
    """A BGR image, or ``SourceError`` naming the file."""
    import cv2

    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise SourceError(f"{path}: not an image OpenCV can read", "pass .jpg/.png photos")
    return image


def open_video_source(
    *,
    camera: int | None = None,
    video: str | None = None,
    obs_source: str | None = None,
    obs: Any = None,
    fps: float = 15.0,
    width: int = 640,
    height: int = 480,
    realtime: bool = False,
    clock: Any = None,
) -> Source:
    """One of the core video sources (:mod:`streamkit.sources.video`), chosen by which argument is given."""
    from streamkit.sources.video import CameraSource, ObsScreenshotSource, VideoFileSource

    if video:
        return VideoFileSource(video, name="gestures-video", realtime=realtime, fps=fps, clock=clock)
    if obs_source:
        if obs is None:
            raise SourceError(f"OBS source {obs_source!r} needs a connection to OBS", "check [obs] url/password or run: streamkit obs doctor")
        # JPEG: OBS encodes 640×480 in ≈ 40 ms, a PNG in 1–2 s on a busy 2-core machine (measured)
        return ObsScreenshotSource(obs, obs_source, fps=fps, width=width, height=height, clock=clock, image_format="jpg")
    return CameraSource(camera or 0, name="gestures-camera", width=width, height=height, fps=fps, clock=clock)


def frames(source: Source) -> Iterator[tuple[float, np.ndarray]]:
    """``(t, image)`` pairs from a video source; the source is closed afterwards."""
    try:
        for event in source:
            yield event.t, event.image  # type: ignore[attr-defined]
    finally:
        source.close()
