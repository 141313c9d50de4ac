"""The trigger engine on made-up observations (pure logic, simulated time)."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from streamkit.plugins.gestures.triggers import Fire, GestureSpec, Observation, Rule, TriggerEngine

FPS = 30
DT = 1 / FPS


def spec(name: str, modality: str = "face", threshold: float = 0.5, hold: float = 0.5, rearm: float = 0.3) -> GestureSpec:
    return GestureSpec(name=name, modality=modality, threshold=threshold, hold=hold, rearm_below=rearm)  # type: ignore[arg-type]


SMILE = spec("smile")
CALL = spec("call", "hand")
ROCK = spec("rock", "hand")


def rule(name: str, *gestures: GestureSpec, cooldown: float = 2.0, confirm: bool = False) -> Rule:
    return Rule(name=name, gestures=gestures, cooldown=cooldown, confirm=confirm, action=name)


class Feed:
    """Drives an engine frame by frame on simulated time and collects what fired."""

    def __init__(self, engine: TriggerEngine, t: float = 0.0) -> None:
        self.engine = engine
        self.t = t
        self.fires: list[Fire] = []

    def run(self, seconds: float, scores: dict[str, float] | None = None, tracking: Iterable[str] = ("face", "hand")) -> list[Fire]:
        got: list[Fire] = []
        for _ in range(round(seconds * FPS)):
            got += self.engine.update(Observation(t=self.t, tracking={m: True for m in tracking}, scores=dict(scores or {})))
            self.t += DT
        self.fires += got
        return got

    def actions(self) -> list[tuple[float, str]]:
        return [(round(f.t, 3), f.gesture) for f in self.fires if f.kind == "action"]


def test_fires_once_after_the_hold_and_not_again_while_held() -> None:
    feed = Feed(TriggerEngine([rule("scene", SMILE)], settle=0.3))
    feed.run(1.0)  # neutral face, tracking settles
    start = feed.t
    fired = feed.run(5.0, {"smile": 0.9})
    assert [f.kind for f in fired] == ["action"]
    assert fired[0].t - start == pytest.approx(0.5, abs=DT)


def test_a_dip_below_threshold_restarts_the_hold() -> None:
    feed = Feed(TriggerEngine([rule("scene", SMILE)]))
    feed.run(1.0)
    feed.run(0.4, {"smile": 0.9})
    feed.run(2 * DT, {"smile": 0.4})  # below threshold, above re-arm
    assert feed.run(0.4, {"smile": 0.9}) == []
    assert len(feed.run(0.2, {"smile": 0.9})) == 1


def test_rearm_needs_the_score_to_fall_back() -> None:
    feed = Feed(TriggerEngine([rule("scene", SMILE, cooldown=0.0)]))
    feed.run(1.0)
    feed.run(1.0, {"smile": 0.9})
    assert feed.run(2.0, {"smile": 0.4}) == []  # fell below threshold but not below re-arm (0.3)
    assert feed.run(1.0, {"smile": 0.9}) == []
    feed.run(0.1, {"smile": 0.1})  # re-armed
    assert len(feed.run(1.0, {"smile": 0.9})) == 1


def test_cooldown_blocks_even_after_rearm() -> None:
    feed = Feed(TriggerEngine([rule("scene", SMILE, cooldown=3.0)]))
    feed.run(1.0)
    first = feed.run(0.6, {"smile": 0.9})[0]
    feed.run(0.2)
    assert feed.run(1.5, {"smile": 0.9}) == []  # still cooling down
    feed.run(0.2)
    again = feed.run(2.0, {"smile": 0.9})
    assert len(again) == 1 and again[0].t - first.t >= 3.0


def test_never_fires_on_the_frame_tracking_starts_and_pauses_when_lost() -> None:
    engine = TriggerEngine([rule("scene", SMILE)], settle=0.3)
    feed = Feed(engine)
    feed.run(1.0, tracking=())  # nobody there
    start = feed.t
    fired = feed.run(2.0, {"smile": 0.9})  # a face appears already smiling
    assert fired[0].t - start >= 0.3 + 0.5 - 1e-9  # settle, then the whole hold
    # lost mid-hold: the hold restarts from scratch after tracking returns
    feed2 = Feed(TriggerEngine([rule("scene", SMILE)], settle=0.3))
    feed2.run(1.0)
    feed2.run(0.4, {"smile": 0.9})
    feed2.run(DT, {"smile": 0.9}, tracking=())
    back = feed2.t
    fired2 = feed2.run(2.0, {"smile": 0.9})
    assert fired2[0].t - back >= 0.8 - 1e-9


def test_losing_tracking_does_not_rearm() -> None:
    feed = Feed(TriggerEngine([rule("scene", SMILE, cooldown=0.0)]))
    feed.run(1.0)
    assert len(feed.run(1.0, {"smile": 0.9})) == 1
    feed.run(0.5, tracking=())  # face lost while smiling
    assert feed.run(2.0, {"smile": 0.9}) == []  # back, still smiling: same smile, no second fire


def test_one_tracking_modality_does_not_pause_the_other() -> None:
    feed = Feed(TriggerEngine([rule("scene", CALL)]))
    feed.run(1.0, tracking=("hand",))
    assert len(feed.run(1.0, {"call": 0.9}, tracking=("hand",))) == 1


def test_several_gestures_per_action_and_a_latched_gesture_blocks_others() -> None:
    engine = TriggerEngine([rule("next", CALL, ROCK, cooldown=0.0)])
    feed = Feed(engine)
    feed.run(1.0)
    assert [f.gesture for f in feed.run(1.0, {"rock": 0.9})] == ["rock"]
    assert [f.gesture for f in feed.run(1.0, {"call": 0.9})] == ["call"]  # another gesture of the same action


def test_arm_gesture_switches_control_on_and_off() -> None:
    arm = spec("open_palm", "hand", hold=1.0)
    engine = TriggerEngine([rule("scene", SMILE, cooldown=0.0)], arm=arm)
    feed = Feed(engine)
    feed.run(0.5)
    assert feed.run(1.5, {"smile": 0.9}) == []  # disarmed at start
    feed.run(0.3)
    armed = feed.run(1.5, {"open_palm": 0.9})
    assert [f.kind for f in armed] == ["armed"] and engine.armed
    feed.run(0.3)
    assert [f.kind for f in feed.run(1.0, {"smile": 0.9})] == ["action"]
    feed.run(0.3)
    assert [f.kind for f in feed.run(1.5, {"open_palm": 0.9})] == ["disarmed"]
    feed.run(0.3)
    assert feed.run(1.5, {"smile": 0.9}) == []


def test_confirm_with_the_same_gesture_again() -> None:
    engine = TriggerEngine([rule("record", SMILE, confirm=True)], confirm_window=4.0)
    feed = Feed(engine)
    feed.run(1.0)
    assert [f.kind for f in feed.run(1.0, {"smile": 0.9})] == ["confirm_requested"]
    assert engine.status().pending is not None
    feed.run(0.3, {"smile": 0.1})  # let go …
    done = feed.run(1.0, {"smile": 0.9})  # … and smile again
    assert [f.kind for f in done] == ["action"]
    assert engine.status().pending is None


def test_confirm_expires_and_blocks_other_rules_meanwhile() -> None:
    engine = TriggerEngine([rule("record", SMILE, confirm=True), rule("scene", CALL)], confirm_window=2.0)
    feed = Feed(engine)
    feed.run(1.0)
    feed.run(0.6, {"smile": 0.9})
    assert feed.run(1.0, {"call": 0.9}) == []  # waiting for confirmation: other rules wait
    expired = feed.run(1.5)
    assert [f.kind for f in expired] == ["confirm_expired"]
    assert [f.kind for f in feed.run(1.0, {"call": 0.9})] == ["action"]


def test_confirm_with_a_dedicated_gesture() -> None:
    engine = TriggerEngine([rule("record", SMILE, confirm=True)], confirm=spec("thumbs_up", "hand"))
    feed = Feed(engine)
    feed.run(1.0)
    feed.run(0.6, {"smile": 0.9})
    assert feed.run(1.0, {"smile": 0.1}) == []  # smiling again does not confirm
    assert [f.kind for f in feed.run(0.6, {"thumbs_up": 0.9})] == ["action"]


def test_status_reports_hold_progress() -> None:
    engine = TriggerEngine([rule("scene", SMILE)])
    feed = Feed(engine)
    feed.run(1.0)
    feed.run(0.25, {"smile": 0.9})
    status = engine.status()
    assert status.tracking["face"] == "ready"
    assert len(status.holds) == 1 and 0.3 < status.holds[0].progress < 0.7


def test_a_paused_engine_fires_only_the_resume_rule_and_held_gestures_stay_latched() -> None:
    resume = Rule(name="resume", gestures=(ROCK,), cooldown=0.0, action="resume", while_paused=True)
    engine = TriggerEngine([rule("scene", SMILE, cooldown=0.0), rule("record", CALL, confirm=True), resume])
    feed = Feed(engine)
    feed.run(1.0)
    engine.paused = True
    assert feed.run(1.0, {"call": 0.9}) == []  # no confirmation is asked while paused
    assert feed.run(1.0, {"smile": 0.9}) == []  # seen, latched, not fired
    assert [f.rule.name for f in feed.run(1.0, {"smile": 0.9, "rock": 0.9}) if f.rule] == ["resume"]
    engine.paused = False
    assert feed.run(1.0, {"smile": 0.9}) == []  # held through the pause: resuming does not fire it
    feed.run(0.2, {"smile": 0.0})
    assert [f.kind for f in feed.run(1.0, {"smile": 0.9})] == ["action"]


def test_pausing_drops_a_pending_confirmation() -> None:
    engine = TriggerEngine([rule("record", CALL, confirm=True)])
    feed = Feed(engine)
    feed.run(1.0)
    assert [f.kind for f in feed.run(1.0, {"call": 0.9})] == ["confirm_requested"]
    engine.paused = True
    feed.run(0.3, {"call": 0.0})
    assert feed.run(1.0, {"call": 0.9}) == []
    assert engine.status().pending is None
