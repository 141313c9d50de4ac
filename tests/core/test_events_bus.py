"""Events, bus, clock and pipeline: our own logic, tested with plain data."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable

import pytest

from streamkit.bus import EventBus
from streamkit.clock import SimulatedClock, WallClock
from streamkit.events import (CORE_EVENT_TYPES, AudioChunk, Event, EventTypes, MomentMarked, SceneChanged, SourceEnded,
                              SpokenPhrase, UnknownEvent)
from streamkit.pipeline import Pipeline, Processor, Source, run_test


def test_events_are_frozen_and_round_trip() -> None:
    e = SceneChanged(scene="直播间", ts=12.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.scene = "x"  # type: ignore[misc]
    d = e.to_dict()
    assert d == {"type": "SceneChanged", "ts": 12.5, "scene": "直播间"}
    assert EventTypes(CORE_EVENT_TYPES).from_dict(d) == e


def test_what_shows_on_stream_is_the_moments_and_words_spoken_into_the_stream() -> None:
    assert SceneChanged(scene="直播间").shows_on_stream()
    assert not MomentMarked(label="看这里").shows_on_stream()
    spoken = {d: SpokenPhrase(text="欢迎", voice="v", destination=d).shows_on_stream()
              for d in ("stream", "headphones", "file")}
    assert spoken == {"stream": True, "headphones": False, "file": False}
    assert "shows_on_stream" not in SpokenPhrase(text="欢迎", voice="v", destination="stream").to_dict()


def test_unknown_event_type_is_kept_not_dropped() -> None:
    e = EventTypes(CORE_EVENT_TYPES).from_dict({"type": "FromAFuturePlugin", "ts": 1.0, "x": 2})
    assert isinstance(e, UnknownEvent) and e.name == "FromAFuturePlugin" and e.data == {"x": 2}


def test_event_types_are_registered_explicitly_not_by_defining_a_class() -> None:
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class NotRegistered(Event):
        x: int

    assert "NotRegistered" not in EventTypes(CORE_EVENT_TYPES)
    assert EventTypes([*CORE_EVENT_TYPES, NotRegistered]).from_dict({"type": "NotRegistered", "x": 3}) == \
        NotRegistered(ts=0.0, x=3)
    with pytest.raises(ValueError, match="two event types are called SceneChanged"):
        EventTypes([SceneChanged, dataclasses.make_dataclass("SceneChanged", [], bases=(Event,), frozen=True)])


def test_a_time_that_is_not_finite_is_an_unreadable_event() -> None:
    with pytest.raises(ValueError, match="finite"):
        EventTypes(CORE_EVENT_TYPES).from_dict({"type": "SceneChanged", "ts": float("inf"), "scene": "a"})


def test_every_plugin_registers_its_events_through_the_hook() -> None:
    from streamkit.hooks import Plugins

    types = Plugins.installed().event_types()
    for name in ("Caption", "Utterance", "ProductCardShown", "GestureTriggered", "GesturesPaused", "CaptionsSkipped"):
        assert name in types, name


def test_bus_filters_by_type_and_isolates_failing_subscribers() -> None:
    bus = EventBus()
    scenes: list[Event] = []
    everything: list[Event] = []

    def broken(_: Event) -> None:
        raise RuntimeError("boom")

    bus.subscribe(broken)
    bus.subscribe(scenes.append, SceneChanged)
    unsubscribe = bus.subscribe(everything.append)
    bus.publish(SceneChanged(scene="a"))
    bus.publish(MomentMarked(label="m"))
    unsubscribe()
    bus.publish(SceneChanged(scene="b"))
    assert [e.scene for e in scenes] == ["a", "b"]  # type: ignore[attr-defined]
    assert len(everything) == 2


def test_simulated_clock_never_waits() -> None:
    clock = SimulatedClock()
    clock.sleep_until(3600.0)
    assert clock.now() == 3600.0
    clock.sleep_until(10.0)
    assert clock.now() == 3600.0
    wall = WallClock()
    t0 = wall.now()
    wall.sleep_until(t0 + 0.05)
    assert wall.now() - t0 >= 0.05


class Doubler(Processor):
    def process(self, event: Event) -> Iterable[Event]:
        if isinstance(event, SceneChanged):
            yield event
            yield SceneChanged(scene=event.scene * 2, ts=event.ts)
        else:
            yield event


class Counter(Processor):
    def __init__(self) -> None:
        self.n = 0

    def process(self, event: Event) -> Iterable[Event]:
        self.n += 1
        return ()

    def flush(self) -> Iterable[Event]:
        yield MomentMarked(label=f"seen {self.n}")


def test_run_test_harness() -> None:
    out = run_test(Doubler(), [SceneChanged(scene="a")])
    assert [e.scene for e in out] == ["a", "aa"]  # type: ignore[attr-defined]
    assert [e.label for e in run_test(Counter(), [SceneChanged(scene="a")] * 3)] == ["seen 3"]  # type: ignore[attr-defined]


class ListSource(Source):
    name = "list"

    def __init__(self, events: list[Event], fail_after: int | None = None) -> None:
        self.events = events
        self.fail_after = fail_after

    def __iter__(self):  # type: ignore[no-untyped-def]
        for i, e in enumerate(self.events):
            if self.fail_after is not None and i == self.fail_after:
                raise OSError("device unplugged")
            yield e


def test_pipeline_publishes_outputs_and_flushes() -> None:
    bus = EventBus()
    got: list[Event] = []
    bus.subscribe(got.append)
    Pipeline(ListSource([SceneChanged(scene="x")]), [Doubler(), Counter()], bus).run()
    assert [getattr(e, "label", None) for e in got if isinstance(e, MomentMarked)] == ["seen 2"]
    assert isinstance(got[-1], SourceEnded) and got[-1].reason == "end of input"


def test_failing_source_ends_its_pipeline_cleanly_and_others_go_on() -> None:
    bus = EventBus()
    got: list[Event] = []
    bus.subscribe(got.append)
    chunk = AudioChunk(source="mic", samples=[0.0], sample_rate=16000, start=0.0)
    bad_source = ListSource([chunk, chunk, chunk], fail_after=1)
    bad_source.name = "mic"
    bad = Pipeline(bad_source, [], bus)
    good = Pipeline(ListSource([SceneChanged(scene="ok")]), [], bus)
    threads = [bad.start(), good.start()]
    for t in threads:
        t.join(5)
    ended = [e for e in got if isinstance(e, SourceEnded) and e.reason == "error"]
    assert len(ended) == 1 and ended[0].source == "mic" and "unplugged" in ended[0].error
    assert any(isinstance(e, SceneChanged) for e in got)


def test_bus_is_thread_safe() -> None:
    bus = EventBus()
    got: list[Event] = []
    lock = threading.Lock()

    def add(e: Event) -> None:
        with lock:
            got.append(e)

    bus.subscribe(add)
    threads = [threading.Thread(target=lambda: [bus.publish(MomentMarked()) for _ in range(500)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 2000
