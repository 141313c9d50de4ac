"""OBS commands from the caption stream: the detector acts on ``complete`` and ``standalone`` as for products."""

from __future__ import annotations

import pytest
from commands_helpers import table_parser

from streamkit.events import Caption
from streamkit.commands.detector import CommandDetector


def caption(kind: str, text: str, utterance: int = 1, utterance_end: bool = False) -> Caption:
    """A caption event of the captions plugin, as streaming recognition publishes it."""
    return Caption(kind=kind, text=text, source="mic", speaker="主播", audio_start=0.0, audio_end=1.0, emitted_at=1.2,
                   language="zh", utterance=utterance, utterance_end=utterance_end)


@pytest.fixture
def feed():
    parser = table_parser()
    fired: list[tuple] = []
    detector = CommandDetector(lambda: parser, lambda c, t: fired.append(c.key))

    def run(*caps: Caption) -> list[tuple]:
        for cap in caps:
            detector.on_caption(cap)
        return fired

    return run


def test_a_part_of_a_name_waits_and_the_whole_name_fires_at_once(feed) -> None:
    fired = feed(caption("partial", "切到近"), caption("partial", "切到近景"))
    assert fired == []  # "切到近景" may still become "切到近景的时候…"
    fired = feed(caption("partial", "切到近景特写"), caption("final", "切到近景特写。", utterance_end=True))
    assert fired == [("scene", "近景特写", None, None)]


def test_words_that_turn_a_command_into_talk_arrive_in_time(feed) -> None:
    fired = feed(caption("partial", "静音"), caption("partial", "静音的话"), caption("partial", "静音的话听不到"),
                 caption("final", "静音的话听不到哦。", utterance_end=True))
    assert fired == []
    fired = feed(caption("partial", "开始录制", utterance=2), caption("partial", "开始录制之前", utterance=2),
                 caption("final", "开始录制之前先调好灯光。", utterance=2, utterance_end=True))
    assert fired == []


def test_confirm_counts_only_as_a_whole_utterance(feed) -> None:
    assert feed(caption("partial", "确认"), caption("partial", "确认")) == []
    assert feed(caption("final", "确认。", utterance_end=True)) == [("confirm", None, None, None)]


def test_a_command_fires_once_when_partials_agree(feed) -> None:
    fired = feed(caption("partial", "mute the mic"), caption("partial", "mute the mic"),
                 caption("final", "Mute the mic.", utterance_end=True))
    assert fired == [("mute", "麦克风/Aux", None, None)]
