"""The commands plugin: voice control of OBS and streamkit itself, product cards included.

It registers the ``[commands]`` section (aliases, wake word, confirmation time, which kinds of command
are on) and, in sessions, :class:`~.control.VoiceControl`: every spoken command of the caption stream
— scenes, audio, sources, recording and streaming (confirmed), gestures, status, product cards —
parsed by the core's one grammar (:mod:`streamkit.commands`) and carried out, each step a typed event
(:mod:`.events`) drawn on the review's timeline. ``streamkit commands parse`` is a core command.
Its sibling plugin :mod:`.speaking` (entry point ``speech``) speaks the answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from streamkit.commands.config import CommandsConfig, commands_config, voice_commands_listen
from streamkit.events import Event
from streamkit.hooks import hookimpl

if TYPE_CHECKING:
    from streamkit.component import Component
    from streamkit.runtime import Runtime
    from streamkit.timeline import Lane, MediaClock

VOICE_PAGE = "/voice"


@hookimpl
def streamkit_config_sections() -> dict[str, type]:
    return {"commands": CommandsConfig}


@hookimpl
def streamkit_event_types() -> list[type[Event]]:
    """Commands heard, done, refused, confirmed and cancelled; speech unavailable."""
    from .events import EVENT_TYPES

    return list(EVENT_TYPES)


@hookimpl
def streamkit_timeline_lanes(events: "Sequence[Event]", clock: "MediaClock") -> "list[Lane]":
    from .timeline import voice_lane

    lane = voice_lane(events, clock)
    return [lane] if lane is not None else []


@hookimpl
def streamkit_session_start(runtime: "Runtime") -> "Component | None":
    """Voice control, when ``[commands] enabled``: it then hears product commands too (one path)."""
    config = runtime.config
    if not voice_commands_listen(config):
        return None
    from .control import VOICE_CONTROL_KEY, DetectorSettings, VoiceControl

    cfg = commands_config(config)
    products = config.section("products") if config.has("products") else None
    settings = DetectorSettings(
        min_confidence=products.min_confidence if products else 0.75,
        fire_on_partial=products.fire_on_partial if products else True,
        sources=tuple(products.sources) if products else (),
        wake_word=cfg.wake_word or (products.wake_word if products else ""))
    control = VoiceControl(runtime, cfg, settings)
    runtime.services.provide(VOICE_CONTROL_KEY, control)
    if runtime.overlay is not None:
        page = (Path(__file__).parent / "voice.html").read_text(encoding="utf-8")
        runtime.overlay.add_page(VOICE_PAGE, page, "语音指令 · voice")
    return control
