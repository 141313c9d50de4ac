"""What every route of the review app shares: the service, who is asking, rendering, and checked input.

Local mode (bound to loopback, the default): the person at this computer is the owner and sees
every session, no login. Exposed mode (any other host — a blank host and 0.0.0.0 included — or
``--login``): streamers and coaches log in; a streamer sees sessions they own, a coach sees
sessions shared with them. Every change needs the CSRF token of the page (header
``X-CSRF-Token`` or form field ``csrf``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from streamkit.web import BadJson, Csrf, LoginThrottle, passwords, read_json_object
from streamkit.web.jsonbody import INT_MAX

from .config import ReviewConfig
from .i18n import pick_language, translator
from .pdfs import PdfExports
from .service import ReviewService
from .store import MAX_MEDIA_SECONDS, User

LOGIN_COOKIE = "sk_login"
LANG_COOKIE = "sk_lang"
MAX_BODY = 256 * 1024


@dataclass
class AppSettings:
    """How the app runs: where the data is, whether login is required, the ``[review]`` config."""

    home: Path
    require_login: bool = False
    config: ReviewConfig = field(default_factory=ReviewConfig)
    bind_host: str = "127.0.0.1"


class ApiError(Exception):
    """An error answered as ``{"error": message}`` with a status code."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class LoginRedirect(Exception):
    """A page that needs a login: answered with a redirect to ``/login?next=...``."""

    def __init__(self, next: str) -> None:
        super().__init__(next)
        self.next = next


class Forbidden(Exception):
    """The user may not see this session."""


def safe_next(value: str) -> str:
    """Only same-site paths (``/...``, never ``//host``) are followed after login."""
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


class ReviewContext:
    """The service plus the per-request helpers of the routes (one per app, on ``app.state.review``)."""

    def __init__(self, settings: AppSettings) -> None:
        cfg = settings.config
        self.settings = settings
        self.config = cfg
        self.service = ReviewService(settings.home, cfg)
        self.store, self.cache, self.env = self.service.store, self.service.cache, self.service.env
        self.csrf = Csrf(self.store.secret())
        self.throttle = LoginThrottle(cfg.login_failures_per_account, cfg.login_failures_per_address,
                                      float(cfg.login_lockout_seconds))
        self.pdfs = PdfExports()
        if settings.require_login:
            passwords.prepare()

    # -- who is asking, in which language ---------------------------------------------------
    def lang_of(self, request: Request) -> str:
        return pick_language(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE), self.config.language)

    def t(self, request: Request) -> Callable[..., str]:
        return translator(self.lang_of(request))

    def user_of(self, request: Request) -> User | None:
        if not self.settings.require_login:
            return self.store.local_owner()
        token = request.cookies.get(LOGIN_COOKIE)
        return self.store.user_for_login(token) if token else None

    def need_user(self, request: Request, api: bool) -> User:
        user = self.user_of(request)
        if user is None:
            if api:
                raise ApiError(401, self.t(request)("login"))
            raise LoginRedirect(request.url.path)
        return user

    def visible(self, request: Request, session_id: str, api: bool = False) -> tuple[User, Path]:
        """The user and the session folder, when this user may see the session (else 401/303, 404 or 403)."""
        user = self.need_user(request, api)
        folder = self.service.folder(session_id)
        if folder is None:
            raise HTTPException(404)
        if not self.store.can_see(user, session_id):
            raise Forbidden()
        return user, folder

    def owns(self, user: User, session_id: str) -> bool:
        return user.role == "owner" or self.store.owner_of(session_id) == user.id

    def render(self, request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None,
               **ctx: Any) -> HTMLResponse:
        lang = self.lang_of(request)
        user = ctx.pop("user", None) or self.user_of(request)
        html = self.env.get_template(template).render(
            t=translator(lang), lang=lang, user=user, csrf=self.csrf.token(request),
            require_login=self.settings.require_login, path=request.url.path, **ctx)
        return HTMLResponse(html, status_code=status, headers=headers)

    # -- checked input ----------------------------------------------------------------------
    def check_csrf(self, request: Request, form: dict[str, str] | None = None) -> None:
        sent = request.headers.get("x-csrf-token") or (form or {}).get("csrf", "")
        if not self.csrf.valid(request, sent):
            raise ApiError(403, self.t(request)("error_csrf"))

    async def read_form(self, request: Request) -> dict[str, str]:
        raw = (await request.body()).decode("utf-8", errors="replace")
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    async def read_json(self, request: Request) -> dict[str, Any]:
        try:
            return await read_json_object(request)
        except BadJson as exc:
            raise ApiError(400, self.t(request)("error_bad_request", why=str(exc))) from None

    def comment_body(self, request: Request, data: dict[str, Any]) -> str:
        t = self.t(request)
        body = data.get("body")
        if not isinstance(body, str) or not body.strip():
            raise ApiError(400, t("error_empty"))
        body = body.strip()
        if len(body) > self.config.max_comment_chars:
            raise ApiError(413, t("error_too_long", n=len(body), max=self.config.max_comment_chars))
        return body

    def media_time(self, request: Request, value: Any, name: str) -> float | None:
        """A comment time from JSON (number or numeric text; blank is None), finite and in range, else 400."""
        if value is None or value == "":
            return None
        t = self.t(request)
        try:
            if isinstance(value, bool):
                raise TypeError
            seconds = float(value)
        except (TypeError, ValueError, OverflowError):
            raise ApiError(400, t("error_number", field=name)) from None
        if not math.isfinite(seconds) or not 0.0 <= seconds <= MAX_MEDIA_SECONDS:
            raise ApiError(400, t("error_time", max=f"{MAX_MEDIA_SECONDS:.0f}"))
        return seconds

    def comment_id(self, request: Request, value: Any) -> int | None:
        """A comment id from JSON (blank is None): a whole number within SQLite's range, else 400."""
        if value is None or value == "":
            return None
        try:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise TypeError
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            raise ApiError(400, self.t(request)("error_number", field="parent_id")) from None
        if not 1 <= number <= INT_MAX:
            raise ApiError(404, f"no comment {number}")
        return number

    def editable_comment(self, request: Request, comment_id: int) -> tuple[User, int]:
        user = self.need_user(request, True)
        comment = self.store.comment(comment_id)
        if comment is None or not self.store.can_see(user, comment.session_id):
            raise ApiError(404, f"no comment {comment_id}")
        return user, comment_id


def review_context(request: Request) -> ReviewContext:
    """FastAPI dependency: the app's :class:`ReviewContext`."""
    context: ReviewContext = request.app.state.review
    return context
