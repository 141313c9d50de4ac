"""Helpers for the gestures tests (importable as ``gesture_helpers``)."""

from __future__ import annotations

from streamkit.testing.helpers import require  # noqa: F401 - re-exported for the tests here

import io
from pathlib import Path
from typing import Any

from streamkit.events import Event
from streamkit.obs import DryRunObs
from streamkit.pipeline import run_test
from streamkit.sources.video import VideoFileSource

REPO = Path(__file__).resolve().parents[2]
HANDS = REPO / "samples" / "media" / "hands"
FACES = REPO / "samples" / "media" / "faces"


def run_video(config: dict[str, Any], video: Path, obs: Any = None, until: float | None = None) -> tuple[list[Event], Any, Any]:
    """Replay ``video`` (up to ``until`` seconds) through a GestureProcessor built from ``config``.

    Returns (events, the processor's per-frame log, the OBS sink — a DryRunObs unless given).
    """
    from streamkit.plugins.gestures.config import GesturesConfig
    from streamkit.plugins.gestures.session import build_processor

    cfg = GesturesConfig.model_validate({"source": "video", "video": str(video), "fps": 30, **config})
    obs = obs if obs is not None else DryRunObs(out=io.StringIO())
    processor = build_processor(cfg, obs, keep_log=True)
    try:
        frames = (ev for ev in VideoFileSource(video) if until is None or ev.t <= until)
        events = run_test(processor, frames)
        processor.runner.wait()
    finally:
        processor.close()
    return events, processor.log, obs
