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


def paused(kind: str, text: str, utterance: int = 1) -> Caption:
    """A caption sent while the speaker pauses, recognition having heard every word before the pause."""
    return Caption(kind=kind, text=text, source="mic", speaker="主播", audio_start=0.0, audio_end=1.0, emitted_at=1.2,
                   language="zh", utterance=utterance, paused=True)


def test_a_pause_lets_a_standalone_command_fire_before_the_utterance_ends(feed) -> None:
    assert feed(caption("partial", "确认")) == []
    assert feed(paused("partial", "确认")) == [("confirm", None, None, None)]
    assert feed(caption("final", "确认。", utterance_end=True)) == [("confirm", None, None, None)]  # once


def test_a_pause_fires_what_would_wait_for_the_end(feed) -> None:
    fired = feed(caption("partial", "product number three"), paused("partial", "product number three"),
                 caption("final", "Product number three.", utterance_end=True))
    assert fired == [("show", None, 3, None)]


def test_without_a_pause_standalone_forms_still_wait(feed) -> None:
    assert feed(caption("partial", "confirm"), caption("partial", "confirm")) == []


def test_a_name_obs_does_not_have_waits_for_the_end_of_the_utterance(feed) -> None:
    """"切换场景到由" (游戏 half heard) is not answered "no scene called 由" while the streamer still speaks:
    the end of the utterance, with the closing pass's text, decides."""
    fired = feed(caption("partial", "切换场景到由"), caption("partial", "切换场景到由"), paused("partial", "切换场景到由"))
    assert fired == []
    fired = feed(caption("revision", "切换场景到开场。"), caption("final", "", utterance_end=True))
    assert fired == [("scene", "开场", None, None)]


def test_two_partials_are_stable_only_when_their_words_are_the_same(feed) -> None:
    """Growing partials that give the same command are not "the words stopped changing"."""
    assert feed(caption("partial", "开始录"), caption("partial", "开始录制"), caption("partial", "开始录制之前"),
                caption("final", "开始录制之前先调好灯光。", utterance_end=True)) == []
    fired = feed(caption("partial", "开始录制", utterance=2), caption("partial", "开始录制。", utterance=2))
    assert fired == [("record_start", None, None, None)]


def test_a_paused_partial_waits_when_only_committed_text_may_act(feed) -> None:
    parser = table_parser()
    fired: list[tuple] = []
    detector = CommandDetector(lambda: parser, lambda c, t: fired.append(c.key), fire_on_partial=False)
    detector.on_caption(paused("partial", "确认"))
    assert fired == []
    detector.on_caption(caption("final", "确认。", utterance_end=True))
    assert fired == [("confirm", None, None, None)]
