"""The sessions page (``/sessions``): every recorded session, each opening the coach review.

The review app is a feature of its own: the panel asks for it through ``REVIEW_APP`` (offered by the
review plugin to the panel), which starts it when it is not running yet and says where a session is.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from streamkit.errors import StreamkitError
from streamkit.features import REVIEW_APP
from streamkit.session import SessionStore

from .host import Host
from .i18n import translator

SESSION_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def duration_text(started: float | None, ended: float | None) -> str:
    """``1:02:03`` / ``12:34`` (empty while unknown)."""
    if not started or not ended or ended < started:
        return ""
    seconds = int(ended - started)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def events_of(store: SessionStore, row: dict[str, object]) -> int:
    """Events of a session: from the index, or its log's lines when the index lacks them (a copied folder)."""
    counted = store.count_events(str(row["id"]))
    log = Path(str(row["dir"])) / "events.jsonl"
    if counted or not log.is_file():
        return counted
    with log.open("rb") as f:
        return sum(1 for line in f if line.strip())


class SessionsPage:
    """The sessions list and the route that opens one in the review app."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.router = APIRouter()
        self.router.add_api_route("", self.page, methods=["GET"])
        self.router.add_api_route("/{session_id}/review", self.review, methods=["POST"])

    def rows(self) -> list[dict[str, object]]:
        store = SessionStore(self.host.home())
        try:
            running = self.host.controller.state.session_id if self.host.controller.running else ""
            return [{**row, "events": events_of(store, row), "running": row["id"] == running,
                     "started_text": time.strftime("%Y-%m-%d %H:%M", time.localtime(float(row["started"] or 0))),
                     "duration": duration_text(row["started"], row["ended"])}
                    for row in store.list()]
        finally:
            store.close()

    async def page(self, request: Request) -> Response:
        t = translator(self.host.language(request))
        error = request.query_params.get("error", "")
        return self.host.render(request, "panel/sessions.html",
                                {"rows": self.rows(), "can_review": self.host.services().find(REVIEW_APP) is not None,
                                 "error": error if error in ("review_failed",) else ""},
                                title=t("sessions_heading"))

    async def review(self, request: Request, session_id: str) -> Response:
        """Start the review app and go there: the page's script navigates to the address it gets back (a form
        may not redirect to another origin under the CSP), a plain form gets a page with the link."""
        t = translator(self.host.language(request))
        review = self.host.services().find(REVIEW_APP)
        if review is None or not SESSION_ID.match(session_id):
            return RedirectResponse("/sessions", status_code=303)
        try:
            url = review.open_session(session_id)
        except (StreamkitError, OSError):
            return RedirectResponse("/sessions?error=review_failed", status_code=303)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"ok": True, "message": "", "url": url})
        return self.host.render(request, "panel/review_ready.html", {"url": url}, title=t("review_ready"))
