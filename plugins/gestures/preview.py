"""The local preview window, shown by a child process (``python -m streamkit.plugins.gestures.preview``).

Why a child process: OpenCV's window (Qt) aborts the whole process when no display can be reached,
hangs when PyAV was imported before OpenCV (their bundled libraries clash), and on macOS only works
from the main thread. The child imports OpenCV first and shows what the parent sends; the parent
draws each frame (landmarks, scores, hold bars) and writes it to the child's stdin, dropping frames
the child is too slow for. If the child dies (no display, window closed) the preview just stops.

Wire format per frame: 8 bytes (height, width as big-endian uint32), then height × width × 3 BGR bytes.
"""

from __future__ import annotations

import logging
import os
import queue
import struct
import subprocess
import sys
import threading
from typing import Any

HEADER = struct.Struct("!II")
log = logging.getLogger(__name__)


def display_problem() -> str:
    """Why no window can open here ('' when one might)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no display (DISPLAY is not set)"
    return ""


class PreviewWindow:
    """Parent side: draws each frame and hands it to the window process; never blocks the frame loop."""

    def __init__(self, title: str = "streamkit gestures") -> None:
        self.title = title
        self.frames_sent = 0
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._child: subprocess.Popen[bytes] | None = None
        self._writer: threading.Thread | None = None
        problem = display_problem()
        self.enabled = not problem
        if problem:
            log.warning("preview window unavailable: %s — use the overlay page /gestures, or set [gestures] preview = false", problem)
            return
        self._child = subprocess.Popen([sys.executable, "-m", "streamkit.plugins.gestures.preview", title],
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._writer = threading.Thread(target=self._write_loop, name="gesture-preview", daemon=True)
        self._writer.start()

    def _write_loop(self) -> None:
        child = self._child
        assert child is not None and child.stdin is not None
        while True:
            image = self._queue.get()
            if image is None:
                break
            try:
                child.stdin.write(HEADER.pack(image.shape[0], image.shape[1]))
                child.stdin.write(image.tobytes())
                child.stdin.flush()
                self.frames_sent += 1
            except (BrokenPipeError, OSError, ValueError):
                self.enabled = False
                log.warning("preview window closed or could not open (exit code %s)", child.poll())
                break

    def __call__(self, frame: Any, result: Any, status: Any, fires: Any) -> None:
        if not self.enabled:
            return
        if self._child is not None and self._child.poll() is not None:
            self.enabled = False
            log.warning("preview window ended (exit code %s)", self._child.returncode)
            return
        from .feedback import draw

        image = draw(frame.image, result, status)
        try:
            self._queue.get_nowait()  # drop a frame the window has not taken yet
        except queue.Empty:
            pass
        self._queue.put_nowait(image)

    def close(self, timeout: float = 5.0) -> int | None:
        """Close the window; returns the window process's exit code (0: it showed frames and closed cleanly)."""
        if self._child is None:
            return None
        try:
            self._queue.get_nowait()
        except queue.Empty:
            pass
        self._queue.put(None)
        if self._writer is not None:
            self._writer.join(timeout)
        try:
            if self._child.stdin is not None:
                self._child.stdin.close()
        except OSError:
            pass
        try:
            return self._child.wait(timeout)
        except subprocess.TimeoutExpired:
            self._child.kill()
            return self._child.wait()
        finally:
            self.enabled = False


def _read_exact(stream: Any, n: int) -> bytes | None:
    chunks = []
    while n:
        chunk = stream.read(n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def main(argv: list[str] | None = None) -> int:
    """Child side: show frames from stdin until it closes; exit code 0 when it did so cleanly."""
    import cv2  # before anything that might import PyAV
    import numpy as np

    title = (argv or sys.argv[1:] or ["streamkit gestures"])[0]
    stdin = sys.stdin.buffer
    try:
        while True:
            header = _read_exact(stdin, HEADER.size)
            if header is None:
                break
            h, w = HEADER.unpack(header)
            data = _read_exact(stdin, h * w * 3)
            if data is None:
                break
            cv2.imshow(title, np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3))
            cv2.waitKey(1)
    finally:
        try:
            cv2.destroyAllWindows()
            cv2.waitKey(1)
        except cv2.error:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
