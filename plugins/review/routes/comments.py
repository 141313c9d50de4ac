"""The JSON API of the session page: transcript and comments (paged list, add, edit, delete, resolve)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from streamkit.web.jsonbody import INT_MAX

from ..context import ApiError, ReviewContext, review_context
from ..store import COMMENT_PAGE_MAX

router = APIRouter()
Context = Depends(review_context)
CommentId = Annotated[int, Path(ge=1, le=INT_MAX)]
PAGE_DEFAULT = 200


@router.get("/api/sessions/{session_id}/transcript")
def transcript(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    _, folder = ctx.visible(request, session_id, api=True)
    session = ctx.cache.get(folder)
    rows = [[round(x.start, 2), round(x.end, 2), x.text, x.speaker] for x in session.lines]
    return JSONResponse({"lines": rows, "problems": session.problems})


def _cursor(value: str) -> tuple[float, int] | None:
    """``"<t_start>:<id>"`` from the previous page's ``next``, or None for the first page."""
    if not value:
        return None
    try:
        t_start, cid = value.rsplit(":", 1)
        return float(t_start), int(cid)
    except ValueError:
        raise ApiError(400, f"after={value!r} is not a cursor from this API — start again without it") from None


@router.get("/api/sessions/{session_id}/comments")
def list_comments(request: Request, session_id: str, ctx: ReviewContext = Context,
                  limit: Annotated[int, Query(ge=1, le=COMMENT_PAGE_MAX)] = PAGE_DEFAULT, after: str = "") -> Response:
    """One page of the session's comments (threads in time order); ``next`` is the cursor of the next page."""
    ctx.visible(request, session_id, api=True)
    page, nxt = ctx.store.comments_page(session_id, limit, _cursor(after))
    return JSONResponse({"comments": [c.to_dict() for c in page],
                         "next": f"{nxt[0]!r}:{nxt[1]}" if nxt is not None else None})


# The changes check the CSRF token and read their JSON body on the event loop, then do the database
# work (an fsync'd write) in a worker thread, so a burst of comments never stalls other requests.
@router.post("/api/sessions/{session_id}/comments")
async def add_comment(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    ctx.check_csrf(request)
    data = await ctx.read_json(request)

    def add() -> Response:
        user, _ = ctx.visible(request, session_id, api=True)
        body = ctx.comment_body(request, data)
        t_start = ctx.media_time(request, data.get("t_start"), "t_start") or 0.0
        t_end = ctx.media_time(request, data.get("t_end"), "t_end")
        parent = ctx.comment_id(request, data.get("parent_id"))
        comment = ctx.store.add_comment(session_id, user, body, t_start, t_end, parent)
        return JSONResponse({"comment": comment.to_dict()}, status_code=201)

    return await run_in_threadpool(add)


@router.patch("/api/comments/{comment_id}")
async def edit_comment(request: Request, comment_id: CommentId, ctx: ReviewContext = Context) -> Response:
    ctx.check_csrf(request)
    data = await ctx.read_json(request)

    def edit() -> Response:
        user, cid = ctx.editable_comment(request, comment_id)
        try:
            comment = ctx.store.edit_comment(cid, user, ctx.comment_body(request, data))
        except PermissionError:
            raise ApiError(403, ctx.t(request)("error_not_author")) from None
        return JSONResponse({"comment": comment.to_dict()})

    return await run_in_threadpool(edit)


@router.delete("/api/comments/{comment_id}")
def delete_comment(request: Request, comment_id: CommentId, ctx: ReviewContext = Context) -> Response:
    ctx.check_csrf(request)
    user, cid = ctx.editable_comment(request, comment_id)
    try:
        ctx.store.delete_comment(cid, user)
    except PermissionError:
        raise ApiError(403, ctx.t(request)("error_not_author")) from None
    return JSONResponse({"deleted": cid})


@router.post("/api/comments/{comment_id}/resolved")
async def resolve_comment(request: Request, comment_id: CommentId, ctx: ReviewContext = Context) -> Response:
    ctx.check_csrf(request)
    data = await ctx.read_json(request)

    def resolve() -> Response:
        _, cid = ctx.editable_comment(request, comment_id)
        return JSONResponse({"comment": ctx.store.set_resolved(cid, bool(data.get("resolved", True))).to_dict()})

    return await run_in_threadpool(resolve)
