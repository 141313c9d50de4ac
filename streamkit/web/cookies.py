"""Cookies and CSRF tokens for streamkit pages.

Every cookie is ``Secure`` when the request came over https — directly, or through a proxy the
config trusts (``X-Forwarded-Proto``, see :class:`~streamkit.web.guard.WebPolicy`). A CSRF token
is an HMAC of a random per-browser id kept in an HttpOnly cookie, so a token taken from one
browser is worthless in another.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BROWSER_COOKIE = "sk_bid"
BROWSER_COOKIE_DAYS = 400
_BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")


def is_https(conn: HTTPConnection) -> bool:
    """The request reached us over https (the scheme a trusted proxy reported counts)."""
    return conn.url.scheme in ("https", "wss")


def set_cookie(response: Response, request: Request, key: str, value: str, *, max_age: int,
               httponly: bool = True, samesite: str = "lax") -> None:
    """``response.set_cookie`` with ``Secure`` whenever the request came over https."""
    response.set_cookie(key, value, max_age=max_age, httponly=httponly, samesite=samesite,  # type: ignore[arg-type]
                        secure=is_https(request))


class BrowserIdMiddleware:
    """Gives each browser a random id (``request.state.bid``) in an HttpOnly, SameSite=Strict cookie."""

    def __init__(self, app: ASGIApp, cookie: str = BROWSER_COOKIE) -> None:
        self.app = app
        self.cookie = cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        bid = conn.cookies.get(self.cookie, "")
        fresh = not _BROWSER_ID.fullmatch(bid)
        if fresh:
            bid = secrets.token_urlsafe(24)
        scope.setdefault("state", {})["bid"] = bid
        if not fresh:
            await self.app(scope, receive, send)
            return
        cookie = SimpleCookie()
        cookie[self.cookie] = bid
        cookie[self.cookie].update({"path": "/", "max-age": str(BROWSER_COOKIE_DAYS * 86400), "httponly": True,
                                    "samesite": "strict", "secure": is_https(conn)})
        header = cookie.output(header="").strip()

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", header)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class Csrf:
    """CSRF tokens bound to the browser id (needs :class:`BrowserIdMiddleware`, which ``protect`` installs)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def token(self, request: Request) -> str:
        bid = request.state.bid
        return hmac.new(self._secret, f"csrf:{bid}".encode(), hashlib.sha256).hexdigest()

    def valid(self, request: Request, sent: str | None) -> bool:
        """``sent`` (header ``X-CSRF-Token`` or form field) is this browser's token."""
        return bool(sent) and hmac.compare_digest(str(sent).encode(), self.token(request).encode())
