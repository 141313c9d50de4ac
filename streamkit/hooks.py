"""The plugin interface: hook specifications and the plugin manager.

Built-in features (``streamkit.plugins.*``) register through the entry-point group
``streamkit.plugins`` exactly as a third-party plugin would. Each hook below is documented
once here; ``tests/test_hooks.py`` fails when a hook has no docstring.

One :class:`Plugins` per process: ``streamkit``'s ``main()`` builds it and passes it down (the
config keeps it as ``config.plugins``), so entry points are loaded once.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import pluggy

from .events import CORE_EVENT_TYPES, Event, EventTypes

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .commands.vocabulary import ProductVocabulary
    from .component import Component
    from .config import Config
    from .panel import PanelHost, PanelPage
    from .runtime import Runtime
    from .speech.phrases import QuickPhrase
    from .timeline import Lane, MediaClock

PROJECT = "streamkit"
ENTRY_POINT_GROUP = "streamkit.plugins"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


class StreamkitSpecs:
    """Hooks a plugin may implement (all optional)."""

    @hookspec
    def streamkit_config_sections(self) -> dict[str, type["BaseModel"]]:
        """Return ``{section_name: pydantic model}`` for the plugin's ``[section]`` of ``streamkit.toml``.

        The model's field defaults are the documented defaults; unknown keys must be forbidden.
        """

    @hookspec
    def streamkit_cli(self, subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
        """Add the plugin's sub-commands to ``streamkit``. Set ``func=callable(args) -> int`` on each parser."""

    @hookspec
    def streamkit_obs_requirements(self, config: "Config") -> list[tuple[str, str]]:
        """Return ``[(kind, name)]`` that must exist in OBS for this config: kind is ``"scene"`` or ``"input"``.

        ``streamkit obs doctor`` checks them before going live.
        """

    @hookspec
    def streamkit_obs_setup(self, config: "Config") -> list[dict[str, Any]]:
        """Return inputs that ``streamkit obs setup`` should create when missing.

        Each dict: ``{"scene": str, "name": str, "kind": "text"|"image"|str, "settings": dict}``, and
        optionally ``"visible": bool`` and ``"position": {"x": px, "y": px, "scale": factor}`` (where a
        new item is placed on the 1280×720 canvas); ``kind="text"`` becomes the platform's text
        source with a CJK-capable font.
        """

    @hookspec
    def streamkit_models(self, config: "Config") -> list[str]:
        """Return the names (from ``models/manifest.toml``) of the models this plugin needs for ``config``."""

    @hookspec(firstresult=True)
    def streamkit_command_products(self, config: "Config", catalog: str | None) -> "ProductVocabulary | None":
        """Return the product names voice commands may use, read from ``catalog`` (a file given on the command
        line) or else from the catalog ``config`` names; None when this plugin has no products to offer.

        ``streamkit commands parse --catalog F`` builds its vocabulary from the first answer.
        """

    @hookspec
    def streamkit_quick_phrases(self, config: "Config") -> "list[QuickPhrase]":
        """Return quick phrases for the board of a seller who cannot speak (e.g. one per catalog product:
        "3号 新疆蜂蜜，到手价49.9元，点击下方小黄车"); the phrases of ``[speech] phrases`` come first."""

    @hookspec
    def streamkit_event_types(self) -> list[type[Event]]:
        """Return the event classes the plugin publishes, so session logs read back into the same types."""

    @hookspec
    def streamkit_timeline_lanes(self, events: "Sequence[Event]", clock: "MediaClock") -> "list[Lane]":
        """Draw the plugin's rows of a recorded session's timeline from its ``events`` (see :mod:`streamkit.timeline`)."""

    @hookspec
    def streamkit_panel_pages(self, host: "PanelHost") -> "list[PanelPage]":
        """Return the feature's pages of the control panel (``streamkit app``); see :mod:`streamkit.panel`."""

    @hookspec
    def streamkit_session_start(self, runtime: "Runtime") -> "Component | None":
        """A session is starting: return the plugin's :class:`~streamkit.component.Component` (None when off).

        Build it here and register what it offers other features (``runtime.services.provide``);
        the runtime starts the components in hook order and stops them in reverse.
        """


