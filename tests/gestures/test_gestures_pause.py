"""Hands-free pause and resume: a paused session still hears its resume gesture (real video, real models)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from gesture_helpers import FACES

from streamkit.config import CORE_SECTIONS, validate
from streamkit.features import GESTURES
from streamkit.hooks import Plugins
from streamkit.obs import DryRunObs
from streamkit.runtime import finish_session, start_session
from streamkit.session import SessionStore, read_events

pytestmark = pytest.mark.slow


def test_a_paused_session_resumes_on_its_resume_gesture(tmp_path: Path, model_bytes_loaded: None) -> None:
    import streamkit.plugins.gestures as gestures
    from streamkit.plugins.gestures.config import GesturesConfig

    config = validate({
        "overlay": {"enabled": False},
        "gestures": {"source": "video", "video": str(FACES / "single_face.mp4"),
                     "bindings": [{"gestures": ["smile"], "action": "resume_triggers"}]},
    }, "test.toml", {**CORE_SECTIONS, "gestures": GesturesConfig})
    runtime = start_session(config, DryRunObs(out=io.StringIO()), Plugins.of(gestures), store=SessionStore(tmp_path),
                            realtime=True)
    try:
        control = runtime.services.get(GESTURES)
        control.pause("panel")  # before the smile (≈ 1.5 s into the clip) is held
        assert control.paused
        runtime.wait_input(30)
    finally:
        session = finish_session(runtime)
    assert not control.paused
    events, _ = read_events(session.events_path)
    paused = [(e.paused, e.reason) for e in events if e.type == "GesturesPaused"]  # type: ignore[attr-defined]
    assert paused == [(True, "panel"), (False, "")]
    fired = [(e.gesture, e.action) for e in events if e.type == "GestureTriggered"]  # type: ignore[attr-defined]
    assert fired == [("smile", "resume_triggers")]
