"""Events of the gestures plugin (recorded in the session log)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from streamkit.events import Event, say


@dataclass(frozen=True, kw_only=True)
class GestureDetected(Event):
    """A gesture started being seen (published on change only, not every frame)."""

    gesture: str
    modality: str  # "hand" | "face"
    score: float


@dataclass(frozen=True, kw_only=True)
class GestureTriggered(Event):
    """A held gesture ran its binding's action (``target``: the scene, source, serial … it acted on)."""

    moment: ClassVar[bool] = True

    gesture: str
    modality: str
    action: str
    target: str
    score: float

    def announce(self, language: str) -> str:
        what = f"{self.action} {self.target}".strip()
        return say(language, f"认出手势 {self.gesture}：{what}。", f"Recognised {self.gesture}: {what}.")


@dataclass(frozen=True, kw_only=True)
class GestureConfirmRequested(Event):
    """A consequential action waits for the confirm gesture within ``window`` seconds."""

    gesture: str
    action: str
    target: str
    confirm_gesture: str
    window: float

    def announce(self, language: str) -> str:
        return say(language, f"请用 {self.confirm_gesture} 确认：{self.action}。",
                   f"Confirm {self.action} with {self.confirm_gesture}.")


@dataclass(frozen=True, kw_only=True)
class GestureConfirmExpired(Event):
    """The confirm gesture did not come in time: the action was not run."""

    action: str
    target: str


@dataclass(frozen=True, kw_only=True)
class GestureArmed(Event):
    """The arm gesture switched gesture control on (``armed``) or off."""

    armed: bool
    gesture: str


@dataclass(frozen=True, kw_only=True)
class GestureActionFailed(Event):
    """A triggered action could not be done (e.g. no products plugin, OBS refused a request)."""

    action: str
    target: str
    reason: str

    def announce(self, language: str) -> str:
        return say(language, f"手势动作没有完成：{self.reason}", f"Gesture action failed: {self.reason}")


@dataclass(frozen=True, kw_only=True)
class GesturesPaused(Event):
    """Every gesture trigger was paused (``paused``) or resumed, e.g. from the panel or by voice."""

    paused: bool
    reason: str = ""

    def announce(self, language: str) -> str:
        if self.paused:
            return say(language, "所有手势触发已暂停。", "All gesture triggers paused.")
        return say(language, "手势触发已恢复。", "Gesture triggers resumed.")


EVENT_TYPES: tuple[type[Event], ...] = (GestureDetected, GestureTriggered, GestureConfirmRequested,
                                        GestureConfirmExpired, GestureArmed, GestureActionFailed, GesturesPaused)
