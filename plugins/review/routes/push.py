"""What a streamer's PC calls on an organisation's server: a token, pushes, live events, prompts.

Every call but ``POST /api/tokens`` carries ``Authorization: Bearer TOKEN`` (a login of the
streamer, kept hashed like a browser login); only the session's owner may push to it, send its
events or read its prompts — anyone else gets 404.
"""

from __future__ import annotations

import time
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from streamkit.web import verify_password_async

from ..context import ApiError, OrgParts, ReviewContext, review_context
from ..pushes import CHUNK_MAX, PushFile, WrongOffset, numbered_events
from ..service import SESSION_ID
from ..store import User

router = APIRouter()
Context = Depends(review_context)
MAX_EVENTS = 2000  # per live batch
PROMPT_WAIT_MAX = 30.0


def _streamer(request: Request, ctx: ReviewContext) -> tuple[User, OrgParts]:
    org = ctx.need_org()
    user = ctx.need_user(request, True)
    if user.role != "streamer":
        raise ApiError(403, "only a streamer's account pushes sessions and sends live events")
    return user, org


def _own_session(request: Request, ctx: ReviewContext, session_id: str) -> tuple[User, OrgParts]:
    user, org = _streamer(request, ctx)
    owner = ctx.store.owner_of(session_id)
    if owner is not None and owner != user.id:
        raise ApiError(404, f"no session {session_id}")
    return user, org


def _session_id(session_id: str) -> str:
    if not SESSION_ID.match(session_id):
        raise ApiError(400, f"session id {session_id[:40]!r} is not usable (letters, digits, . _ - only)")
    return session_id


@router.post("/api/tokens")
async def token(request: Request, ctx: ReviewContext = Context) -> Response:
    """A token for a program (``streamkit review push``): the password is checked and throttled like a login."""
    ctx.need_org()
    data = await ctx.read_json(request)
    name, password = str(data.get("name", "")).strip(), str(data.get("password", ""))
    address = request.client.host if request.client else ""
    wait = ctx.throttle.admit(name, address)
    if wait is not None:
        await anyio.sleep(ctx.throttle.failure_delay)
        return JSONResponse({"error": ctx.t(request)("login_throttled", s=wait)}, status_code=429,
                            headers={"Retry-After": str(wait)})
    user, stored = await run_in_threadpool(ctx.store.password_of, name)
    if not await verify_password_async(password, stored) or user is None:
        await anyio.sleep(ctx.throttle.failure_delay)
        return JSONResponse({"error": ctx.t(request)("bad_login")}, status_code=401)
    ctx.throttle.succeeded(name, address)
    days = ctx.config.login_days
    token = await run_in_threadpool(ctx.store.start_login, user, days)
    return JSONResponse({"token": token, "user": user.name, "role": user.role, "expires": time.time() + days * 86400},
                        status_code=201)


@router.post("/api/push/{session_id}/manifest")
async def manifest(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    data = await ctx.read_json(request)

    def open_push() -> Response:
        user, org = _own_session(request, ctx, _session_id(session_id))
        info, files = data.get("info") or {}, data.get("files")
        if not isinstance(info, dict) or not isinstance(files, list):
            raise ApiError(400, "the manifest needs info (an object) and files (a list)")
        try:
            state = org.pushes.manifest(user, session_id, info, [PushFile.from_json(f) for f in files],
                                        bool(data.get("media_is_recording")))
        except PermissionError:
            raise ApiError(404, f"no session {session_id}") from None
        return JSONResponse(state)

    return await run_in_threadpool(open_push)


@router.get("/api/push/{session_id}")
def push_state(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    _, org = _own_session(request, ctx, _session_id(session_id))
    return JSONResponse(org.pushes.state(session_id))


@router.put("/api/push/{session_id}/files/{path:path}")
async def chunk(request: Request, session_id: str, path: str, ctx: ReviewContext = Context,
                offset: Annotated[int, Query(ge=0, le=1 << 40)] = 0) -> Response:
    """Bytes of one file at ``offset`` (at most 4 MiB a request); 409 with ``received`` when the server has another offset."""
    _own_session(request, ctx, _session_id(session_id))
    data = await request.body()
    if len(data) > CHUNK_MAX:
        raise ApiError(413, f"a chunk is at most {CHUNK_MAX:,} bytes")

    def write() -> Response:
        _, org = _own_session(request, ctx, session_id)
        try:
            return JSONResponse(org.pushes.chunk(session_id, path, offset, data))
        except WrongOffset as exc:
            return JSONResponse({"error": f"the server has {exc.received} bytes of {path}; send from there",
                                 "received": exc.received}, status_code=409)

    return await run_in_threadpool(write)


@router.post("/api/live/{session_id}/events")
async def live_events(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    """A batch of the running session's events, ``[[seq, event], …]`` in order; answers ``acked``: every
    event up to that number is stored (send again from the next one)."""
    data = await ctx.read_json(request)

    def store() -> Response:
        user, org = _own_session(request, ctx, _session_id(session_id))
        batch = data.get("events") or []
        if not isinstance(batch, list) or len(batch) > MAX_EVENTS or not all(
                isinstance(x, list) and len(x) == 2 and isinstance(x[0], int) and x[0] >= 1 for x in batch):
            raise ApiError(400, f"events must be a list of at most {MAX_EVENTS} [number, event] pairs")
        if isinstance(data.get("info"), dict) or ctx.store.owner_of(session_id) is None:
            try:
                org.service.org.open_session(session_id, user, data.get("info") or {}, live=True)
            except PermissionError:
                raise ApiError(404, f"no session {session_id}") from None
        numbered = numbered_events(((seq, event) for seq, event in batch), org.pushes.types)
        acked = org.service.org.add_events(session_id, numbered)
        if data.get("ended"):
            org.service.org.set_live(session_id, False, ended=time.time())
        org.hub.notify(session_id)
        return JSONResponse({"acked": acked})

    return await run_in_threadpool(store)


@router.get("/api/live/{session_id}/prompts")
async def prompts_for_streamer(request: Request, session_id: str, ctx: ReviewContext = Context,
                               after: Annotated[int, Query(ge=0)] = 0,
                               wait: Annotated[float, Query(ge=0, le=PROMPT_WAIT_MAX)] = 0.0) -> Response:
    """The coaches' prompts after number ``after``; waits up to ``wait`` seconds for one (long poll)."""
    _, org = await run_in_threadpool(_own_session, request, ctx, _session_id(session_id))
    deadline = time.monotonic() + wait
    while True:
        found = await run_in_threadpool(org.service.org.prompts, session_id, after)
        left = deadline - time.monotonic()
        if found or left <= 0 or await request.is_disconnected():
            break
        await org.hub.wait(session_id, min(left, 5.0))
    if found:
        await run_in_threadpool(org.service.org.mark_delivered, session_id, found[-1].id)
    return JSONResponse({"prompts": [p.to_dict() for p in found]})
