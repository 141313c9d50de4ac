"""The typed result of parsing a voice command: :class:`CommandAction` and :class:`Command`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from streamkit.features import ProductAction


class CommandAction(StrEnum):
    """What a voice command asks for. The values are the ``action`` strings of ``streamkit commands parse``."""

    SCENE = "scene"
    MUTE = "mute"
    UNMUTE = "unmute"
    SHOW_SOURCE = "show_source"
    HIDE_SOURCE = "hide_source"
    RECORD_START = "record_start"
    RECORD_STOP = "record_stop"
    STREAM_START = "stream_start"
    STREAM_STOP = "stream_stop"
    PAUSE_TRIGGERS = "pause_triggers"
    RESUME_TRIGGERS = "resume_triggers"
    STATUS = "status"
    SHOW = "show"
    HIDE = "hide"
    NEXT = "next"
    PREVIOUS = "previous"
    FLASH_SALE = "flash_sale"
    CONFIRM = "confirm"
    CANCEL = "cancel"

    @property
    def is_product(self) -> bool:
        """A product-card action (show, hide, next, previous, flash_sale)."""
        return self in PRODUCT_ACTIONS

    @property
    def needs_confirmation(self) -> bool:
        """Starting or stopping a recording or the stream waits for 确认 / "confirm"."""
        return self in CONFIRMED_ACTIONS

    @property
    def product_action(self) -> ProductAction | None:
        """The :class:`~streamkit.features.ProductAction` of a product action (for ``run_product_action``)."""
        return ProductAction(self.value) if self in PRODUCT_ACTIONS else None

    @property
    def target_kind(self) -> Literal["scene", "source", ""]:
        """What ``Command.target`` names for this action: an OBS scene, an OBS source, or nothing."""
        if self is CommandAction.SCENE:
            return "scene"
        return "source" if self in SOURCE_ACTIONS else ""


PRODUCT_ACTIONS = frozenset({CommandAction.SHOW, CommandAction.HIDE, CommandAction.NEXT, CommandAction.PREVIOUS,
                             CommandAction.FLASH_SALE})
CONFIRMED_ACTIONS = frozenset({CommandAction.RECORD_START, CommandAction.RECORD_STOP, CommandAction.STREAM_START,
                               CommandAction.STREAM_STOP})
SOURCE_ACTIONS = frozenset({CommandAction.MUTE, CommandAction.UNMUTE, CommandAction.SHOW_SOURCE,
                            CommandAction.HIDE_SOURCE})
ALL_ACTIONS = frozenset(CommandAction)

Language = Literal["", "zh", "en"]


@dataclass(frozen=True)
class Command:
    """What one utterance asks for; ``action`` is None when it asks for nothing (``reason`` says why).

    - ``target``: the exact OBS scene or source name (scene, mute, unmute, show_source, hide_source).
      None with an action means the words named no scene/source OBS has: ``spoken_target`` holds
      them, so the answer can be "no scene called X; the scenes are …".
    - ``product`` (serial) and ``seconds`` for product actions.
    - ``complete``: no further words could change the command (safe to act on a partial caption).
    - ``standalone``: a command only as a whole utterance (short forms like "确认", "3号链接").
    """

    action: CommandAction | None
    target: str | None = None
    product: int | None = None
    seconds: int | None = None
    confidence: float = 0.0
    complete: bool = True
    standalone: bool = False
    language: Language = ""
    matched: str = ""
    spoken_target: str = ""
    reason: str = ""

    @property
    def needs_confirmation(self) -> bool:
        """True for record/stream start/stop: the execution side asks for 确认 / "confirm" first."""
        return self.action is not None and self.action.needs_confirmation

    @property
    def names_nothing_known(self) -> bool:
        """It names a scene or source OBS does not have (the answer will be "no scene called X")."""
        return self.action is not None and bool(self.action.target_kind) and self.target is None

    @property
    def key(self) -> tuple[str | None, str | None, int | None, int | None]:
        """What makes two commands the same action (for de-duplication)."""
        return (self.action.value if self.action else None, self.target, self.product, self.seconds)

    def to_json(self) -> dict[str, Any]:
        """The ``streamkit commands parse`` output."""
        return {"action": self.action.value if self.action else None, "target": self.target,
                "product": self.product, "seconds": self.seconds, "confidence": round(self.confidence, 3)}


def no_command(reason: str) -> Command:
    """Nothing to do, and why."""
    return Command(None, reason=reason)
