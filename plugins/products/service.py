"""The products feature during a session: catalog, parser, detector, card controller, sinks.

:class:`ProductsService` is the session's products component and the
:class:`~streamkit.features.ProductsApi` it offers other features (``PRODUCTS``): ``show(serial)``,
``hide()``, ``next()``, ``previous()``, ``flash_sale(seconds)``, ``on_screen()`` and ``hotwords()``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.responses import FileResponse, Response

from streamkit.bus import EventBus
from streamkit.commands import Command
from streamkit.commands.config import commands_config, voice_commands_listen
from streamkit.commands.vocabulary import ProductNames
from streamkit.component import State, Status, Tasks
from streamkit.config import Config
from streamkit.events import Caption, Event
from streamkit.features import CardOnScreen
from streamkit.obs.base import ObsSink
from streamkit.overlay import OverlayServer
from streamkit.web import contained_file

from .cards import CardController, CardSink, CardTiming
from .catalog import IMAGE_SUFFIXES, Catalog, CatalogError, CatalogWatcher
from .config import ProductsConfig
from streamkit.commands.detector import CommandDetector
from .events import ProductCardHidden, ProductCardShown, ProductCatalogLoaded, ProductCatalogRejected
from .messages import message
from .parser import CommandParser
from .sinks import CARD_PAGE, IMAGE_ROUTE, MONITOR_PAGE, ObsCardSink, ObsCardSources, OverlayCardSink, monitor_notice

log = logging.getLogger(__name__)
PAGES_DIR = Path(__file__).parent


class ProductsService:
    """Everything the products plugin runs in a session (start with :meth:`start`, end with :meth:`stop`)."""

    name = "products"

    def __init__(self, cfg: ProductsConfig, *, catalog_path: Path, bus: EventBus | None = None,
                 obs: ObsSink | None = None, overlay: OverlayServer | None = None, language: str = "zh-CN",
                 now: Callable[[], float] = time.monotonic, session_dir: Path | None = None,
                 wake_word: str = "", listen: bool = True) -> None:
        self.cfg = cfg
        self.listen = listen  # False: the voice feature hears every command (products included) and calls us
        self.session_dir = session_dir
        self.wake_word = wake_word or cfg.wake_word  # [commands] wake_word, else [products] wake_word
        self.bus = bus
        self.overlay = overlay
        self.language = cfg.language or language
        self.watcher = CatalogWatcher(catalog_path, on_load=self._catalog_loaded, on_error=self._catalog_rejected)
        self._parser = CommandParser(self.watcher.catalog, wake_word=self.wake_word, name_threshold=cfg.name_threshold)
        sinks: list[CardSink] = []
        if obs is not None and cfg.obs.enabled:
            o = cfg.obs
            sources = ObsCardSources(o.scene, o.title_source, o.details_source, o.image_source, o.countdown_source,
                                     o.card_item)
            sinks.append(ObsCardSink(obs, sources, self.language))
        if overlay is not None and cfg.overlay:
            sinks.append(OverlayCardSink(overlay, self.language))
        self.cards = CardController(
            lambda: self.watcher.catalog, sinks, bus=bus, language=self.language, now=now,
            notify=self._notify,
            timing=CardTiming(min_display=cfg.min_display_seconds, auto_hide=cfg.auto_hide_seconds,
                              reshow_gap=cfg.reshow_gap_seconds, flash_sale_default=cfg.flash_sale_default_seconds))
        self.detector = CommandDetector(lambda: self._parser, self.cards.execute, min_confidence=cfg.min_confidence,
                                        fire_on_partial=cfg.fire_on_partial, sources=cfg.sources)
        self._unsubscribe: list[Callable[[], None]] = []
        self._state = State.STARTING
        self.segments: list[dict[str, object]] = []

    # API for other plugins --------------------------------------------------------------------
    def show(self, serial: int, trigger: str = "gesture") -> bool:
        return self.cards.show(int(serial), trigger=trigger)

    def hide(self, reason: str = "gesture") -> bool:
        return self.cards.hide(reason=reason)

    def next(self, trigger: str = "gesture") -> bool:
        return self.cards.next(trigger=trigger)

    def previous(self, trigger: str = "gesture") -> bool:
        return self.cards.previous(trigger=trigger)

    def flash_sale(self, seconds: int | None = None, trigger: str = "gesture") -> bool:
        return self.cards.flash_sale(seconds, trigger=trigger)

    def on_screen(self) -> CardOnScreen | None:
        """The card on stream right now, or None."""
        view = self.cards.current
        if view is None:
            return None
        return CardOnScreen(view.product.serial, view.product.name, view.seconds_left(time.time()))

    def hotwords(self, language: str | None = None) -> list[str]:
        """Product names and aliases, for biasing speech recognition.

        ``language="en"`` gives only the Latin-script ones (Chinese hotwords make an English-only
        model such as tiny.en print Chinese garbage), ``"zh"`` only the Chinese ones; None gives all."""
        return self.watcher.catalog.hotwords(language)

    def product_names(self) -> tuple[ProductNames, ...]:
        """The catalog's serials, names and aliases for voice commands."""
        return self.watcher.catalog.product_names()

    @property
    def catalog(self) -> Catalog:
        return self.watcher.catalog

    def parse(self, text: str) -> Command:
        return self._parser.parse(text)

    def on_caption(self, caption: Caption) -> list[Command]:
        """Feed one caption (partial or final) to the command detector; returns the commands it fired."""
        return self.detector.on_caption(caption)

    # lifecycle --------------------------------------------------------------------------------
    def start(self, tasks: Tasks) -> None:
        """Load the catalog (a bad one is reported, the session goes on), listen to captions, start timers."""
        self.watcher.check()
        if self.watcher.last_error is not None and not self.watcher.catalog.products:
            log.warning("products: %s", self.watcher.last_error)
        if self.overlay is not None:
            self._add_pages()
        if self.bus is not None:
            if self.listen:
                self._unsubscribe.append(self.bus.subscribe(self._on_caption_event, Caption))
            self._unsubscribe.append(self.bus.subscribe(self._record_segment, ProductCardShown, ProductCardHidden))
        tasks.background("catalog", lambda stop: self.watcher.run(stop, self.cfg.reload_seconds))
        tasks.background("cards", self.cards.run)
        self._state = State.RUNNING

    def stop(self) -> None:
        """Hide the card and write ``products.json`` (card segments) into the session folder."""
        self.cards.hide(reason="session end", now=True)
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self._state = State.STOPPED
        if self.session_dir is not None:
            data = {"catalog": str(self.watcher.path), "segments": self.segments}
            (self.session_dir / "products.json").write_text(json.dumps(data, ensure_ascii=False, indent=2),
                                                            encoding="utf-8")

    def status(self) -> Status:
        """Running with N products; the card on screen; the catalog's last problem."""
        error = self.watcher.last_error
        card = self.on_screen()
        figures: dict[str, int | float | str] = {"products": len(self.watcher.catalog.products),
                                                  "on_screen": f"{card.serial} {card.name}" if card else ""}
        return Status(self.name, self._state, str(error) if error else "", figures)

    # internals --------------------------------------------------------------------------------
    def _on_caption_event(self, event: Event) -> None:
        if isinstance(event, Caption):
            self.on_caption(event)

    def _record_segment(self, event: Event) -> None:
        if isinstance(event, ProductCardShown):
            self.segments.append({"serial": event.serial, "name": event.name, "trigger": event.trigger,
                                  "shown": event.ts, "hidden": None, "reason": ""})
        elif isinstance(event, ProductCardHidden):
            for seg in reversed(self.segments):
                if seg["serial"] == event.serial and seg["hidden"] is None:
                    seg["hidden"], seg["reason"] = event.ts, event.reason
                    break

    def _catalog_loaded(self, catalog: Catalog) -> None:
        self._parser = CommandParser(catalog, wake_word=self.wake_word, name_threshold=self.cfg.name_threshold)
        if self.bus is not None:
            self.bus.publish(ProductCatalogLoaded(path=str(catalog.path), products=len(catalog.products)))
        self._notify("info", message("catalog_loaded", self.language, count=len(catalog.products)), self.language)
        self.cards.catalog_changed()

    def _catalog_rejected(self, error: CatalogError) -> None:
        if self.bus is not None:
            self.bus.publish(ProductCatalogRejected(path=str(self.watcher.path), error=str(error)))
        self._notify("error", message("catalog_error", self.language, error=error.sentences(self.language)[0]), self.language)

    def _notify(self, level: str, text: str, language: str) -> None:
        if self.overlay is not None:
            monitor_notice(self.overlay, level, text, language)

    def _add_pages(self) -> None:
        overlay = self.overlay
        overlay.add_page(CARD_PAGE, (PAGES_DIR / "card.html").read_text(encoding="utf-8"), "商品卡 · product card")
        overlay.add_page(MONITOR_PAGE, (PAGES_DIR / "monitor.html").read_text(encoding="utf-8"), "主播提示 · monitor")

        async def image(serial: int) -> Response:
            product = self.watcher.catalog.get(serial)
            picture = contained_file(product.image, product.image.parent) if product and product.image else None
            if picture is None or picture.suffix.lower() not in IMAGE_SUFFIXES:  # a link to a non-picture: not served
                return Response(status_code=404)
            return FileResponse(picture, headers={"Cache-Control": "no-cache"})

        overlay.app.add_api_route(IMAGE_ROUTE + "/{serial}", image, methods=["GET"])


def service_from_config(config: Config, *, bus: EventBus | None = None, obs: ObsSink | None = None,
                        overlay: OverlayServer | None = None, session_dir: Path | None = None) -> ProductsService | None:
    """A service for ``config`` (None when ``[products] catalog`` is empty). It reads commands from the
    captions itself only when the voice feature does not (:func:`~streamkit.commands.config.voice_commands_listen`)."""
    cfg: ProductsConfig = config.section("products")
    if not cfg.catalog:
        return None
    return ProductsService(cfg, catalog_path=config.resolve_path(cfg.catalog), bus=bus, obs=obs, overlay=overlay,
                           language=config.session.language, session_dir=session_dir,
                           wake_word=commands_config(config).wake_word, listen=not voice_commands_listen(config))
