"""The names a voice command may use: live OBS scene and source lists, config aliases, product names.

The execution side builds a new :class:`Vocabulary` (and parser) whenever OBS's lists or the catalog
change; everything here is immutable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .model import ALL_ACTIONS, CommandAction

#: words in an OBS input name that say it carries sound (used when OBS's input kinds are not known)
AUDIO_NAME = re.compile(r"麦|音|声|话筒|mic|audio|music|aux|sound|voice|bgm", re.IGNORECASE)
#: words in an OBS input name that say it is the microphone
MIC_NAME = re.compile(r"麦|话筒|mic", re.IGNORECASE)


@dataclass(frozen=True)
class ProductNames:
    """One product as voice commands name it: its serial (序号), its name, then its aliases."""

    serial: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class ProductVocabulary:
    """What a product feature adds to voice commands (hook ``streamkit_command_products``): the products,
    and the wake word it was configured with."""

    products: tuple[ProductNames, ...] = ()
    wake_word: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """What the parser matches spoken names against.

    - ``scenes`` / ``sources``: OBS's scene and input names, exactly as OBS spells them.
    - ``audio_sources``: inputs that carry sound (from OBS's input kinds); None = guessed from the name.
    - ``aliases``: spoken word → exact OBS scene or source name (``[commands] aliases``).
    - ``microphone``: the input that 麦克风 / "the mic" means ('' = the first input whose name says so).
    - ``products``: the catalog's serials, names and aliases.
    - ``actions``: the actions that may fire (``[commands]`` switches some off).
    """

    scenes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    audio_sources: tuple[str, ...] | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)
    microphone: str = ""
    products: tuple[ProductNames, ...] = ()
    actions: frozenset[CommandAction] = ALL_ACTIONS

    def microphone_source(self) -> str | None:
        """The input "the microphone" means, or None when there is none."""
        if self.microphone:
            return self.microphone
        return next((s for s in self.sources if MIC_NAME.search(s)), None)

    def is_audio(self, source: str) -> bool:
        """Whether switching ``source`` off means muting it rather than hiding it."""
        if self.audio_sources is not None:
            return source in self.audio_sources
        return bool(AUDIO_NAME.search(source))

    def aliases_for(self, kind: str) -> dict[str, str]:
        """Aliases whose target is a scene (``kind="scene"``) or a source. When OBS's list of that kind is
        unknown, every alias whose target is not known to be of the other kind."""
        names, others = (self.scenes, self.sources) if kind == "scene" else (self.sources, self.scenes)
        return {spoken: target for spoken, target in self.aliases.items()
                if (target in names if names else target not in others)}
