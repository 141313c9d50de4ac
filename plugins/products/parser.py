"""Spoken product commands: the product-action part of the shared voice-command grammar.

``CommandParser(catalog).parse("上链接3号")`` → ``Command(action=CommandAction.SHOW, product=3, …)``.
The grammar itself (Mandarin and English, word orders, pauses, homophones, what must not fire) is
:mod:`streamkit.commands`; this parser gives it the catalog's names and keeps only product actions
(show, hide, next, previous, flash_sale), so OBS commands never reach the card controller.
"""

from __future__ import annotations

from streamkit.commands import PRODUCT_ACTIONS, Command, Vocabulary
from streamkit.commands import CommandParser as Grammar

from .catalog import Catalog


class CommandParser:
    """Parses caption text into product commands against one catalog (for names and aliases)."""

    def __init__(self, catalog: Catalog, *, wake_word: str = "", name_threshold: float = 0.8) -> None:
        self.catalog = catalog
        vocabulary = Vocabulary(products=catalog.product_names(), actions=PRODUCT_ACTIONS)
        self._grammar = Grammar(vocabulary, wake_word=wake_word, name_threshold=name_threshold)

    def parse(self, text: str) -> Command:
        """The product command in ``text``: the last one when there are several."""
        return self._grammar.parse(text)

    def parse_all(self, text: str) -> list[Command]:
        """Every product command in ``text``, in order (a show then a flash sale is one flash sale)."""
        return self._grammar.parse_all(text)


def legacy_json(command: Command) -> dict[str, object]:
    """The ``streamkit products parse`` output, unchanged since before the shared grammar:
    ``{"command", "product", "seconds", "confidence"}``."""
    return {"command": command.action.value if command.action else None, "product": command.product,
            "seconds": command.seconds, "confidence": round(command.confidence, 3)}
