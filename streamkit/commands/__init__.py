"""Voice commands: one grammar for product cards, OBS and streamkit itself, in Mandarin and English.

``CommandParser(Vocabulary(scenes=…, sources=…, aliases=…, products=…)).parse(text)`` gives a
:class:`Command` — what to do (:class:`CommandAction`), on which exact OBS scene or source (``target``),
which product (``product``), for how long (``seconds``), how sure (``confidence``), and whether it
must be confirmed first (``needs_confirmation``). See ``streamkit commands parse --help``.
"""

from .model import ALL_ACTIONS, CONFIRMED_ACTIONS, PRODUCT_ACTIONS, Command, CommandAction, no_command
from .parser import CommandParser
from .vocabulary import ProductNames, Vocabulary

__all__ = ["ALL_ACTIONS", "CONFIRMED_ACTIONS", "PRODUCT_ACTIONS", "Command", "CommandAction", "CommandParser",
           "ProductNames", "Vocabulary", "no_command"]
