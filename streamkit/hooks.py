"""The plugin interface: hook specifications and the plugin manager.

Built-in features (``streamkit.plugins.*``) register through the entry-point group
``streamkit.plugins`` exactly as a third-party plugin would. Each hook below is documented
once here; ``tests/test_hooks.py`` fails when a hook has no docstring.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .commands.vocabulary import ProductVocabulary
    from .config import Config
    from .runtime import Runtime

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
    def streamkit_session_start(self, runtime: "Runtime") -> None:
        """A session is starting: attach sources, processors and sinks to ``runtime`` (bus, OBS, clock, config)."""

    @hookspec
    def streamkit_session_stop(self, runtime: "Runtime") -> None:
        """A session is ending: stop threads and write final outputs into ``runtime.session.dir``."""


def plugin_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    """A plugin manager with the specs, and every installed ``streamkit.plugins`` entry point loaded."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(StreamkitSpecs)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm
