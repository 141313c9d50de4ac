"""Events of the products plugin (recorded in the session, so the review can show each 讲解 segment)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from streamkit.events import Event, say


@dataclass(frozen=True, kw_only=True)
class ProductCardShown(Event):
    """A product card went on stream; ``trigger`` is the spoken text, or ``"gesture"`` / ``"manual"``."""

    moment: ClassVar[bool] = True

    serial: int
    product_id: str
    name: str
    trigger: str

    def announce(self, language: str) -> str:
        return say(language, f"商品卡：{self.serial} 号 {self.name}。", f"Product card: {self.serial} {self.name}.")


@dataclass(frozen=True, kw_only=True)
class ProductCardHidden(Event):
    """The card went off stream; ``reason``: spoken / auto-hide / replaced / gesture / manual / catalog / session end."""

    serial: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class ProductCommandRejected(Event):
    """A command that was understood but not carried out (unknown serial, too soon, …); nothing changed on stream."""

    text: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class FlashSaleStarted(Event):
    """A flash-sale countdown of ``seconds`` started on the card of ``serial``."""

    serial: int
    seconds: int


@dataclass(frozen=True, kw_only=True)
class ProductCatalogLoaded(Event):
    """A catalog (re)loaded and now in use."""

    path: str
    products: int


@dataclass(frozen=True, kw_only=True)
class ProductCatalogRejected(Event):
    """A changed catalog with problems; the previous catalog stays in use."""

    path: str
    error: str


EVENT_TYPES: tuple[type[Event], ...] = (ProductCardShown, ProductCardHidden, ProductCommandRejected, FlashSaleStarted, ProductCatalogLoaded, ProductCatalogRejected)
