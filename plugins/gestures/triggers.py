"""When a seen gesture becomes an action: hold, re-arm, cooldown, arm/disarm, confirm, pause.

Pure logic on timestamps, no models and no clock of its own, so every rule is tested with
made-up observations. One :class:`Observation` per video frame goes in; :class:`Fire` records
come out.

- A gesture must score at least its threshold for its whole **hold** time (frame after frame).
- Holds only start once tracking of that gesture's modality (hand or face) has been present and
  stable for ``settle`` seconds; while tracking is lost or unstable every hold of that modality
  is dropped (**pause**). So nothing fires on the frame where tracking starts or ends.
- After firing, the gesture is **latched** until it is seen (tracked) below its re-arm level:
  one held gesture fires once, however long it is held, and losing tracking does not re-arm it.
  A latched gesture blocks every rule that uses it.
- A rule then **cools down** for ``cooldown`` seconds.
- With an **arm gesture**, nothing fires until that gesture is held (``arm_hold``); holding it
  again disarms.
- A rule with ``confirm`` asks first: its hold only requests confirmation, and the action runs
  when the confirm gesture (by default the same gesture, made again) is held within
  ``confirm_window`` seconds. Other rules wait meanwhile.
- While the engine is **paused** (the panel's "pause all triggers", or a pause gesture) a held
  gesture is latched but fires nothing (so resuming does not fire it either), and a pending
  confirmation is dropped — except for rules marked ``while_paused`` (the resume gesture), which
  must still be heard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Modality = Literal["hand", "face"]
MODALITIES: tuple[Modality, ...] = ("hand", "face")


@dataclass(frozen=True)
class GestureSpec:
    """One gesture a rule listens to, with its threshold, hold (s) and re-arm level."""

    name: str
    modality: Modality
    threshold: float
    hold: float
    rearm_below: float


@dataclass(frozen=True)
class Rule:
    """Any of ``gestures`` held → ``action`` (opaque to the engine)."""

    name: str
    gestures: tuple[GestureSpec, ...]
    cooldown: float = 2.0
    confirm: bool = False
    action: Any = None
    while_paused: bool = False  # still fires while the engine is paused (the resume rule)


@dataclass(frozen=True)
class Observation:
    """What one frame showed: per modality whether tracking is present *and* stable, and scores."""

    t: float
    tracking: dict[str, bool]
    scores: dict[str, float]


FireKind = Literal["action", "confirm_requested", "confirm_expired", "armed", "disarmed"]


@dataclass(frozen=True)
class Fire:
    """Something the engine decided at time ``t``."""

    kind: FireKind
    t: float
    gesture: str
    score: float
    rule: Rule | None = None


@dataclass(frozen=True)
class HoldStatus:
    """A hold in progress (for the feedback overlay)."""

    rule: str
    gesture: str
    score: float
    progress: float


@dataclass(frozen=True)
class EngineStatus:
    """The engine's state after the last observation, for feedback."""

    t: float
    armed: bool
    tracking: dict[str, str]  # modality → "lost" | "settling" | "ready"
    holds: list[HoldStatus]
    pending: tuple[str, str, float] | None  # (rule, confirm gesture, seconds left)
    cooling: dict[str, float]  # rule → seconds left
    latched: list[str]


@dataclass
class _Pending:
    rule: Rule
    spec: GestureSpec
    expires: float


@dataclass
class _RuleState:
    cooldown_until: float = float("-inf")
    holds: dict[str, float] = field(default_factory=dict)


