"""The products plugin: voice-commanded product cards for live selling (直播带货).

Say "上链接3号" / "show product three" / "下一个" / "收起来" / "秒杀 60 秒" and the product card
appears in OBS (native text + image sources) and on the browser-source page ``/products/card``.
Other features reach the cards through ``runtime.services.get(PRODUCTS)``
(:class:`~streamkit.features.ProductsApi`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streamkit.commands.vocabulary import ProductVocabulary
from streamkit.events import Event
from streamkit.features import PRODUCTS
from streamkit.hooks import hookimpl

from .config import ProductsConfig

if TYPE_CHECKING:
    from collections.abc import Sequence

    from streamkit.component import Component
    from streamkit.panel import PanelHost, PanelPage
    from streamkit.runtime import Runtime
    from streamkit.speech.phrases import QuickPhrase
    from streamkit.timeline import Lane, MediaClock

log = logging.getLogger(__name__)


@hookimpl
def streamkit_config_sections() -> dict[str, type]:
    return {"products": ProductsConfig}


@hookimpl
def streamkit_cli(subparsers: Any) -> None:
    from .cli import add_commands

    add_commands(subparsers)


def _card_sources(config: Any) -> tuple[str, list[tuple[str, str]]]:
    o = config.section("products").obs
    named = [(o.title_source, "text"), (o.details_source, "text"), (o.image_source, "image"),
             (o.countdown_source, "text")]
    return o.scene, [(n, k) for n, k in named if n]


def _active(config: Any) -> bool:
    cfg = config.section("products")
    return bool(cfg.catalog) and cfg.obs.enabled


@hookimpl
def streamkit_obs_requirements(config: Any) -> list[tuple[str, str]]:
    if not _active(config):
        return []
    o = config.section("products").obs
    scene, sources = _card_sources(config)
    reqs = [("scene", scene)] + [("input", name) for name, _ in sources]
    if o.card_item:
        reqs.append(("input", o.card_item))
    return reqs


@hookimpl
def streamkit_obs_setup(config: Any) -> list[dict[str, Any]]:
    if not _active(config) or config.section("products").obs.card_item:
        return []
    scene, sources = _card_sources(config)
    o = config.section("products").obs
    # a card in the top-left corner, clear of the captions at the bottom: the picture, texts beside it
    looks: dict[str, tuple[int, dict[str, float]]] = {
        o.title_source: (56, {"x": 300, "y": 40}), o.details_source: (36, {"x": 300, "y": 120}),
        o.image_source: (0, {"x": 40, "y": 40, "scale": 0.5}), o.countdown_source: (40, {"x": 300, "y": 260})}
    specs = []
    for name, kind in sources:
        size, place = looks[name]
        settings: dict[str, Any] = {"text": "", "font": {"size": size}, "outline": True} if kind == "text" else {}
        specs.append({"scene": scene, "name": name, "kind": kind, "settings": settings, "visible": False,
                      "position": place})
    return specs


@hookimpl
def streamkit_command_products(config: Any, catalog: str | None) -> ProductVocabulary | None:
    """The catalog's names for voice commands: ``catalog`` when given, else ``[products] catalog``."""
    from .catalog import load_catalog

    cfg = config.section("products")
    if not catalog and not cfg.catalog:
        return ProductVocabulary((), cfg.wake_word)
    path = Path(catalog) if catalog else config.resolve_path(cfg.catalog)
    return ProductVocabulary(load_catalog(path).product_names(), cfg.wake_word)


@hookimpl
def streamkit_quick_phrases(config: Any) -> "list[QuickPhrase]":
    """One phrase per catalog product: "3号 新疆蜂蜜，到手价49.9元，点击下方小黄车" (none without a catalog,
    or when the catalog cannot be read: the products page says why)."""
    from .catalog import CatalogError, load_catalog
    from .messages import product_phrase

    cfg = config.section("products")
    if not cfg.catalog:
        return []
    try:
        catalog = load_catalog(config.resolve_path(cfg.catalog))
    except (CatalogError, OSError) as exc:
        log.info("products: no quick phrases (%s)", exc)
        return []
    language = cfg.language or config.session.language
    return [product_phrase(p, language) for p in catalog.products]


@hookimpl
def streamkit_panel_pages(host: "PanelHost") -> "list[PanelPage]":
    """The products page of the control panel: import, edit, pictures, card preview (also a wizard step)."""
    from streamkit.panel import PanelPage

    from .panel import ProductsPage
    from .pictures import MAX_PICTURE_BYTES
    from .sheets import MAX_IMPORT_BYTES

    # a little over the pages' own limits, so a file just too big gets the page's sentence, not a bare 413
    uploads = {"/api/import": MAX_IMPORT_BYTES + 4096, "/api/picture": MAX_PICTURE_BYTES + 4096}
    return [PanelPage("/products", {"zh-CN": "商品", "en": "Products"}, ProductsPage(host).router(), order=40,
                      templates=Path(__file__).parent / "templates", wizard_step="/", uploads=uploads)]


@hookimpl
def streamkit_models(config: Any) -> list[str]:
    return []  # commands come from the captions plugin's recognition


@hookimpl
def streamkit_timeline_lanes(events: "Sequence[Event]", clock: "MediaClock") -> "list[Lane]":
    """The plugin's row of a recorded session's timeline."""
    from .timeline import products_lane

    lane = products_lane(events, clock)
    return [lane] if lane is not None else []


@hookimpl
def streamkit_event_types() -> list[type[Event]]:
    """Cards shown and hidden, flash sales, rejected commands, catalog loads."""
    from .events import EVENT_TYPES

    return list(EVENT_TYPES)


@hookimpl(tryfirst=True)
def streamkit_session_start(runtime: "Runtime") -> "Component | None":
    """The products component, started first and stopped last: captions and gestures use it."""
    if not runtime.config.has("products"):
        return None
    from .service import service_from_config

    service = service_from_config(runtime.config, bus=runtime.bus, obs=runtime.obs, overlay=runtime.overlay,
                                  session_dir=runtime.session.dir)
    if service is None:
        log.info("products: no [products] catalog configured, product cards are off")
        return None
    runtime.services.provide(PRODUCTS, service)
    return service
