"""The gesture pipeline step: video frames in, gesture events and OBS actions out."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from streamkit.errors import ConfigError
from streamkit.events import Event, VideoFrame
from streamkit.pipeline import Processor

from .actions import ActionRunner
from .config import Binding, GesturesConfig, gesture_modality
from .detector import FrameResult, GestureDetector
from .events import GestureArmed, GestureConfirmExpired, GestureConfirmRequested, GestureDetected, GestureTriggered
from .face import FACE_GESTURES
from .signs import BUILTIN_SIGNS
from .triggers import EngineStatus, Fire, GestureSpec, Rule, TriggerEngine

log = logging.getLogger(__name__)

DETECTED_REPEAT_S = 1.0  # the same gesture is announced at most once a second


def _spec(config: GesturesConfig, name: str, *, threshold: float | None = None, hold_ms: int | None = None,
          rearm: float = 0.6) -> GestureSpec:
    thr = config.threshold_of(name, threshold)
    hold = (hold_ms or config.hold_ms) / 1000
    if name == "long_blink":
        hold = max(hold, config.long_blink_ms / 1000)
    return GestureSpec(name=name, modality=gesture_modality(name), threshold=thr, hold=hold, rearm_below=thr * rearm)


def check_gestures(config: GesturesConfig, personal: list[str], where: str = "[gestures]") -> None:
    """Every gesture named in ``config`` must be known; else a one-line ``ConfigError``."""
    known = set(FACE_GESTURES) | set(personal) | (set(BUILTIN_SIGNS) if config.builtin_signs else set())
    for i, b in enumerate(config.bindings, start=1):
        for g in b.gestures:
            if g not in known:
                hint = ("it is a built-in sign but builtin_signs = false" if g in BUILTIN_SIGNS
                        else f"enroll it first: streamkit gestures enroll {g} --camera")
                raise ConfigError(f"{where} bindings {i}: gesture {g!r} is not a built-in sign, a face gesture or a personal sign", hint)
    for key in ("arm_gesture", "confirm_gesture"):
        g = getattr(config, key)
        if g and g not in known:
            raise ConfigError(f"{where} {key}: gesture {g!r} is not known", "use a built-in sign, a face gesture or an enrolled sign")


def build_engine(config: GesturesConfig) -> TriggerEngine:
    """A trigger engine with one rule per binding, plus the arm and confirm gestures."""
    rules = []
    for i, b in enumerate(config.bindings, start=1):
        specs = tuple(_spec(config, g, threshold=b.threshold, hold_ms=b.hold_ms, rearm=b.rearm) for g in b.gestures)
        cooldown = (b.cooldown_ms if b.cooldown_ms is not None else config.cooldown_ms) / 1000
        rules.append(Rule(name=f"{i}: {b.describe()}", gestures=specs, cooldown=cooldown, confirm=b.needs_confirm,
                          action=b, while_paused=b.action == "resume_triggers"))
    arm = _spec(config, config.arm_gesture, hold_ms=config.arm_hold_ms) if config.arm_gesture else None
    confirm = _spec(config, config.confirm_gesture) if config.confirm_gesture else None
    return TriggerEngine(rules, settle=config.settle_ms / 1000, arm=arm, confirm=confirm,
                         confirm_window=config.confirm_window_ms / 1000)


@dataclass
class FrameLog:
    """One analysed frame, kept when ``keep_log`` is on (tests, benchmarks, calibration)."""

    t: float
    tracking: dict[str, bool]
    hand: str
    face_scores: dict[str, float]
    fires: list[Fire] = field(default_factory=list)


class GestureProcessor(Processor):
    """Analyses ``VideoFrame`` events (at most ``config.fps`` a second) and yields gesture events.

    Actions run through ``runner``; ``feedback`` (if given) is called with each frame's result and
    the engine's status, e.g. to update the overlay page or a preview window. While ``paused`` the
    frames are still analysed and shown, but nothing fires except a ``resume_triggers`` binding (a
    gesture held through the pause stays latched, so resuming does not fire it).
    """

    def __init__(
        self,
        config: GesturesConfig,
        detector: GestureDetector,
        runner: ActionRunner,
        *,
        engine: TriggerEngine | None = None,
        feedback: Callable[[VideoFrame, FrameResult, EngineStatus, list[Fire]], None] | None = None,
        keep_log: bool = False,
    ) -> None:
        self.config = config
        self.detector = detector
        self.runner = runner
        self.engine = engine or build_engine(config)
        self.feedback = feedback
        self.log: list[FrameLog] | None = [] if keep_log else None
        self._min_gap = 1.0 / config.fps
        self._last_t: float | None = None
        self._announced: dict[str, float] = {}
        self._seen: set[str] = set()
        self._thresholds = {s.name: s.threshold for r in self.engine.rules for s in r.gestures}
        self._watched = config.gestures_used()
        self.frames = 0
        self._costs: deque[float] = deque(maxlen=5000)

    @property
    def paused(self) -> bool:
        """True while triggers are paused (only the resume binding fires)."""
        return self.engine.paused

    @paused.setter
    def paused(self, value: bool) -> None:
        self.engine.paused = value

    def cost_ms(self, percentile: float) -> float | None:
        """Percentile of the analysis time per frame (landmarks + classification + triggers), in ms."""
        return round(float(np.percentile(list(self._costs), percentile)), 2) if self._costs else None

    def process(self, event: Event) -> Iterable[Event]:
        if not isinstance(event, VideoFrame):
            return
        if self._last_t is not None and event.t - self._last_t < self._min_gap * 0.9:
            return
        self._last_t = event.t
        started = time.perf_counter()
        result = self.detector.observe(event.image, event.t)
        fires = self.engine.update(result.observation())
        self._costs.append((time.perf_counter() - started) * 1000)
        self.frames += 1
        out: list[Event] = list(self._detected(result))
        for fire in fires:
            out.extend(self._fired(fire))
        if self.log is not None:
            self.log.append(FrameLog(result.t, dict(result.tracking), result.hand.name, dict(result.face_scores), fires))
        if self.feedback is not None:
            try:
                self.feedback(event, result, self.engine.status(), fires)
            except Exception:  # noqa: BLE001 - feedback must never stop control
                log.exception("gesture feedback failed")
        yield from out

    def _detected(self, result: FrameResult) -> Iterable[Event]:
        """``GestureDetected`` when a bound gesture starts being seen (not every frame)."""
        now: dict[str, tuple[str, float]] = {}
        if result.tracking.get("hand") and result.hand.name in self._watched:
            now[result.hand.name] = ("hand", result.hand.score)
        if result.tracking.get("face"):
            for name, score in result.face_scores.items():
                if name in self._watched and score >= self._thresholds.get(name, self.config.threshold_of(name)):
                    now[name] = ("face", score)
        for name, (modality, score) in now.items():
            if name not in self._seen and result.t - self._announced.get(name, float("-inf")) >= DETECTED_REPEAT_S:
                self._announced[name] = result.t
                yield GestureDetected(gesture=name, modality=modality, score=round(score, 3))
        self._seen = set(now)

    def _fired(self, fire: Fire) -> list[Event]:
        binding: Binding | None = fire.rule.action if fire.rule is not None else None
        if fire.kind in ("armed", "disarmed"):
            return [GestureArmed(armed=fire.kind == "armed", gesture=fire.gesture)]
        assert binding is not None
        if fire.kind == "confirm_requested":
            confirm = self.engine.confirm_spec.name if self.engine.confirm_spec else fire.gesture
            return [GestureConfirmRequested(gesture=fire.gesture, action=binding.action, target=binding.target,
                                            confirm_gesture=confirm, window=self.engine.confirm_window)]
        if fire.kind == "confirm_expired":
            return [GestureConfirmExpired(action=binding.action, target=binding.target)]
        log.info("gesture %s → %s %s", fire.gesture, binding.action, binding.target)
        events: list[Event] = [GestureTriggered(gesture=fire.gesture, modality=gesture_modality(fire.gesture),
                                                action=binding.action, target=binding.target, score=round(fire.score, 3))]
        events.extend(self.runner.run(binding))
        return events

    def close(self) -> None:
        self.detector.close()
        self.runner.close()
