"""The quick-phrase board of the control panel (``/phrases``), for sellers who cannot speak.

Big buttons (keys 1–9) and a type-to-speak box: each press goes to the running session's ``SPEECH``
(:class:`~streamkit.features.SpeechApi`), which speaks into the stream through OBS — the one speech
path, with its :class:`~streamkit.speech.PhraseGate`, so a double press plays once — and captions show
the words (``SpokenPhrase``). The config's phrases are edited here and written back with
``host.write_config`` (comments kept); the catalog's are shown and edited on the products page.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from streamkit.errors import ConfigError, StreamkitError
from streamkit.features import SPEECH, SpeechApi
from streamkit.speech.phrases import QuickPhrase
from streamkit.web import read_json_object

from .phrases_text import all_text, text
from .speechconfig import SpeechConfig

if TYPE_CHECKING:
    from streamkit.panel import PanelHost

HERE = Path(__file__).parent
MAX_TEXT = 200
MAX_LABEL = 20
MAX_PHRASES = 60
SHORTCUT_KEYS = "123456789"


def text_problem(words: str, lang: str, *, label: bool = False, empty: str = "empty") -> str:
    """One sentence saying what is wrong with typed ``words`` ('' when they are fine); ``empty``: the
    sentence when nothing is typed (it names the button to press)."""
    limit, too_long, control = (MAX_LABEL, "label_too_long", "label_control_chars") if label else \
        (MAX_TEXT, "too_long", "control_chars")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in words):
        return text(control, lang)
    if len(words.strip()) > limit:
        return text(too_long, lang, count=len(words.strip()))
    if not label and not words.strip():
        return text(empty, lang)
    return ""


def phrase_json(phrase: QuickPhrase, index: int, own_ids: set[str]) -> dict[str, Any]:
    return {"id": phrase.id, "title": phrase.title, "text": phrase.text, "label": phrase.label,
            "key": SHORTCUT_KEYS[index] if index < len(SHORTCUT_KEYS) else "",
            "source": "config" if phrase.id in own_ids else "catalog"}


class PhraseBoard:
    """The routes of ``/phrases``; the config is asked for on every request, so hand edits count at once."""

    def __init__(self, host: "PanelHost") -> None:
        self.host = host

    # what the page shows -----------------------------------------------------------------------------
    def board(self) -> list[QuickPhrase]:
        from .speaking import quick_phrases

        return quick_phrases(self.host.config())

    def own(self) -> list[dict[str, str]]:
        cfg: SpeechConfig = self.host.config().section("speech")
        return [{"id": p.id, "text": p.text, "label": p.label} for p in cfg.phrases]

    def _speech(self, lang: str) -> tuple[SpeechApi | None, str]:
        """The session's speech, or None and one sentence saying why nothing can be spoken and what to do."""
        runtime = self.host.session()
        if runtime is None:
            return None, text("no_session", lang)
        speech = runtime.services.find(SPEECH)
        if speech is None:
            return None, text("speech_off", lang)
        problem = speech.stream_problem()
        if problem is not None:
            return None, text(problem.kind, lang, detail=problem.detail)
        return speech, ""

    def state(self, lang: str) -> dict[str, Any]:
        board = self.board()
        own = self.own()
        own_ids = {p["id"] for p in own}
        _, reason = self._speech(lang)
        return {"board": [phrase_json(p, i, own_ids) for i, p in enumerate(board)], "own": own,
                "ready": not reason, "reason": reason or text("ready", lang),
                "session": self.host.session() is not None}

    # routes -------------------------------------------------------------------------------------------
    def router(self) -> APIRouter:
        r = APIRouter()
        r.add_api_route("", self.page, methods=["GET"], response_class=HTMLResponse)
        r.add_api_route("/", self.page, methods=["GET"], response_class=HTMLResponse, include_in_schema=False)
        r.add_api_route("/static/{name}", self.static, methods=["GET"])
        r.add_api_route("/api/state", self.get_state, methods=["GET"])
        r.add_api_route("/api/say", self.say, methods=["POST"])
        r.add_api_route("/api/phrases", self.edit, methods=["POST"])
        return r

    async def page(self, request: Request) -> HTMLResponse:
        lang = self.host.language(request)
        return self.host.render(request, "phrases/page.html", {
            "s": lambda key, **v: text(key, lang, **v), "state": self.state(lang), "strings": all_text(lang),
            "config_path": str(self.host.config().path), "max_text": MAX_TEXT, "max_label": MAX_LABEL},
            title=text("title", lang))

    async def static(self, name: str) -> Response:
        if name not in ("phrases.js", "phrases.css"):
            return Response(status_code=404)
        media = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(HERE / "static" / name, media_type=media, headers={"Cache-Control": "no-cache"})

    async def get_state(self, request: Request) -> JSONResponse:
        return JSONResponse(self.state(self.host.language(request)))

    async def say(self, request: Request) -> JSONResponse:
        """Speak a phrase of the board (``id``) or typed ``text`` into the stream; answers once it has played."""
        lang = self.host.language(request)
        body = await read_json_object(request)
        words, phrase_id = str(body.get("text") or ""), str(body.get("id") or "")
        if phrase_id:
            phrase = next((p for p in self.board() if p.id == phrase_id), None)
            if phrase is None:
                return self._answer(False, text("unknown", lang), 404, lang)
            words = phrase.text
        problem = text_problem(words, lang)
        if problem:
            return JSONResponse({"ok": False, "message": problem, "field": "text"}, 422)
        speech, reason = self._speech(lang)
        if speech is None:
            return self._answer(False, reason, 409, lang)
        words = words.strip()
        try:
            played = await run_in_threadpool(self._say, speech, phrase_id, words)
        except StreamkitError as exc:
            return self._answer(False, text("failed", lang, reason=exc.one_line()), 500, lang)
        if not played:
            return self._answer(False, text("repeat", lang, text=words), 409, lang)
        return self._answer(True, text("played", lang, text=words), 200, lang)

    @staticmethod
    def _say(speech: SpeechApi, phrase_id: str, words: str) -> bool:
        """The session's own phrase by its id (as gestures say it), else the words (typed, or added since)."""
        known = {p.id: p.text for p in speech.phrases()}
        if phrase_id and known.get(phrase_id) == words:
            return speech.say_phrase(phrase_id, wait=True)
        return speech.say_text(words, wait=True)

    def _answer(self, ok: bool, message: str, status: int, lang: str) -> JSONResponse:
        return JSONResponse({"ok": ok, "message": message, "state": self.state(lang)}, status)

    async def edit(self, request: Request) -> JSONResponse:
        """Add, change or remove one of the config's phrases (``action``: add, change, remove)."""
        lang = self.host.language(request)
        body = await read_json_object(request)
        action = str(body.get("action") or "")
        own = self.own()
        index = next((i for i, p in enumerate(own) if p["id"] == str(body.get("id") or "")), None)
        if action in ("change", "remove") and index is None:
            return self._answer(False, text("gone", lang), 404, lang)
        if action == "remove":
            assert index is not None
            removed = own.pop(index)
            return self._write(own, text("removed", lang, label=removed["label"] or removed["text"]), lang)
        if action not in ("add", "change"):
            return self._answer(False, text("gone", lang), 400, lang)
        words, label = str(body.get("text") or ""), str(body.get("label") or "")
        errors = {k: v for k, v in (("text", text_problem(words, lang, empty="empty_phrase")), ("label", text_problem(label, lang, label=True)))
                  if v}
        if errors:
            return JSONResponse({"ok": False, "errors": errors, "message": next(iter(errors.values()))}, 422)
        entry = {"text": words.strip(), "label": label.strip()}
        if action == "add":
            if len(own) >= MAX_PHRASES:
                return self._answer(False, text("full", lang), 422, lang)
            own.append({"id": new_phrase_id(p["id"] for p in own), **entry})
            done = "added"
        else:
            assert index is not None
            own[index] = {"id": own[index]["id"], **entry}
            done = "changed"
        return self._write(own, text(done, lang, label=entry["label"] or entry["text"]), lang)

    def _write(self, own: list[dict[str, str]], message: str, lang: str) -> JSONResponse:
        tables = [{k: v for k, v in p.items() if v or k != "label"} for p in own]
        try:
            self.host.write_config("speech", {"phrases": tables or None})
        except (ConfigError, OSError) as exc:
            reason = exc.one_line() if isinstance(exc, StreamkitError) else str(exc)
            return self._answer(False, text("not_saved", lang, reason=reason), 500, lang)
        return self._answer(True, message, 200, lang)


def new_phrase_id(taken: Any) -> str:
    """``phrase-N``, the smallest N not taken (ids stay as they are, so gesture bindings keep working)."""
    used = set(taken)
    n = 1
    while f"phrase-{n}" in used:
        n += 1
    return f"phrase-{n}"
