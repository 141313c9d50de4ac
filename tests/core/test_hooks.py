"""The plugin interface: built-ins register through entry points, every hook is documented."""

from __future__ import annotations

import inspect

from streamkit.hooks import ENTRY_POINT_GROUP, StreamkitSpecs, plugin_manager


def test_every_hookspec_has_a_docstring() -> None:
    for name, fn in inspect.getmembers(StreamkitSpecs, inspect.isfunction):
        assert name.startswith("streamkit_"), name
        assert (fn.__doc__ or "").strip(), f"hook {name} is undocumented"


def test_builtin_plugins_load_through_the_entry_point_group() -> None:
    pm = plugin_manager()
    names = {name for name, _ in pm.list_name_plugin()}
    assert {"captions", "gestures", "products", "review"} <= names
    for _, plugin in pm.list_name_plugin():
        assert plugin.__name__.startswith("streamkit.plugins."), plugin.__name__
    assert ENTRY_POINT_GROUP == "streamkit.plugins"


def test_plugins_implement_only_known_hooks() -> None:
    pm = plugin_manager()
    pm.check_pending()  # raises when a plugin implements a hook that has no spec
