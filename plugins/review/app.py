"""The coach review web app (FastAPI): session list, session page, comments API, media, exports.

The app is built on :func:`streamkit.web.create_web_app`, the protection every streamkit web
server shares (Host check, body limits, security headers, no API docs, trusted proxies); its
routes live in :mod:`.routes` and share one :class:`~.context.ReviewContext`. Who may see what
is described in :mod:`.context`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from streamkit.web import WebPolicy, create_web_app, is_loopback

from . import routes
from .context import MAX_BODY, AppSettings, ApiError, ReviewContext
from .routes import errors
from .service import HERE

__all__ = ["ApiError", "AppSettings", "create_app", "is_loopback", "policy_for"]


def policy_for(settings: AppSettings) -> WebPolicy:
    """The shared web protection, set from ``[review]``."""
    cfg = settings.config
    return WebPolicy(bind_host=settings.bind_host, allowed_hosts=tuple(cfg.allowed_hosts),
                     trusted_proxies=tuple(cfg.trusted_proxies), max_body_bytes=MAX_BODY,
                     config_hint="[review] allowed_hosts")


def create_app(settings: AppSettings) -> FastAPI:
    """Build the review app over ``settings.home`` (sessions and ``review.db``)."""
    context = ReviewContext(settings)
    app = create_web_app("streamkit review", policy_for(settings))
    app.state.review = context
    app.state.store = context.store
    app.state.service = context.service
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    errors.install(app)
    for router in routes.ROUTERS:
        app.include_router(router)
    return app
