"""What Mandarin and English flash sales share: the countdown length, and which product it is on."""

from __future__ import annotations

import re
from collections.abc import Callable

from .model import Command, CommandAction, Language
from .names import NameMatch

MIN_SECONDS, MAX_SECONDS = 5, 3600
NameLookup = Callable[[str], NameMatch | None]


def seconds(value: str | None, unit: str | None) -> int | None:
    """A countdown length in seconds (5 s – 1 h), or None."""
    if not value:
        return None
    n = int(value) * (60 if unit and (unit.startswith("分") or unit.startswith("min")) else 1)
    return n if MIN_SECONDS <= n <= MAX_SECONDS else None


def duration(m: re.Match[str]) -> int | None:
    """The countdown of a flash-sale match: before the keyword (``d1 u1``) or after it (``d2 u2``)."""
    return seconds(m["d1"], m["u1"]) or seconds(m["d2"], m["u2"])


def flash_command(m: re.Match[str], product_name: NameLookup, *, complete: bool, language: Language) -> Command | None:
    """The flash sale a match gives: on the product it numbers (``n``/``n2``) or names (``name``); None when
    the name is no product."""
    groups = m.groupdict()
    number = groups.get("n") or groups.get("n2")
    product = int(number) if number else None
    if groups.get("name"):
        found = product_name(groups["name"])
        if found is None:
            return None
        product = int(found.key)
    secs = duration(m)
    return Command(CommandAction.FLASH_SALE, product=product, seconds=secs, confidence=0.95 if secs else 0.85,
                   complete=complete, language=language, matched=m.group(0))
