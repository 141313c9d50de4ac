"""The ``[commands]`` section of ``streamkit.toml``: voice control of OBS and streamkit.

The section is registered by the built-in ``commands`` plugin (``streamkit_config_sections``), like
every feature's section; the model lives here because the grammar and ``streamkit commands parse``
are core.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field, field_validator

from streamkit.config import Config, Section

from .model import PRODUCT_ACTIONS, CommandAction
from .vocabulary import ProductNames, Vocabulary

A = CommandAction


class CommandsConfig(Section):
    """Voice commands for OBS and streamkit: scenes, audio, sources, recording, streaming, gestures, status."""

    enabled: bool = Field(True, description="understand voice commands for OBS and streamkit (product commands follow [products])")
    wake_word: str = Field("", description="say this before every voice command, products included ('' = [products] wake_word; both '' = none)")
    aliases: dict[str, str] = Field(default_factory=dict, description="spoken name → exact OBS scene or source name, e.g. {\"近景\" = \"近景特写\", \"QR code\" = \"二维码\"}")
    microphone: str = Field("", description="the OBS audio input that 麦克风 / \"the mic\" means ('' = the first input whose name says mic or 麦)")
    confirm_seconds: float = Field(5.0, gt=0, le=60, description="time to say 确认 / \"confirm\" after a recording or streaming command "
                                       "(in the audio: when it was said, not when recognition heard it)")
    name_threshold: float = Field(0.8, ge=0.5, le=1, description="how close a spoken name must sound to a scene or source name or alias (0–1)")
    scenes: bool = Field(True, description="switch scenes by voice (切到近景 / \"switch to close up\")")
    audio: bool = Field(True, description="mute and unmute the microphone or a named audio source")
    sources: bool = Field(True, description="show and hide a named source (二维码, price board)")
    recording: bool = Field(True, description="start and stop recording (always confirmed)")
    streaming: bool = Field(True, description="start and stop streaming (always confirmed)")
    gestures: bool = Field(True, description="pause and resume gesture triggers (暂停手势 / \"pause gestures\")")
    status: bool = Field(True, description="read back the status (播报状态 / \"status\")")

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, v: dict[str, str]) -> dict[str, str]:
        empty = [k for k, target in v.items() if not k.strip() or not target.strip()]
        if empty:
            raise ValueError(f"spoken name = \"exact OBS name\", both non-empty (check {empty[0]!r})")
        return v

    def actions(self) -> frozenset[CommandAction]:
        """The actions voice commands may give with this section: product actions always, the rest when switched on."""
        allowed = set(PRODUCT_ACTIONS)
        if not self.enabled:
            return frozenset(allowed)
        switched = ((self.scenes, {A.SCENE}), (self.audio, {A.MUTE, A.UNMUTE}),
                    (self.sources, {A.SHOW_SOURCE, A.HIDE_SOURCE}), (self.recording, {A.RECORD_START, A.RECORD_STOP}),
                    (self.streaming, {A.STREAM_START, A.STREAM_STOP}),
                    (self.gestures, {A.PAUSE_TRIGGERS, A.RESUME_TRIGGERS}), (self.status, {A.STATUS}),
                    (self.recording or self.streaming, {A.CONFIRM, A.CANCEL}))
        for on, actions in switched:
            if on:
                allowed |= actions
        return frozenset(allowed)

    def vocabulary(self, scenes: Sequence[str] = (), sources: Sequence[str] = (),
                   products: Sequence[ProductNames] = (), audio_sources: Sequence[str] | None = None) -> Vocabulary:
        """A :class:`Vocabulary` from OBS's live lists, this section's aliases and microphone, and the catalog."""
        return Vocabulary(scenes=tuple(scenes), sources=tuple(sources), aliases=dict(self.aliases),
                          audio_sources=tuple(audio_sources) if audio_sources is not None else None,
                          microphone=self.microphone, products=tuple(products), actions=self.actions())


def commands_config(config: Config) -> CommandsConfig:
    """The ``[commands]`` section (its defaults when the commands plugin is not installed)."""
    return config.section("commands") if config.has("commands") else CommandsConfig()


def voice_commands_listen(config: Config) -> bool:
    """True when the commands plugin obeys spoken commands in sessions, product commands included, so the
    products plugin leaves the caption stream to it: one path, never two features acting on one utterance."""
    return config.has("commands") and commands_config(config).enabled
