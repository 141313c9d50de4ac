"""The overview (``/gestures``), the face page (neutral face and sensitivity sliders) and the bindings
page: what is set up, and the forms that change it — written to the config through the host."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from streamkit.errors import ConfigError, StreamkitError

from ..enrol import NEUTRAL_FRAMES, NeutralCapture
from ..face import FACE_GESTURES
from ..profile import ProfileError
from ..signs import BUILTIN_SIGNS
from .binding_form import FieldError, binding_from_form, consequential, describe, with_added, with_removed
from .capture import camera_context
from .common import SECTION, PagesState, PictureError, answer, posted, render
from .words import ACTION_GROUPS, Words

MIN_THRESHOLD, MAX_THRESHOLD = 0.1, 0.95


async def read_form(request: Request) -> dict[str, str]:
    """A urlencoded form body: the first value of each name."""
    raw = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0].strip() for k, v in parse_qs(raw, keep_blank_values=True).items()}


def go(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def add_setup_routes(router: APIRouter, state: PagesState) -> None:
    """``""`` (overview), ``/forget``, ``/face``, ``/face/neutral``, ``/face/thresholds``, ``/bindings``, ``/bindings/remove``."""
    def bound(handler: Callable[[PagesState, Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def route(request: Request) -> Response:
            return await handler(state, request)
        return route

    router.add_api_route("", bound(overview), methods=["GET"])
    router.add_api_route("/forget", bound(forget), methods=["POST"])
    router.add_api_route("/face", bound(face_page), methods=["GET"])
    router.add_api_route("/face/neutral", posted(partial(neutral, state)), methods=["POST"])
    router.add_api_route("/face/thresholds", bound(thresholds), methods=["POST"])
    router.add_api_route("/bindings", bound(bindings_page), methods=["GET"])
    router.add_api_route("/bindings", bound(add_binding), methods=["POST"])
    router.add_api_route("/bindings/remove", bound(remove_binding), methods=["POST"])


# overview --------------------------------------------------------------------------------------------


async def overview(state: PagesState, request: Request) -> HTMLResponse:
    try:
        profile, problem = state.profile(), ""
    except ProfileError as exc:
        profile, problem = None, exc.one_line()
    section = state.section()
    return render(state, request, "overview.html", "title", profile=profile, profile_problem=problem,
                  neutral_done=state.neutral_path().exists(), bindings=len(section.bindings), enabled=section.enabled,
                  builtin=list(BUILTIN_SIGNS), removed=request.query_params.get("removed", ""))


async def forget(state: PagesState, request: Request) -> Response:
    name = (await read_form(request)).get("name", "")
    try:
        profile = state.profile()
        profile.remove(name)
        profile.save(state.profile_path())
    except ProfileError:
        pass  # gone already (another tab): the overview shows what is there
    return go(f"/gestures?removed={quote(name)}")


# face ------------------------------------------------------------------------------------------------


def face_context(state: PagesState, request: Request) -> dict[str, Any]:
    section = state.section()
    return {"gestures": [(g, section.threshold_of(g)) for g in FACE_GESTURES], "neutral_done": state.neutral_path().exists(),
            "frames": NEUTRAL_FRAMES, "camera": camera_context(state, request), "min": MIN_THRESHOLD, "max": MAX_THRESHOLD,
            "saved": request.query_params.get("saved") == "1"}


async def face_page(state: PagesState, request: Request) -> HTMLResponse:
    return render(state, request, "face.html", "face_title", **face_context(state, request))


def neutral(state: PagesState, request: Request, body: dict[str, Any]) -> JSONResponse:
    """One frame of the relaxed face; once enough are in, ``neutral.json`` is saved (the CLI's way)."""
    w = Words(state.host.language(request))
    try:
        image = state.picture(body, w.lang)
    except PictureError as exc:
        return answer(False, exc.problem)
    face = state.seer.detect_face(image)
    with state.lock:
        if state.neutral is None or body.get("restart"):
            state.neutral = NeutralCapture()
        capture = state.neutral
        check = capture.take(image, face)
        if not capture.done:
            return answer(True, check.message(w.lang), taken=check.ok, count=len(capture.faces), wanted=capture.wanted, done=False)
        state.neutral = None
    try:
        capture.save(state.neutral_path())
    except StreamkitError as exc:
        return answer(False, exc.one_line())
    return answer(True, w("neutral_saved"), taken=True, count=len(capture.faces), wanted=capture.wanted, done=True)


async def thresholds(state: PagesState, request: Request) -> Response:
    """The sliders: ``[gestures] thresholds`` for every face gesture (other keys kept)."""
    form = await read_form(request)
    values = dict(state.section().thresholds)
    for g in FACE_GESTURES:
        try:
            values[g] = round(min(MAX_THRESHOLD, max(MIN_THRESHOLD, float(form.get(g, "")))), 2)
        except ValueError:
            continue  # an answer that is not a number keeps the value written before
    try:
        state.host.write_config(SECTION, {"thresholds": values})
    except ConfigError as exc:
        return render(state, request, "face.html", "face_title", problem=exc.one_line(), **face_context(state, request))
    return go("/gestures/face?saved=1")


# bindings --------------------------------------------------------------------------------------------


def known_gestures(state: PagesState) -> tuple[list[str], list[str], list[str]]:
    """Personal signs, built-in signs (when on) and face gestures, as the lists offer them."""
    try:
        personal = list(state.profile().signs)
    except ProfileError:
        personal = []
    builtin = [s for s in BUILTIN_SIGNS if s not in personal] if state.section().builtin_signs else []
    return personal, builtin, list(FACE_GESTURES)


def obs_lists(state: PagesState) -> dict[str, list[str]]:
    """OBS's scenes, inputs and audio inputs, read live ([] each when OBS does not answer)."""
    obs = state.host.obs()
    if not state.obs_answers():
        return {"scenes": [], "inputs": [], "audio": []}
    try:
        scenes = [str(s["sceneName"]) for s in reversed(obs.request("GetSceneList").get("scenes", []))]
        inputs = sorted(str(i["inputName"]) for i in obs.request("GetInputList").get("inputs", []))
    except (StreamkitError, KeyError):
        return {"scenes": [], "inputs": [], "audio": []}
    return {"scenes": scenes, "inputs": inputs, "audio": [name for name in inputs if has_audio(state, name)]}


def has_audio(state: PagesState, name: str) -> bool:
    try:
        state.host.obs().request("GetInputMute", {"inputName": name})
    except StreamkitError:
        return False
    return True


def quick_phrase_choices(state: PagesState) -> list[tuple[str, str]]:
    """The quick phrases a gesture may say (``say_phrase``): id and button title, from every feature."""
    config = state.host.config()
    return [(p.id, p.title) for p in config.plugins.quick_phrases(config)]


def bindings_context(state: PagesState, request: Request, **extra: Any) -> dict[str, Any]:
    w = Words(state.host.language(request))
    section = state.section()
    personal, builtin, face = known_gestures(state)
    return {"rows": [describe(b, w) for b in section.bindings], "personal": personal, "builtin": builtin, "face": face,
            "groups": ACTION_GROUPS, "obs": obs_lists(state), "phrases": quick_phrase_choices(state), "form": {},
            "errors": [], "enabled": section.enabled,
            "consequential": consequential, "added": request.query_params.get("added", ""),
            "removed": request.query_params.get("removed", ""), **extra}


async def bindings_page(state: PagesState, request: Request) -> HTMLResponse:
    return render(state, request, "bindings.html", "bindings_title", **bindings_context(state, request))


async def add_binding(state: PagesState, request: Request) -> Response:
    form = await read_form(request)
    w = Words(state.host.language(request))
    section = state.section()
    personal, builtin, face = known_gestures(state)
    table, errors = binding_from_form(form, section, set(personal + builtin + face), w)
    if table is not None:
        try:
            state.host.write_config(SECTION, {"enabled": True, "bindings": with_added(section, table)})
        except ConfigError as exc:
            errors = [FieldError("gesture", exc.one_line())]
    if errors:
        context = bindings_context(state, request, form=form, errors=errors)
        return render(state, request, "bindings.html", "bindings_title", status_code=400, **context)
    added = describe(state.section().bindings[-1], w)
    return go(f"/gestures/bindings?added={quote(added)}")


async def remove_binding(state: PagesState, request: Request) -> Response:
    form = await read_form(request)
    section = state.section()
    index = int(form["index"]) if form.get("index", "").isdigit() else -1
    if not 0 <= index < len(section.bindings):
        return go("/gestures/bindings")
    removed = describe(section.bindings[index], Words(state.host.language(request)))
    state.host.write_config(SECTION, {"bindings": with_removed(section, index)})
    return go(f"/gestures/bindings?removed={quote(removed)}")
