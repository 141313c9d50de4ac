"""Video sources: a webcam (OpenCV), a video file (PyAV), or a source OBS already shows.

Every source yields :class:`~streamkit.events.VideoFrame` with a BGR ``uint8`` image (H×W×3) and
``t`` in seconds into the source. A source that cannot be opened raises
:class:`~streamkit.errors.SourceError` at construction; one that fails while running raises it
from its iterator (the :class:`~streamkit.pipeline.Pipeline` reports ``SourceEnded(reason="error")``).

On Windows and macOS a webcam can be opened by one program at a time. When OBS already shows the
camera, use :class:`ObsScreenshotSource`: it asks OBS for screenshots of that source
(``GetSourceScreenshot``) instead of opening the camera a second time.
"""

from __future__ import annotations

import base64
import binascii
import logging
import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import numpy as np

from ..clock import Clock, WallClock
from ..errors import SourceError
from ..events import VideoFrame
from ..pipeline import Source
from ._media import av_reason, open_stream, stream_duration, truncated

if TYPE_CHECKING:
    from ..obs import ObsSink

__all__ = ["CameraSource", "ObsScreenshotSource", "VideoFileSource", "decode_image_data"]

log = logging.getLogger(__name__)


class VideoFileSource(Source):
    """Frames of a video file (any container/codec PyAV reads) as BGR images.

    ``fps`` keeps at most that many frames per second of video (``None``: every frame);
    ``realtime=True`` releases each frame at its own time on ``clock``.
    A file that ends clearly before its declared duration raises ``SourceError``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        name: str = "video",
        realtime: bool = False,
        fps: float | None = None,
        clock: Clock | None = None,
    ) -> None:
        if fps is not None and fps <= 0:
            raise ValueError("fps must be > 0 or None")
        self.path = Path(path)
        self.name = name
        self.realtime = realtime
        self.max_fps = fps
        self.clock = clock or WallClock()
        self._closed = threading.Event()
        with open_stream(self.path, "video") as (container, stream):
            ctx = stream.codec_context
            self.width: int = ctx.width
            self.height: int = ctx.height
            self.fps: float | None = float(stream.average_rate) if stream.average_rate else None
            self.frame_count: int | None = stream.frames or None
            self.duration: float | None = stream_duration(stream)
            try:
                next(container.decode(stream))
            except (av.error.FFmpegError, StopIteration) as exc:
                reason = "no frame could be decoded" if isinstance(exc, StopIteration) else av_reason(exc)
                raise SourceError(f"{self.path}: the video cannot be decoded ({reason})", "the file is damaged; re-export it") from None

    def __iter__(self) -> Iterator[VideoFrame]:
        self._closed.clear()
        t0 = self.clock.now()
        first: float | None = None
        last_t = 0.0
        last_slot = -1
        with open_stream(self.path, "video") as (container, stream):
            stream.thread_type = "AUTO"
            try:
                for frame in container.decode(stream):
                    if self._closed.is_set():
                        return
                    t = float(frame.time) if frame.time is not None else last_t
                    if first is None:
                        first = t
                    last_t = t
                    if self.max_fps is not None:
                        slot = math.floor((t - first) * self.max_fps + 1e-6)
                        if slot <= last_slot:
                            continue
                        last_slot = slot
                    if self.realtime:
                        self.clock.sleep_until(t0 + (t - first))
                    yield VideoFrame(source=self.name, image=frame.to_ndarray(format="bgr24"), t=t)
            except av.error.FFmpegError as exc:
                raise SourceError(f"{self.path}: decoding failed at {last_t:.1f} s ({av_reason(exc)})", "the file is damaged; re-export it") from None
        frame_time = 1.0 / self.fps if self.fps else 0.0
        if not self._closed.is_set() and truncated(last_t + frame_time, self.duration):
            raise SourceError(f"{self.path}: video ends at {last_t:.1f} s of {self.duration:.1f} s", "the file is truncated; copy or export it again")

    def close(self) -> None:
        self._closed.set()


@contextmanager
def _quiet_opencv() -> Iterator[Any]:
    """Import cv2 and silence its probing warnings ('can't open camera by index') for the block."""
    import cv2

    previous = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        yield cv2
    finally:
        cv2.utils.logging.setLogLevel(previous)


class CameraSource(Source):
    """Frames from a webcam through OpenCV; ``index`` as listed by ``streamkit devices``.

    ``width``/``height``/``fps`` are requests to the driver (it may pick the nearest it supports).
    """

    MAX_FAILED_READS = 30

    def __init__(
        self,
        index: int = 0,
        name: str = "camera",
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.index = index
        self.name = name
        self.clock = clock or WallClock()
        self._closed = threading.Event()
        self._reading = threading.Lock()
        with _quiet_opencv() as cv2:
            cap = cv2.VideoCapture(index)
            if not cap.isOpened():
                cap.release()
                raise SourceError(
                    f"camera {index} could not be opened",
                    "plug in a webcam (see `streamkit devices`), close other apps using it, or read the camera source OBS already shows",
                )
            for prop, value in ((cv2.CAP_PROP_FRAME_WIDTH, width), (cv2.CAP_PROP_FRAME_HEIGHT, height), (cv2.CAP_PROP_FPS, fps)):
                if value:
                    cap.set(prop, value)
        self._cap = cap

    def __iter__(self) -> Iterator[VideoFrame]:
        self._closed.clear()
        t0 = self.clock.now()
        failed = 0
        with self._reading:
            try:
                while not self._closed.is_set():
                    ok, image = self._cap.read()
                    if not ok or image is None:
                        failed += 1
                        if failed >= self.MAX_FAILED_READS:
                            raise SourceError(f"camera {self.index} stopped delivering frames", "check the cable, or whether another app took the camera")
                        continue
                    failed = 0
                    yield VideoFrame(source=self.name, image=image, t=self.clock.now() - t0)
            finally:
                if self._closed.is_set():
                    self._cap.release()

    def close(self) -> None:
        self._closed.set()
        if self._reading.acquire(blocking=False):  # not being read: release now
            try:
                self._cap.release()
            finally:
                self._reading.release()


def decode_image_data(image_data: str) -> np.ndarray:
    """A ``data:image/...;base64,`` string (as OBS returns screenshots) → BGR ``uint8`` image."""
    import cv2

    payload = image_data.split(",", 1)[1] if image_data.startswith("data:") else image_data
    try:
        raw = base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"screenshot is not base64 ({exc})") from None
    image = cv2.imdecode(np.frombuffer(raw, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("screenshot bytes are not an image OpenCV can decode")
    return image


class ObsScreenshotSource(Source):
    """Frames of an OBS source (e.g. the webcam OBS already owns) via ``GetSourceScreenshot``.

    Polls ``fps`` times a second through ``obs.request``; OBS scales the image to
    ``width``×``height``. While OBS is away the source waits (the client reconnects); a source
    OBS does not have raises ``SourceError``.
    """

    MAX_FAILED_REQUESTS = 20

    def __init__(
        self,
        obs: "ObsSink",
        source_name: str,
        fps: float = 10,
        width: int = 640,
        height: int = 480,
        name: str | None = None,
        clock: Clock | None = None,
        image_format: str = "png",
    ) -> None:
        if fps <= 0:
            raise ValueError("fps must be > 0")
        self.obs = obs
        self.source_name = source_name
        self.fps = fps
        self.width = width
        self.height = height
        self.name = name or f"obs:{source_name}"
        self.clock = clock or WallClock()
        self.image_format = image_format
        self._closed = threading.Event()

    def grab(self) -> np.ndarray:
        """One screenshot now, as a BGR image (raises the OBS client's errors)."""
        reply = self.obs.request(
            "GetSourceScreenshot",
            {"sourceName": self.source_name, "imageFormat": self.image_format, "imageWidth": self.width, "imageHeight": self.height},
        )
        return decode_image_data(reply["imageData"])

    def __iter__(self) -> Iterator[VideoFrame]:
        from ..obs.errors import ObsRequestError, ObsUnavailable

        self._closed.clear()
        t0 = self.clock.now()
        tick = 0
        failed = 0
        waiting_logged = False
        while not self._closed.is_set():
            self.clock.sleep_until(t0 + tick / self.fps)
            tick = max(tick + 1, math.floor((self.clock.now() - t0) * self.fps))  # drop ticks we are late for
            try:
                image = self.grab()
            except ObsUnavailable as exc:
                if not waiting_logged:
                    log.warning("OBS unavailable, %s waits for it: %s", self.name, exc)
                    waiting_logged = True
                continue
            except ObsRequestError as exc:
                code = getattr(exc, "code", 0)
                comment = getattr(exc, "comment", str(exc))
                failed += 1
                if code in (600, 601) or failed >= self.MAX_FAILED_REQUESTS:
                    raise SourceError(f"OBS source {self.source_name!r} cannot be captured ({comment}, code {code})", "check the source name in OBS, or run `streamkit obs doctor`") from None
                continue
            except (ValueError, KeyError) as exc:
                failed += 1
                if failed >= self.MAX_FAILED_REQUESTS:
                    raise SourceError(f"OBS screenshots of {self.source_name!r} cannot be read ({exc})", "update OBS (obs-websocket 5) and try again") from None
                continue
            failed = 0
            waiting_logged = False
            yield VideoFrame(source=self.name, image=image, t=self.clock.now() - t0)

    def close(self) -> None:
        self._closed.set()
