"""`make demo`'s seller who cannot speak presses the quick phrase "welcome" once the live room is on."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from streamkit.bus import EventBus
from streamkit.config import load
from streamkit.demo import DEMO_CONFIG, LIVE_SCENE, WELCOME_PHRASE, WelcomePress
from streamkit.events import SceneChanged
from streamkit.features import SPEECH, Services


class Board:
    """Records the quick phrases pressed (the session's speech feature is tested with a real model elsewhere)."""

    def __init__(self) -> None:
        self.pressed: list[str] = []

    def say_phrase(self, phrase_id: str, *, repeat: bool = False, wait: bool = False) -> bool:
        self.pressed.append(phrase_id)
        return True


def runtime_with(board: Board) -> SimpleNamespace:
    services = Services()
    services.provide(SPEECH, board)  # type: ignore[arg-type]
    return SimpleNamespace(services=services)


@pytest.mark.parametrize("live_first", [False, True], ids=["session-then-scene", "scene-then-session"])
def test_the_welcome_is_pressed_once_when_the_live_room_is_on(live_first: bool) -> None:
    bus, board = EventBus(), Board()
    press = WelcomePress(bus)
    bus.publish(SceneChanged(scene="暂停"))
    if live_first:  # a fast demo: the smile switched before the session's start hook ran
        bus.publish(SceneChanged(scene=LIVE_SCENE))
        assert board.pressed == []
    press.on_start(runtime_with(board))
    for _ in range(2):
        bus.publish(SceneChanged(scene=LIVE_SCENE))
    bus.publish(SceneChanged(scene="暂停"))
    assert board.pressed == [WELCOME_PHRASE]


def test_nothing_is_pressed_before_the_live_room() -> None:
    bus, board = EventBus(), Board()
    WelcomePress(bus).on_start(runtime_with(board))
    bus.publish(SceneChanged(scene="暂停"))
    assert board.pressed == []


def test_the_demo_config_has_the_phrase_and_switches_to_the_live_room() -> None:
    config = load(DEMO_CONFIG)
    assert WELCOME_PHRASE in [p.id for p in config.section("speech").phrases]
    assert [b.scene for b in config.section("gestures").bindings] == [LIVE_SCENE]
