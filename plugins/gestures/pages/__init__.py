"""The gestures pages of the control panel (``/gestures``): enrol signs and the resting hands by countdown
capture, test what is recognised, calibrate the face with sensitivity sliders, and choose what each
gesture does. They talk to streamkit only through the :class:`~streamkit.panel.PanelHost`.

================================  =========================================================
route                             what
================================  =========================================================
``GET /gestures``                 overview: my signs, resting hands, face, bindings
``GET /gestures/enrol``           record a sign (countdown, 3–5 pictures, one sentence each)
``GET /gestures/rest``            record the resting hands
``GET /gestures/test``            test mode: what is recognised, how sure
``GET /gestures/face``            neutral face, and one sensitivity slider per face gesture
``GET /gestures/bindings``        what each sign or face gesture does
``POST /gestures/enrol/sample``   one picture → a sample or the reason it is not one
``POST /gestures/enrol/save``     the samples into the profile (as ``streamkit gestures enroll``)
``POST /gestures/see``            what one picture shows (JSON, and in words)
``GET /gestures/obs-frame``       the OBS camera source now (JPEG)
================================  =========================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter
from fastapi.responses import FileResponse

from streamkit.panel import PanelPage

from ..standby import StandbyWatcher
from .capture import add_capture_routes
from .common import PagesState
from .setup_pages import add_setup_routes

if TYPE_CHECKING:
    from streamkit.panel import PanelHost

HERE = Path(__file__).resolve().parent.parent
TITLE = {"zh-CN": "手势和表情", "en": "Hands and face"}
STATIC = {"gestures.js": "text/javascript", "gestures.css": "text/css"}
#: Panel actions a sign or face gesture can run (through ``[[gestures.bindings]]``).
HANDS_FREE = ("session_start", "session_stop", "pause_triggers", "resume_triggers", "product_next", "product_previous", "mute", "unmute")


def make_pages(host: "PanelHost") -> list[PanelPage]:
    """The ``/gestures`` page group over ``host``."""
    state = PagesState(host)
    state.standby = StandbyWatcher(host).start()
    router = APIRouter()
    add_setup_routes(router, state)
    add_capture_routes(router, state)
    for name, media in STATIC.items():
        router.add_api_route(f"/static/{name}", static_file(name, media), methods=["GET"])
    return [PanelPage("/gestures", TITLE, router, order=40, templates=HERE / "templates", hands_free=HANDS_FREE,
                      wizard_step="enrol")]


def static_file(name: str, media: str):  # type: ignore[no-untyped-def]
    path = HERE / "static" / name

    async def serve() -> FileResponse:
        return FileResponse(path, media_type=media, headers={"Cache-Control": "no-cache"})
    return serve
