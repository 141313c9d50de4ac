"""Real speech: ordinary talk never fires (reference transcripts and Whisper's), spoken commands do."""

from __future__ import annotations

import numpy as np
import pytest
from commands_helpers import REPO, speech_clips, table_parser

from streamkit.commands import CommandParser
from streamkit.sources.audio import FileAudioSource
from streamkit.testing.data import shared_data
from streamkit.testing.helpers import require

COMMANDS = REPO / "samples" / "media" / "commands"


@pytest.fixture(scope="module")
def parser() -> CommandParser:
    return table_parser()


@pytest.fixture(scope="module")
def clips() -> list:
    shared = shared_data()
    require(shared is not None and (shared / "speech" / "zh-more").is_dir(), "no shared recordings (shared/data beside the checkout)",
            "set STREAMKIT_DATA to the folder holding speech/en, speech/zh and speech/zh-more")
    return speech_clips()


def read_wav(path) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The whole recording as 16 kHz mono samples (decoded as a live source would)."""
    return np.concatenate([chunk.samples for chunk in FileAudioSource(path)])


def transcript(decoder, audio: np.ndarray, language: str) -> str:  # type: ignore[no-untyped-def]
    segments, _ = decoder.transcribe_file(audio, language=language, beam_size=1,
                                          initial_prompt="以下是普通话的句子。" if language == "zh" else None)
    return " ".join(s.text.strip() for s in segments)


def test_reference_transcripts_never_fire(parser: CommandParser, clips: list) -> None:
    assert len(clips) >= 26 and sum(c.language == "zh" for c in clips) >= 20
    for clip in clips:
        assert clip.reference, clip.wav
        assert [c for c in parser.parse_all(clip.reference) if c.action] == [], clip.wav


@pytest.mark.slow
def test_what_whisper_hears_in_ordinary_speech_never_fires(parser: CommandParser, clips: list, base_decoder) -> None:
    heard = {str(clip.wav): transcript(base_decoder, read_wav(clip.wav), clip.language) for clip in clips}
    assert sum(bool(t.strip()) for t in heard.values()) >= len(clips) - 2  # Whisper heard the clips
    fired = {name: [c.to_json() for c in parser.parse_all(text) if c.action] for name, text in heard.items()}
    assert {k: v for k, v in fired.items() if v} == {}, heard


@pytest.mark.slow
@pytest.mark.parametrize("wav, model, key", [
    ("show-product-three.wav", "tiny_decoder", ("show", None, 3, None)),
    ("show-me-the-thermos.wav", "base_decoder", ("show", None, 1, None)),  # tiny.en hears "that vermis"
    ("hide-the-card.wav", "tiny_decoder", ("hide", None, None, None)),
    ("flash-sale-sixty-seconds.wav", "tiny_decoder", ("flash_sale", None, None, 60)),
])
def test_spoken_commands_through_whisper(parser: CommandParser, request, wav: str, model: str, key: tuple) -> None:
    heard = transcript(request.getfixturevalue(model), read_wav(COMMANDS / wav), "en")
    assert parser.parse(heard).key == key, heard
