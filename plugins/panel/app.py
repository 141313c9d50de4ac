"""The panel's web app: the features' pages (the panel's own included) in one FastAPI app, the static
files, the live feed, and the language cookie.

Protected like every streamkit server (:mod:`streamkit.web`): served on loopback unless told
otherwise, the Host header checked, bodies bounded, security headers, no docs routes — and every write
(POST, PUT, PATCH, DELETE) of every page, the features' too, must carry the page's CSRF token
(header ``X-CSRF-Token``, or the form field ``csrf`` of a urlencoded form).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from streamkit.panel import PanelPage
from streamkit.web import BadJson, Csrf, WebPolicy, create_web_app, set_cookie

from .host import HERE, Host
from .i18n import LANG_COOKIE, LANGUAGES, translator
from .live import LiveFeed

LANG_MAX_AGE = 400 * 86400
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SECRET_NAME = "panel-secret"


def create_panel_app(host: Host, bind_host: str = "127.0.0.1") -> FastAPI:
    """The panel over ``host``: every feature's pages mounted under their paths, every write checked."""
    csrf = Csrf(panel_secret(host.home()))
    host.csrf_token = csrf.token
    feed = LiveFeed(host)
    host.feed = feed
    pages = host.plugins.panel_pages(host)
    uploads = {_prefix(page) + route: limit for page in pages for route, limit in page.uploads.items()}
    app = create_web_app("streamkit panel", WebPolicy(bind_host=bind_host, upload_limits=uploads))
    app.state.host, app.state.feed = host, feed
    app.add_exception_handler(BadJson, bad_json)
    host.add_pages(pages)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_api_route("/live", feed.stream, methods=["GET"])
    checked = [Depends(csrf_check(host, csrf))]
    for page in host.pages:
        app.include_router(page.router, prefix=_prefix(page), dependencies=checked)

    @app.middleware("http")
    async def language_cookie(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        chosen = request.query_params.get("lang")
        if chosen in LANGUAGES:
            set_cookie(response, request, LANG_COOKIE, chosen, max_age=LANG_MAX_AGE, samesite="strict")
        return response

    @app.on_event("shutdown")
    def _closing() -> None:
        feed.close()

    return app


def _prefix(page: PanelPage) -> str:
    return "" if page.path == "/" else page.path


async def bad_json(request: Request, exc: Exception) -> Response:
    """A write whose body is not the JSON object the page sends: 400 and one sentence."""
    return JSONResponse({"ok": False, "message": str(exc)}, status_code=400)


def csrf_check(host: Host, csrf: Csrf) -> Any:
    """A dependency that refuses a write without this browser's token (403, one sentence)."""

    async def check(request: Request) -> None:
        if request.method in SAFE_METHODS:
            return
        sent = request.headers.get("x-csrf-token")
        if not sent and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = parse_qs((await request.body()).decode("utf-8", errors="replace"))
            sent = (form.get("csrf") or [""])[0]
        if not csrf.valid(request, sent):
            raise HTTPException(403, translator(host.language(request))("error_csrf"))

    return check


def panel_secret(home: Path) -> bytes:
    """The key of the panel's CSRF tokens, kept (owner-only) so pages stay valid across restarts."""
    path = home / SECRET_NAME
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    data = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return data
