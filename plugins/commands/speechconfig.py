"""The ``[speech]`` section: spoken feedback in the headphones, and a seller's words into the stream."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from streamkit.config import Section
from streamkit.speech.phrases import PHRASE_ID, QuickPhrase


class FeedbackKinds(Section):
    """Which of streamkit's actions are confirmed aloud in the headphones."""

    scene: bool = Field(True, description="scene switched (场景：近景特写)")
    card: bool = Field(True, description="product card shown")
    recording: bool = Field(True, description="recording started and stopped")
    obs: bool = Field(True, description="OBS lost and back")
    gestures: bool = Field(True, description="gesture triggers paused and resumed, a gesture recognised")
    commands: bool = Field(True, description="answers to voice commands (muted, confirm?, no scene called …, status)")
    countdown: bool = Field(True, description="the flash-sale countdown at countdown_points")
    session: bool = Field(True, description="session started and ended")


class PhraseConfig(Section):
    """One quick phrase of the board."""

    id: str = Field(description="short id for shortcuts and gesture bindings (say_phrase), e.g. welcome")
    text: str = Field(description="what is spoken into the stream, e.g. 欢迎来到直播间")
    label: str = Field("", description="what its button shows ('' = the start of the text)")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not PHRASE_ID.match(v):
            raise ValueError("letters, digits, _ or - (at most 40), e.g. welcome or thanks-2")
        return v

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        if not v.strip() or len(v) > 200:
            raise ValueError("a phrase of 1 to 200 characters")
        return v.strip()

    def phrase(self) -> QuickPhrase:
        return QuickPhrase(self.id, self.text, self.label)


class SpeechConfig(Section):
    """Speech output: feedback for blind and low-vision streamers, a voice for sellers who cannot speak."""

    enabled: bool = Field(True, description="speak in sessions: feedback in the headphones, quick phrases into the stream")
    language: str = Field("", description="language of spoken feedback: zh-CN or en ('' = [session] language)")
    headphones: str = Field("", description="output device for feedback: its index or part of its name ('' = the system's default output); never the stream")
    model: str = Field("", description="speech model from `streamkit models list` ('' = kokoro-zh when fetched, else kokoro-ja)")
    voices: dict[str, str] = Field(default_factory=dict, description="voice per language, e.g. {zh = \"zf_001\", en = \"af_maple\"} ({} = chosen by language)")
    speed: float = Field(1.0, ge=0.5, le=2.0, description="speaking speed (1 = normal)")
    threads: int = Field(1, ge=1, le=8, description="CPU threads of the speech model (1 leaves the other core to captions)")
    fast_start: bool = Field(True, description="start speaking after the first words are made (about 1.5× the computing; on a slow PC a short pause can fall inside a phrase); false: each phrase made whole, then played")
    feedback: FeedbackKinds = Field(default_factory=FeedbackKinds, description="which actions are confirmed aloud")
    earcons: bool = Field(True, description="a short rising tone when a voice command is recognised, a falling one when not")
    earcon_volume: float = Field(0.3, gt=0, le=1, description="loudness of the earcons (0–1)")
    countdown_points: list[int] = Field(default_factory=lambda: [30, 10, 5, 4, 3, 2, 1], description="seconds left of a flash sale that are spoken")
    stream: bool = Field(True, description="quick phrases and typed text play into the stream through the OBS media source 'streamkit 语音'")
    phrases: list[PhraseConfig] = Field(default_factory=list, description="[[speech.phrases]] tables: the quick-phrase board (id, text, label)")
    catalog_phrases: bool = Field(True, description="add one phrase per catalog product (3号 新疆蜂蜜，到手价49.9元，点击下方小黄车)")
    prepare: bool = Field(True, description="make fixed phrases ahead at session start (in the background), so they play at once")
    repeat_window: float = Field(3.0, ge=0, le=60, description="a phrase asked for again within this many seconds is not played twice (unless repeated on purpose)")

    @field_validator("voices")
    @classmethod
    def _voices(cls, v: dict[str, str]) -> dict[str, str]:
        wrong = [k for k in v if k not in ("zh", "en")]
        if wrong:
            raise ValueError(f"keys zh and en only (not {wrong[0]!r})")
        return v

    @field_validator("countdown_points")
    @classmethod
    def _points(cls, v: list[int]) -> list[int]:
        if any(p < 1 or p > 3600 for p in v):
            raise ValueError("whole seconds between 1 and 3600")
        return sorted(set(v), reverse=True)

    @model_validator(mode="after")
    def _unique_ids(self) -> "SpeechConfig":
        ids = [p.id for p in self.phrases]
        dup = next((i for i in ids if ids.count(i) > 1), None)
        if dup:
            raise ValueError(f"each phrase id once ({dup!r} is used twice)")
        return self
