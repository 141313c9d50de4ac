"""``streamkit commands parse TEXT``: what a phrase asks for, as one JSON line."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from streamkit.errors import ConfigError

from .config import commands_config
from .parser import CommandParser


def add_commands_parser(subparsers: Any) -> None:
    """Add ``streamkit commands parse``."""
    commands = subparsers.add_parser("commands", help="voice commands for OBS, streamkit and product cards")
    sub = commands.add_subparsers(dest="commands_command", metavar="ACTION", required=True)
    parse = sub.add_parser("parse", help="print the command a phrase gives, as one JSON line", description=(
        'Prints {"action", "target", "product", "seconds", "confidence"}. action is one of scene, mute, unmute, '
        "show_source, hide_source, record_start, record_stop, stream_start, stream_stop, pause_triggers, "
        "resume_triggers, status, confirm, cancel, show, hide, next, previous, flash_sale, or null; target is the "
        "exact OBS scene or source name."))
    parse.add_argument("text", help='what was said, e.g. "切到近景", "mute the mic" or "上链接3号"')
    parse.add_argument("--scenes", metavar="A,B,…", default="", help="OBS scene names, comma-separated, as OBS spells them")
    parse.add_argument("--sources", metavar="C,D,…", default="", help="OBS source names, comma-separated")
    parse.add_argument("--catalog", metavar="F", help="product catalog (default: [products] catalog of --config)")
    parse.add_argument("--config", metavar="F", help="streamkit.toml ([commands] aliases, wake word, switches)")
    parse.set_defaults(func=cmd_parse)


def names(value: str) -> tuple[str, ...]:
    """``"直播间, 近景特写"`` → ``("直播间", "近景特写")``."""
    return tuple(n.strip() for n in re.split(r"[,，]", value) if n.strip())


def cmd_parse(args: argparse.Namespace) -> int:
    from streamkit.config import load
    from streamkit.hooks import plugin_manager

    config = load(args.config)
    products = plugin_manager().hook.streamkit_command_products(config=config, catalog=args.catalog)
    if args.catalog and products is None:
        raise ConfigError("no installed plugin reads product catalogs", "install streamkit with its products plugin")
    cfg = commands_config(config)
    vocabulary = cfg.vocabulary(names(args.scenes), names(args.sources), products.products if products else ())
    wake_word = cfg.wake_word or (products.wake_word if products else "")
    parser = CommandParser(vocabulary, wake_word=wake_word, name_threshold=cfg.name_threshold)
    print(json.dumps(parser.parse(args.text).to_json(), ensure_ascii=False))
    return 0
