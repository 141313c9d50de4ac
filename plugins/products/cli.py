"""``streamkit products …``: parse a phrase, check a catalog, show or hide a card in OBS by hand."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streamkit.errors import ConfigError, StreamkitError

from .catalog import Catalog, CatalogError, format_price, load_catalog

if TYPE_CHECKING:
    from streamkit.obs.client import ObsClient


def add_commands(subparsers: Any) -> None:
    """Add ``streamkit products`` and its actions."""
    products = subparsers.add_parser("products", help="voice-commanded product cards: parse, check, show, hide")
    sub = products.add_subparsers(dest="products_command", metavar="ACTION", required=True)

    parse = sub.add_parser("parse", help="print the command a phrase gives, as JSON")
    parse.add_argument("text", help='what was said, e.g. "上链接3号" or "show product three"')
    parse.add_argument("--catalog", help="catalog file (for product names); default: [products] catalog of --config")
    parse.add_argument("--config", help="streamkit.toml (catalog and wake word)")
    parse.add_argument("--wake-word", help="require this wake word before the command")
    parse.set_defaults(func=cmd_parse)

    check = sub.add_parser("check", help="validate a catalog file and list its products")
    check.add_argument("file", help="catalog .csv, .json or .toml")
    check.set_defaults(func=cmd_check)

    imp = sub.add_parser("import", help="import a catalog from Excel (.xlsx) or CSV and save it as the catalog")
    imp.add_argument("file", help="the sheet: .xlsx or .csv, headers in Chinese or English (序号, 名称, 价格, 到手价, …)")
    imp.add_argument("--config", help="streamkit.toml: the catalog file it names is replaced (a .bak copy is kept)")
    imp.add_argument("--to", metavar="CATALOG", help="write this catalog file instead (.csv, .json or .toml)")
    imp.add_argument("--check", action="store_true", help="only check the file; write nothing")
    imp.add_argument("--language", choices=("zh-CN", "en"), help="language of the messages (default: [session] language)")
    imp.set_defaults(func=cmd_import)

    hotwords = sub.add_parser("hotwords", help="print the recognition hotwords (names and aliases) of a catalog")
    hotwords.add_argument("file", help="catalog .csv, .json or .toml")
    hotwords.set_defaults(func=cmd_hotwords)

    for name, help_text in (("show", "show a product card in OBS now (stays until `streamkit products hide`)"),
                            ("hide", "hide the product card in OBS")):
        p = sub.add_parser(name, help=help_text)
        if name == "show":
            p.add_argument("serial", type=int, help="the product's serial number (序号)")
            p.add_argument("--flash-sale", type=int, metavar="SECONDS", help="show a flash-sale countdown start of SECONDS")
            p.add_argument("--catalog", help="catalog file; default: [products] catalog of --config")
        p.add_argument("--config", help="streamkit.toml (OBS address and card source names)")
        p.add_argument("--url", help="obs-websocket address (default: from --config)")
        p.add_argument("--password", help="WebSocket server password (default: from --config or STREAMKIT_OBS_PASSWORD)")
        p.set_defaults(func=cmd_show if name == "show" else cmd_hide)


def _config(path: str | None) -> Any:
    from streamkit.config import load

    return load(path)


def _catalog_path(args: argparse.Namespace, config: Any) -> Path:
    if getattr(args, "catalog", None):
        return Path(args.catalog)
    cfg = config.section("products")
    if not cfg.catalog:
        raise ConfigError("no catalog given", "pass --catalog FILE, or set [products] catalog in the config")
    return config.resolve_path(cfg.catalog)


def cmd_parse(args: argparse.Namespace) -> int:
    from streamkit.commands.config import commands_config

    from .parser import CommandParser, legacy_json

    config = _config(args.config)
    cfg = config.section("products")
    catalog = load_catalog(_catalog_path(args, config)) if (args.catalog or cfg.catalog) else Catalog(None, ())
    wake = args.wake_word if args.wake_word is not None else (commands_config(config).wake_word or cfg.wake_word)
    command = CommandParser(catalog, wake_word=wake, name_threshold=cfg.name_threshold).parse(args.text)
    print(json.dumps(legacy_json(command), ensure_ascii=False))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    try:
        catalog = load_catalog(args.file)
    except CatalogError as exc:
        for line in exc.problems:
            print(f"streamkit: error: {line}", file=sys.stderr)
        print(f"  {len(exc.problems)} problem(s); fix the file, then run: streamkit products check {args.file}",
              file=sys.stderr)
        return 2
    table = Table(title=f"{args.file}: {len(catalog.products)} products OK")
    for col in ("序号", "id", "name", "aliases", "price", "promo", "stock", "image"):
        table.add_column(col)
    for p in catalog.products:
        table.add_row(str(p.serial), p.id, p.name, " | ".join(p.aliases), format_price(p.price),
                      format_price(p.promo_price) if p.promo_price is not None else "",
                      "" if p.stock is None else str(p.stock), p.image.name if p.image else "—")
    Console().print(table)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a sheet into the catalog file; every problem is one line, and nothing is written when any."""
    from streamkit.home import streamkit_home

    from .messages import message
    from .sheets import import_catalog
    from .writer import default_catalog_path, replace_catalog

    config = _config(args.config)
    lang = args.language or config.section("products").language or config.session.language
    source = Path(args.file)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise StreamkitError(f"cannot read {source}: {exc.strerror}", "check the file name") from None
    try:
        result = import_catalog(data, source.name, base=source.parent)
    except CatalogError as exc:
        print(message("import_rejected", lang, file=source.name, count=len(exc.items)), file=sys.stderr)
        for line in exc.sentences(lang):
            print(f"  {line}", file=sys.stderr)
        return 2
    print(result.summary(lang))
    if args.check:
        print(message("import_checked", lang, file=source.name, count=len(result.catalog.products)))
        return 0
    configured = config.section("products").catalog
    target = Path(args.to) if args.to else config.resolve_path(configured) if configured else \
        default_catalog_path(streamkit_home())
    backup = replace_catalog(result.catalog, target)
    print(message("import_done", lang, count=len(result.catalog.products), path=target))
    if backup is not None:
        print(message("import_backup", lang, path=backup))
    if not args.to and not configured:
        print(message("import_set_config", lang, path=target))
    return 0


