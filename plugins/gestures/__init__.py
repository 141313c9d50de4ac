"""The gestures plugin: hand signs and face gestures switch OBS scenes and run actions, hands-free.

Hooks: the ``[gestures]`` config section, ``streamkit gestures …`` commands, the scenes and
sources its bindings need in OBS (checked by ``streamkit obs doctor``), the models it needs,
and the live session (frames → landmarks → gestures → trigger engine → OBS / products / moments),
and the control panel's ``/gestures`` pages.
"""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from streamkit.events import Event
from streamkit.features import GESTURES
from streamkit.hooks import hookimpl

from .config import GesturesConfig

if TYPE_CHECKING:
    from collections.abc import Sequence

    from streamkit.component import Component
    from streamkit.config import Config
    from streamkit.panel import PanelHost, PanelPage
    from streamkit.runtime import Runtime
    from streamkit.timeline import Lane, MediaClock

log = logging.getLogger(__name__)

SECTION = "gestures"


def _section(config: "Config") -> GesturesConfig | None:
    return config.section(SECTION) if config.has(SECTION) else None


@hookimpl
def streamkit_config_sections() -> dict[str, type]:
    """``[gestures]``."""
    return {SECTION: GesturesConfig}


@hookimpl
def streamkit_cli(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """``streamkit gestures classify | enroll | forget | calibrate | signs``."""
    from .cli import add_parser

    add_parser(subparsers)


@hookimpl
def streamkit_obs_requirements(config: "Config") -> list[tuple[str, str]]:
    """Scenes and sources named by bindings (and the OBS source watched), so a typo is found before going live."""
    section = _section(config)
    if section is None or not section.active:
        return []
    needs: list[tuple[str, str]] = []
    for b in section.bindings:
        if b.scene:
            needs.append(("scene", b.scene))
        if b.source:
            needs.append(("input", b.source))
    if section.source == "obs" and section.obs_source:
        needs.append(("input", section.obs_source))
    return needs


@hookimpl
def streamkit_models(config: "Config") -> list[str]:
    """``hand_landmarker`` and/or ``face_landmarker``, by what the bindings use."""
    section = _section(config)
    if section is None or not section.active:
        return []
    return [name for name, modality in (("hand_landmarker", "hand"), ("face_landmarker", "face")) if section.tracks(modality)]


@hookimpl
def streamkit_timeline_lanes(events: "Sequence[Event]", clock: "MediaClock") -> "list[Lane]":
    """The plugin's row of a recorded session's timeline."""
    from .timeline import gestures_lane

    lane = gestures_lane(events, clock)
    return [lane] if lane is not None else []


@hookimpl
def streamkit_event_types() -> list[type[Event]]:
    """Gestures seen and triggered, confirmations, arming and pausing, failed actions."""
    from .events import EVENT_TYPES

    return list(EVENT_TYPES)


@hookimpl
def streamkit_session_start(runtime: "Runtime") -> "Component | None":
    """Gesture control when ``[gestures]`` has bindings, offered to other features as ``GESTURES``."""
    section = _section(runtime.config)
    if section is None or not section.in_session().active:
        return None
    from .session import GestureControl

    control = GestureControl(runtime, section.in_session())
    runtime.services.provide(GESTURES, control)
    return control


@hookimpl
def streamkit_panel_pages(host: "PanelHost") -> "list[PanelPage]":
    """``/gestures``: enrol signs and resting hands, test, calibrate the face, choose what each gesture does."""
    from .pages import make_pages

    return make_pages(host)
