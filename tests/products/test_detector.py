"""Commands from the caption stream: early on safe partials, once per utterance, noun forms only at the end."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from streamkit.commands import Command
from streamkit.commands.detector import CommandDetector
from streamkit.events import Caption
from streamkit.text import join_caption
from streamkit.plugins.products.parser import CommandParser


@dataclass
class Cap:
    """The captions plugin's Caption fields the detector reads."""

    kind: str
    text: str
    utterance: int = 1
    utterance_end: bool = False
    source: str = "mic"
    audio_start: float = 0.0
    audio_end: float = 1.0
    paused: bool = False


@pytest.fixture
def run(catalog):
    parser = CommandParser(catalog)
    fired: list[tuple[tuple, str]] = []

    def make(**kwargs):
        det = CommandDetector(lambda: parser, lambda c, t: fired.append(((c.action, c.product, c.seconds), t)), **kwargs)

        def feed(*caps: Cap) -> list[list[Command]]:
            return [det.on_caption(c) for c in caps]

        return feed, fired

    return make


def test_a_complete_command_fires_on_the_partial_and_only_once(run) -> None:
    feed, fired = run()
    out = feed(Cap("partial", "上链接"), Cap("partial", "上链接3号"), Cap("final", "上链接3号。", utterance_end=True))
    assert [len(o) for o in out] == [0, 1, 0]
    assert fired == [(("show", 3, None), "上链接3号")]


def test_a_number_at_the_end_waits_for_the_next_partial_or_the_final(run) -> None:
    feed, fired = run()
    out = feed(Cap("partial", "show product"), Cap("partial", "show product 3"), Cap("partial", "show product 30"),
               Cap("partial", "show product 30"), Cap("final", "Show product 30.", utterance_end=True))
    assert [len(o) for o in out] == [0, 0, 0, 1, 0]  # fired when two partials agreed
    assert fired == [(("show", 30, None), "show product 30")]


def test_final_fires_when_partials_never_settled(run) -> None:
    feed, fired = run()
    feed(Cap("partial", "show product 3"), Cap("final", "Show product three.", utterance_end=True))
    assert fired == [(("show", 3, None), "Show product three.")]


def test_noun_forms_wait_for_the_end_of_the_utterance(run) -> None:
    feed, fired = run()
    feed(Cap("partial", "3号链接"), Cap("partial", "3号链接"), Cap("final", "3号链接"))
    assert fired == []
    feed(Cap("partial", "已经卖完了"), Cap("final", "已经卖完了。", utterance_end=True))
    assert fired == []  # "3号链接已经卖完了" is talk, not a command
    feed(Cap("partial", "3号链接", utterance=2), Cap("final", "3号链接。", utterance=2, utterance_end=True))
    assert fired == [(("show", 3, None), "3号链接。")]


def test_committed_pieces_and_partial_rest_are_joined(run) -> None:
    feed, fired = run()
    feed(Cap("final", "好的家人们"), Cap("partial", "上链接5号"))
    assert fired == [(("show", 5, None), "好的家人们上链接5号")]
    feed(Cap("final", "Okay so", utterance=2), Cap("partial", "hide the card", utterance=2))
    assert fired[-1] == (("hide", None, None), "Okay so hide the card")


def test_a_later_command_in_the_same_utterance_still_fires(run) -> None:
    feed, fired = run()
    feed(Cap("partial", "上链接3号"), Cap("final", "上链接3号，"), Cap("partial", "秒杀60秒"),
         Cap("final", "秒杀60秒。", utterance_end=True))
    assert [k for k, _ in fired] == [("show", 3, None), ("flash_sale", 3, 60)]


def test_selling_talk_never_fires(run) -> None:
    feed, fired = run()
    feed(Cap("partial", "3号"), Cap("partial", "3号已经"), Cap("partial", "3号已经卖完了"),
         Cap("final", "3号已经卖完了。", utterance_end=True),
         Cap("partial", "I showed", utterance=2), Cap("partial", "I showed product three", utterance=2),
         Cap("final", "I showed product three yesterday.", utterance=2, utterance_end=True))
    assert fired == []


def test_fire_on_partial_off_waits_for_committed_text(run) -> None:
    feed, fired = run(fire_on_partial=False)
    feed(Cap("partial", "上链接3号"), Cap("partial", "上链接3号"))
    assert fired == []
    feed(Cap("final", "上链接3号"))
    assert fired == [(("show", 3, None), "上链接3号")]


def test_only_listed_sources_give_commands(run) -> None:
    feed, fired = run(sources=["mic"])
    feed(Cap("final", "上链接3号", source="guest", utterance_end=True))
    assert fired == []
    feed(Cap("final", "上链接3号", source="mic", utterance_end=True))
    assert len(fired) == 1


def test_low_confidence_is_ignored(run) -> None:
    feed, fired = run(min_confidence=0.9)
    feed(Cap("final", "3号链接", utterance_end=True))  # a noun form: 0.85
    assert fired == []


def test_captions_without_utterance_numbers(catalog) -> None:
    def legacy(kind: str, text: str, audio_start: float = 0.0) -> Caption:  # utterance 0: no number
        return Caption(kind=kind, text=text, source="mic", speaker="", audio_start=audio_start,
                       audio_end=audio_start + 1, emitted_at=0.0, language="zh")

    parser = CommandParser(catalog)
    fired = []
    det = CommandDetector(lambda: parser, lambda c, t: fired.append((c.action, c.product, c.seconds)))
    for c in (legacy("partial", "上链接"), legacy("partial", "上链接3号"), legacy("final", "上链接3号")):
        det.on_caption(c)
    det.on_caption(legacy("final", "下一个", audio_start=5.0))
    assert fired == [("show", 3, None), ("next", None, None)]


def test_join_caption() -> None:
    assert join_caption("好的", "上链接3号") == "好的上链接3号"
    assert join_caption("okay", "show product 3") == "okay show product 3"
    assert join_caption("okay", ", show") == "okay, show"
    assert join_caption("", "x") == "x"


def test_a_revision_replaces_the_committed_text_and_a_command_still_fires_once(run) -> None:
    feed, fired = run()
    # the fast pass missed the number; the closing pass read the utterance again ("revision")
    out = feed(Cap("final", "上链接"), Cap("final", "散号"), Cap("revision", "上链接3号。"), Cap("final", "", utterance_end=True))
    assert fired == [(("show", 3, None), "上链接3号。")]
    assert [len(o) for o in out] == [0, 0, 1, 0]
    # a revision that reads the same command as was already fired does not fire it again
    fired.clear()
    feed, _ = run()
    feed(Cap("partial", "上链接3号"), Cap("final", "上链接3号"), Cap("revision", "上链接3号。"), Cap("final", "", utterance_end=True))
    assert fired == [(("show", 3, None), "上链接3号")]
