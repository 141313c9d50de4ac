"""The ``[captions]`` config section, with ``[[captions.sources]]``, ``[captions.vad]``, ``[captions.layout]``,
``[captions.overlay]`` and ``[captions.monitor]``."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from streamkit.config import Section

from .textproc import DEFAULT_BLOCKLIST

_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\)|[a-zA-Z]+)$")


class AudioSourceConfig(Section):
    """One audio source to caption, with the speaker label its captions carry."""

    name: str = Field("mic", description="a short unique name (shown in logs and files)")
    kind: Literal["mic", "desktop", "file"] = Field("mic", description="mic (a microphone), desktop (a loopback of what the computer plays: a call, a co-host) or file")
    device: str = Field("", description="input device index or part of its name ('' = the default input; see `streamkit devices`)")
    path: str = Field("", description="audio or video file (kind = file)")
    speaker: str = Field("主播", description="label shown with this source's captions, e.g. 主播 or 嘉宾")
    language: Literal["", "zh", "en", "auto"] = Field("", description="language of this source ('' = [captions] language)")
    obs_input: str = Field("", description="OBS audio input of this voice (e.g. Mic/Aux): no captions while it is muted in OBS")

    @model_validator(mode="after")
    def _file_needs_path(self) -> "AudioSourceConfig":
        if self.kind == "file" and not self.path:
            raise ValueError("kind = file needs path = the audio or video file")
        return self


class VadConfig(Section):
    """Voice activity detection (Silero VAD) that gates recognition."""

    threshold: float = Field(0.5, ge=0, le=1, description="speech probability that starts speech")
    min_silence: float = Field(0.5, ge=0.1, le=5, description="seconds of silence that end an utterance (and commit it)")
    min_speech: float = Field(0.25, ge=0, le=5, description="utterances with less speech than this (seconds) are ignored")
    pre_roll: float = Field(0.3, ge=0, le=2, description="seconds of audio kept before the detected start of speech")
    long_speech: float = Field(4.0, ge=0, le=60, description="after this many seconds of talk without a pause (0 = never), a shorter pause (long_min_silence) ends the utterance, so the closing pass can read it whole and its corrections come sooner")
    long_min_silence: float = Field(0.3, ge=0.1, le=5, description="seconds of silence that end an utterance once it is long_speech long")


class LayoutConfig(Section):
    """How captions are cut into lines for OBS text sources and the overlay."""

    chars_per_line: int = Field(32, ge=8, le=200, description="line width in Latin characters; a Chinese character counts as 2")
    lines: int = Field(2, ge=1, le=10, description="lines shown at once (older lines roll up and out)")
    clear_after: float = Field(4.0, ge=0, le=120, description="seconds of silence after which captions are cleared (0 = never)")
    show_partial: bool = Field(True, description="show words still being recognised (they may change) after the committed ones")
    speaker_labels: bool = Field(True, description="start each speaker's lines with its label (e.g. 嘉宾：) when several sources are captioned")
    spoken_label: str = Field("主播（语音）", max_length=20, description="label of the words streamkit speaks into the stream for a seller (quick phrases, typed text) where lines are labelled")


class OverlayStyleConfig(Section):
    """The browser-source overlay page (add it in OBS as a Browser Source)."""

    enabled: bool = Field(True, description="serve the overlay page at /captions (on the [overlay] server)")
    font_family: str = Field('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif', description="CSS font stack")
    font_size: int = Field(44, ge=8, le=300, description="font size in px")
    color: str = Field("#ffffff", description="text colour (CSS)")
    partial_color: str = Field("#d0d0d0", description="colour of words still being recognised")
    background: str = Field("rgba(0,0,0,0.7)", description="box background (CSS)")
    position: Literal["bottom", "top", "middle"] = Field("bottom", description="where on the page the captions sit")
    align: Literal["center", "left", "right"] = Field("center", description="text alignment")
    margin: int = Field(40, ge=0, le=1000, description="distance from the page edge in px")

    @field_validator("color", "partial_color", "background")
    @classmethod
    def _css_colour(cls, v: str) -> str:
        if not _COLOUR.match(v.strip()):
            raise ValueError("a CSS colour such as #ffffff, rgba(0,0,0,0.7) or white")
        return v.strip()


class MonitorConfig(Section):
    """The streamer's private large-print caption page (open it on a second screen or tablet)."""

    enabled: bool = Field(True, description="serve the monitor page at /captions/monitor")
    font_size: int = Field(64, ge=12, le=400, description="font size in px")
    lines: int = Field(6, ge=1, le=40, description="lines of history kept on screen")
    theme: Literal["dark", "light", "yellow"] = Field("yellow", description="high-contrast colours: dark (white on black), light (black on white), yellow (yellow on black)")


