"""The first-run wizard (``/setup``): one question per page, GOV.UK style.

language → find OBS → password → features → microphone → guest audio → camera → each feature's own step
(``PanelPage.wizard_step``) → scenes and sources in OBS → check your answers. Every answer is written
to the config file at once (so nothing is lost and hand edits stay the truth); a page with a problem
comes back with an error summary at the top that links to the field, and keeps what was typed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from streamkit.errors import ConfigError
from streamkit.obs.errors import ObsError
from streamkit.obs.doctor import doctor, requirements_from_config

from .devices import Samples, audio_inputs, cameras, level_stream
from .host import Host
from .i18n import LANG_COOKIE, LANGUAGES, translator
from .obsfind import Found, create_in_obs, obs_inputs, probe

HOST_SOURCE, GUEST_SOURCE = "host", "guest"


@dataclass(frozen=True)
class FieldError:
    """A problem with one answer: the field's id (the summary links there) and the sentence."""

    field: str
    text: str


async def read_form(request: Request) -> dict[str, list[str]]:
    """A urlencoded form body (every value of each name)."""
    raw = (await request.body()).decode("utf-8", errors="replace")
    return parse_qs(raw, keep_blank_values=True)


def first(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0].strip()


def go(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


class Wizard:
    """The wizard's routes over one host."""

    def __init__(self, host: Host, samples: Samples | None = None) -> None:
        self.host = host
        self.samples = samples or Samples.bundled()
        self.router = APIRouter()
        r = self.router
        r.add_api_route("", self.start, methods=["GET"])
        for step in ("language", "obs", "password", "features", "microphone", "guest", "camera", "scenes"):
            r.add_api_route(f"/{step}", getattr(self, f"{step}_page"), methods=["GET"])
            r.add_api_route(f"/{step}", getattr(self, f"{step}_answer"), methods=["POST"])
        r.add_api_route("/level", self.level, methods=["GET"])
        r.add_api_route("/camera/obs-preview", self.obs_preview, methods=["GET"])
        r.add_api_route("/more", self.more, methods=["GET"])
        r.add_api_route("/done", self.done_page, methods=["GET"])

    # helpers ---------------------------------------------------------------------------------------
    def page(self, request: Request, step: str, status: int = 200, **context: Any) -> HTMLResponse:
        t = translator(self.host.language(request))
        errors: list[FieldError] = list(context.pop("errors", []))
        return self.host.render(request, f"panel/setup/{step}.html", {**context, "errors": errors, "step": step},
                                title=(t("error_title_prefix") if errors else "") + t(f"setup_{step}_title"),
                                status_code=status)

    def raw(self, section: str) -> dict[str, Any]:
        value = self.host.file.raw().get(section, {})
        return value if isinstance(value, dict) else {}

    def features(self) -> dict[str, bool]:
        data = self.host.config().to_dict()
        return {"captions": bool(data.get("captions", {}).get("enabled", False)),
                "gestures": bool(data.get("gestures", {}).get("enabled", False)),
                "products": bool(data.get("products", {}).get("catalog", ""))}

    def after_features(self) -> str:
        on = self.features()
        return "/setup/microphone" if on["captions"] else "/setup/camera" if on["gestures"] else "/setup/more"

    def write(self, request: Request, step: str, section: str, changes: dict[str, object],
              **context: Any) -> HTMLResponse | None:
        """Write the answer; a config the checks refuse comes back as the step's page with the reason."""
        try:
            self.host.write_config(section, changes)
        except ConfigError as exc:
            return self.page(request, step, 400, errors=[FieldError("answer", exc.one_line())], **context)
        return None

    # start and language ------------------------------------------------------------------------------
    async def start(self, request: Request) -> HTMLResponse:
        return self.page(request, "start", exists=self.host.file.exists, path_shown=str(self.host.config().path))

    async def language_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "language", chosen=self.host.language(request))

    async def language_answer(self, request: Request) -> Response:
        chosen = first(await read_form(request), "language")
        if chosen not in LANGUAGES:
            return self.page(request, "language", 400, chosen="",
                             errors=[FieldError("language-zh-CN", translator("zh-CN")("error_language"))])
        failed = self.write(request, "language", "session", {"language": chosen}, chosen=chosen)
        if failed:
            return failed
        response = go("/setup/obs")
        response.set_cookie(LANG_COOKIE, chosen, max_age=400 * 86400, httponly=True, samesite="strict")
        return response

    # OBS --------------------------------------------------------------------------------------------
    async def obs_page(self, request: Request) -> HTMLResponse:
        config = self.host.config()
        found = probe(config.obs.url, config.obs.resolved_password())
        return self.page(request, "obs", found=found, url=config.obs.url)

    async def obs_answer(self, request: Request) -> Response:
        form = await read_form(request)
        t = translator(self.host.language(request))
        url = first(form, "url") or self.host.config().obs.url
        found = probe(url, self.host.config().obs.resolved_password())
        if found.found in (Found.BAD_ADDRESS, Found.UNREACHABLE):
            key = "error_obs_address" if found.found is Found.BAD_ADDRESS else "error_obs_unreachable"
            return self.page(request, "obs", 400, found=found, url=url, errors=[FieldError("url", t(key, url=url))])
        failed = self.write(request, "obs", "obs", {"url": url, "enabled": True}, found=found, url=url)
        if failed:
            return failed
        return go("/setup/features" if found.found is Found.READY else "/setup/password")

    async def password_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "password", value="", url=self.host.config().obs.url)

    async def password_answer(self, request: Request) -> Response:
        form = await read_form(request)
        t = translator(self.host.language(request))
        password = (form.get("password") or [""])[0]  # kept exactly as typed: spaces may be part of it
        url = self.host.config().obs.url
        found = probe(url, password)
        errors = []
        if found.found is Found.NEEDS_PASSWORD:
            errors = [FieldError("password", t("error_password_empty"))]
        elif found.found is Found.WRONG_PASSWORD:
            errors = [FieldError("password", t("error_password_wrong"))]
        elif found.found is not Found.READY:
            errors = [FieldError("password", t("error_obs_gone", url=url))]
        if errors:
            return self.page(request, "password", 400, value=password, url=url, errors=errors)
        failed = self.write(request, "password", "obs", {"password": password}, value=password, url=url)
        return failed or go("/setup/features")

    # features ----------------------------------------------------------------------------------------
    async def features_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "features", on=self.features())

    async def features_answer(self, request: Request) -> Response:
        chosen = set((await read_form(request)).get("features", []))
        t = translator(self.host.language(request))
        on = {name: name in chosen for name in ("captions", "gestures", "products")}
        if not any(on.values()):
            return self.page(request, "features", 400, on=on, errors=[FieldError("features-captions", t("error_features"))])
        for section in ("captions", "gestures"):
            failed = self.write(request, "features", section, {"enabled": on[section]}, on=on)
            if failed:
                return failed
        if not on["products"] and self.features()["products"]:
            self.host.write_config("products", {"catalog": ""})
        return go(self.after_features())

    # audio -------------------------------------------------------------------------------------------
    def audio_context(self, guest: bool) -> dict[str, Any]:
        devices, problem = audio_inputs()
        if guest:
            devices = sorted(devices, key=lambda d: not d.looks_like_loopback)
        return {"devices": devices, "problem": problem, "chosen": self.audio_choice(guest)}

    def audio_choice(self, guest: bool) -> str:
        name = GUEST_SOURCE if guest else HOST_SOURCE
        for source in self.raw("captions").get("sources", []):
            if isinstance(source, dict) and source.get("name") == name:
                if source.get("kind") == "file":
                    return "sample"
                return f"device:{source.get('device', '')}"
        return "none" if guest or "sources" in self.raw("captions") else ""

    def audio_source(self, choice: str, guest: bool) -> dict[str, object] | None:
        name, speaker = (GUEST_SOURCE, "嘉宾") if guest else (HOST_SOURCE, "主播")
        if choice == "sample":
            path = self.samples.guest_voice if guest else self.samples.host_voice
            return {"name": name, "kind": "file", "path": str(path), "speaker": speaker, "language": "zh" if guest else "en"}
        if choice.startswith("device:"):
            return {"name": name, "kind": "desktop" if guest else "mic", "device": choice.removeprefix("device:"),
                    "speaker": speaker}
        return None

    async def audio_answer(self, request: Request, guest: bool) -> Response:
        step = "guest" if guest else "microphone"
        choice = first(await read_form(request), "choice")
        t = translator(self.host.language(request))
        if choice != "none" and choice != "sample" and not choice.startswith("device:"):
            return self.page(request, step, 400, **{**self.audio_context(guest), "chosen": ""},
                             errors=[FieldError("choice-first", t(f"error_{step}"))])
        name = GUEST_SOURCE if guest else HOST_SOURCE
        sources = [s for s in self.raw("captions").get("sources", []) if isinstance(s, dict) and s.get("name") != name]
        mine = self.audio_source(choice, guest)
        ordered = ([mine] if mine and not guest else []) + sources + ([mine] if mine and guest else [])
        failed = self.write(request, step, "captions", {"sources": ordered}, **self.audio_context(guest))
        if failed:
            return failed
        if not guest:
            return go("/setup/guest")
        return go("/setup/camera" if self.features()["gestures"] else "/setup/more")

    async def microphone_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "microphone", **self.audio_context(False))

    async def microphone_answer(self, request: Request) -> Response:
        return await self.audio_answer(request, guest=False)

    async def guest_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "guest", **self.audio_context(True))

    async def guest_answer(self, request: Request) -> Response:
        return await self.audio_answer(request, guest=True)

    async def level(self, request: Request) -> Response:
        choice = request.query_params.get("choice", "")
        return await level_stream(request, choice, request.query_params.get("guest") == "1", self.samples)

    # camera ------------------------------------------------------------------------------------------
    def camera_context(self) -> dict[str, Any]:
        gestures = self.raw("gestures")
        source = gestures.get("source", "camera")
        chosen = {"obs": "obs", "video": "sample"}.get(str(source), f"camera:{gestures.get('camera', 0)}")
        if gestures.get("enabled") is False:
            chosen = "none"
        elif "source" not in gestures:
            chosen = ""
        return {"cameras": cameras(), "obs_inputs": obs_inputs(self.host.obs()), "chosen": chosen,
                "obs_source": str(gestures.get("obs_source", ""))}

    async def camera_page(self, request: Request) -> HTMLResponse:
        return self.page(request, "camera", **self.camera_context())

    async def camera_answer(self, request: Request) -> Response:
        form = await read_form(request)
        t = translator(self.host.language(request))
        choice, obs_source = first(form, "choice"), first(form, "obs_source")
        context = {**self.camera_context(), "chosen": choice, "obs_source": obs_source}
        changes: dict[str, object]
        if choice == "obs":
            if not obs_source:
                return self.page(request, "camera", 400, errors=[FieldError("obs_source", t("error_obs_source"))], **context)
            changes = {"enabled": True, "source": "obs", "obs_source": obs_source}
        elif choice == "sample":
            changes = {"enabled": True, "source": "video", "video": str(self.samples.face_video)}
        elif choice.startswith("camera:") and choice.removeprefix("camera:").isdigit():
            changes = {"enabled": True, "source": "camera", "camera": int(choice.removeprefix("camera:"))}
        elif choice == "none":
            changes = {"enabled": False}
        else:
            return self.page(request, "camera", 400, errors=[FieldError("choice-first", t("error_camera"))], **context)
        failed = self.write(request, "camera", "gestures", changes, **context)
        return failed or go("/setup/more")

    async def obs_preview(self, request: Request) -> Response:
        """What OBS's camera source shows now (PNG), for the preview when OBS holds the camera."""
        source = request.query_params.get("source", "")
        try:
            shot = self.host.obs().request("GetSourceScreenshot", {"sourceName": source, "imageFormat": "png",
                                                                   "imageWidth": 480})
            data = base64.b64decode(str(shot["imageData"]).split(",", 1)[1])
        except (ObsError, KeyError, IndexError, ValueError):
            return Response(status_code=404)
        return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})

    # OBS scenes and sources -------------------------------------------------------------------------
    async def scenes_page(self, request: Request) -> HTMLResponse:
        config = self.host.config()
        report = doctor(config.obs.url, config.obs.resolved_password(), requirements_from_config(config),
                        timeout=config.obs.timeout)
        created = request.query_params.get("created") == "1"
        return self.page(request, "scenes", report=report, created=created)

    async def scenes_answer(self, request: Request) -> Response:
        config = self.host.config()
        t = translator(self.host.language(request))
        try:
            result = create_in_obs(config)
        except ObsError as exc:
            report = doctor(config.obs.url, config.obs.resolved_password(), [], timeout=config.obs.timeout)
            return self.page(request, "scenes", 400, report=report, created=False,
                             errors=[FieldError("create", t("error_scenes_obs", error=exc.one_line()))])
        if not result.ok:
            report = doctor(config.obs.url, config.obs.resolved_password(), requirements_from_config(config),
                            timeout=config.obs.timeout)
            return self.page(request, "scenes", 400, report=report, created=False,
                             errors=[FieldError("create", t("error_scenes_failed", items=t.join(result.failed)))])
        if self.host.feed is not None:
            self.host.feed.check.invalidate()
        return go("/setup/scenes?created=1")

    # the features' own steps, then the end ------------------------------------------------------------
    async def more(self, request: Request) -> Response:
        """Send the person to the next feature's wizard step (``?i=N``), then to the OBS step (which then
        creates what every feature, set up by now, needs)."""
        steps = [page.path.rstrip("/") + "/" + page.wizard_step.lstrip("/") for page in self.host.pages if page.wizard_step]
        index = request.query_params.get("i", "0")
        i = int(index) if index.isdigit() else 0
        if i >= len(steps):
            return go("/setup/scenes")
        return go(f"{steps[i]}?next={quote(f'/setup/more?i={i + 1}')}")

    async def done_page(self, request: Request) -> HTMLResponse:
        data = self.host.config().to_dict()
        return self.page(request, "done", data=data, on=self.features(), host_choice=self.audio_choice(False),
                         guest_choice=self.audio_choice(True), camera=self.camera_context()["chosen"],
                         password_set=bool(self.host.config().obs.resolved_password()),
                         data_path=str(self.host.config().path))
