"""The ``[gestures]`` config section and its ``[[gestures.bindings]]``."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from streamkit.config import Section

from .face import FACE_GESTURES, FACE_THRESHOLDS
from .signs import NONE

ActionName = Literal[
    "scene", "show_source", "hide_source", "toggle_source",
    "product_show", "product_hide", "product_next", "product_previous",
    "record_start", "record_stop", "stream_start", "stream_stop",
    "mute", "unmute", "pause_triggers", "resume_triggers", "session_start", "session_stop",
    "mark_moment", "request", "say_phrase",
]
#: Actions that ask for the confirm gesture unless a binding sets ``confirm = false``.
CONSEQUENTIAL: frozenset[str] = frozenset({"record_start", "record_stop", "stream_start", "stream_stop", "session_stop"})
HAND_THRESHOLD = 0.5
_GESTURE_NAME = re.compile(r"^[\w\-]{1,40}$")


def gesture_modality(name: str) -> Literal["hand", "face"]:
    """``face`` for the face gestures, ``hand`` for built-in and personal signs."""
    return "face" if name in FACE_GESTURES else "hand"


def default_threshold(name: str) -> float:
    return FACE_THRESHOLDS.get(name, HAND_THRESHOLD)


class Binding(Section):
    """One action and the gestures that trigger it."""

    gestures: list[str] = Field(default_factory=list, description="gestures that trigger the action (any of them): built-in signs, face gestures or personal sign names")
    action: ActionName = Field("scene", description="what to do: scene, show_source, hide_source, toggle_source, product_show, product_hide, product_next, product_previous, record_start, record_stop, stream_start, stream_stop, mute, unmute, pause_triggers, resume_triggers, session_start (watched by the control panel while no session runs), session_stop, mark_moment, request, say_phrase (a quick phrase into the stream)")
    scene: str = Field("", description="scene to switch to (scene), or the scene holding the source (show/hide/toggle_source)")
    source: str = Field("", description="source to show or hide (show_source, hide_source, toggle_source), or the audio source to mute or unmute (mute, unmute)")
    serial: int = Field(1, ge=1, description="product number to show (product_show)")
    label: str = Field("", description="label of the marked moment (mark_moment)")
    phrase: str = Field("", description="id of the quick phrase to speak into the stream (say_phrase), e.g. product-3 or welcome")
    request: str = Field("", description="obs-websocket request type (request), e.g. ToggleRecordPause")
    data: dict[str, Any] = Field(default_factory=dict, description="request data (request)")
    threshold: float | None = Field(None, gt=0, le=1, description="score needed (default: [gestures] thresholds, else 0.5 for hand signs and per gesture for the face)")
    hold_ms: int | None = Field(None, ge=100, le=10000, description="how long the gesture must be held (default [gestures] hold_ms)")
    cooldown_ms: int | None = Field(None, ge=0, le=600000, description="pause after firing (default [gestures] cooldown_ms)")
    rearm: float = Field(0.6, gt=0, le=1, description="the score must fall below threshold × rearm before the gesture can fire again")
    confirm: bool | None = Field(None, description="ask for the confirm gesture first (default: yes for record/stream start/stop and session_stop)")

    @field_validator("gestures")
    @classmethod
    def _names(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("at least one gesture name")
        for name in v:
            if name == NONE or not _GESTURE_NAME.match(name):
                raise ValueError(f"gesture names like smile, call or a personal sign name (not {name!r})")
        return v

    @model_validator(mode="after")
    def _targets(self) -> "Binding":
        need = {"scene": ("scene",), "show_source": ("scene", "source"), "hide_source": ("scene", "source"),
                "toggle_source": ("scene", "source"), "request": ("request",), "mute": ("source",), "unmute": ("source",),
                "say_phrase": ("phrase",)}
        missing = [k for k in need.get(self.action, ()) if not getattr(self, k)]
        if missing:
            raise ValueError(f"action {self.action!r} to name its {' and '.join(missing)} (e.g. {missing[0]} = \"NAME\")")
        return self

    @property
    def needs_confirm(self) -> bool:
        return self.confirm if self.confirm is not None else self.action in CONSEQUENTIAL

    @property
    def target(self) -> str:
        """What the action acts on, for events and feedback."""
        if self.action == "scene":
            return self.scene
        if self.action.endswith("_source"):
            return f"{self.scene}/{self.source}"
        if self.action in ("mute", "unmute"):
            return self.source
        if self.action == "product_show":
            return str(self.serial)
        if self.action == "mark_moment":
            return self.label
        if self.action == "request":
            return self.request
        if self.action == "say_phrase":
            return self.phrase
        return ""

    def describe(self) -> str:
        target = f" {self.target}" if self.target else ""
        return f"{'/'.join(self.gestures)} → {self.action}{target}"


class GesturesConfig(Section):
    """Hands-free control: hand signs and face gestures switch scenes and run OBS actions."""

    enabled: bool = Field(True, description="run gesture control in sessions that have bindings")
    source: Literal["camera", "video", "obs"] = Field("camera", description="where frames come from: camera, video (a file) or obs (screenshots of an OBS source)")
    camera: int = Field(0, ge=0, description="camera index (source = camera; see `streamkit devices`)")
    video: str = Field("", description="video file (source = video)")
    obs_source: str = Field("", description="OBS source to watch, e.g. your webcam source (source = obs)")
    width: int = Field(640, ge=160, le=3840, description="frame width asked of the camera / OBS screenshots")
    height: int = Field(480, ge=120, le=2160, description="frame height asked of the camera / OBS screenshots")
    fps: float = Field(15.0, gt=0, le=60, description="frames analysed per second at most")
    builtin_signs: bool = Field(True, description="recognise the built-in hand signs (open_palm, fist, thumbs_up, …)")
    profile: str = Field("", description="personal sign profile ('' = STREAMKIT_HOME/gestures/profile.json when it exists)")
    neutral: str = Field("", description="neutral-face calibration ('' = STREAMKIT_HOME/gestures/neutral.json when it exists)")
    max_hands: int = Field(1, ge=1, le=4, description="hands tracked at once (each more hand costs as much again per frame)")
    ignore_hand_on_face: bool = Field(True, description="a hand covering the face (laughing, thinking) is never read as a sign; tracks the face too (≈ +5 ms per frame)")
    min_hand_confidence: float = Field(0.5, gt=0, le=1, description="MediaPipe hand detection confidence")
    min_face_confidence: float = Field(0.5, gt=0, le=1, description="MediaPipe face detection confidence")
    thresholds: dict[str, float] = Field(default_factory=dict, description="score each gesture needs, e.g. {smile = 0.4} (the panel's sensitivity sliders; a binding's own threshold wins; default 0.5 for hand signs, per gesture for the face)")
    hold_ms: int = Field(500, ge=100, le=10000, description="default time a gesture must be held to fire")
    cooldown_ms: int = Field(2000, ge=0, le=600000, description="default pause of a binding after it fired")
    settle_ms: int = Field(300, ge=0, le=5000, description="tracking must be steady this long before any hold starts")
    long_blink_ms: int = Field(1000, ge=500, le=10000, description="how long both eyes must stay closed for long_blink (involuntary blinks last < 400 ms)")
    max_jump: float = Field(0.6, gt=0, le=5, description="a hand/face moving more than this × its size between frames counts as unstable tracking")
    arm_gesture: str = Field("", description="gesture that switches gesture control on and off ('' = always on)")
    arm_hold_ms: int = Field(1000, ge=100, le=10000, description="how long the arm gesture must be held")
    confirm_gesture: str = Field("", description="gesture confirming record/stream actions ('' = the same gesture again)")
    confirm_window_ms: int = Field(4000, ge=500, le=60000, description="time to give the confirm gesture")
    overlay: bool = Field(True, description="show what is seen and the hold progress on the overlay page /gestures (needs [overlay] enabled)")
    preview: bool = Field(False, description="open a local preview window (OpenCV) with landmarks and hold progress")
    hand_model: str = Field("", description="path of hand_landmarker.task ('' = the verified model from `streamkit models`)")
    face_model: str = Field("", description="path of face_landmarker.task ('' = the verified model from `streamkit models`)")
    bindings: list[Binding] = Field(default_factory=list, description="[[gestures.bindings]] tables: gestures → action")

    @field_validator("thresholds")
    @classmethod
    def _thresholds(cls, v: dict[str, float]) -> dict[str, float]:
        for name, value in v.items():
            if name == NONE or not _GESTURE_NAME.match(name):
                raise ValueError(f"gesture names like smile or call as keys (not {name!r})")
            if not 0 < value <= 1:
                raise ValueError(f"a score between 0 and 1 for {name!r} (not {value})")
        return v

    def threshold_of(self, name: str, binding: float | None = None) -> float:
        """The score ``name`` needs: the binding's own, else ``thresholds``, else the default."""
        return binding or self.thresholds.get(name) or default_threshold(name)

    @field_validator("arm_gesture", "confirm_gesture")
    @classmethod
    def _gesture(cls, v: str) -> str:
        if v and (v == NONE or not _GESTURE_NAME.match(v)):
            raise ValueError("a gesture name such as open_palm or smile")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "GesturesConfig":
        seen: dict[str, int] = {}
        for i, b in enumerate(self.bindings):
            for g in b.gestures:
                if g in seen:
                    raise ValueError(f"each gesture bound to one action only ({g!r} is in bindings {seen[g] + 1} and {i + 1})")
                seen[g] = i
        if self.arm_gesture and self.arm_gesture in seen:
            raise ValueError(f"an arm_gesture that is not also bound to an action ({self.arm_gesture!r} is)")
        if self.source == "video" and self.bindings and self.enabled and not self.video:
            raise ValueError("video = 'FILE' with source = 'video'")
        if self.source == "obs" and self.bindings and self.enabled and not self.obs_source:
            raise ValueError("obs_source = 'NAME OF THE OBS SOURCE' with source = 'obs'")
        return self

    @property
    def active(self) -> bool:
        return self.enabled and bool(self.bindings)

    def in_session(self) -> "GesturesConfig":
        """The bindings a session runs: all but ``session_start`` (watched while no session runs)."""
        return self.model_copy(update={"bindings": [b for b in self.bindings if b.action != "session_start"]})

    def standby(self) -> "GesturesConfig":
        """Only the ``session_start`` bindings, for the control panel's watch while no session runs."""
        return self.model_copy(update={"bindings": [b for b in self.bindings if b.action == "session_start"],
                                       "arm_gesture": "", "confirm_gesture": ""})

    def gestures_used(self) -> set[str]:
        used = {g for b in self.bindings for g in b.gestures}
        used |= {g for g in (self.arm_gesture, self.confirm_gesture) if g}
        return used

    def uses(self, modality: str) -> bool:
        """Whether any bound gesture (or the arm/confirm gesture) is of ``modality``."""
        return any(gesture_modality(g) == modality for g in self.gestures_used())

    def tracks(self, modality: str) -> bool:
        """Whether the ``modality`` tracker runs: used by a gesture, or the face to spot hands on it."""
        if modality == "face":
            return self.uses("face") or (self.uses("hand") and self.ignore_hand_on_face)
        return self.uses(modality)

