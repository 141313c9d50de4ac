"""Spoken feedback for blind and low-vision streamers: every action streamkit takes, confirmed in the headphones.

:class:`Feedback` listens to every event on the bus and speaks what the event itself announces
(:meth:`~streamkit.events.Event.announce`: "场景：近景特写。", "商品卡：3 号 新疆蜂蜜。", "OBS 开始录制。"),
when its kind is switched on in ``[speech.feedback]``; a recognised voice command gets a rising earcon,
a refused one a falling earcon. Everything announced is also shown (overlay channel ``voice``), so
feedback stays visual when there is no output device. :class:`Countdown` speaks a flash sale's
seconds left at ``countdown_points``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from streamkit.events import CoachPrompt, Event, say
from streamkit.features import PRODUCTS, Services

from .events import SpeechUnavailable, VoiceCommandHeard, VoiceCommandRefused
from .speechconfig import FeedbackKinds

log = logging.getLogger(__name__)

#: The ``[speech.feedback]`` switch of each announcing event, by its type name in the session log.
FEEDBACK_KIND: dict[str, str] = {
    "SceneChanged": "scene", "ProductCardShown": "card", "FlashSaleStarted": "card",
    "RecordingStarted": "recording", "RecordingStopped": "recording",
    "ObsConnected": "obs", "ObsDisconnected": "obs",
    "GesturesPaused": "gestures", "GestureTriggered": "gestures", "GestureConfirmRequested": "gestures",
    "GestureActionFailed": "gestures", "SessionStarted": "session", "SessionEnded": "session",
    "VoiceCommandDone": "commands", "VoiceCommandRefused": "commands", "VoiceConfirmationRequested": "commands",
    "VoiceCommandCancelled": "commands", "SpeechUnavailable": "speech",  # shown only (a notice, never spoken)
    "CoachPrompt": "coach",  # shown only: [review] speak_prompts speaks it (once) through the review link
}
#: The overlay channel every announcement is shown on (page ``/voice``).
VOICE_CHANNEL = "voice"


class Feedback:
    """Speaks (``say``) and shows (``show``) what each event announces; plays earcons (``earcon``)."""

    def __init__(self, kinds: FeedbackKinds, language: str, *, say: Callable[[str], object] | None,
                 show: Callable[[dict[str, Any]], None], earcon: Callable[[str], None] | None) -> None:
        self.kinds = kinds
        self.language = language
        self.say = say
        self.show = show
        self.earcon = earcon
        self.spoken = 0

    def on_event(self, event: Event) -> None:
        if isinstance(event, VoiceCommandHeard):
            self._earcon("recognised")
            self.show({"kind": "heard", "text": event.text, "action": event.action, "ts": event.ts})
            return
        if isinstance(event, VoiceCommandRefused):
            self._earcon("not_recognised")
        text = event.announce(self.language)
        if not text:
            return
        kind = FEEDBACK_KIND.get(event.type, "commands")
        shown = event.text if isinstance(event, CoachPrompt) else text  # the page labels it 教练提示 already
        self.show({"kind": kind, "type": event.type, "text": shown, "ts": event.ts})
        if isinstance(event, SpeechUnavailable | CoachPrompt) or not getattr(self.kinds, kind, True):
            return
        if self.say is not None:
            self.spoken += 1
            self.say(text)

    def _earcon(self, kind: str) -> None:
        if self.earcon is not None:
            self.earcon(kind)


def countdown_words(seconds: int, language: str) -> str:
    """"还剩 30 秒" for the first points, then the bare number (5, 4, 3 …) as a streamer counts down."""
    if seconds > 5:
        return say(language, f"秒杀还剩 {seconds} 秒。", f"{seconds} seconds left.")
    return say(language, f"{seconds}。", f"{seconds}.")


class Countdown:
    """Speaks the flash sale's seconds left at the set points (reads ``PRODUCTS.on_screen()``)."""

    def __init__(self, services: Services, points: list[int], language: str, say: Callable[[str], object]) -> None:
        self.services = services
        self.points = set(points)
        self.language = language
        self.say = say
        self._said: set[tuple[int, int]] = set()

    def tick(self) -> None:
        products = self.services.find(PRODUCTS)
        card = products.on_screen() if products is not None else None
        left = card.flash_sale_seconds_left if card is not None else None
        if card is None or left is None:
            self._said.clear()
            return
        key = (card.serial, left)
        if left in self.points and key not in self._said:
            self._said.add(key)
            self.say(countdown_words(left, self.language))

    def run(self, stop: threading.Event, interval: float = 0.1) -> None:
        while not stop.wait(interval):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - the countdown must never end the session
                log.exception("flash-sale countdown")
                time.sleep(1.0)
