"""Voice tests: a stand-in OBS with names (unit tests of our own logic), captions as the captions plugin sends them."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from streamkit.bus import EventBus
from streamkit.events import Caption, Event, Utterance
from streamkit.obs import DryRunObs

sys.path.append(str(Path(__file__).resolve().parents[1] / "core"))  # speech_helpers: hear speech back

from speech_helpers import ENGLISH, audio_16k, error_rate, transcribe  # noqa: E402

__all__ = ["ENGLISH", "INPUTS", "SCENES", "NamedObs", "audio_16k", "error_rate", "said", "transcribe"]

SCENES = ("直播间", "近景特写", "暂停")
INPUTS = {"麦克风/Aux": True, "背景音乐": True, "二维码": False, "商品卡-名称": False}


class NamedObs(DryRunObs):
    """The dry-run sink, answering OBS's read requests with fixed scenes and inputs."""

    def __init__(self, bus: EventBus | None = None) -> None:
        super().__init__(bus, out=io.StringIO())
        self.muted = {name: False for name, audio in INPUTS.items() if audio}
        self.recording = False

    @property
    def connected(self) -> bool:
        return True

    def request(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        data = data or {}
        if request_type == "GetSceneList":
            return {"scenes": [{"sceneName": s} for s in reversed(SCENES)], "currentProgramSceneName": "直播间"}
        if request_type == "GetInputList":
            return {"inputs": [{"inputName": n} for n in INPUTS]}
        if request_type == "GetInputMute":
            return {"inputMuted": self.muted[data["inputName"]]} if data["inputName"] in self.muted else {}
        if request_type == "GetSceneItemList":
            return {"sceneItems": [{"sourceName": n} for n in INPUTS] if data["sceneName"] == "直播间" else []}
        if request_type == "GetRecordStatus":
            return {"outputActive": self.recording}
        if request_type == "GetStreamStatus":
            return {"outputActive": False}
        return super().request(request_type, data, timeout)


def said(text: str, utterance: int, source: str = "mic", audio: tuple[float, float] = (0.0, 1.0)) -> list[Event]:
    """A partial, the closing final and the Utterance of one utterance, as the captions plugin sends them
    (``audio``: its start and end, seconds into the source)."""
    common: dict[str, Any] = dict(source=source, speaker="主播", audio_start=audio[0], audio_end=audio[1],
                                  language="", utterance=utterance)
    return [Caption(kind="partial", text=text, emitted_at=audio[1], **common),
            Caption(kind="final", text=text, utterance_end=True, emitted_at=audio[1], **common),
            Utterance(text=text, **common)]
