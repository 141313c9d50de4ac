"""Voice control during a session: captions → the shared grammar → OBS, product cards, gestures, status.

:class:`VoiceControl` hears every command of the caption stream through the core's
:class:`~streamkit.commands.detector.CommandDetector`, with OBS's live names, the ``[commands]``
aliases and the catalog's names, and carries it out. Product commands are carried out here too
(through ``PRODUCTS``), so one utterance is acted on once. Recording and streaming wait for
确认 / "confirm" (:class:`~.confirmation.Pending`, counted in the streamer's audio time). Everything
is published as the events of :mod:`.events`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from streamkit.commands import Command, CommandAction, CommandParser
from streamkit.commands.config import CommandsConfig
from streamkit.commands.detector import CommandDetector
from streamkit.component import State, Status, Tasks
from streamkit.events import Caption, Event, Utterance, say
from streamkit.features import GESTURES, PRODUCTS, ServiceKey, run_product_action
from streamkit.obs.errors import ObsError

from . import answers
from .confirmation import Pending, SaidAt, UtteranceStarts
from .events import (
    VoiceCommandCancelled,
    VoiceCommandConfirmed,
    VoiceCommandDone,
    VoiceCommandHeard,
    VoiceCommandRefused,
    VoiceConfirmationRequested,
)
from .obsstate import ObsState

if TYPE_CHECKING:
    from streamkit.runtime import Runtime

log = logging.getLogger(__name__)
A = CommandAction


@dataclass(frozen=True)
class DetectorSettings:
    """When a heard command fires (the ``[products]`` keys that always governed spoken commands)."""

    min_confidence: float = 0.75
    fire_on_partial: bool = True
    sources: tuple[str, ...] = ()
    wake_word: str = ""


class VoiceControl:
    """The voice-control component (see the module doc)."""

    name = "voice"

    def __init__(self, runtime: "Runtime", cfg: CommandsConfig, settings: DetectorSettings, *,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.runtime = runtime
        self.cfg = cfg
        self.settings = settings
        self.now = now
        self.language = runtime.config.session.language
        self.obs_state = ObsState(runtime.obs)
        self.detector = CommandDetector(self._parser, self._on_command, min_confidence=settings.min_confidence,
                                        fire_on_partial=settings.fire_on_partial, sources=list(settings.sources))
        self._parser_key: tuple[object, ...] = ()
        self._parser_cache: CommandParser | None = None
        self._pending: Pending | None = None
        self._lock = threading.RLock()
        self._caption: tuple[str, int] = ("", 0)
        self._said: SaidAt | None = None  # when the caption being heard was said (None outside captions)
        self._utterance_starts = UtteranceStarts()
        self._fired_in: set[tuple[str, int]] = set()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voice-obs")
        self._unsubscribe: list[Callable[[], None]] = []
        self._state = State.STARTING
        self.counts = {"heard": 0, "done": 0, "refused": 0}

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self, tasks: Tasks) -> None:
        """Follow OBS's names, listen to captions, and time out waiting confirmations."""
        self.obs_state.watch()
        tasks.background("obs-names", self.obs_state.run)
        tasks.background("confirm-timer", self._expire_loop)
        bus = self.runtime.bus
        self._unsubscribe += [bus.subscribe(self._on_caption, Caption), bus.subscribe(self._on_utterance, Utterance)]
        self._state = State.RUNNING

    def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.obs_state.close()
        self._worker.shutdown(wait=True)
        self._state = State.STOPPED

    def status(self) -> Status:
        snap = self.obs_state.snapshot
        figures: dict[str, int | float | str] = dict(self.counts)
        figures["scenes"] = len(snap.scenes)
        with self._lock:
            if self._pending is not None:
                figures["waiting_for"] = self._pending.command.action.value  # type: ignore[union-attr]
        return Status(self.name, self._state, "" if snap.known else "OBS names not read yet", figures)

    # -- hearing ------------------------------------------------------------------------------------

    def _parser(self) -> CommandParser:
        """The parser for OBS's names and the catalog's now (rebuilt when either changed)."""
        products = self.runtime.services.find(PRODUCTS)
        names = products.product_names() if products is not None else ()
        key = (self.obs_state.version, names)
        if self._parser_cache is None or key != self._parser_key:
            snap = self.obs_state.snapshot
            vocabulary = self.cfg.vocabulary(snap.scenes, snap.inputs, names,
                                             audio_sources=snap.audio_inputs if snap.known else None)
            self._parser_cache = CommandParser(vocabulary, wake_word=self.settings.wake_word,
                                               name_threshold=self.cfg.name_threshold)
            self._parser_key = key
        return self._parser_cache

    def parse(self, text: str) -> list[Command]:
        """What ``text`` would do now (for tests and the panel)."""
        return self._parser().parse_all(text)

    def _on_caption(self, event: Event) -> None:
        if isinstance(event, Caption):
            with self._lock:
                self._caption = (event.source, event.utterance)
                self._said = self._utterance_starts.said_at(event)
                if self._pending is not None and self._pending.passed_by(self._said):
                    self._cancel("timeout")  # speech begun after the window: 确认 was not said in time
                try:
                    self.detector.on_caption(event)
                finally:
                    self._said = None

    def _on_utterance(self, event: Event) -> None:
        """After an utterance: other words cancel a waiting command; the wake word with no command is answered."""
        if not isinstance(event, Utterance):
            return
        key = (event.source, event.utterance)
        with self._lock:
            fired = key in self._fired_in
            self._fired_in.discard(key)
            pending = self._pending
            if pending is not None and not fired and key != pending.utterance:
                self._cancel("other")
        heard_here = not self.settings.sources or event.source in self.settings.sources
        if not fired and self.settings.wake_word and heard_here:
            if self._parser().parse(event.text).reason != "no wake word":
                self._refuse(event.text, "", "not understood", answers.not_understood(self._lang(event.language)))

    def _on_command(self, command: Command, text: str) -> None:
        """The detector heard ``command`` in ``text``: carry it out (called with the lock held)."""
        assert command.action is not None
        self._fired_in.add(self._caption)
        self.counts["heard"] += 1
        self._publish(VoiceCommandHeard(text=text, action=command.action.value, target=command.target or "",
                                        product=command.product, seconds=command.seconds,
                                        confidence=round(command.confidence, 3), source=self._caption[0]))
        language = self._lang(command.language)
        if command.action in (A.CONFIRM, A.CANCEL):
            self._answer_pending(command.action, self._said)
        else:
            if self._pending is not None:
                self._cancel("other")
            self.carry_out(command, text, language)

    # -- carrying out -------------------------------------------------------------------------------

    def carry_out(self, command: Command, text: str, language: str) -> None:
        """Do ``command`` (a heard one, or one from the panel); recording and streaming ask first."""
        action = command.action
        assert action is not None
        if action.needs_confirmation:
            self._ask_confirmation(command, language)
        elif action.is_product:
            self._product(command, text, language)
        elif action is A.STATUS:
            self._done(action, "", self.status_sentence(language))
        elif action in (A.PAUSE_TRIGGERS, A.RESUME_TRIGGERS):
            self._gestures(command, text, language)
        elif command.target is None:
            self._unknown_target(command, text, language)
        elif action is A.SCENE:
            self.runtime.obs.set_scene(command.target)
            self._done(action, command.target, "")  # SceneChanged says it once OBS has switched
        elif action in (A.MUTE, A.UNMUTE):
            self.runtime.obs.set_input_muted(command.target, action is A.MUTE)
            self._done(action, command.target, answers.source_done(action, command.target, language))
        else:
            self._show_source(command, text, language)

    def _unknown_target(self, command: Command, text: str, language: str) -> None:
        assert command.action is not None
        snap = self.obs_state.snapshot
        if command.action in (A.MUTE, A.UNMUTE) and not command.spoken_target:
            self._refuse(text, command.action.value, "no microphone", answers.no_microphone(language))
            return
        kind = command.action.target_kind or "source"
        names = snap.scenes if kind == "scene" else snap.inputs
        spoken = command.spoken_target or text
        self._refuse(text, command.action.value, f"no {kind} called {spoken}",
                     answers.unknown_target(kind, spoken, names, language))

    def _show_source(self, command: Command, text: str, language: str) -> None:
        assert command.action is not None and command.target is not None
        scene = self.obs_state.snapshot.scene_holding(command.target)
        if not scene:
            self._refuse(text, command.action.value, f"{command.target} is in no scene",
                         say(language, f"“{command.target}”不在任何场景里。",
                             f"{command.target} is in no scene."))
            return
        visible = command.action is A.SHOW_SOURCE
        self.runtime.obs.set_item_visible(scene, command.target, visible)
        self._done(command.action, command.target, answers.source_done(command.action, command.target, language))

    def _product(self, command: Command, text: str, language: str) -> None:
        assert command.action is not None and command.action.product_action is not None
        products = self.runtime.services.find(PRODUCTS)
        if products is None:
            self._refuse(text, command.action.value, "products off", answers.feature_off("商品卡", "Product cards", language))
            return
        action = command.action.product_action
        trigger = text or "voice"  # what was said, as the products plugin records its own spoken commands
        ok = True
        if command.action is A.FLASH_SALE and command.product is not None:
            ok = products.show(command.product, trigger=trigger)
        ok = ok and run_product_action(products, action, serial=command.product, seconds=command.seconds,
                                       trigger=trigger)
        if ok:
            self._done(command.action, str(command.product or ""), "")  # the card's own event says it
        else:  # the products plugin shows why on the monitor page
            self._refuse(text, command.action.value, "the card did not change",
                         say(language, "商品卡没有变化。", "The product card did not change."))

    def _gestures(self, command: Command, text: str, language: str) -> None:
        assert command.action is not None
        gestures = self.runtime.services.find(GESTURES)
        if gestures is None:
            self._refuse(text, command.action.value, "gestures off", answers.feature_off("手势控制", "Gesture control", language))
            return
        if command.action is A.PAUSE_TRIGGERS:
            gestures.pause("voice")
        else:
            gestures.resume()
        self._done(command.action, "", "")  # GesturesPaused says it

    # -- confirmation -------------------------------------------------------------------------------

    def _ask_confirmation(self, command: Command, language: str) -> None:
        assert command.action is not None
        seconds = self.cfg.confirm_seconds
        self._pending = Pending(command, seconds, self.now(), self._caption, language, asked_by=self._said)
        self._publish(VoiceConfirmationRequested(action=command.action.value, seconds=seconds,
                                                 answer=answers.confirm_prompt(command.action, seconds, language)))

    def _answer_pending(self, action: CommandAction, said: SaidAt | None) -> None:
        """确认 or 取消, said at ``said`` (None: not spoken), for the waiting command if it was in time."""
        pending = self._pending
        if pending is None:
            return  # 确认 / 取消 with nothing waiting: nothing to do
        if not pending.in_time(said, self.now()):
            self._cancel("timeout")
            return
        if action is A.CANCEL:
            self._cancel("cancel")
            return
        self._pending = None
        assert pending.command.action is not None
        self._publish(VoiceCommandConfirmed(action=pending.command.action.value))
        self._worker.submit(self._output, pending.command.action, pending.language)

    def _cancel(self, reason: str) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending.command.action is not None:
            self._publish(VoiceCommandCancelled(action=pending.command.action.value, reason=reason,
                                                answer=answers.cancelled(pending.command.action, reason, pending.language)))

    def _expire_loop(self, stop: threading.Event) -> None:
        while not stop.wait(0.1):
            with self._lock:
                if self._pending is not None and self.now() >= self._pending.expires_at:
                    self._cancel("timeout")

    def _output(self, action: CommandAction, language: str) -> None:
        """Start or stop the recording or the stream (blocking OBS requests, on the worker thread)."""
        obs = self.runtime.obs
        try:
            if action is A.RECORD_START:
                obs.start_record()
            elif action is A.RECORD_STOP:
                obs.stop_record()
            else:
                obs.request("StartStream" if action is A.STREAM_START else "StopStream")
        except ObsError as exc:
            self._refuse("", action.value, str(exc), answers.obs_failed(exc.problem, language))
            return
        said = "" if action in (A.RECORD_START, A.RECORD_STOP) else say(
            language, "直播已开始。" if action is A.STREAM_START else "直播已结束。",
            "Streaming started." if action is A.STREAM_START else "Streaming stopped.")
        self._done(action, "", said)  # RecordingStarted / RecordingStopped say the recording's change

    # -- status -------------------------------------------------------------------------------------

    def status_facts(self) -> answers.StatusFacts:
        snap = self.obs_state.snapshot
        products = self.runtime.services.find(PRODUCTS)
        gestures = self.runtime.services.find(GESTURES)
        card = products.on_screen() if products is not None else None
        return answers.StatusFacts(
            scene=snap.scene, muted=tuple(n for n, m in snap.muted.items() if m), recording=snap.recording,
            streaming=snap.streaming, card=f"{card.serial}号 {card.name}" if card else "",
            gestures_paused=gestures.paused if gestures is not None else None,
            obs_connected=self.runtime.obs.connected and snap.known)

    def status_sentence(self, language: str = "") -> str:
        return answers.status_sentence(self.status_facts(), language or self.language)

    # -- events -------------------------------------------------------------------------------------

    def _done(self, action: CommandAction, target: str, answer: str) -> None:
        self.counts["done"] += 1
        self._publish(VoiceCommandDone(action=action.value, target=target, answer=answer))

    def _refuse(self, text: str, action: str, reason: str, answer: str) -> None:
        self.counts["refused"] += 1
        self._publish(VoiceCommandRefused(text=text, action=action, reason=reason, answer=answer))

    def _publish(self, event: Event) -> None:
        self.runtime.bus.publish(event)

    def _lang(self, spoken: str) -> str:
        """The language to answer in: the command's own, else the session's."""
        return {"zh": "zh-CN", "en": "en"}.get(spoken, self.language)


#: The session's voice control, for the speech feature of the same plugin (status readback from the panel).
VOICE_CONTROL_KEY: ServiceKey[VoiceControl] = ServiceKey("voice_control", "voice commands",
                                                         "set [commands] enabled = true")
