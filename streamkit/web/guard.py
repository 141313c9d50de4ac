"""One protection for every streamkit web server: the review app, the overlay server, the panel.

:func:`create_web_app` (or :func:`protect` on an existing FastAPI app) installs, outermost first:

1. trusted-proxy handling (uvicorn's ``ProxyHeadersMiddleware``): ``X-Forwarded-Proto``/``-For``
   are believed only from ``trusted_proxies``, so ``https`` and client addresses are real;
2. :class:`WebGuard`: the ``Host`` check (400 when malformed, 421 when not one of our names),
   a refusal of any declared body over ``max_body_bytes`` before the app runs (413), a bound on
   the streamed body — chunked too — on every route (Starlette's ``RequestBodyLimitMiddleware``:
   reading stops at the limit, nothing is buffered beyond it), a hang-up after any answer given
   before the body was read (so nobody can keep streaming into a finished request), and the
   security headers;
3. the per-browser id that CSRF tokens are bound to.

No OpenAPI schema or docs pages are served unless ``development`` is set (``STREAMKIT_WEB_DEV=1``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketClose
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from .cookies import BrowserIdMiddleware
from .headers import STRICT_CSP, security_headers
from .hosts import HostCheck, host_of

DEFAULT_MAX_BODY = 256 * 1024
LOCAL_PROXIES = ("127.0.0.1", "::1")


def _development() -> bool:
    return os.environ.get("STREAMKIT_WEB_DEV") == "1"


@dataclass(frozen=True)
class WebPolicy:
    """How one web server is protected (every field has a safe default)."""

    bind_host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = LOCAL_PROXIES
    max_body_bytes: int = DEFAULT_MAX_BODY
    #: larger bodies allowed on a few upload routes: ``{path: bytes}`` (exact paths)
    upload_limits: Mapping[str, int] = field(default_factory=dict)
    csp: str = STRICT_CSP
    config_hint: str = "allowed_hosts"
    development: bool = field(default_factory=_development)

    def body_limit(self, path: str) -> int:
        """The largest body accepted on ``path``."""
        return self.upload_limits.get(path, self.max_body_bytes)


class WebGuard:
    """Pure-ASGI middleware: Host check, early and streamed body limits, security headers."""

    def __init__(self, app: ASGIApp, policy: WebPolicy) -> None:
        self.app = RequestBodyLimitMiddleware(app, max_body_size=policy.max_body_bytes)
        self.uploads = {path: RequestBodyLimitMiddleware(app, max_body_size=limit)
                        for path, limit in policy.upload_limits.items()}
        self.policy = policy
        self.hosts = HostCheck(policy.bind_host, policy.allowed_hosts)
        self.headers = security_headers(policy.csp)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            answer = WebSocketClose(code=1008) if scope["type"] == "websocket" else refusal
            await answer(scope, receive, send)
            return

        body = _has_body(scope)

        async def receive_tracking() -> Message:
            nonlocal body
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                body = False
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in self.headers.items():
                    if key not in headers:
                        headers[key] = value
                if body or message["status"] == 413:  # answered before the body was read: hang up, read no more
                    headers["connection"] = "close"
            await send(message)

        inner = self.uploads.get(str(scope.get("path", "")), self.app)
        await inner(scope, receive_tracking, send_with_headers)

    def refusal(self, scope: Scope) -> Response | None:
        """The answer for a request refused before the app sees it, or None."""
        headers = Headers(scope=scope)
        raw = headers.get("host", "")
        host = host_of(raw)
        if host is None:
            return _plain(scope, 400, "the request has no usable Host header — open the page by its address again")
        if not self.hosts.allows(host, scope):
            return _plain(scope, 421, f"this server does not answer to the name {host!r}: open it as "
                                      f"http://127.0.0.1 (or localhost), or add the name to {self.policy.config_hint}")
        declared = headers.get("content-length", "")
        limit = self.policy.body_limit(str(scope.get("path", "")))
        if declared.isdigit() and int(declared) > limit:
            return _plain(scope, 413, f"the request body is {int(declared):,} bytes; the limit is {limit:,} — send less")
        return None


def _has_body(scope: Scope) -> bool:
    """The request announced a body (chunked, or a non-zero Content-Length)."""
    if scope["type"] != "http":
        return False
    headers = Headers(scope=scope)
    return "chunked" in headers.get("transfer-encoding", "").lower() or headers.get("content-length", "0") not in ("", "0")


def _plain(scope: Scope, status: int, message: str) -> Response:
    """JSON ``{"error": ...}`` for API callers, one plain sentence for everyone else."""
    headers = Headers(scope=scope)
    wants_json = "json" in headers.get("accept", "") or "json" in headers.get("content-type", "")
    if wants_json or str(scope.get("path", "")).startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers={"Connection": "close"})
    return PlainTextResponse(message, status_code=status, headers={"Connection": "close"})


def protect(app: FastAPI, policy: WebPolicy) -> FastAPI:
    """Install the shared protections on ``app`` (call once, before it serves)."""
    if not policy.development:
        docs = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url} - {None}
        app.router.routes[:] = [r for r in app.router.routes if not (isinstance(r, Route) and r.path in docs)]
        app.openapi_url = app.docs_url = app.redoc_url = None
    app.add_middleware(BrowserIdMiddleware)
    app.add_middleware(WebGuard, policy=policy)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(policy.trusted_proxies))
    app.state.web_policy = policy
    return app


def create_web_app(title: str, policy: WebPolicy) -> FastAPI:
    """A FastAPI app with every shared protection installed (docs only with ``development``)."""
    dev = policy.development
    app = FastAPI(title=title, openapi_url="/openapi.json" if dev else None,
                  docs_url="/docs" if dev else None, redoc_url="/redoc" if dev else None)
    return protect(app, policy)