def plugin_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    """A plugin manager with the specs, and every installed ``streamkit.plugins`` entry point loaded."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(StreamkitSpecs)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm


class Plugins:
    """The process's plugins, with a typed call for each hook."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self._event_types: EventTypes | None = None

    @classmethod
    def installed(cls) -> "Plugins":
        """Every plugin installed in this Python environment (entry-point group ``streamkit.plugins``)."""
        return cls(plugin_manager())

    @classmethod
    def of(cls, *plugins: object) -> "Plugins":
        """Exactly the given plugin modules or objects (tests, embedding)."""
        pm = plugin_manager(load_entry_points=False)
        for plugin in plugins:
            pm.register(plugin)
        return cls(pm)

    def config_sections(self) -> dict[str, type["BaseModel"]]:
        """Every plugin's config section models, by section name."""
        models: dict[str, type[BaseModel]] = {}
        for result in self.pm.hook.streamkit_config_sections():
            models.update(result)
        return models

    def event_types(self) -> EventTypes:
        """The core's event classes and every plugin's."""
        if self._event_types is None:
            types: list[type[Event]] = list(CORE_EVENT_TYPES)
            for result in self.pm.hook.streamkit_event_types():
                types.extend(result)
            self._event_types = EventTypes(types)
        return self._event_types

    def add_cli(self, subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
        self.pm.hook.streamkit_cli(subparsers=subparsers)

    def obs_requirements(self, config: "Config") -> list[tuple[str, str]]:
        """``[(kind, name)]`` that must exist in OBS, de-duplicated in order."""
        needs: list[tuple[str, str]] = []
        for result in self.pm.hook.streamkit_obs_requirements(config=config):
            needs.extend(result)
        return list(dict.fromkeys(needs))

    def obs_inputs(self, config: "Config") -> list[dict[str, Any]]:
        """Inputs ``streamkit obs setup`` creates when missing."""
        specs: list[dict[str, Any]] = []
        for result in self.pm.hook.streamkit_obs_setup(config=config):
            specs.extend(result)
        return specs

    def models(self, config: "Config") -> list[str]:
        """Names of the models ``config`` needs, de-duplicated in order."""
        names: list[str] = []
        for result in self.pm.hook.streamkit_models(config=config):
            names.extend(result)
        return list(dict.fromkeys(names))

    def panel_pages(self, host: "PanelHost") -> list["PanelPage"]:
        """Every feature's panel pages, in navigation order."""
        pages = [page for result in self.pm.hook.streamkit_panel_pages(host=host) for page in result]
        return sorted(pages, key=lambda page: page.order)

    def timeline_lanes(self, events: "Sequence[Event]", clock: "MediaClock") -> list["Lane"]:
        """Every plugin's timeline lanes for a recorded session, in display order."""
        lanes = [lane for result in self.pm.hook.streamkit_timeline_lanes(events=events, clock=clock) for lane in result]
        return sorted(lanes, key=lambda lane: lane.order)

    def quick_phrases(self, config: "Config") -> list["QuickPhrase"]:
        """Every feature's quick phrases, in plugin order."""
        return [p for result in self.pm.hook.streamkit_quick_phrases(config=config) for p in result]

    def session_components(self, runtime: "Runtime") -> list["Component"]:
        """Each plugin's component for this session, in start order."""
        return [c for c in self.pm.hook.streamkit_session_start(runtime=runtime) if c is not None]



@cache
def process_plugins() -> Plugins:
    """The one :class:`Plugins` of this process (built on first use; ``main()`` builds it first)."""
    return Plugins.installed()
