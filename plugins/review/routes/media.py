"""Media and exports: the recording (range requests), SRT/WebVTT, the report as HTML and PDF."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from .. import jobs
from ..context import OrgParts, ReviewContext, review_context
from ..mediastore import MediaStore
from ..export import html_to_pdf, to_srt, to_vtt

router = APIRouter()
Context = Depends(review_context)


@router.get("/sessions/{session_id}/media")
def media(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    """The session's own media file: resolved, links followed, checked to be where it belongs (see sessiondata);
    on an organisation's server, from its media store (byte ranges proxied when the store is not this disk)."""
    ctx.visible(request, session_id)
    session = ctx.service.session(session_id)
    mime = session.media_type or "application/octet-stream"
    if session.media_path is not None and session.media_path.is_file():
        return FileResponse(session.media_path, media_type=mime)
    if ctx.org is not None:
        row = ctx.org.service.org.session(session_id)
        if row is not None and row.media_key:
            return store_response(request, ctx.org.service.media, row.media_key, mime)
    raise HTTPException(404)


def store_response(request: Request, store: MediaStore, key: str, mime: str, filename: str = "") -> Response:
    """``key`` of the media store with HTTP range requests (206), like a file on this disk."""
    local = store.local_path(key)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else None
    if local is not None:
        return FileResponse(local, media_type=mime, headers=headers)
    size = store.size(key)
    if size is None:
        raise HTTPException(404)
    start, end, status = 0, size - 1, 200
    wanted = request.headers.get("range", "")
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", wanted.strip())
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start, end = int(match.group(1)), min(int(match.group(2) or size - 1), size - 1)
        else:
            start = max(0, size - int(match.group(2)))
        if start > end or start >= size:
            return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
        status = 206
    head = {"Accept-Ranges": "bytes", "Content-Length": str(end - start + 1), **(headers or {})}
    if status == 206:
        head["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(iterate_in_threadpool(store.read(key, start, end)), status_code=status, media_type=mime,
                             headers=head)


@router.get("/sessions/{session_id}/captions.{fmt}")
def captions_file(request: Request, session_id: str, fmt: str, ctx: ReviewContext = Context) -> Response:
    ctx.visible(request, session_id)
    session = ctx.service.session(session_id)
    if fmt == "srt":
        text, mime = to_srt(session.lines), "application/x-subrip; charset=utf-8"
    elif fmt == "vtt":
        text, mime = to_vtt(session.lines), "text/vtt; charset=utf-8"
    else:
        raise HTTPException(404)
    return PlainTextResponse(text, media_type=mime,
                             headers={"Content-Disposition": f'attachment; filename="{session_id}.{fmt}"'})


@router.get("/sessions/{session_id}/report.html", response_class=HTMLResponse)
def report(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    ctx.visible(request, session_id)
    return HTMLResponse(ctx.service.report_html(session_id, ctx.lang_of(request)))


@router.get("/sessions/{session_id}/report.pdf")
def report_pdf(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    """Printed by Chromium one at a time per user; the same PDF is served again until the session or comments change.
    On an organisation's server a worker prints it (a job): the page says so and links it when it is ready."""
    user = ctx.visible(request, session_id)
    lang = ctx.lang_of(request)
    if ctx.org is not None:
        return org_report(request, ctx, ctx.org, session_id, lang)
    key = (session_id, lang, ctx.service.signature(session_id), ctx.store.comments_version(session_id))

    def render() -> bytes:
        html = ctx.service.report_html(session_id, lang)
        with tempfile.TemporaryDirectory() as tmp:
            return html_to_pdf(html, Path(tmp) / "report.pdf").read_bytes()

    pdf = ctx.pdfs.get(user.id, key, render)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{session_id}-report.pdf"'})


def org_report(request: Request, ctx: ReviewContext, org: OrgParts, session_id: str, lang: str) -> Response:
    """The worker's PDF when it is made; else queue the job (once) and answer a page that shows its progress."""
    service = org.service
    key = jobs.report_key(service, session_id, lang)
    done = service.org.result(jobs.REPORT, key)
    if done is not None:
        return store_response(request, service.media, done["media_key"], "application/pdf", f"{session_id}-report.pdf")
    with service.store.db.write() as conn:
        jobs.enqueue(org.jobs, service.org, conn, jobs.REPORT, session_id, key, lang=lang)
    return ctx.render(request, "report_wait.html", status=202, s=service.org.session(session_id),
                      jobs=service.org.progress(session_id))