class TriggerEngine:
    """Turns observations into fires. ``rules`` in priority order; see the module docstring."""

    def __init__(
        self,
        rules: list[Rule],
        *,
        settle: float = 0.3,
        arm: GestureSpec | None = None,
        start_armed: bool | None = None,
        confirm: GestureSpec | None = None,
        confirm_window: float = 4.0,
    ) -> None:
        if settle < 0 or confirm_window <= 0:
            raise ValueError("settle must be >= 0 and confirm_window > 0")
        self.rules = list(rules)
        self.settle = settle
        self.arm = arm
        self.armed = (arm is None) if start_armed is None else start_armed
        self.confirm_spec = confirm
        self.confirm_window = confirm_window
        self._state = {r.name: _RuleState() for r in self.rules}
        if len(self._state) != len(self.rules):
            raise ValueError("rule names must be unique")
        self._ready_since: dict[str, float | None] = {m: None for m in MODALITIES}
        self._latched: dict[str, GestureSpec] = {}
        self._arm_hold: float | None = None
        self._pending: _Pending | None = None
        self._confirm_hold: float | None = None
        self._last: Observation | None = None
        self.paused = False

    # ---------------------------------------------------------------- helpers
    def _ready(self, modality: str, t: float) -> bool:
        since = self._ready_since.get(modality)
        return since is not None and t - since >= self.settle

    def _active(self, spec: GestureSpec, obs: Observation) -> bool:
        return (spec.name not in self._latched and self._ready(spec.modality, obs.t)
                and obs.scores.get(spec.name, 0.0) >= spec.threshold)

    def _latch(self, spec: GestureSpec) -> None:
        self._latched[spec.name] = spec
        for st in self._state.values():
            st.holds.pop(spec.name, None)

    @staticmethod
    def _held(start: float | None, spec: GestureSpec, t: float) -> bool:
        return start is not None and t - start >= spec.hold - 1e-9

    # ---------------------------------------------------------------- main step
    def update(self, obs: Observation) -> list[Fire]:
        """Feed one frame's observation (times must not go backwards); returns what fired."""
        t = obs.t
        self._track_readiness(obs)
        self._rearm_latched(obs)
        self._drop_unready_holds(t)
        fires = self._arm_step(obs)
        if not self.armed:
            self._clear_holds()
            return fires
        if self._pending is not None and self.paused and not self._pending.rule.while_paused:
            self._pending = None  # paused while asking to confirm: nothing runs
            self._confirm_hold = None
        if self._pending is not None:  # a pending confirmation blocks everything else
            fires += self._confirm_step(obs, self._pending)
            self._clear_holds()
            return fires
        return fires + self._rules_step(obs)

    def _track_readiness(self, obs: Observation) -> None:
        """Note since when each modality is tracked (None while it is not)."""
        for m in MODALITIES:
            if obs.tracking.get(m, False):
                if self._ready_since[m] is None:
                    self._ready_since[m] = obs.t
            else:
                self._ready_since[m] = None
        self._last = obs

    def _rearm_latched(self, obs: Observation) -> None:
        """Re-arm: a latched gesture seen (ready) below its re-arm level."""
        for name, spec in list(self._latched.items()):
            if self._ready(spec.modality, obs.t) and obs.scores.get(name, 0.0) < spec.rearm_below:
                del self._latched[name]

    def _drop_unready_holds(self, t: float) -> None:
        """Pause: drop holds of modalities that are not ready."""
        for rule in self.rules:
            holds = self._state[rule.name].holds
            for spec in rule.gestures:
                if spec.name in holds and not self._ready(spec.modality, t):
                    del holds[spec.name]
        if self.arm is not None and not self._ready(self.arm.modality, t):
            self._arm_hold = None

    def _clear_holds(self) -> None:
        for st in self._state.values():
            st.holds.clear()

    def _arm_step(self, obs: Observation) -> list[Fire]:
        """Arm / disarm when the arm gesture has been held."""
        if self.arm is None:
            return []
        t = obs.t
        if not self._active(self.arm, obs):
            self._arm_hold = None
            return []
        self._arm_hold = t if self._arm_hold is None else self._arm_hold
        if not self._held(self._arm_hold, self.arm, t):
            return []
        self.armed = not self.armed
        self._arm_hold = None
        self._latch(self.arm)
        self._pending = None
        self._clear_holds()
        return [Fire("armed" if self.armed else "disarmed", t, self.arm.name, obs.scores.get(self.arm.name, 0.0))]

    def _confirm_step(self, obs: Observation, p: _Pending) -> list[Fire]:
        """The pending action runs when its confirm gesture is held in time, and expires otherwise."""
        t = obs.t
        if t > p.expires:
            self._pending = None
            self._confirm_hold = None
            return [Fire("confirm_expired", t, p.spec.name, 0.0, p.rule)]
        if not self._active(p.spec, obs):
            self._confirm_hold = None
            return []
        self._confirm_hold = t if self._confirm_hold is None else self._confirm_hold
        if not self._held(self._confirm_hold, p.spec, t):
            return []
        self._state[p.rule.name].cooldown_until = t + p.rule.cooldown
        self._latch(p.spec)
        self._pending = None
        self._confirm_hold = None
        return [Fire("action", t, p.spec.name, obs.scores.get(p.spec.name, 0.0), p.rule)]

    def _rules_step(self, obs: Observation) -> list[Fire]:
        """Holds of every rule out of cooldown; the first gesture held long enough fires (or asks to confirm)."""
        t = obs.t
        fires: list[Fire] = []
        for rule in self.rules:
            st = self._state[rule.name]
            if t < st.cooldown_until:
                st.holds.clear()
                continue
            for spec in rule.gestures:
                if not self._active(spec, obs):
                    st.holds.pop(spec.name, None)
                    continue
                start = st.holds.setdefault(spec.name, t)
                if not self._held(start, spec, t):
                    continue
                score = obs.scores.get(spec.name, 0.0)
                self._latch(spec)
                if self.paused and not rule.while_paused:
                    break  # seen and latched, but a paused engine fires nothing
                if rule.confirm:
                    self._pending = _Pending(rule, self.confirm_spec or spec, t + self.confirm_window)
                    self._confirm_hold = None
                    fires.append(Fire("confirm_requested", t, spec.name, score, rule))
                    return fires
                st.cooldown_until = t + rule.cooldown
                fires.append(Fire("action", t, spec.name, score, rule))
                break
        return fires

    # ---------------------------------------------------------------- feedback
    def status(self) -> EngineStatus:
        """What the engine is doing now: tracking, holds in progress, pending confirmation, cooldowns."""
        obs = self._last
        t = obs.t if obs else 0.0
        scores = obs.scores if obs else {}
        tracking = {}
        for m in MODALITIES:
            since = self._ready_since[m]
            tracking[m] = "lost" if since is None else ("ready" if t - since >= self.settle else "settling")
        holds: list[HoldStatus] = []
        for rule in self.rules:
            for spec in rule.gestures:
                start = self._state[rule.name].holds.get(spec.name)
                if start is not None:
                    progress = min(1.0, (t - start) / spec.hold) if spec.hold > 0 else 1.0
                    holds.append(HoldStatus(rule.name, spec.name, scores.get(spec.name, 0.0), progress))
        if self.arm is not None and self._arm_hold is not None:
            holds.append(HoldStatus("arm" if not self.armed else "disarm", self.arm.name, scores.get(self.arm.name, 0.0),
                                    min(1.0, (t - self._arm_hold) / self.arm.hold) if self.arm.hold > 0 else 1.0))
        pending = None
        if self._pending is not None:
            p = self._pending
            pending = (p.rule.name, p.spec.name, max(0.0, p.expires - t))
            if self._confirm_hold is not None:
                holds.append(HoldStatus("confirm " + p.rule.name, p.spec.name, scores.get(p.spec.name, 0.0),
                                        min(1.0, (t - self._confirm_hold) / p.spec.hold) if p.spec.hold > 0 else 1.0))
        cooling = {r.name: self._state[r.name].cooldown_until - t for r in self.rules if self._state[r.name].cooldown_until > t}
        return EngineStatus(t=t, armed=self.armed, tracking=tracking, holds=holds, pending=pending,
                            cooling=cooling, latched=sorted(self._latched))
