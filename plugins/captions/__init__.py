"""The captions plugin: live Mandarin and English captions into OBS, browser overlays and caption files.

Hooks only; the work is in :mod:`.streaming` (recognition), :mod:`.live` (a session),
:mod:`.cli` (``streamkit captions`` / ``streamkit transcribe``).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streamkit.events import Event
from streamkit.features import CAPTIONS
from streamkit.hooks import hookimpl

from .config import CaptionsConfig

if TYPE_CHECKING:
    from streamkit.component import Component
    from streamkit.runtime import Runtime

log = logging.getLogger(__name__)

SECTION = "captions"


def _active(config: Any) -> CaptionsConfig | None:
    if not config.has(SECTION):
        return None
    cfg: CaptionsConfig = config.section(SECTION)
    return cfg if cfg.enabled and cfg.sources else None


@hookimpl
def streamkit_config_sections() -> dict[str, type]:
    return {SECTION: CaptionsConfig}


@hookimpl
def streamkit_cli(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    from .cli import add_parsers

    add_parsers(subparsers)


@hookimpl
def streamkit_obs_requirements(config: Any) -> list[tuple[str, str]]:
    cfg = _active(config)
    if cfg is None:
        return []
    needs: list[tuple[str, str]] = []
    if cfg.obs_text_source:
        needs.append(("input", cfg.obs_text_source))
    needs += [("input", s.obs_input) for s in cfg.sources if s.obs_input]
    return list(dict.fromkeys(needs))


@hookimpl
def streamkit_obs_setup(config: Any) -> list[dict[str, Any]]:
    cfg = _active(config)
    if cfg is None or not cfg.obs_text_source:
        return []
    return [{"scene": cfg.obs_scene, "name": cfg.obs_text_source, "kind": "text",
             "settings": {"text": "", "font": {"size": 48}, "outline": True}}]


@hookimpl
def streamkit_models(config: Any) -> list[str]:
    cfg = _active(config)
    if cfg is None or Path(cfg.model).expanduser().is_dir():
        return []
    from .decoder import model_name

    return [model_name(cfg.model)]


@hookimpl
def streamkit_event_types() -> list[type[Event]]:
    """``CaptionsSkipped`` (the caption stream itself is core: ``Caption``, ``Utterance``)."""
    from .events import EVENT_TYPES

    return list(EVENT_TYPES)


@hookimpl
def streamkit_session_start(runtime: "Runtime") -> "Component | None":
    """The captions component, offered to other features as ``CAPTIONS``."""
    cfg = _active(runtime.config)
    if cfg is None:
        return None
    from .live import CaptionsSession

    session = CaptionsSession(runtime, cfg)
    runtime.services.provide(CAPTIONS, session)
    return session
