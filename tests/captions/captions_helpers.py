"""Shared helpers of the captions tests: real speech clips, replays, scoring."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from streamkit.sources.audio import write_wav  # noqa: F401 - re-exported for the tests

REPO = Path(__file__).resolve().parents[2]
SPEECH = REPO / "samples" / "media" / "speech"
EN_CLIPS = sorted((SPEECH / "en").glob("*.wav"))
ZH_CLIP = next((SPEECH / "zh").glob("*.wav"))
ZH_REFERENCE = ZH_CLIP.with_suffix(".txt").read_text(encoding="utf-8").strip()
ARTIFACTS = REPO / ".artifacts"
SR = 16_000


def load(path: Path) -> np.ndarray:
    from faster_whisper.audio import decode_audio

    return decode_audio(str(path))


def english_reference() -> str:
    return " ".join(c.with_suffix(".txt").read_text(encoding="utf-8").strip() for c in EN_CLIPS)


def english_audio(pause: float = 1.0) -> np.ndarray:
    """The five LibriVox sentences with ``pause`` s of silence between them (0.5 s before)."""
    parts = [np.zeros(SR // 2, np.float32)]
    for clip in EN_CLIPS:
        parts += [load(clip), np.zeros(int(pause * SR), np.float32)]
    return np.concatenate(parts)


def mandarin_audio() -> np.ndarray:
    return np.concatenate([np.zeros(SR // 2, np.float32), load(ZH_CLIP), np.zeros(SR, np.float32)])


@dataclass
class Replay:
    """What a streaming run produced."""

    updates: list[Any]

    @property
    def finals(self) -> list[Any]:
        return [u for u in self.updates if u.kind == "final"]

    @property
    def partials(self) -> list[Any]:
        return [u for u in self.updates if u.kind == "partial"]

    @property
    def revised(self) -> str:
        """The committed text with each utterance's revision (when it has one) in place of its finals."""
        from streamkit.text import join_caption

        by_utt: dict[int, str] = {}
        for u in self.updates:
            if u.kind == "final":
                by_utt[u.utterance] = join_caption(by_utt.get(u.utterance, ""), u.text)
            elif u.kind == "revision":
                by_utt[u.utterance] = u.text
        text = ""
        for k in sorted(by_utt):
            text = join_caption(text, by_utt[k])
        return text

    @property
    def committed(self) -> str:
        from streamkit.text import join_caption

        text = ""
        for u in self.finals:
            text = join_caption(text, u.text)
        return text


def _stopped_timer() -> float:
    return 0.0


def stream(transcriber: Any, audio: np.ndarray, chunk: float = 0.1) -> Replay:
    """Feed ``audio`` in ``chunk``-second pieces as fast as possible, then finish.

    The transcriber's timer is stopped: a pass every ``step`` of audio whatever the machine's speed, so
    a busy test machine gets the same text as an idle one (speed is measured in benchmarks/)."""
    transcriber.timer = _stopped_timer
    n = int(chunk * SR)
    updates: list[Any] = []
    for i in range(0, len(audio), n):
        updates += transcriber.feed(audio[i : i + n])
    updates += transcriber.finish()
    return Replay(updates)


def error_rate(reference: str, hypothesis: str, language: str) -> float:
    import jiwer

    from streamkit.plugins.captions.textproc import normalize_for_scoring

    return float(jiwer.wer(normalize_for_scoring(reference, language), normalize_for_scoring(hypothesis, language)))


def offline_text(decoder: Any, audio: np.ndarray, language: str) -> str:
    """The same model on the whole file, faster-whisper's plain defaults (beam 5, its own 30 s windows)."""
    from streamkit.plugins.captions.textproc import SIMPLIFIED_PROMPT

    segments, _ = decoder.transcribe_file(audio, language=language, vad_filter=False,
                                          initial_prompt=SIMPLIFIED_PROMPT if language == "zh" else None)
    return "".join(s.text for s in segments)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


TRADITIONAL_ONLY = re.compile("[現幾幣臺灣個們這說話時還會對從開關門]")


def make_runtime(config: Any, obs: Any, *, realtime: bool = False, overlay: Any = None) -> Any:
    """A Runtime for one test session (real bus, session folder and store; no other plugins started)."""
    from streamkit.testing import test_runtime

    return test_runtime(config, obs, realtime=realtime, overlay=overlay)


def obs_text(client: Any, source: str = "字幕") -> str:
    """What an OBS text source shows now."""
    return client.request("GetInputSettings", {"inputName": source})["inputSettings"].get("text", "")


def captions_config(**section: Any) -> Any:
    from streamkit.config import validate

    return validate({"captions": section}, "<test>")
