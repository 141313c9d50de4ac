"""The commands plugin: voice control of OBS and streamkit itself.

It registers the ``[commands]`` section (aliases, wake word, confirmation time, which kinds of command
are on). The grammar is the core's :mod:`streamkit.commands`, shared with product cards and gestures;
``streamkit commands parse`` is a core command.
"""

from __future__ import annotations

from streamkit.commands.config import CommandsConfig
from streamkit.hooks import hookimpl


@hookimpl
def streamkit_config_sections() -> dict[str, type]:
    return {"commands": CommandsConfig}
