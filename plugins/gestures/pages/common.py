"""What every gestures page shares: the ``[gestures]`` section as it is on disk, where the profile and the
neutral face live, pictures from the browser or from OBS, request bodies, and rendering in the chrome."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from streamkit.errors import StreamkitError
from streamkit.events import say
from streamkit.obs.errors import ObsRequestError, ObsUnavailable
from streamkit.sources.video import ObsScreenshotSource, decode_image_data
from streamkit.web import read_json_object

from ..config import GesturesConfig
from ..enrol import NeutralCapture, SignCapture
from ..face import NeutralFace, load_neutral
from ..profile import SignProfile
from .seeing import Seer
from .words import Words

if TYPE_CHECKING:
    from streamkit.panel import PanelHost

    from ..standby import StandbyWatcher

SECTION = "gestures"
FRAME_SIZE = (640, 480)
#: OBS encodes a 640×480 JPEG in ≈ 40 ms and a PNG in 1–2 s on a busy 2-core machine (measured here).
SCREENSHOT_FORMAT = "jpg"


class PictureError(StreamkitError):
    """No picture could be had: the browser sent none, or OBS could not give one."""


@dataclass
class PagesState:
    """The pages' shared state over one host: the trackers and the captures in progress."""

    host: "PanelHost"
    seer: Seer = field(default_factory=Seer)
    captures: dict[str, SignCapture] = field(default_factory=dict)
    neutral: NeutralCapture | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    standby: "StandbyWatcher | None" = None

    def section(self) -> GesturesConfig:
        config = self.host.config()
        return config.section(SECTION) if config.has(SECTION) else GesturesConfig()

    def home_file(self, configured: str, name: str) -> Path:
        """A file the config names (beside the config file when relative), else STREAMKIT_HOME/gestures/``name``."""
        return self.host.config().resolve_path(configured) if configured else self.host.home() / "gestures" / name

    def profile_path(self) -> Path:
        return self.home_file(self.section().profile, "profile.json")

    def profile(self) -> SignProfile:
        """The streamer's profile (an empty one, to be saved at :meth:`profile_path`, before the first sign)."""
        path = self.profile_path()
        return SignProfile.load(path) if path.exists() else SignProfile(path=path)

    def neutral_path(self) -> Path:
        return self.home_file(self.section().neutral, "neutral.json")

    def neutral_face(self) -> NeutralFace:
        path = self.neutral_path()
        return load_neutral(path) if path.exists() else NeutralFace()

    def obs_answers(self) -> bool:
        """OBS is connected (waiting a moment for a connection being made), so lists can be read from it."""
        return self.host.obs().wait_connected(0.5)

    def obs_source(self, body: dict[str, Any]) -> str:
        """The OBS source to take pictures of: the one the page names, else ``[gestures] obs_source``."""
        return str(body.get("obs_source") or self.section().obs_source)

    def picture(self, body: dict[str, Any], language: str) -> np.ndarray:
        """The picture of a request: ``image`` (a data URL from the browser's camera) or, with
        ``source = "obs"``, a screenshot of the OBS camera source. Raises :class:`PictureError`."""
        if body.get("source") == "obs":
            return self.obs_picture(self.obs_source(body), language)
        try:
            return decode_image_data(str(body.get("image") or ""))
        except ValueError:
            raise PictureError(say(language, "没有收到摄像头的画面：请先打开摄像头画面，再试一次。",
                                   "No camera picture arrived: show the camera picture, then try again.")) from None

    def obs_picture(self, name: str, language: str) -> np.ndarray:
        """A screenshot of OBS source ``name`` (640×480)."""
        if not name:
            raise PictureError(say(language, "还没有选 OBS 里的摄像头来源：请在“画面从哪里来”里选一个。",
                                   "No OBS camera source is chosen: choose one under “Where the picture comes from”."))
        try:
            return ObsScreenshotSource(self.host.obs(), name, width=FRAME_SIZE[0], height=FRAME_SIZE[1],
                                       image_format=SCREENSHOT_FORMAT).grab()
        except ObsUnavailable:
            raise PictureError(say(language, "OBS 没有连上：请打开 OBS，或在设置向导里连上 OBS。",
                                   "OBS is not connected: start OBS, or connect it in the set-up.")) from None
        except (ObsRequestError, KeyError, ValueError):
            raise PictureError(say(language, f"OBS 没有给出“{name}”的画面：确认这个来源在 OBS 里存在并且正在显示，或选另一个。",
                                   f"OBS gave no picture of “{name}”: check it exists and shows in OBS, or choose another.")) from None

    def close(self) -> None:
        if self.standby is not None:
            self.standby.stop()
        self.seer.close()


Work = Callable[[Request, dict[str, Any]], Response]


def posted(work: Work) -> Callable[[Request], Awaitable[Response]]:
    """A POST route: the JSON body read, then the work (models, files, OBS) done off the event loop."""
    async def route(request: Request) -> Response:
        return await run_in_threadpool(work, request, await read_json_object(request))
    return route


def answer(ok: bool, message: str, status: int | None = None, **data: object) -> JSONResponse:
    """The JSON answer of a page action: ``ok``, one sentence for people, and data for the script."""
    return JSONResponse({"ok": ok, "message": message, **data}, status_code=status or (200 if ok else 400),
                        headers={"Cache-Control": "no-store"})


def next_url(request: Request) -> str:
    """The wizard's ``?next=`` address when it is a path of this panel ('' otherwise)."""
    url = request.query_params.get("next", "")
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else ""


def render(state: PagesState, request: Request, template: str, title_key: str, *, status_code: int = 200,
           **context: object) -> HTMLResponse:
    """A gestures page in the panel's chrome, with its words (``w``) and the script's sentences."""
    lang = state.host.language(request)
    w = Words(lang)
    title = w(title_key) if not context.get("errors") else w("error_title_prefix") + w(title_key)
    return state.host.render(request, f"gestures/{template}", {**context, "w": w, "gesture_strings": w.scripts(),
                                                                "session_running": state.host.session() is not None},
                             title=title, status_code=status_code)
