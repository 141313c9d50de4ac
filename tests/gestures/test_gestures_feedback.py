"""Feedback: the overlay message, the drawn preview, and a preview window that never kills the process."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from gesture_helpers import FACES, require

from streamkit.plugins.gestures import feedback
from streamkit.plugins.gestures.config import GesturesConfig
from streamkit.plugins.gestures.session import build_processor
from streamkit.sources.video import VideoFileSource

pytestmark = pytest.mark.slow


class Capture:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, Any, Any, Any]] = []

    def __call__(self, frame: Any, result: Any, status: Any, fires: Any) -> None:
        self.calls.append((frame, result, status, fires))


def replay(until: float) -> tuple[GesturesConfig, Capture]:
    import io

    from streamkit.obs import DryRunObs

    config = GesturesConfig.model_validate({"source": "video", "video": str(FACES / "single_face.mp4"), "fps": 30,
                                            "bindings": [{"gestures": ["smile"], "action": "scene", "scene": "商品特写"}]})
    capture = Capture()
    processor = build_processor(config, DryRunObs(out=io.StringIO()), feedback=capture)
    try:
        for ev in VideoFileSource(FACES / "single_face.mp4"):
            if ev.t > until:
                break
            list(processor.process(ev))
    finally:
        processor.close()
    return config, capture


def test_overlay_message_shows_scores_and_hold_progress(model_bytes_loaded: None) -> None:
    config, capture = replay(until=0.9)  # the smile starts at 0.63 s: mid-hold at 0.9 s
    frame, result, status, fires = capture.calls[-1]
    message = feedback.status_message(config, result, status, fires, None)
    assert message["tracking"] == {"face": "ready"}
    assert message["face"]["smile"] > 0.5
    assert len(message["holds"]) == 1 and message["holds"][0]["gesture"] == "smile"
    assert 0.3 < message["holds"][0]["progress"] < 1.0
    assert message["bindings"] == [{"gestures": ["smile"], "action": "scene", "target": "商品特写", "confirm": False}]


def test_drawn_preview_marks_the_frame(model_bytes_loaded: None) -> None:
    _, capture = replay(until=0.9)
    frame, result, status, _ = capture.calls[-1]
    drawn = feedback.draw(frame.image, result, status)
    assert drawn.shape == frame.image.shape and not np.array_equal(drawn, frame.image)
    assert np.array_equal(frame.image, capture.calls[-1][0].image)  # the frame itself is untouched


def test_no_display_disables_the_preview_instead_of_aborting(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamkit.plugins.gestures.preview import PreviewWindow

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    window = PreviewWindow()
    assert not window.enabled
    window(None, None, None, [])  # a disabled window ignores everything
    assert window.close() is None


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A private Xvfb display for this test only."""
    import shutil

    if shutil.which("Xvfb") is None:
    
        require(False, "Xvfb not installed", "run: apt-get install --no-install-recommends xvfb")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        yield ":" + os.read(read_fd, 32).decode().strip()
    finally:
        os.close(read_fd)
        xvfb.terminate()
        xvfb.wait(10)


def test_preview_window_shows_frames_on_a_display(xvfb_display: str, monkeypatch: pytest.MonkeyPatch,
                                                  model_bytes_loaded: None) -> None:
    """PyAV is loaded in this process (it makes an in-process OpenCV window hang): the window process copes."""
    from streamkit.plugins.gestures.preview import PreviewWindow

    monkeypatch.setenv("DISPLAY", xvfb_display)
    window = PreviewWindow()
    assert window.enabled
    _, capture = replay(until=0.5)
    # frames keep coming as from a camera; the window takes the newest whenever it is ready (a busy
    # machine may start the window process slowly, and frames it had no time for are dropped)
    deadline = time.monotonic() + 30
    while window.frames_sent < 5 and window.enabled and time.monotonic() < deadline:
        for frame, result, status, fires in capture.calls:
            window(frame, result, status, fires)
            time.sleep(0.02)
    assert window.enabled and window.frames_sent >= 5
    assert window.close() == 0  # the window process showed them and closed cleanly
