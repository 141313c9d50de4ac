"""Run the review app with uvicorn on a socket we bind ourselves (so ``--port 0`` works and the
real URL is printed)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn

from streamkit.errors import StreamkitError

from .app import AppSettings, create_app, is_loopback
from .config import ReviewConfig


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, with a clear error when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StreamkitError(f"cannot listen on {host}:{port}: {exc.strerror}",
                             "pick another --port, or stop the program using it") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(home: Path, config: ReviewConfig, host: str, port: int, force_login: bool = False) -> int:
    """Serve until Ctrl-C. Login is required whenever the host is not loopback."""
    require_login = force_login or not is_loopback(host)
    app = create_app(AppSettings(home=home, require_login=require_login, config=config))
    sock = bind(host, port)
    real_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    mode = "login required" if require_login else "local, no login"
    print(f"streamkit review: http://{shown}:{real_port}/ ({mode}; data in {home})", flush=True)
    if require_login and not app.state.store.users():
        print("streamkit review: no accounts yet — add one with: streamkit review user add NAME --role streamer",
              file=sys.stderr, flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        app.state.service.close()
    return 0
