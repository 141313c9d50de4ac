"""The speech plugin: one TTS engine speaking feedback into the headphones and a seller's words into the stream.

Registered as its own entry point (``speech``) beside ``commands``: its component is
:class:`SpeechFeature`, which offers ``SPEECH`` (:class:`~streamkit.features.SpeechApi`) — quick
phrases, type-to-speak, status readback — to gestures (``say_phrase``) and the panel.

- **Headphones** (:class:`~streamkit.speech.DeviceOutput`, ``[speech] headphones``): :class:`~.feedback.Feedback`
  and :class:`~.feedback.Countdown`. No output device → one :class:`~.events.SpeechUnavailable` event and
  one log line; feedback stays on screen and in the log, and the session goes on.
- **The stream** (:class:`~streamkit.speech.ObsVoiceOutput`): quick phrases and typed text; captions show
  them as a line (``SpokenPhrase`` with destination ``stream``).
- The engine loads in the background; phrases asked for meanwhile play once it is ready. With
  ``prepare`` on, fixed phrases (feedback sentences, quick phrases) are made ahead so they play at once.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from streamkit.component import State, Status, Tasks
from streamkit.config import Config
from streamkit.errors import StreamkitError
from streamkit.events import Event, is_english
from streamkit.features import SPEECH, StreamVoiceProblem
from streamkit.hooks import hookimpl
from streamkit.speech import DeviceOutput, ObsVoiceOutput, PhraseGate, Speaker, SpeechEngine, SpeechError
from streamkit.speech.output import NO_DEVICE_FIX
from streamkit.speech.phrases import QuickPhrase

from .control import VOICE_CONTROL_KEY
from .earcons import earcon
from .events import SpeechUnavailable
from .feedback import VOICE_CHANNEL, Countdown, Feedback
from .speechconfig import SpeechConfig

if TYPE_CHECKING:
    from streamkit.component import Component
    from streamkit.panel import PanelHost, PanelPage
    from streamkit.runtime import Runtime
    from streamkit.speech import AudioOutput

log = logging.getLogger(__name__)


def no_device_sentence(language: str, problem: str) -> str:
    """What is wrong, what happens instead, and what to do, in one sentence."""
    if is_english(language):
        return (f"No headphones or speakers for spoken feedback ({problem}); feedback is shown on screen only — "
                "plug in headphones, or name them in [speech] headphones, then start the session again.")
    return (f"没有找到耳机或音箱（{problem}），语音反馈只在屏幕上显示 — "
            "插上耳机，或在 [speech] headphones 里写上设备名，再重新开始本场。")


class EngineSlot:
    """The one speech engine of a session, loaded on a background thread; :meth:`get` waits for it."""

    def __init__(self, factory: Callable[[], SpeechEngine]) -> None:
        self.factory = factory
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._engine: SpeechEngine | None = None
        self._error: StreamkitError | None = None

    def load(self) -> SpeechEngine | None:
        """Load the engine once (the first caller does the work); None when it cannot be loaded."""
        with self._lock:
            if not self._ready.is_set():
                try:
                    self._engine = self.factory()
                except StreamkitError as exc:
                    self._error = exc
                finally:
                    self._ready.set()
        return self._engine

    def get(self) -> SpeechEngine:
        engine = self.load()
        if engine is None:
            assert self._error is not None
            raise self._error
        return engine

    @property
    def error(self) -> StreamkitError | None:
        return self._error


class SpeechFeature:
    """The speech component (see the module doc); also the session's :class:`~streamkit.features.SpeechApi`."""

    name = "speech"

    def __init__(self, runtime: "Runtime", cfg: SpeechConfig, *, phrases: list[QuickPhrase],
                 engine: Callable[[], SpeechEngine] | None = None,
                 headphones: Callable[[], "AudioOutput"] | None = None) -> None:
        self.runtime = runtime
        self.cfg = cfg
        self.language = cfg.language or runtime.config.session.language
        self._phrases = {p.id: p for p in phrases}
        self.slot = EngineSlot(engine or self._default_engine)
        self._open_headphones = headphones or (lambda: DeviceOutput(cfg.headphones or None))
        self.headphones: Speaker | None = None
        self.stream: Speaker | None = None
        self.feedback: Feedback | None = None
        self.problem = ""
        self._unsubscribe: list[Callable[[], None]] = []
        self._state = State.STARTING

    def engine(self) -> SpeechEngine:
        """The session's one engine (``SpeechApi.engine``): waits while it loads, raises what stopped it."""
        return self.slot.get()

    def _default_engine(self) -> SpeechEngine:
        cfg = self.cfg
        return SpeechEngine(cfg.model or None, voices=cfg.voices, speed=cfg.speed, threads=cfg.threads,
                            frames=cfg.fast_start)

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self, tasks: Tasks) -> None:
        """Open the headphones (or say why not), the stream voice, feedback and the countdown; load the engine."""
        bus = self.runtime.bus
        gate = PhraseGate(window=self.cfg.repeat_window)
        no_device: SpeechError | None = None
        try:
            self.headphones = Speaker(self.slot.get, self._open_headphones(), bus=bus, gate=gate)
        except SpeechError as exc:
            no_device = exc
        if self.cfg.stream and self.runtime.config.obs.enabled:
            folder = self.runtime.session.dir / "speech"
            self.stream = Speaker(self.slot.get, ObsVoiceOutput(self.runtime.obs, folder), bus=bus, gate=gate)
        say = self._say_headphones if self.headphones is not None else None
        self.feedback = Feedback(self.cfg.feedback, self.language, say=say, show=self._show,
                                 earcon=self._earcon if self.headphones is not None and self.cfg.earcons else None)
        self._unsubscribe.append(bus.subscribe(self.feedback.on_event))
        if no_device is not None:  # said after feedback listens, so the sentence is shown on screen too
            # a name that matches no device: the fix lists the devices there are; no device at all: the problem says it
            named = no_device.problem if no_device.fix == NO_DEVICE_FIX else no_device.one_line()
            self._unavailable(no_device_sentence(self.language, named), no_device.fix)
        if self.headphones is not None and self.cfg.feedback.countdown:
            countdown = Countdown(self.runtime.services, self.cfg.countdown_points, self.language, self._say_headphones)
            tasks.background("countdown", countdown.run)
        if self.headphones is not None or self.stream is not None:  # the board says at once when the model is missing
            tasks.background("engine", self._load_and_prepare)
        self._state = State.RUNNING

    def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        for speaker in (self.headphones, self.stream):
            if speaker is not None:
                speaker.close(timeout=5.0)
        self._state = State.STOPPED

    def status(self) -> Status:
        figures: dict[str, int | float | str] = {
            "headphones": "yes" if self.headphones is not None else "no",
            "stream": "yes" if self.stream is not None else "no", "phrases": len(self._phrases),
            "spoken": self.feedback.spoken if self.feedback is not None else 0}
        error = self.problem or (self.slot.error.one_line() if self.slot.error else "")
        return Status(self.name, self._state, error, figures)

    # -- SpeechApi ----------------------------------------------------------------------------------

    def phrases(self) -> list[QuickPhrase]:
        return list(self._phrases.values())

    def say_phrase(self, phrase_id: str, *, repeat: bool = False, wait: bool = False) -> bool:
        phrase = self._phrases.get(phrase_id)
        return phrase is not None and self.say_text(phrase.text, repeat=repeat, wait=wait)

    def say_text(self, text: str, *, repeat: bool = False, wait: bool = False) -> bool:
        if self.stream is None or not text.strip():
            return False
        return self.stream.say(text.strip(), repeat=repeat, wait=wait)

    def stream_problem(self) -> StreamVoiceProblem | None:
        if self.stream is None:
            return StreamVoiceProblem("obs_off" if self.cfg.stream else "stream_off")
        error = self.slot.error
        return StreamVoiceProblem("engine", error.one_line()) if error is not None else None

    def read_status(self) -> str:
        from streamkit.commands import Command, CommandAction

        voice = self.runtime.services.find(VOICE_CONTROL_KEY)
        if voice is None:
            return ""
        voice.carry_out(Command(CommandAction.STATUS), "", self.language)  # answered like the spoken "status"
        return voice.status_sentence(self.language)

    # -- internals ----------------------------------------------------------------------------------

    def _say_headphones(self, text: str) -> object:
        return self.headphones.say(text) if self.headphones is not None else False

    def _earcon(self, kind: str) -> None:
        if self.headphones is not None:
            self.headphones.play(earcon(kind, self.cfg.earcon_volume), kind)

    def _show(self, data: dict[str, Any]) -> None:
        overlay = self.runtime.overlay
        if overlay is not None:
            overlay.publish(VOICE_CHANNEL, {**data, "lang": self.language})

    def _unavailable(self, reason: str, fix: str) -> None:
        self.problem = reason
        log.warning("speech: %s", reason)
        self.runtime.bus.publish(SpeechUnavailable(reason=reason, fix=fix))

    def _load_and_prepare(self, stop: threading.Event) -> None:
        """Load the engine, create the stream's media source, then make fixed phrases ahead (at low priority:
        the loading itself is not, or a busy PC's captions starve it and nothing can be said for many seconds)."""
        if self.slot.load() is None:
            error = self.slot.error
            self._unavailable(error.one_line() if error else "no speech model", error.fix if error else "")
            return
        if self.stream is not None:
            try:
                self.stream.output.ensure()  # type: ignore[attr-defined]
            except StreamkitError as exc:
                log.warning("speech: %s", exc.one_line())
        if self.cfg.prepare:
            _lower_priority()
            self._prepare(stop)

    def _prepare(self, stop: threading.Event) -> None:
        engine = self.slot.get()
        texts = [p.text for p in self._phrases.values()] if self.stream is not None else []
        if self.headphones is not None:
            texts = fixed_feedback(self.language, self.cfg.countdown_points) + texts
        for text in texts:
            if stop.is_set():
                return
            engine.prepare([text])


