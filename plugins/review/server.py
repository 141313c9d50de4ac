"""Run the review app with uvicorn on a socket we bind ourselves (so ``--port 0`` works and the
real URL is printed)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn

from streamkit.errors import StreamkitError

from streamkit.web import exposes_network, is_wildcard

from .app import AppSettings, create_app
from .config import ReviewConfig


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, with a clear error when the port is taken (a blank host binds every interface)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    host = host.strip("[]")
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StreamkitError(f"cannot listen on {host}:{port}: {exc.strerror}",
                             "pick another --port, or stop the program using it") from None
    sock.listen(2048)  # uvicorn's own default: a burst of connections waits instead of being dropped
    sock.set_inheritable(True)
    return sock


def serve(home: Path, config: ReviewConfig, host: str, port: int, force_login: bool = False) -> int:
    """Serve until Ctrl-C. Login is required whenever the host is not loopback (blank and wildcard hosts included)."""
    require_login = force_login or exposes_network(host)
    app = create_app(AppSettings(home=home, require_login=require_login, config=config, bind_host=host))
    sock = bind(host, port)
    real_port = sock.getsockname()[1]
    print(f"streamkit review: {url_line(host, real_port)} ({mode_line(host, require_login)}; data in {home})", flush=True)
    if require_login and not app.state.store.users():
        print("streamkit review: no accounts yet — add one with: streamkit review user add NAME --role streamer",
              file=sys.stderr, flush=True)
    # proxy headers are handled inside the app (streamkit.web), from [review] trusted_proxies only
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, proxy_headers=False))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        app.state.service.close()
    return 0


def url_line(host: str, port: int) -> str:
    """The address to open: a wildcard bind is opened on this computer as 127.0.0.1."""
    shown = "127.0.0.1" if is_wildcard(host) else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def mode_line(host: str, require_login: bool) -> str:
    if is_wildcard(host):
        return "listening on every network interface — login required"
    return "login required" if require_login else "local, no login"
