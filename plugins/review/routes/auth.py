"""Log in, log out, pick a language.

Wrong passwords are throttled per account and per address (429 with ``Retry-After``, ending by
itself) and answered half a second late; the password hash runs off the event loop; an unknown
name costs what a wrong password costs.
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from streamkit.web import set_cookie, verify_password_async

from ..context import LANG_COOKIE, LOGIN_COOKIE, ReviewContext, review_context, safe_next
from ..i18n import pick_language

router = APIRouter()
Context = Depends(review_context)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/", ctx: ReviewContext = Context) -> Response:
    return ctx.render(request, "login.html", next=safe_next(next), error="")


@router.post("/login")
async def login(request: Request, ctx: ReviewContext = Context) -> Response:
    form = await ctx.read_form(request)
    ctx.check_csrf(request, form)
    name, password = form.get("name", "").strip(), form.get("password", "")
    nxt = safe_next(form.get("next", "/"))
    address = request.client.host if request.client else ""
    wait = ctx.throttle.admit(name, address)
    if wait is not None:
        await anyio.sleep(ctx.throttle.failure_delay)
        return ctx.render(request, "login.html", status=429, headers={"Retry-After": str(wait)}, next=nxt,
                          error=ctx.t(request)("login_throttled", s=wait), name=name)
    user, stored = ctx.store.password_of(name)
    if not await verify_password_async(password, stored) or user is None:
        await anyio.sleep(ctx.throttle.failure_delay)
        return ctx.render(request, "login.html", status=401, next=nxt, error=ctx.t(request)("bad_login"), name=name)
    ctx.throttle.succeeded(name, address)
    response = RedirectResponse(nxt, status_code=303)
    set_cookie(response, request, LOGIN_COOKIE, ctx.store.start_login(user, ctx.config.login_days),
               max_age=ctx.config.login_days * 86400)
    return response


@router.post("/logout")
async def logout(request: Request, ctx: ReviewContext = Context) -> Response:
    ctx.check_csrf(request, await ctx.read_form(request))
    token = request.cookies.get(LOGIN_COOKIE)
    if token:
        ctx.store.end_login(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.get("/lang/{lang}")
def set_lang(request: Request, lang: str, next: str = "/") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(response, request, LANG_COOKIE, pick_language(lang), max_age=400 * 86400)
    return response
