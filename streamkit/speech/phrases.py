"""Quick phrases: short fixed sentences a seller who cannot speak plays into the stream with one press.

A phrase has a stable ``id`` (for keyboard shortcuts and gesture bindings: ``say_phrase``), the
``text`` spoken, and a short ``label`` for its button. Features add phrases through the
``streamkit_quick_phrases`` hook (the products plugin makes one per catalog product).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PHRASE_ID", "QuickPhrase"]

#: What a phrase id may look like: letters, digits, ``_`` and ``-`` (it goes into URLs and bindings).
PHRASE_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class QuickPhrase:
    """One button of the quick-phrase board."""

    id: str
    text: str
    label: str = ""

    @property
    def title(self) -> str:
        """What its button shows: the label, else the start of the text."""
        return self.label or (self.text if len(self.text) <= 16 else self.text[:15] + "…")
