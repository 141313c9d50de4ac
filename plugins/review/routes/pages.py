"""The HTML pages: the session list, a session, and sharing a session with coaches."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from streamkit.web import json_script

from ..context import Forbidden, ReviewContext, review_context
from ..export import chart_set, timeline_for

router = APIRouter()
Context = Depends(review_context)
BOOT_STRINGS = ("reply", "edit", "save", "cancel", "delete", "confirm_delete", "resolved", "mark_resolved", "reopen",
                "deleted", "edited", "no_comments", "matches", "error_network", "post", "comment_here", "by",
                "local_owner")


@router.get("/", response_class=HTMLResponse)
def session_list(request: Request, ctx: ReviewContext = Context) -> Response:
    user = ctx.need_user(request, False)
    counts = ctx.store.comment_counts()
    rows = [dict(row, comments=counts.get(sid, 0)) for sid, row in ctx.service.all_sessions().items()
            if ctx.store.can_see(user, sid)]
    return ctx.render(request, "list.html", sessions=rows, user=user)


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    user, folder = ctx.visible(request, session_id)
    session = ctx.cache.get(folder)
    metrics = ctx.service.metrics(session)
    t = ctx.t(request)
    owner = ctx.owns(user, session_id)
    boot = {"session": session_id, "csrf": ctx.csrf.token(request), "me": user.id, "duration": session.duration,
            "lang": ctx.lang_of(request), "maxComment": ctx.config.max_comment_chars,
            "strings": {k: t(k) for k in BOOT_STRINGS}}
    return ctx.render(request, "session.html", user=user, s=session, m=metrics, charts=chart_set(session, metrics, t),
                      timeline=timeline_for(session, metrics, t, ctx.lang_of(request)), boot=json_script(boot),
                      comment_count=ctx.store.comment_count(session_id),
                      can_share=owner and ctx.settings.require_login, coaches=ctx.store.coaches_of(session_id),
                      skipped_events=session.skipped_events if owner else 0,
                      media_url=f"/sessions/{session_id}/media")


@router.post("/sessions/{session_id}/share")
async def share(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    form = await ctx.read_form(request)
    ctx.check_csrf(request, form)
    user, _ = ctx.visible(request, session_id)
    if not ctx.owns(user, session_id):
        raise Forbidden()
    coach = form.get("coach", "").strip()
    if form.get("action") == "unshare":
        ctx.store.unshare(session_id, coach)
    else:
        ctx.store.share(session_id, coach)
    return RedirectResponse(f"/sessions/{session_id}#share", status_code=303)
