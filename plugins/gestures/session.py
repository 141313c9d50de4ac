"""Gesture control inside a live session: source → GestureProcessor pipeline, overlay page, summary file."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

from streamkit.pipeline import Pipeline

from .actions import ActionRunner
from .config import GesturesConfig
from .detector import GestureDetector, HandClassifier
from .events import GestureTriggered
from .face import FaceTracker, load_neutral
from .feedback import PAGE, Feedbacks, OverlayFeedback, overlay_html
from .frames import open_video_source
from .hands import HandTracker
from .preview import PreviewWindow
from .processor import GestureProcessor, check_gestures
from .profile import load_profile

if TYPE_CHECKING:
    from streamkit.runtime import Runtime

log = logging.getLogger(__name__)


def build_processor(config: GesturesConfig, obs: Any, *, bus: Any = None, services: dict[str, Any] | None = None,
                    feedback: Any = None, keep_log: bool = False) -> GestureProcessor:
    """Load the profile and neutral face, check the bindings, open the models the bindings need."""
    profile = load_profile(config.profile)
    check_gestures(config, list(profile.signs) if profile else [])
    neutral = load_neutral(config.neutral)
    hands = face = None
    try:
        if config.tracks("hand"):
            hands = HandTracker(mode="video", max_hands=config.max_hands, min_detection=config.min_hand_confidence,
                                model_path=config.hand_model)
        if config.tracks("face"):
            face = FaceTracker(mode="video", min_detection=config.min_face_confidence, model_path=config.face_model)
    except Exception:
        if hands is not None:
            hands.close()
        raise
    detector = GestureDetector(hands=hands, face=face, classifier=HandClassifier(profile, builtin=config.builtin_signs),
                               neutral=neutral, max_jump=config.max_jump, ignore_hand_on_face=config.ignore_hand_on_face)
    runner = ActionRunner(obs, bus, services)
    return GestureProcessor(config, detector, runner, feedback=feedback, keep_log=keep_log)


class GestureControl:
    """The running gesture control of one session."""

    def __init__(self, config: GesturesConfig, processor: GestureProcessor, pipeline: Pipeline,
                 feedback: Feedbacks) -> None:
        self.config = config
        self.processor = processor
        self.pipeline = pipeline
        self.feedback = feedback
        self.triggered: Counter[str] = Counter()
        self._lock = threading.Lock()

    def count(self, event: Any) -> None:
        if isinstance(event, GestureTriggered):
            with self._lock:
                self.triggered[f"{event.gesture} → {event.action} {event.target}".strip()] += 1

    def stop(self, runtime: "Runtime") -> None:
        """Stop the pipeline (its thread closes the models), then write ``gestures.json``."""
        self.pipeline.stop()
        for thread in runtime.threads:
            if thread.name.startswith("pipeline-gestures"):
                thread.join(10)
        self.processor.runner.wait(5)
        self.feedback.close()
        summary = {
            "bindings": [b.describe() for b in self.config.bindings],
            "triggered": dict(self.triggered),
            "frames": self.processor.frames,
            "frame_ms_p50": self.processor.cost_ms(50),
            "frame_ms_p90": self.processor.cost_ms(90),
        }
        (runtime.session.dir / "gestures.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


def start_gestures(runtime: "Runtime", config: GesturesConfig) -> GestureControl:
    """Open the source and models, add the overlay page (when the session has an overlay server), start the pipeline."""
    overlay = runtime.services.get("overlay") if config.overlay else None
    if overlay is not None:
        overlay.add_page(PAGE, overlay_html(runtime.config.session.language), "gestures / 手势")
    feedback = Feedbacks(OverlayFeedback(overlay, config) if overlay is not None else None,
                         PreviewWindow() if config.preview else None)
    source = open_video_source(
        camera=config.camera if config.source == "camera" else None,
        video=str(runtime.config.resolve_path(config.video)) if config.source == "video" and config.video else None,
        obs_source=config.obs_source if config.source == "obs" else None,
        obs=runtime.obs, fps=config.fps, width=config.width, height=config.height,
        realtime=runtime.realtime, clock=runtime.clock,
    )
    source.name = "gestures"
    try:
        processor = build_processor(config, runtime.obs, bus=runtime.bus, services=runtime.services, feedback=feedback)
    except Exception:
        source.close()
        raise
    control = GestureControl(config, processor, Pipeline(source, [processor], runtime.bus), feedback)
    runtime.bus.subscribe(control.count, GestureTriggered)
    runtime.add_pipeline(control.pipeline)
    if overlay is not None:
        log.info("gesture feedback page: %s", overlay.url(PAGE))
    return control
