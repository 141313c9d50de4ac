"""The coach review web app (FastAPI): session list, session page, comments API, media, exports.

Local mode (bound to loopback, the default): the person at this computer is the owner and sees
every session, no login. Exposed mode (``--host`` not loopback, or ``--login``): streamers and
coaches log in; a streamer sees sessions they own, a coach sees sessions shared with them.
Every change needs the CSRF token of the page (header ``X-CSRF-Token`` or form field ``csrf``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup

from streamkit.errors import StreamkitError

from .config import ReviewConfig
from .export import chart_set, html_to_pdf, timeline_for, to_srt, to_vtt
from .i18n import pick_language, translator
from .service import HERE, ReviewService
from .store import ReviewError, User
LOGIN_COOKIE = "sk_login"
BROWSER_COOKIE = "sk_bid"
LANG_COOKIE = "sk_lang"
MAX_BODY = 256 * 1024
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "media-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def is_loopback(host: str) -> bool:
    """True for 127.x, ::1 and localhost."""
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class AppSettings:
    """How the app runs: where the data is, whether login is required, the ``[review]`` config."""

    home: Path
    require_login: bool = False
    config: ReviewConfig = field(default_factory=ReviewConfig)


class ApiError(Exception):
    """An error answered as ``{"error": message}`` with a status code."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json_script(data: Any) -> Markup:
    """JSON safe to put inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def create_app(settings: AppSettings) -> FastAPI:
    """Build the review app over ``settings.home`` (sessions and ``review.db``)."""
    cfg = settings.config
    service = ReviewService(settings.home, cfg)
    store, cache, env = service.store, service.cache, service.env
    secret = store.secret()

    app = FastAPI(title="streamkit review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.service = service
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # -- helpers ------------------------------------------------------------------------------
    def lang_of(request: Request) -> str:
        return pick_language(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE), cfg.language)

    def csrf_token(request: Request) -> str:
        bid = request.state.bid
        return hmac.new(secret, f"csrf:{bid}".encode(), hashlib.sha256).hexdigest()

    def user_of(request: Request) -> User | None:
        if not settings.require_login:
            return store.local_owner()
        token = request.cookies.get(LOGIN_COOKIE)
        return store.user_for_login(token) if token else None

    def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        lang = lang_of(request)
        t = translator(lang)
        user = ctx.pop("user", None) or user_of(request)
        html = env.get_template(template).render(t=t, lang=lang, user=user, csrf=csrf_token(request),
                                             require_login=settings.require_login, path=request.url.path, **ctx)
        return HTMLResponse(html, status_code=status)

    def session_folder(session_id: str) -> Path:
        folder = service.folder(session_id)
        if folder is None:
            raise HTTPException(404)
        return folder

    def need_user(request: Request, api: bool) -> User:
        user = user_of(request)
        if user is None:
            if api:
                raise ApiError(401, translator(lang_of(request))("login"))
            raise _LoginRedirect(request.url.path)
        return user

    def visible(request: Request, session_id: str, api: bool = False) -> tuple[User, Path]:
        user = need_user(request, api)
        folder = session_folder(session_id)
        if not store.can_see(user, session_id):
            raise _Forbidden()
        return user, folder

    async def check_csrf(request: Request, form: dict[str, str] | None = None) -> None:
        sent = request.headers.get("x-csrf-token") or (form or {}).get("csrf", "")
        if not sent or not hmac.compare_digest(sent, csrf_token(request)):
            raise ApiError(403, translator(lang_of(request))("error_csrf"))

    async def read_form(request: Request) -> dict[str, str]:
        raw = (await request.body()).decode("utf-8", errors="replace")
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    async def read_json(request: Request) -> dict[str, Any]:
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            raise ApiError(400, "the request body is not JSON") from None
        if not isinstance(data, dict):
            raise ApiError(400, "the request body must be a JSON object")
        return data

    def comment_body(request: Request, data: dict[str, Any]) -> str:
        t = translator(lang_of(request))
        body = data.get("body")
        if not isinstance(body, str) or not body.strip():
            raise ApiError(400, t("error_empty"))
        body = body.strip()
        if len(body) > cfg.max_comment_chars:
            raise ApiError(413, t("error_too_long", n=len(body), max=cfg.max_comment_chars))
        return body

    def editable_comment(request: Request, comment_id: int) -> tuple[User, int]:
        user = need_user(request, True)
        comment = store.comment(comment_id)
        if comment is None or not store.can_see(user, comment.session_id):
            raise ApiError(404, f"no comment {comment_id}")
        return user, comment_id

    def comments_json(session_id: str) -> list[dict[str, Any]]:
        return [c.to_dict() for c in store.comments(session_id)]

    # -- middleware and errors ------------------------------------------------------------------
    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY:
            return JSONResponse({"error": f"the request is {int(length):,} bytes; the limit is {MAX_BODY:,}"},
                                status_code=413)
        bid = request.cookies.get(BROWSER_COOKIE)
        new_bid = not bid or not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", bid)
        request.state.bid = secrets.token_urlsafe(24) if new_bid else bid
        response: Response = await call_next(request)
        if new_bid:
            response.set_cookie(BROWSER_COOKIE, request.state.bid, httponly=True, samesite="strict", max_age=400 * 86400)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    @app.exception_handler(ReviewError)
    async def review_error(request: Request, exc: ReviewError) -> Response:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.exception_handler(StreamkitError)
    async def streamkit_error(request: Request, exc: StreamkitError) -> Response:
        return JSONResponse({"error": str(exc)}, status_code=501)

    @app.exception_handler(_LoginRedirect)
    async def login_redirect(request: Request, exc: _LoginRedirect) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next)}", status_code=303)

    @app.exception_handler(_Forbidden)
    async def forbidden(request: Request, exc: _Forbidden) -> Response:
        t = translator(lang_of(request))
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": t("forbidden")}, status_code=403)
        return render(request, "error.html", status=403, message=t("forbidden"))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        t = translator(lang_of(request))
        message = t("not_found") if exc.status_code == 404 else str(exc.detail)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=exc.status_code)
        return render(request, "error.html", status=exc.status_code, message=message)

    # -- pages --------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def session_list(request: Request) -> Response:
        user = need_user(request, False)
        counts = store.comment_counts()
        rows = [dict(row, comments=counts.get(sid, 0)) for sid, row in service.all_sessions().items() if store.can_see(user, sid)]
        return render(request, "list.html", sessions=rows, user=user)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/") -> Response:
        return render(request, "login.html", next=_safe_next(next), error="")

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await read_form(request)
        await check_csrf(request, form)
        user = store.authenticate(form.get("name", "").strip(), form.get("password", ""))
        nxt = _safe_next(form.get("next", "/"))
        if user is None:
            t = translator(lang_of(request))
            return render(request, "login.html", status=401, next=nxt, error=t("bad_login"), name=form.get("name", ""))
        response = RedirectResponse(nxt, status_code=303)
        response.set_cookie(LOGIN_COOKIE, store.start_login(user, cfg.login_days), httponly=True, samesite="lax",
                            max_age=cfg.login_days * 86400)
        return response

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        await check_csrf(request, await read_form(request))
        token = request.cookies.get(LOGIN_COOKIE)
        if token:
            store.end_login(token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(LOGIN_COOKIE)
        return response

    @app.get("/lang/{lang}")
    def set_lang(request: Request, lang: str, next: str = "/") -> Response:
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(LANG_COOKIE, pick_language(lang), samesite="lax", max_age=400 * 86400)
        return response

    @app.get("/sessions/{session_id}", response_class=HTMLResponse)
    def session_page(request: Request, session_id: str) -> Response:
        user, folder = visible(request, session_id)
        session = cache.get(folder)
        metrics = service.metrics(session)
        t = translator(lang_of(request))
        comments = store.comments(session_id)
        can_share = user.role == "owner" or store.owner_of(session_id) == user.id
        boot = {"session": session_id, "csrf": csrf_token(request), "me": user.id, "duration": session.duration,
                "lang": lang_of(request), "maxComment": cfg.max_comment_chars,
                "strings": {k: t(k) for k in ("reply", "edit", "save", "cancel", "delete", "confirm_delete", "resolved",
                                              "mark_resolved", "reopen", "deleted", "edited", "no_comments", "matches",
                                              "error_network", "post", "comment_here", "by", "local_owner")}}
        return render(request, "session.html", user=user, s=session, m=metrics, charts=chart_set(session, metrics, t),
                      timeline=timeline_for(session, metrics, t), boot=_json_script(boot),
                      comment_count=len(comments), can_share=can_share and settings.require_login,
                      coaches=store.coaches_of(session_id), media_url=f"/sessions/{session_id}/media")

    @app.get("/api/sessions/{session_id}/transcript")
    def transcript(request: Request, session_id: str) -> Response:
        _, folder = visible(request, session_id, api=True)
        session = cache.get(folder)
        rows = [[round(x.start, 2), round(x.end, 2), x.text, x.speaker] for x in session.lines]
        return JSONResponse({"lines": rows, "problems": session.problems})

    @app.get("/api/sessions/{session_id}/comments")
    def list_comments(request: Request, session_id: str) -> Response:
        visible(request, session_id, api=True)
        return JSONResponse({"comments": comments_json(session_id)})

    @app.post("/api/sessions/{session_id}/comments")
    async def add_comment(request: Request, session_id: str) -> Response:
        await check_csrf(request)
        user, _ = visible(request, session_id, api=True)
        data = await read_json(request)
        body = comment_body(request, data)
        try:
            t_start = float(data.get("t_start") or 0.0)
            t_end = float(data["t_end"]) if data.get("t_end") not in (None, "") else None
            parent = int(data["parent_id"]) if data.get("parent_id") not in (None, "") else None
        except (TypeError, ValueError):
            raise ApiError(400, "t_start, t_end and parent_id must be numbers") from None
        if t_start < 0 or (t_end is not None and t_end < 0):
            raise ApiError(400, "comment times must not be negative")
        comment = store.add_comment(session_id, user, body, t_start, t_end, parent)
        return JSONResponse({"comment": comment.to_dict()}, status_code=201)

    @app.patch("/api/comments/{comment_id}")
    async def edit_comment(request: Request, comment_id: int) -> Response:
        await check_csrf(request)
        user, cid = editable_comment(request, comment_id)
        body = comment_body(request, await read_json(request))
        try:
            comment = store.edit_comment(cid, user, body)
        except PermissionError:
            raise ApiError(403, translator(lang_of(request))("error_not_author")) from None
        return JSONResponse({"comment": comment.to_dict()})

    @app.delete("/api/comments/{comment_id}")
    async def delete_comment(request: Request, comment_id: int) -> Response:
        await check_csrf(request)
        user, cid = editable_comment(request, comment_id)
        try:
            store.delete_comment(cid, user)
        except PermissionError:
            raise ApiError(403, translator(lang_of(request))("error_not_author")) from None
        return JSONResponse({"deleted": cid})

    @app.post("/api/comments/{comment_id}/resolved")
    async def resolve_comment(request: Request, comment_id: int) -> Response:
        await check_csrf(request)
        _, cid = editable_comment(request, comment_id)
        data = await read_json(request)
        return JSONResponse({"comment": store.set_resolved(cid, bool(data.get("resolved", True))).to_dict()})

    @app.post("/sessions/{session_id}/share")
    async def share(request: Request, session_id: str) -> Response:
        form = await read_form(request)
        await check_csrf(request, form)
        user, _ = visible(request, session_id)
        if not (user.role == "owner" or store.owner_of(session_id) == user.id):
            raise _Forbidden()
        coach = form.get("coach", "").strip()
        if form.get("action") == "unshare":
            store.unshare(session_id, coach)
        else:
            store.share(session_id, coach)
        return RedirectResponse(f"/sessions/{session_id}#share", status_code=303)

    # -- media and exports --------------------------------------------------------------------
    @app.get("/sessions/{session_id}/media")
    def media(request: Request, session_id: str) -> Response:
        _, folder = visible(request, session_id)
        session = cache.get(folder)
        if session.media_path is None or not session.media_path.is_file():
            raise HTTPException(404)
        return FileResponse(session.media_path, media_type=session.media_type or "application/octet-stream")

    @app.get("/sessions/{session_id}/captions.{fmt}")
    def captions_file(request: Request, session_id: str, fmt: str) -> Response:
        _, folder = visible(request, session_id)
        session = cache.get(folder)
        if fmt == "srt":
            text, mime = to_srt(session.lines), "application/x-subrip; charset=utf-8"
        elif fmt == "vtt":
            text, mime = to_vtt(session.lines), "text/vtt; charset=utf-8"
        else:
            raise HTTPException(404)
        return PlainTextResponse(text, media_type=mime,
                                 headers={"Content-Disposition": f'attachment; filename="{session_id}.{fmt}"'})

    def report_html(request: Request, session_id: str) -> str:
        visible(request, session_id)
        return service.report_html(session_id, lang_of(request))

    @app.get("/sessions/{session_id}/report.html", response_class=HTMLResponse)
    def report(request: Request, session_id: str) -> Response:
        return HTMLResponse(report_html(request, session_id))

    @app.get("/sessions/{session_id}/report.pdf")
    def report_pdf(request: Request, session_id: str) -> Response:
        html = report_html(request, session_id)
        with tempfile.TemporaryDirectory() as tmp:
            pdf = html_to_pdf(html, Path(tmp) / "report.pdf").read_bytes()
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{session_id}-report.pdf"'})

    return app


class _LoginRedirect(Exception):
    def __init__(self, next: str) -> None:
        super().__init__(next)
        self.next = next


class _Forbidden(Exception):
    pass


def _safe_next(value: str) -> str:
    """Only same-site paths (``/...``, never ``//host``) are followed after login."""
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"
