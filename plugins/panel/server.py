"""``streamkit app``: serve the panel on loopback and open it in the default browser."""

from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path

import uvicorn

from streamkit.home import streamkit_home
from streamkit.hooks import Plugins
from streamkit.net import listen

from .app import create_panel_app
from .host import CONFIG_NAME, Host

DEFAULT_PORT = 8770


def add_app_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("app", help="the control panel in your browser: set up and run everything (default command)")
    parser.add_argument("--config", help=f"streamkit.toml (default: {CONFIG_NAME} in STREAMKIT_HOME, made by the wizard)")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1: only this computer)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open the browser")
    parser.set_defaults(func=run_app)


def make_host(config: str | None, plugins: Plugins) -> Host:
    home = streamkit_home()
    path = Path(config).expanduser() if config else home / CONFIG_NAME
    return Host(path.resolve(), plugins, home)


def run_app(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C (the session, if one runs, is stopped cleanly first)."""
    host = make_host(args.config, args.plugins)
    app = create_panel_app(host, bind_host=args.host)
    sock = listen(args.host, args.port)
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{port}/"
    print(f"streamkit app: {url} (config: {host.file.path}) — Ctrl-C to quit", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        host.close()
    return 0

