"""Media and exports: the recording (range requests), SRT/WebVTT, the report as HTML and PDF."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from ..context import ReviewContext, review_context
from ..export import html_to_pdf, to_srt, to_vtt

router = APIRouter()
Context = Depends(review_context)


@router.get("/sessions/{session_id}/media")
def media(request: Request, session_id: str, ctx: ReviewContext = Context) -> Response:
    """The session's own media file: resolved, links followed, checked to be where it belongs (see sessiondata)."""
    _, folder = ctx.visible(request, session_id)
    session = ctx.cache.get(folder)
    if session.media_path is None or not session.media_path.is_file():
        raise HTTPException(404)
    return FileResponse(session.media_path, media_type=session.media_type or "application/octet-stream")


@router.get("/sessions/{session_id}/captions.{fmt}")
def captions_file(request: Request, session_id: str, fmt: str, ctx: ReviewContext = Context) -> Response:
    _, folder = ctx.visible(request, session_id)
    session = ctx.cache.get(folder)
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
    """Printed by Chromium one at a time per user; the same PDF is served again until the session or comments change."""
    user, folder = ctx.visible(request, session_id)
    lang = ctx.lang_of(request)
    key = (session_id, lang, ctx.cache.signature(folder), ctx.store.comments_version(session_id))

    def render() -> bytes:
        html = ctx.service.report_html(session_id, lang)
        with tempfile.TemporaryDirectory() as tmp:
            return html_to_pdf(html, Path(tmp) / "report.pdf").read_bytes()

    pdf = ctx.pdfs.get(user.id, key, render)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{session_id}-report.pdf"'})