def fixed_feedback(language: str, points: list[int]) -> list[str]:
    """Feedback sentences known before the session: made ahead so they play at once."""
    from streamkit.commands import CommandAction as A

    from . import answers
    from .feedback import countdown_words

    words = [answers.not_understood(language)]
    for action in (A.RECORD_START, A.RECORD_STOP, A.STREAM_START, A.STREAM_STOP):
        words += [answers.confirm_prompt(action, 5.0, language), answers.cancelled(action, "cancel", language),
                  answers.cancelled(action, "timeout", language)]
    return words + [countdown_words(p, language) for p in points]


def _lower_priority() -> None:
    """Make ahead-of-time speech yield the CPU to captions (Linux: this thread only)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


# -- hooks ----------------------------------------------------------------------------------------------


@hookimpl
def streamkit_config_sections() -> dict[str, type]:
    return {"speech": SpeechConfig}


@hookimpl
def streamkit_models(config: Any) -> list[str]:
    return []  # kokoro-zh or kokoro-ja, whichever is there (`streamkit say` says which to fetch)


@hookimpl
def streamkit_event_types() -> list[type[Event]]:
    return []  # SpeechUnavailable is registered with the commands plugin's events


@hookimpl(tryfirst=True)
def streamkit_quick_phrases(config: Config) -> list[QuickPhrase]:
    """``[speech] phrases``, first of every feature's (so the gestures' bindings page offers them too)."""
    return [p.phrase() for p in speech_config(config).phrases]


def quick_phrases(config: Config) -> list[QuickPhrase]:
    """The board: ``[speech] phrases`` first, then every feature's (the catalog's when ``catalog_phrases``)."""
    cfg: SpeechConfig = config.section("speech")
    own = [p.phrase() for p in cfg.phrases]
    if not cfg.catalog_phrases:
        return own
    taken = {p.id for p in own}
    return own + [p for p in config.plugins.quick_phrases(config) if p.id not in taken]


@hookimpl
def streamkit_session_start(runtime: "Runtime") -> "Component | None":
    cfg: SpeechConfig = runtime.config.section("speech")
    if not cfg.enabled:
        return None
    feature = SpeechFeature(runtime, cfg, phrases=quick_phrases(runtime.config))
    runtime.services.provide(SPEECH, feature)
    return feature


@hookimpl
def streamkit_panel_pages(host: "PanelHost") -> "list[PanelPage]":
    """``/phrases``: the quick-phrase board and type-to-speak box, for sellers who cannot speak."""
    from pathlib import Path

    from streamkit.panel import PanelPage

    from .phrasepage import PhraseBoard

    return [PanelPage("/phrases", {"zh-CN": "快捷话", "en": "Quick phrases"}, PhraseBoard(host).router(), order=45,
                      templates=Path(__file__).parent / "templates")]


def speech_config(config: Config) -> SpeechConfig:
    return config.section("speech") if config.has("speech") else SpeechConfig()

