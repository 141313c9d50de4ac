"""``streamkit`` command line: core commands here, feature commands from plugins (hook ``streamkit_cli``)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .errors import StreamkitError
from .hooks import Plugins, process_plugins

Handler = Callable[[argparse.Namespace], int]


def _lazy(module: str, func: str) -> Handler:
    """A handler imported only when its command runs (keeps ``streamkit --help`` fast)."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), func)(args) or 0)

    return run


def build_parser(plugins: Plugins | None = None) -> argparse.ArgumentParser:
    """The whole command line; every command gets ``args.plugins`` (the process's one :class:`Plugins`)."""
    plugins = plugins or process_plugins()
    parser = argparse.ArgumentParser(prog="streamkit", description=(
        "Accessible live streaming: live captions, hands-free scene control, voice-commanded product cards "
        "and coach review, wired into OBS."))
    parser.add_argument("--version", action="version", version=f"streamkit {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    cfg = sub.add_parser("config", help="check or print configuration")
    cfg_sub = cfg.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = cfg_sub.add_parser("check", help="validate a streamkit.toml and say what is wrong, where")
    check.add_argument("file")
    check.set_defaults(func=cmd_config_check)
    defaults = cfg_sub.add_parser("defaults", help="print every section and key with its default")
    defaults.set_defaults(func=cmd_config_defaults)

    from .commands.cli import add_commands_parser
    from .database import add_backups_parser
    from .models import add_models_parser
    from .sources.audio import add_devices_parser
    from .speech.cli import add_say_parser

    add_models_parser(sub)
    add_commands_parser(sub)
    add_devices_parser(sub)
    add_backups_parser(sub)
    add_say_parser(sub)

    obs = sub.add_parser("obs", help="check and set up the OBS connection")
    obs_sub = obs.add_subparsers(dest="obs_command", metavar="ACTION", required=True)
    from .obs.doctor import add_arguments as add_obs_arguments
    from .obs.doctor import run_doctor
    from .obs.setup import run_setup

    doctor = obs_sub.add_parser("doctor", help="check connection, versions, and that configured scenes/sources exist")
    add_obs_arguments(doctor)
    doctor.set_defaults(func=run_doctor)
    setup = obs_sub.add_parser("setup", help="create the scenes and sources the config needs")
    add_obs_arguments(setup)
    setup.set_defaults(func=run_setup)

    run = sub.add_parser("run", help="start a live session from a config file")
    run.add_argument("--config", required=True, help="streamkit.toml")
    run.add_argument("--dry-run", action="store_true", help="print OBS actions instead of sending them")
    run.add_argument("--fast", action="store_true", help="replay file sources as fast as possible")
    run.set_defaults(func=_lazy("streamkit.run", "run_session_command"))

    demo = sub.add_parser("demo", help="run a session on the bundled sample media")
    demo.add_argument("--no-obs", action="store_true", help="use the dry-run OBS even when OBS can be started")
    demo.add_argument("--fast", action="store_true", help="replay the samples as fast as possible")
    demo.set_defaults(func=_lazy("streamkit.demo", "run_demo"))

    sessions = sub.add_parser("sessions", help="list recorded sessions")
    sessions.set_defaults(func=cmd_sessions)

    plugins.add_cli(sub)
    parser.set_defaults(plugins=plugins)
    return parser


def cmd_config_check(args: argparse.Namespace) -> int:
    from .config import load

    try:
        config = load(args.file, args.plugins)
    except StreamkitError as exc:
        for line in getattr(exc, "problems", [exc.problem]):
            print(f"streamkit: error: {line}", file=sys.stderr)
        print(f"  fix the file, then run: streamkit config check {args.file}", file=sys.stderr)
        return 2
    print(f"{args.file}: OK ({', '.join(f'[{n}]' for n in config.to_dict())})")
    return 0


def cmd_config_defaults(args: argparse.Namespace) -> int:
    from .config import all_section_models, defaults_toml

    print(defaults_toml(all_section_models(args.plugins)))
    return 0


def cmd_sessions(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from .session import SessionStore

    store = SessionStore()
    table = Table(title=f"sessions in {store.sessions_dir}")
    for col in ("id", "name", "started", "events", "folder"):
        table.add_column(col)
    for s in store.list():
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(s["started"]))
        table.add_row(s["id"], s["name"], started, str(store.count_events(s["id"])), s["dir"])
    Console().print(table)
    return 0


def default_argv(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> Sequence[str] | None:
    """``streamkit`` alone runs ``streamkit app`` (the control panel) when a plugin offers it."""
    given = sys.argv[1:] if argv is None else list(argv)
    if given:
        return argv
    commands = next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {})
    return ["app"] if "app" in commands else argv


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(process_plugins())
    args = parser.parse_args(default_argv(parser, argv))
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    func: Any = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 1
    try:
        return int(func(args) or 0)
    except StreamkitError as exc:
        print(f"streamkit: error: {exc.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("streamkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
