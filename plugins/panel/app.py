"""The panel's web app: the features' pages (the panel's own included) in one FastAPI app, the static
files, the live feed, and the language cookie.

Every route is protected the same way as streamkit's other servers (issue 9: loopback binding, Host
check, body limit, security headers, CSRF on every write) — see :func:`protect`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from .host import HERE, Host
from .i18n import LANG_COOKIE, LANGUAGES
from .live import LiveFeed

LANG_MAX_AGE = 400 * 86400


def create_panel_app(host: Host) -> FastAPI:
    """The panel over ``host``: every feature's pages mounted under their paths."""
    app = FastAPI(title="streamkit panel", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.host = host
    feed = LiveFeed(host)
    host.feed = app.state.feed = feed
    host.add_pages(host.plugins.panel_pages(host))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_api_route("/live", feed.stream, methods=["GET"])
    for page in host.pages:
        app.include_router(page.router, prefix="" if page.path == "/" else page.path)
    protect(app, host)

    @app.middleware("http")
    async def language_cookie(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        chosen = request.query_params.get("lang")
        if chosen in LANGUAGES:
            response.set_cookie(LANG_COOKIE, chosen, max_age=LANG_MAX_AGE, httponly=True, samesite="strict")
        return response

    @app.on_event("shutdown")
    def _closing() -> None:
        feed.close()

    return app


def protect(app: FastAPI, host: Host) -> None:
    """Host check, body limit, security headers and CSRF, from :mod:`streamkit.web` (issue 9).

    TODO(issue 9): ``streamkit.web`` is not on main yet; as soon as it is, wrap ``app`` with its
    policy here and set ``host.csrf_token`` from its ``Csrf``. No second copy of those checks is
    written here meanwhile.
    """