class CaptionsConfig(Section):
    """Live captions (Mandarin and English) with faster-whisper."""

    enabled: bool = Field(True, description="caption the sources below during `streamkit run`")
    sources: list[AudioSourceConfig] = Field(default_factory=lambda: [AudioSourceConfig()], description="audio sources to caption, each with its speaker label")
    model: str = Field("base", description="whisper model: base (Mandarin + English) or tiny.en (English only, faster), or a CTranslate2 model folder")
    language: Literal["zh", "en", "auto"] = Field("auto", description="zh (Mandarin), en (English) or auto (decided per utterance between the two)")
    script: Literal["simplified", "traditional", "traditional-tw", "traditional-hk"] = Field("simplified", description="Chinese characters: simplified, or traditional (Taiwan / Hong Kong variants), converted with OpenCC")
    punctuation: bool = Field(True, description="full-width Chinese punctuation, and 。 at the end of a Chinese sentence")
    numbers: Literal["digits", "chinese", "asis"] = Field("digits", description="prices, serial numbers, dates in Chinese captions: digits (四十九块九 → 49.9元, 三号 → 3号), chinese (49.9元 → 四十九块九) or asis (as the model wrote them)")
    initial_prompt: str = Field("", description="text that sets the style and vocabulary ('' = 以下是普通话的句子。 for Mandarin, which keeps the model on Simplified characters)")
    hotwords: list[str] = Field(default_factory=list, description="names and words to get right (product names are added from the products plugin)")
    use_product_names: bool = Field(True, description="add the product catalog's names and aliases to the hotwords")
    step: float = Field(0.4, ge=0.1, le=5, description="seconds of new speech between two recognition passes (partial captions)")
    beam_size: int = Field(1, ge=1, le=10, description="beam size of the streaming passes (1 = greedy, fastest)")
    final_beam_size: int = Field(5, ge=1, le=10, description="beam size of the pass that closes an utterance")
    revise: bool = Field(True, description="after each pause, read the finished utterance again, whole (Whisper's full window, beam final_beam_size), and correct what was shown of it when that reads differently (multilingual models: an English-only one reads worse whole)")
    max_buffer: float = Field(15.0, ge=4, le=25, description="seconds of audio kept for one utterance before committed words are dropped from it")
    cpu_threads: int = Field(2, ge=1, le=64, description="CPU threads of the model")
    no_speech_threshold: float = Field(0.6, ge=0, le=1, description="drop a hypothesis when Whisper's no-speech probability is above this (and it is not confident)")
    logprob_threshold: float = Field(-1.0, le=0, description="drop a hypothesis whose average log-probability is below this")
    blocklist: list[str] = Field(default_factory=lambda: list(DEFAULT_BLOCKLIST), description="phrases Whisper invents on silence: an utterance that is exactly one of them is never shown")
    replace: dict[str, str] = Field(default_factory=dict, description="words replaced in every caption, e.g. {\"上连接\" = \"上链接\"}")
    profanity: list[str] = Field(default_factory=list, description="words masked with profanity_mask in every caption")
    profanity_mask: str = Field("*", min_length=1, max_length=1, description="the character that masks a word of the profanity list")
    obs_text_source: str = Field("字幕", description="OBS text source that shows the captions ('' = none)")
    obs_scene: str = Field("直播间", description="scene that holds the text source (for `streamkit obs setup`)")
    obs_min_interval: float = Field(0.2, ge=0, le=5, description="minimum seconds between two updates of the OBS text source")
    cea608: bool = Field(False, description="also send captions as CEA-608 (SendStreamCaption) while streaming; Latin script only")
    files: list[Literal["srt", "vtt", "jsonl"]] = Field(default_factory=lambda: ["srt", "vtt", "jsonl"], description="caption files written live into the session folder")
    vad: VadConfig = Field(default_factory=VadConfig, description="voice activity detection")
    layout: LayoutConfig = Field(default_factory=LayoutConfig, description="line layout")
    overlay: OverlayStyleConfig = Field(default_factory=OverlayStyleConfig, description="browser-source overlay page")
    monitor: MonitorConfig = Field(default_factory=MonitorConfig, description="the streamer's large-print monitor page")

    @model_validator(mode="after")
    def _unique_names(self) -> "CaptionsConfig":
        names = [s.name for s in self.sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"each source needs its own name ({', '.join(dupes)} used twice)")
        return self