def cmd_hotwords(args: argparse.Namespace) -> int:
    print("\n".join(load_catalog(args.file).hotwords()))
    return 0


def _obs_sink(args: argparse.Namespace, config: Any) -> tuple[Any, Any]:
    from streamkit.bus import EventBus
    from streamkit.events import ObsActionFailed
    from streamkit.obs.client import ObsClient

    from .sinks import ObsCardSink, ObsCardSources

    url = args.url or config.obs.url
    password = args.password if args.password is not None else config.obs.resolved_password()
    bus = EventBus()
    obs_log = logging.getLogger("streamkit.obs")
    quiet = obs_log.getEffectiveLevel() >= logging.WARNING  # the one-line error below says it all
    if quiet:
        obs_log.setLevel(logging.ERROR)
    client = ObsClient(url, password, timeout=config.obs.timeout, bus=bus, publish_obs_events=False)
    client.failures = []  # type: ignore[attr-defined]
    bus.subscribe(client.failures.append, ObsActionFailed)  # type: ignore[attr-defined]
    try:
        client.connect()
    except StreamkitError:
        client.close(flush_timeout=0)
        raise
    finally:
        if quiet:
            obs_log.setLevel(logging.NOTSET)
    o = config.section("products").obs
    language = config.section("products").language or config.session.language
    sources = ObsCardSources(o.scene, o.title_source, o.details_source, o.image_source, o.countdown_source, o.card_item)
    return client, ObsCardSink(client, sources, language)


def _apply(client: "ObsClient") -> None:
    """Wait until OBS applied everything (the sources were checked first by :func:`_check_items`)."""
    from streamkit.obs.errors import ObsUnavailable

    if not client.flush(timeout=5):
        raise ObsUnavailable(f"OBS at {client.url} did not apply the card in time", "check that OBS is running")


def cmd_show(args: argparse.Namespace) -> int:
    import time

    from .cards import CardView

    config = _config(args.config)
    catalog = load_catalog(_catalog_path(args, config))
    product = catalog.get(args.serial)
    if product is None:
        from .messages import serial_ranges

        raise StreamkitError(f"no product {args.serial} in {catalog.path} (it has {serial_ranges(catalog.serials)})",
                             "pick a serial from the catalog: streamkit products check FILE")
    client, sink = _obs_sink(args, config)
    try:
        ends = time.time() + args.flash_sale if args.flash_sale else None
        sink.show(CardView(product, args.flash_sale, ends))
        _check_items(client, sink)
        _apply(client)
    finally:
        client.close()
    print(f"shown: {product.serial}号 {product.name}")
    return 0


def cmd_hide(args: argparse.Namespace) -> int:
    config = _config(args.config)
    client, sink = _obs_sink(args, config)
    try:
        sink.hide()
        _check_items(client, sink)
        _apply(client)
    finally:
        client.close()
    print("hidden")
    return 0


def _check_items(client: Any, sink: Any) -> None:
    """Raise a one-line error naming the first card source missing from the scene."""
    from streamkit.obs.errors import ObsRequestError

    s = sink.sources
    for name in [*s.items(), s.countdown]:
        if not name:
            continue
        try:
            client.request("GetSceneItemId", {"sceneName": s.scene, "sourceName": name})
        except ObsRequestError as exc:
            raise ConfigError(f"OBS has no source “{name}” in scene “{s.scene}” ({exc.code_name})",
                              "run: streamkit obs setup --config FILE, or set [products.obs] source names") from None
