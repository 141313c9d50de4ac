"""Where cards appear: native OBS text and image sources, and the browser-source overlay page.

Not every OBS build has a browser source (Debian's has none), so the native card is the fallback:
its text and image sources are updated first and then made visible, so a card never appears with
the previous product's text. The overlay page gets the same card over Server-Sent Events.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .cards import CardView
from .catalog import Product, format_price
from .messages import message

CARD_CHANNEL = "products"
MONITOR_CHANNEL = "monitor"
CARD_PAGE = "/products/card"
MONITOR_PAGE = "/products/monitor"
IMAGE_ROUTE = "/products/image"


def price_line(product: Product, lang: str) -> str:
    """``到手价 ¥59.9   原价 ¥89`` (or just ``¥89`` without a promo price)."""
    if product.promo_price is not None and product.promo_price < product.price:
        return message("price_promo", lang, promo=format_price(product.promo_price), price=format_price(product.price))
    return message("price", lang, price=format_price(product.price))


def countdown_text(seconds_left: int, lang: str) -> str:
    if seconds_left <= 0:
        return message("countdown_over", lang)
    return message("countdown", lang, clock=f"{seconds_left // 60:02d}:{seconds_left % 60:02d}")


@dataclass
class ObsCardSources:
    """Names of the OBS sources that make the native card ('' = not used)."""

    scene: str
    title: str = ""
    details: str = ""
    image: str = ""
    countdown: str = ""
    card_item: str = ""  # a group / nested scene holding all of them: toggle only this item

    def items(self, picture: bool = True) -> list[str]:
        """The scene items to show (``picture`` False: a text card, the image item stays hidden)."""
        if self.card_item:
            return [self.card_item]
        return [n for n in (self.image if picture else "", self.title, self.details) if n]


class ObsCardSink:
    """Native OBS card through an ObsSink (target state: re-applied after a reconnect)."""

    def __init__(self, obs: Any, sources: ObsCardSources, language: str = "zh-CN") -> None:
        self.obs = obs
        self.sources = sources
        self.language = language

    def details_text(self, product: Product) -> str:
        lines = [price_line(product, self.language)]
        if product.sold_out:
            lines[0] += f"   {message('sold_out', self.language)}"
        if product.selling_points:
            lines.append(" · ".join(product.selling_points))
        return "\n".join(lines)

    def show(self, view: CardView) -> None:
        s, p = self.sources, view.product
        if s.title:
            self.obs.set_text(s.title, message("title", self.language, serial=p.serial, name=p.name))
        if s.details:
            self.obs.set_text(s.details, self.details_text(p))
        if s.image:  # '' empties the picture of a text card (it may sit in the card_item group)
            self.obs.set_input_settings(s.image, {"file": str(p.image) if p.image else ""})
        if s.countdown:
            left = view.seconds_left(time.time())
            self.obs.set_text(s.countdown, countdown_text(left, self.language) if left is not None else "")
        for item in s.items(picture=p.image is not None):
            self.obs.set_item_visible(s.scene, item, True)
        if s.image and not s.card_item and p.image is None:
            self.obs.set_item_visible(s.scene, s.image, False)
        if s.countdown and not s.card_item:
            self.obs.set_item_visible(s.scene, s.countdown, view.flash_ends_at is not None)

    def hide(self) -> None:
        s = self.sources
        for item in s.items():
            self.obs.set_item_visible(s.scene, item, False)
        if s.countdown and not s.card_item:
            self.obs.set_item_visible(s.scene, s.countdown, False)

    def countdown(self, view: CardView, seconds_left: int) -> None:
        if self.sources.countdown:
            self.obs.set_text(self.sources.countdown, countdown_text(seconds_left, self.language))


def card_message(view: CardView, lang: str, image_version: str = "") -> dict[str, Any]:
    """The JSON the overlay page draws."""
    p = view.product
    promo = p.promo_price is not None and p.promo_price < p.price
    return {
        "type": "show", "serial": p.serial, "id": p.id, "name": p.name,
        "title": message("title", lang, serial=p.serial, name=p.name),
        "price": format_price(p.price), "promo_price": format_price(p.promo_price) if promo and p.promo_price else None,
        "price_line": price_line(p, lang), "selling_points": list(p.selling_points),
        "sold_out": p.sold_out, "sold_out_label": message("sold_out", lang), "link_code": p.link_code,
        "image": (f"{IMAGE_ROUTE}/{p.serial}" + (f"?v={image_version}" if image_version else "")) if p.image else None,
        "flash_seconds": view.flash_seconds,
        "flash_ends_at_ms": int(view.flash_ends_at * 1000) if view.flash_ends_at else None,
        "flash_label": message("flash_label", lang), "countdown_over": message("countdown_over", lang),
        "lang": lang, "sent_at_ms": int(time.time() * 1000),
    }


class OverlayCardSink:
    """The browser-source card: publishes each change on the overlay server's ``products`` channel."""

    def __init__(self, overlay: Any, language: str = "zh-CN") -> None:
        self.overlay = overlay
        self.language = language

    def show(self, view: CardView) -> None:
        try:
            version = str(int(view.product.image.stat().st_mtime)) if view.product.image else ""
        except OSError:
            version = ""
        self.overlay.publish(CARD_CHANNEL, card_message(view, self.language, version))

    def hide(self) -> None:
        self.overlay.publish(CARD_CHANNEL, {"type": "hide", "sent_at_ms": int(time.time() * 1000)})

    def countdown(self, view: CardView, seconds_left: int) -> None:
        """The page counts down by itself from ``flash_ends_at_ms``; nothing to send."""


def monitor_notice(overlay: Any, level: str, text: str, language: str) -> None:
    """Publish a notice for the streamer's monitor page (channel ``monitor``)."""
    overlay.publish(MONITOR_CHANNEL, {"type": "notice", "source": "products", "level": level, "text": text,
                                      "lang": language, "ts": time.time()})
