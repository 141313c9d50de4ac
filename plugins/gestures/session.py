"""Gesture control inside a live session: source → GestureProcessor pipeline, overlay page, summary file."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from typing import TYPE_CHECKING

from streamkit.bus import EventBus
from streamkit.component import State, Status, Tasks
from streamkit.events import Event
from streamkit.features import Services
from streamkit.obs.base import ObsSink
from streamkit.pipeline import Pipeline

from .actions import ActionRunner
from .config import GesturesConfig
from .detector import GestureDetector, HandClassifier
from .events import GestureArmed, GestureDetected, GesturesPaused, GestureTriggered
from .face import FaceTracker, load_neutral
from .feedback import PAGE, Feedback, Feedbacks, OverlayFeedback, overlay_html
from .frames import open_video_source
from .hands import HandTracker
from .preview import PreviewWindow
from .processor import GestureProcessor, check_gestures
from .profile import load_profile

if TYPE_CHECKING:
    from streamkit.runtime import Runtime

log = logging.getLogger(__name__)


def build_processor(config: GesturesConfig, obs: ObsSink, *, bus: EventBus | None = None,
                    services: Services | None = None, feedback: Feedback | None = None,
                    keep_log: bool = False) -> GestureProcessor:
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
    """The gestures component of a session, and the :class:`~streamkit.features.GesturesApi` it offers."""

    name = "gestures"

    def __init__(self, runtime: "Runtime", config: GesturesConfig) -> None:
        self.runtime = runtime
        self.config = config
        self.processor: GestureProcessor | None = None
        self.feedback: Feedbacks | None = None
        self.triggered: Counter[str] = Counter()
        self.last_seen = ""
        self.armed = True
        self._paused = False
        self._state = State.STARTING
        self._lock = threading.Lock()
        self._unsubscribe = runtime.bus.subscribe(self._on_event, GestureTriggered, GestureDetected, GestureArmed)

    # GesturesApi ---------------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self, reason: str = "") -> None:
        """No gesture fires until :meth:`resume`; frames are still analysed and shown."""
        self._set_paused(True, reason)

    def resume(self) -> None:
        self._set_paused(False, "")

    def _set_paused(self, paused: bool, reason: str) -> None:
        with self._lock:
            changed = paused != self._paused
            self._paused = paused
            if self.processor is not None:
                self.processor.paused = paused
        if changed:
            self.runtime.bus.publish(GesturesPaused(paused=paused, reason=reason))

    # Component -----------------------------------------------------------------------------------
    def start(self, tasks: Tasks) -> None:
        """Open the source and models, add the overlay page (when the session has one), start the pipeline."""
        rt, config = self.runtime, self.config
        overlay = rt.overlay if config.overlay else None
        if overlay is not None:
            overlay.add_page(PAGE, overlay_html(rt.config.session.language), "gestures / 手势")
        self.feedback = Feedbacks(OverlayFeedback(overlay, config) if overlay is not None else None,
                                  PreviewWindow() if config.preview else None)
        source = open_video_source(
            camera=config.camera if config.source == "camera" else None,
            video=str(rt.config.resolve_path(config.video)) if config.source == "video" and config.video else None,
            obs_source=config.obs_source if config.source == "obs" else None,
            obs=rt.obs, fps=config.fps, width=config.width, height=config.height,
            realtime=rt.realtime, clock=rt.clock,
        )
        source.name = "gestures"
        try:
            processor = build_processor(config, rt.obs, bus=rt.bus, services=rt.services, feedback=self.feedback)
        except Exception:
            source.close()
            raise
        with self._lock:
            processor.paused = self._paused
            self.processor = processor
        tasks.pipeline(Pipeline(source, [processor], rt.bus))
        self._state = State.RUNNING
        if overlay is not None:
            log.info("gesture feedback page: %s", overlay.url(PAGE))

    def stop(self) -> None:
        """The pipeline ended (its thread closed the models): wait for actions, write ``gestures.json``."""
        self._unsubscribe()
        self._state = State.STOPPED
        processor = self.processor
        if processor is None:
            return
        processor.runner.wait(5)
        if self.feedback is not None:
            self.feedback.close()
        summary = {
            "bindings": [b.describe() for b in self.config.bindings],
            "triggered": dict(self.triggered),
            "frames": processor.frames,
            "frame_ms_p50": processor.cost_ms(50),
            "frame_ms_p90": processor.cost_ms(90),
        }
        (self.runtime.session.dir / "gestures.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1),
                                                                 encoding="utf-8")

    def status(self) -> Status:
        """Running, paused or disarmed; what the camera sees; frames analysed; triggers fired."""
        processor = self.processor
        state = self._state
        if state is State.RUNNING and (self._paused or not self.armed):
            state = State.PAUSED
        with self._lock:
            figures: dict[str, int | float | str] = {
                "seeing": self.last_seen, "armed": "yes" if self.armed else "no",
                "frames": processor.frames if processor else 0, "triggered": sum(self.triggered.values())}
        return Status(self.name, state, "", figures)

    def _on_event(self, event: Event) -> None:
        with self._lock:
            if isinstance(event, GestureTriggered):
                self.triggered[f"{event.gesture} → {event.action} {event.target}".strip()] += 1
            elif isinstance(event, GestureDetected):
                self.last_seen = event.gesture
            elif isinstance(event, GestureArmed):
                self.armed = event.armed
