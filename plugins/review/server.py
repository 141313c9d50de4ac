"""Run the review app with uvicorn on a socket we bind ourselves (so ``--port 0`` works and the
real URL is printed)."""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn


from streamkit.net import listen
from streamkit.web import exposes_network, is_wildcard

from .app import AppSettings, create_app
from .config import ReviewConfig


def serve(home: Path, config: ReviewConfig, host: str, port: int, force_login: bool = False, database: str = "") -> int:
    """Serve until Ctrl-C. Login is required whenever the host is not loopback (blank and wildcard hosts included)
    and always on an organisation's server (``database``)."""
    require_login = force_login or exposes_network(host) or bool(database)
    app = create_app(AppSettings(home=home, require_login=require_login, config=config, bind_host=host,
                                 database=database))
    sock = listen(host, port)
    real_port = sock.getsockname()[1]
    where = f"organisation database {safe_url(database)}, media in {media_line(app)}" if database else f"data in {home}"
    print(f"streamkit review: {url_line(host, real_port)} ({mode_line(host, require_login)}; {where})", flush=True)
    if require_login and not app.state.store.users():
        role = "organiser" if database else "streamer"
        db = f" --database {safe_url(database)}" if database else ""
        print(f"streamkit review: no accounts yet — add one with: streamkit review user add NAME --role {role}{db}",
              file=sys.stderr, flush=True)
    # proxy headers are handled inside the app (streamkit.web), from [review] trusted_proxies only
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, proxy_headers=False))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        app.state.service.close()
    return 0


def safe_url(database: str) -> str:
    """The database URL without its password (for messages)."""
    from sqlalchemy.engine import make_url

    return make_url(database).render_as_string(hide_password=True)


def media_line(app: object) -> str:
    from .mediastore import DiskMediaStore

    media = app.state.org.service.media  # type: ignore[attr-defined]
    return str(media.root) if isinstance(media, DiskMediaStore) else f"s3://{media.bucket}/{media.prefix}"


def url_line(host: str, port: int) -> str:
    """The address to open: a wildcard bind is opened on this computer as 127.0.0.1."""
    shown = "127.0.0.1" if is_wildcard(host) else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def mode_line(host: str, require_login: bool) -> str:
    if is_wildcard(host):
        return "listening on every network interface — login required"
    return "login required" if require_login else "local, no login"
