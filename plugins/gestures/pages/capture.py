"""Enrolling a sign or the resting hands by countdown capture, the test mode, and the pictures behind them.

The page's script counts down, takes a picture (from the browser's camera, or asks for a screenshot of
the OBS camera source) and posts it to ``/enrol/sample``; the answer says in one sentence whether it
became a sample. ``/enrol/save`` writes the samples into the profile with the CLI's own functions
(:class:`~streamkit.plugins.gestures.enrol.SignCapture`). ``/see`` says what one picture shows.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from streamkit.errors import StreamkitError

from ..detector import HandClassifier
from ..enrol import SignCapture
from ..profile import REST, ProfileError, check_sign_name
from .common import PagesState, PictureError, answer, next_url, posted, render
from .words import Words

MIN_WANTED, MAX_WANTED, DEFAULT_WANTED = 3, 5, 4


def camera_context(state: PagesState, request: Request) -> dict[str, object]:
    """Where pictures come from: OBS when the set-up chose the camera in OBS, else the browser."""
    section = state.section()
    return {"route": "obs" if section.source == "obs" and section.obs_source else "browser",
            "obs_source": section.obs_source, "obs_inputs": obs_input_names(state)}


def obs_input_names(state: PagesState) -> list[str]:
    """OBS's input names, for choosing the camera source ([] when OBS does not answer)."""
    if not state.obs_answers():
        return []
    try:
        inputs = state.host.obs().request("GetInputList").get("inputs", [])
    except StreamkitError:
        return []
    return sorted(str(i.get("inputName", "")) for i in inputs)


def wanted_of(body: dict[str, object]) -> int:
    try:
        return min(MAX_WANTED, max(MIN_WANTED, int(str(body.get("wanted", DEFAULT_WANTED)))))
    except ValueError:
        return DEFAULT_WANTED


def capture_name(body: dict[str, object], w: Words) -> str:
    """The sign being enrolled (or ``rest``); raises ProfileError worded for people."""
    name = str(body.get("name", "")).strip()
    if body.get("rest"):
        return REST
    if not name:
        raise ProfileError(w("error_name_empty"))
    try:
        return check_sign_name(name)
    except ProfileError:
        raise ProfileError(w("error_name_bad", name=name)) from None


def add_capture_routes(router: APIRouter, state: PagesState) -> None:
    """``/enrol``, ``/rest``, ``/enrol/start|sample|save|cancel``, ``/test``, ``/see``, ``/obs-frame``."""

    async def enrol_page(request: Request) -> Response:
        if next_url(request) and not state.section().enabled:
            return RedirectResponse(next_url(request), status_code=303)  # the set-up turned gestures off: skip the step
        return render(state, request, "enrol.html", "enrol_title", mode="sign", wanted=DEFAULT_WANTED,
                      camera=camera_context(state, request), next=next_url(request))

    async def rest_page(request: Request) -> HTMLResponse:
        return render(state, request, "enrol.html", "rest_title", mode="rest", wanted=MAX_WANTED,
                      camera=camera_context(state, request), next=next_url(request))

    async def test_page(request: Request) -> HTMLResponse:
        return render(state, request, "test.html", "test_title", camera=camera_context(state, request))

    def start(request: Request, body: dict[str, object]) -> JSONResponse:
        """A new capture of the named sign (or the resting hands); a name that cannot be used is said at once."""
        w = Words(state.host.language(request))
        try:
            name = capture_name(body, w)
        except ProfileError as exc:
            return answer(False, exc.problem, field="sign-name")
        with state.lock:
            state.captures[name] = SignCapture(name, wanted=wanted_of(body))
        return answer(True, "", name=name, wanted=wanted_of(body))

    def sample(request: Request, body: dict[str, object]) -> JSONResponse:
        """One picture: kept as a sample, or the reason it is not one (``taken`` false)."""
        w = Words(state.host.language(request))
        try:
            name = capture_name(body, w)
            image = state.picture(body, w.lang)
        except (ProfileError, PictureError) as exc:
            return answer(False, exc.problem, taken=False)
        hands, _ = state.seer.detect(image, face=False)
        with state.lock:
            capture = state.captures.setdefault(name, SignCapture(name, wanted=wanted_of(body)))
            check = capture.take(image, hands)
            count, done = len(capture.taken), capture.done
        return answer(True, check.message(w.lang), taken=check.ok, problem=check.problem or "", count=count,
                      wanted=capture.wanted, done=done)

    def save(request: Request, body: dict[str, object]) -> JSONResponse:
        w = Words(state.host.language(request))
        try:
            name = capture_name(body, w)
        except ProfileError as exc:
            return answer(False, exc.problem)
        with state.lock:
            capture = state.captures.pop(name, None)
        try:
            if capture is None:
                raise ProfileError(w("js_stopped"))
            result = capture.save_to(state.profile(), state.profile_path(), replace=not body.get("add"))
        except StreamkitError as exc:
            return answer(False, exc.one_line())
        return answer(True, result.summary(w.lang), warnings=result.warnings(w.lang), samples=result.samples)

    def cancel(request: Request, body: dict[str, object]) -> JSONResponse:
        w = Words(state.host.language(request))
        with state.lock:
            state.captures.pop(REST if body.get("rest") else str(body.get("name", "")).strip(), None)
        return answer(True, w("js_stopped"))

    def see(request: Request, body: dict[str, object]) -> JSONResponse:
        w = Words(state.host.language(request))
        try:
            image = state.picture(body, w.lang)
            profile = state.profile()
        except PictureError as exc:
            return answer(False, exc.problem)
        except ProfileError as exc:
            return answer(False, exc.one_line())
        section = state.section()
        seen = state.seer.look(image, HandClassifier(profile, builtin=section.builtin_signs), state.neutral_face(), section)
        return answer(True, "", seen=seen.to_json(w))

    def obs_frame(request: Request) -> Response:
        """What the OBS camera source shows now (JPEG), for the preview when OBS holds the camera."""
        import cv2

        try:
            image = state.obs_picture(state.obs_source(dict(request.query_params)), state.host.language(request))
        except PictureError as exc:
            return Response(exc.problem, status_code=404, media_type="text/plain; charset=utf-8")
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        return Response(jpeg.tobytes(), media_type="image/jpeg", headers={"Cache-Control": "no-store"})

    router.add_api_route("/enrol", enrol_page, methods=["GET"])
    router.add_api_route("/rest", rest_page, methods=["GET"])
    router.add_api_route("/test", test_page, methods=["GET"])
    router.add_api_route("/enrol/start", posted(start), methods=["POST"])
    router.add_api_route("/enrol/sample", posted(sample), methods=["POST"])
    router.add_api_route("/enrol/save", posted(save), methods=["POST"])
    router.add_api_route("/enrol/cancel", posted(cancel), methods=["POST"])
    router.add_api_route("/see", posted(see), methods=["POST"])
    router.add_api_route("/obs-frame", obs_frame, methods=["GET"])
