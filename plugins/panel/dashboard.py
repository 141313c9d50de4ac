"""The live dashboard (``/``): start and stop the session, the pause-all-triggers switch, the repairs,
the tiles and the captions monitor. Actions answer JSON to the page's script (``Accept:
application/json``) and redirect back otherwise, so every form also works without script."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from streamkit.control import SessionBusy
from streamkit.errors import StreamkitError
from streamkit.features import GESTURES
from streamkit.obs.errors import ObsError

from .host import Host
from .i18n import translator
from .live import LiveFeed
from .obsfind import create_in_obs
from .render import render_board
from .wizard import first, read_form


def answer(request: Request, message: str, ok: bool = True, status: int = 200) -> Response:
    """JSON for the page's script, a redirect to the dashboard for a plain form."""
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": ok, "message": message}, status_code=status)
    return RedirectResponse("/", status_code=303)


class Dashboard:
    """The dashboard's routes over one host and its live feed."""

    def __init__(self, host: Host, feed: LiveFeed) -> None:
        self.host, self.feed = host, feed
        self.router = APIRouter()
        self.router.add_api_route("/", self.page, methods=["GET"])
        self.router.add_api_route("/session/start", self.start, methods=["POST"])
        self.router.add_api_route("/session/stop", self.stop, methods=["POST"])
        self.router.add_api_route("/triggers", self.triggers, methods=["POST"])
        self.router.add_api_route("/repair/obs-setup", self.repair_obs, methods=["POST"])

    async def page(self, request: Request) -> Response:
        if not self.host.file.exists:
            return RedirectResponse("/setup", status_code=303)
        lang = self.host.language(request)
        board = self.feed.board
        tiles = dict(render_board(self.host, board, lang, self.host.csrf_token(request)))
        return self.host.render(request, "panel/dashboard.html", {"board": board, "tiles": tiles},
                                title=translator(lang)("dashboard_heading"))

    async def start(self, request: Request) -> Response:
        t = translator(self.host.language(request))
        if self.host.file.problem:
            return answer(request, t("problem_config_broken", detail=self.host.file.problem), False, 409)
        try:
            self.host.controller.start(self.host.config(), self.host.obs())
        except SessionBusy:
            return answer(request, t("already_running"), False, 409)
        self.feed.refresh()
        return answer(request, t("phase_starting"))

    async def stop(self, request: Request) -> Response:
        self.host.controller.stop("stopped from the panel")
        self.feed.refresh()
        return answer(request, translator(self.host.language(request))("phase_stopping"))

    async def triggers(self, request: Request) -> Response:
        t = translator(self.host.language(request))
        runtime = self.host.session()
        gestures = runtime.services.find(GESTURES) if runtime is not None else None
        if gestures is None:
            return answer(request, t("pause_unavailable"), False, 409)
        if first(await read_form(request), "paused") == "1":
            gestures.pause("panel")
        else:
            gestures.resume()
        self.feed.refresh()
        return answer(request, "")  # the GesturesPaused event announces it

    async def repair_obs(self, request: Request) -> Response:
        t = translator(self.host.language(request))
        try:
            result = create_in_obs(self.host.config())
        except (ObsError, StreamkitError) as exc:
            return answer(request, t("error_scenes_obs", error=exc.one_line()), False, 502)
        self.feed.check.invalidate()
        self.feed.refresh()
        if not result.ok:
            return answer(request, t("error_scenes_failed", items=t.join(result.failed)), False, 502)
        return answer(request, t("repaired_obs", n=len(result.created)))
