"""The card on stream: which product is shown, for how long, and what to tell the streamer.

:class:`CardController` is the one place that decides. It keeps a card up for at least
``min_display`` seconds (a hide or a switch that comes sooner waits), hides it after ``auto_hide``
seconds, refuses to re-show a card by number or name within ``reshow_gap`` seconds of hiding it
(a repeated phrase must not make the card flicker; next/previous and manual commands are
deliberate), runs flash-sale countdowns, and reports every change as events on the bus and as
notices on the streamer's monitor page. What it decides goes to :class:`CardSink` objects (native
OBS sources, the browser overlay). Time comes from ``now`` so
tests can drive it; :meth:`CardController.tick` runs what is due.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .catalog import Catalog, Product
from .events import FlashSaleStarted, ProductCardHidden, ProductCardShown, ProductCommandRejected
from .messages import message, serial_ranges
from streamkit.commands import Command, CommandAction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardView:
    """What a sink shows: a product, and a flash-sale countdown ending at ``flash_ends_at`` (epoch seconds)."""

    product: Product
    flash_seconds: int | None = None
    flash_ends_at: float | None = None

    def seconds_left(self, wall_now: float) -> int | None:
        if self.flash_ends_at is None:
            return None
        return max(0, math.ceil(self.flash_ends_at - wall_now - 1e-6))


class CardSink(Protocol):
    """Somewhere a card appears (native OBS sources, a browser overlay)."""

    def show(self, view: CardView) -> None: ...

    def hide(self) -> None: ...

    def countdown(self, view: CardView, seconds_left: int) -> None: ...


@dataclass(frozen=True)
class CardTiming:
    """How long cards stay up; see the module doc."""

    min_display: float = 3.0
    auto_hide: float = 30.0
    reshow_gap: float = 10.0
    flash_sale_default: int = 60
    flash_sale_linger: float = 3.0


Notify = Callable[[str, str, str], None]  # (level, text, language)


class CardController:
    """Decides what card is on stream (thread-safe); the products API for other plugins."""

    def __init__(self, catalog: Callable[[], Catalog], sinks: list[CardSink], *, bus: Any = None,
                 timing: CardTiming | None = None, notify: Notify | None = None, language: str = "zh-CN",
                 now: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time) -> None:
        self._catalog = catalog
        self.sinks = sinks
        self.bus = bus
        self.timing = timing or CardTiming()
        self._notify = notify
        self.language = language
        self.now = now
        self.wall = wall
        self._lock = threading.RLock()
        self.current: CardView | None = None
        self.shown_at = 0.0
        self.last_serial: int | None = None  # the last card shown (next/previous go from here)
        self._hidden_at: dict[int, float] = {}
        self._pending: tuple[float, Callable[[], None]] | None = None
        self._hide_due: float | None = None
        self._last_countdown: int | None = None

    # the API other plugins use (runtime.services["products"]) ---------------------------------
    def show(self, serial: int, trigger: str = "manual", language: str | None = None) -> bool:
        """Show product ``serial``; False (and a notice on the monitor page) when it cannot."""
        with self._lock:
            return self._request(lambda: self._show(serial, trigger, language or self.language))

    def hide(self, reason: str = "manual", *, now: bool = False) -> bool:
        """Hide the card (after its minimum display time, or at once with ``now``); False when no card is up."""
        with self._lock:
            if self.current is None and self._pending is None:
                return False
            if now:
                self._pending = None
                return self._hide(reason)
            return self._request(lambda: self._hide(reason))

    def next(self, trigger: str = "manual", language: str | None = None) -> bool:
        """Show the product after the current (or last shown) one."""
        return self._step(+1, trigger, language or self.language)

    def previous(self, trigger: str = "manual", language: str | None = None) -> bool:
        """Show the product before the current (or last shown) one."""
        return self._step(-1, trigger, language or self.language)

    def flash_sale(self, seconds: int | None = None, serial: int | None = None, trigger: str = "manual",
                   language: str | None = None) -> bool:
        """Start a countdown of ``seconds`` on card ``serial`` (or the current / last card)."""
        lang = language or self.language
        with self._lock:
            seconds = seconds or self.timing.flash_sale_default
            target = serial if serial is not None else (self.current.product.serial if self.current else self.last_serial)
            if target is None:
                self._reject(trigger, "no card for a flash sale", message("no_card_for_flash_sale", lang), lang)
                return False
            return self._request(lambda: self._show(target, trigger, lang, flash=seconds))

    def execute(self, command: Command, text: str) -> bool:
        """Carry out a parsed spoken command; ``text`` is what was said (kept in the events)."""
        lang = "zh-CN" if command.language == "zh" else "en" if command.language == "en" else self.language
        if command.action is CommandAction.SHOW and command.product is not None:
            return self.show(command.product, trigger=text, language=lang)
        if command.action is CommandAction.NEXT:
            return self.next(trigger=text, language=lang)
        if command.action is CommandAction.PREVIOUS:
            return self.previous(trigger=text, language=lang)
        if command.action is CommandAction.HIDE:
            return self.hide(reason="spoken")
        if command.action is CommandAction.FLASH_SALE:
            return self.flash_sale(command.seconds, command.product, trigger=text, language=lang)
        return False

    @property
    def visible_serial(self) -> int | None:
        with self._lock:
            return self.current.product.serial if self.current else None

    # timing ---------------------------------------------------------------------------------------
    def tick(self) -> None:
        """Run what is due: a deferred hide/switch, the auto-hide, countdown updates."""
        with self._lock:
            now = self.now()
            if self._pending is not None and now >= self._pending[0]:
                _, action = self._pending
                self._pending = None
                action()
            if self.current is not None and self._hide_due is not None and now >= self._hide_due:
                self._hide("auto-hide")
            view = self.current
            if view is not None and view.flash_ends_at is not None:
                left = view.seconds_left(self.wall())
                if left is not None and left != self._last_countdown:
                    self._last_countdown = left
                    for sink in self.sinks:
                        _call(sink.countdown, view, left)

    def run(self, stop: threading.Event, interval: float = 0.1) -> None:
        """Call :meth:`tick` every ``interval`` seconds until ``stop`` is set (a session thread)."""
        while not stop.wait(interval):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - the card must keep working
                log.exception("card controller tick failed")

    # internals (called with the lock held) --------------------------------------------------------
    def _request(self, action: Callable[[], bool]) -> bool:
        """Run ``action`` now, or at the end of the current card's minimum display time."""
        now = self.now()
        earliest = self.shown_at + self.timing.min_display
        if self.current is not None and now < earliest:
            self._pending = (earliest, action)
            return True
        self._pending = None
        return action()

    def _step(self, step: int, trigger: str, lang: str) -> bool:
        with self._lock:
            catalog = self._catalog()
            if not catalog.products:
                self._reject(trigger, "empty catalog", message("empty_catalog", lang), lang)
                return False
            base = self.current.product.serial if self.current else self.last_serial
            product = catalog.neighbour(base, step)
            if product is None:
                key = "no_next" if step > 0 else "no_previous"
                self._reject(trigger, key.replace("_", " "), message(key, lang), lang)
                return False
            return self._request(lambda: self._show(product.serial, trigger, lang, gap=False))

    def _show(self, serial: int, trigger: str, lang: str, flash: int | None = None, gap: bool = True) -> bool:
        catalog = self._catalog()
        product = catalog.get(serial)
        if product is None:
            text = message("unknown_serial", lang, serial=serial, serials=serial_ranges(catalog.serials, lang) or "—")
            self._reject(trigger, f"no product {serial} in the catalog", text, lang)
            return False
        now = self.now()
        same = self.current is not None and self.current.product.serial == serial
        if not same and gap and trigger != "manual":
            hidden_at = self._hidden_at.get(serial)
            if hidden_at is not None and now - hidden_at < self.timing.reshow_gap:
                wait = math.ceil(self.timing.reshow_gap - (now - hidden_at))
                self._reject(trigger, f"product {serial} was shown less than {self.timing.reshow_gap:g} s ago",
                             message("too_soon", lang, serial=serial, wait=wait), lang)
                return False
        if same and flash is None and self.current is not None:
            view = self.current  # already up: keep it, restart its auto-hide
        else:
            ends = self.wall() + flash if flash else None
            view = CardView(product, flash, ends)
        if self.current is not None and not same:
            self._hidden_at[self.current.product.serial] = now
            self._publish(ProductCardHidden(serial=self.current.product.serial, reason="replaced"))
        if view is not self.current:
            self.current = view
            self._last_countdown = None
            for sink in self.sinks:
                _call(sink.show, view)
        if not same:
            self.shown_at = now
            self._publish(ProductCardShown(serial=product.serial, product_id=product.id, name=product.name,
                                           trigger=trigger))
            self.notify("info", message("shown", lang, serial=product.serial, name=product.name), lang)
        self.last_serial = product.serial
        hide_after = self.timing.auto_hide
        if flash:
            self._publish(FlashSaleStarted(serial=product.serial, seconds=flash))
            self.notify("info", message("flash_sale", lang, seconds=flash, serial=product.serial, name=product.name), lang)
            hide_after = max(hide_after, flash + self.timing.flash_sale_linger) if hide_after > 0 else 0
        self._hide_due = now + hide_after if hide_after > 0 else None
        return True

    def _hide(self, reason: str) -> bool:
        if self.current is None:
            return False
        serial = self.current.product.serial
        self.current = None
        self._hide_due = None
        self._hidden_at[serial] = self.now()
        for sink in self.sinks:
            _call(sink.hide)
        self._publish(ProductCardHidden(serial=serial, reason=reason))
        self.notify("info", message("hidden", self.language), self.language)
        return True

    def _reject(self, text: str, reason: str, notice: str, lang: str) -> None:
        self._publish(ProductCommandRejected(text=text, reason=reason))
        self.notify("warning", notice, lang)

    def _publish(self, event: Any) -> None:
        if self.bus is not None:
            self.bus.publish(event)

    def notify(self, level: str, text: str, language: str) -> None:
        """A notice for the streamer's monitor page."""
        if self._notify is not None:
            _call(self._notify, level, text, language)

    def catalog_changed(self) -> None:
        """After a reload: a card whose product is gone is hidden; a changed one is redrawn."""
        with self._lock:
            if self.current is None:
                return
            product = self._catalog().get(self.current.product.serial)
            if product is None:
                self._hide("catalog")
            elif product != self.current.product:
                self.current = CardView(product, self.current.flash_seconds, self.current.flash_ends_at)
                for sink in self.sinks:
                    _call(sink.show, self.current)


def _call(fn: Callable[..., Any], *args: Any) -> None:
    try:
        fn(*args)
    except Exception:  # noqa: BLE001 - one failing sink must not stop the others
        log.exception("card sink %r failed", fn)
