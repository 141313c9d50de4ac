"""On an organisation's server: a coach watches a session live and sends private prompts; every page
shows how far its jobs are; an organiser assigns coaches to streamers.

The live page follows ``GET /api/sessions/ID/live`` (Server-Sent Events through the shared web
protection): the session's events as they are stored, the prompts sent, and the jobs' progress.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from streamkit.web import json_script

from ..context import ApiError, ReviewContext, review_context
from ..store import ReviewError, User

router = APIRouter()
Context = Depends(review_context)
MAX_PROMPT_CHARS = 200
LIVE_BOOT_STRINGS = ("live_connected", "live_disconnected", "live_ended", "prompt_sent", "prompt_empty",
                     "error_network", "no_card", "delivered", "waiting_delivery", "tl_card", "tl_scene", "tl_gesture",
                     "tl_mark", "tl_prompt")


def _coach(request: Request, ctx: ReviewContext, session_id: str, api: bool) -> User:
    ctx.need_org()
    return ctx.visible(request, session_id, api=api)


@router.get("/sessions/{session_id}/live", response_class=HTMLResponse)
def live_page(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    user = _coach(request, ctx, session_id, api=False)
    org = ctx.need_org()
    row = org.service.org.session(session_id)
    t = ctx.t(request)
    boot = {"session": session_id, "csrf": ctx.csrf.token(request), "maxPrompt": MAX_PROMPT_CHARS,
            "canPrompt": user.role in ("coach", "organiser"), "strings": {k: t(k) for k in LIVE_BOOT_STRINGS}}
    return ctx.render(request, "live.html", user=user, s=row, boot=json_script(boot),
                      quick=ctx.config.quick_prompts, can_prompt=boot["canPrompt"])


@router.post("/api/sessions/{session_id}/prompts")
async def send_prompt(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    """A coach's private prompt to the streamer (shown on their monitor and panel, spoken in their headphones)."""
    ctx.check_csrf(request)
    data = await ctx.read_json(request)

    def add() -> Response:
        user = _coach(request, ctx, session_id, api=True)
        if user.role not in ("coach", "organiser"):
            raise ApiError(403, ctx.t(request)("prompt_coaches_only"))
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, ctx.t(request)("prompt_empty"))
        if len(text.strip()) > MAX_PROMPT_CHARS:
            raise ApiError(413, ctx.t(request)("prompt_too_long", n=len(text.strip()), max=MAX_PROMPT_CHARS))
        org = ctx.need_org()
        prompt = org.service.org.add_prompt(session_id, user, text)
        org.hub.notify(session_id)
        return JSONResponse({"prompt": prompt.to_dict()}, status_code=201)

    return await run_in_threadpool(add)


@router.get("/api/sessions/{session_id}/jobs")
def jobs(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    _coach(request, ctx, session_id, api=True)
    return JSONResponse({"jobs": [p.to_dict() for p in ctx.need_org().service.org.progress(session_id)]})


@router.get("/api/sessions/{session_id}/live")
async def live_stream(request: Request, session_id: str, ctx: ReviewContext = Context,
                      after: Annotated[int, Query(ge=0)] = 0) -> Response:
    """Server-Sent Events: ``{"events": [[seq, event], …], "prompts": […], "jobs": […], "live": bool}``."""
    await run_in_threadpool(_coach, request, ctx, session_id, True)
    org = ctx.need_org()
    store = org.service.org

    def snapshot(seq: int, prompt_id: int) -> dict[str, Any]:
        row = store.session(session_id)
        return {"events": store.events_after(session_id, seq), "prompts": [p.to_dict() for p in store.prompts(session_id, prompt_id)],
                "jobs": [p.to_dict() for p in store.progress(session_id)], "live": bool(row and row.live)}

    async def stream() -> AsyncIterator[str]:
        seq, prompt_id, last_jobs = after, 0, None
        yield "retry: 2000\n\n"
        while not await request.is_disconnected():
            data = await run_in_threadpool(snapshot, seq, prompt_id)
            if data["events"]:
                seq = data["events"][-1][0]
            if data["prompts"]:
                prompt_id = data["prompts"][-1]["id"]
            if data["events"] or data["prompts"] or data["jobs"] != last_jobs:
                last_jobs = data["jobs"]
                yield f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
            if len(data["events"]) < 500 and not await org.hub.wait(session_id, 2.0 if data["live"] else 5.0):
                yield ": keep-alive\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.get("/organise", response_class=HTMLResponse)
def organise_page(request: Request, ctx: ReviewContext = Context) -> Response:
    return _organise(request, ctx, _organiser(request, ctx))


def _organise(request: Request, ctx: ReviewContext, user: User, error: str = "") -> Response:
    people = ctx.store.users()
    return ctx.render(request, "organise.html", status=400 if error else 200, user=user,
                      assignments=ctx.store.assignments(), coaches=[u.name for u in people if u.role == "coach"],
                      streamers=[u.name for u in people if u.role == "streamer"], error=error)


@router.post("/organise/assign")
async def assign(request: Request, ctx: ReviewContext = Context) -> Response:
    form = await ctx.read_form(request)
    ctx.check_csrf(request, form)
    user = _organiser(request, ctx)
    coach, streamer = form.get("coach", "").strip(), form.get("streamer", "").strip()
    try:
        if form.get("action") == "unassign":
            await run_in_threadpool(ctx.store.unassign, coach, streamer)
        else:
            await run_in_threadpool(ctx.store.assign, coach, streamer)
    except ReviewError as exc:
        return _organise(request, ctx, user, error=str(exc))
    return RedirectResponse("/organise#assignments", status_code=303)


def _organiser(request: Request, ctx: ReviewContext) -> User:
    ctx.need_org()
    user = ctx.need_user(request, False)
    if user.role != "organiser":
        raise HTTPException(403, detail=ctx.t(request)("organisers_only"))
    return user
