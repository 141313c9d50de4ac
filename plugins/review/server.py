"""Run the review app with uvicorn on a socket we bind ourselves (so ``--port 0`` works and the
real URL is printed)."""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

from streamkit.net import listen

from .app import AppSettings, create_app, is_loopback
from .config import ReviewConfig


def serve(home: Path, config: ReviewConfig, host: str, port: int, force_login: bool = False) -> int:
    """Serve until Ctrl-C. Login is required whenever the host is not loopback."""
    require_login = force_login or not is_loopback(host)
    app = create_app(AppSettings(home=home, require_login=require_login, config=config))
    sock = listen(host, port)
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
