"""Unit tests of ObsClient's own logic (backoff, re-apply, coalescing) with a fake connection.

The same behaviours are tested against a real OBS in test_obs_faults.py; these pin down the
details that are hard to provoke there (ordering, timing of retries, stale item ids, NotReady).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from streamkit.bus import EventBus
from streamkit.events import ObsActionFailed, ObsConnected, ObsDisconnected
from streamkit.obs.base import ObsEvent
from streamkit.obs.client import MAX_BACKOFF, ObsClient, backoff_delays
from streamkit.obs.errors import ObsAuthError, ObsConnectError, ObsRequestError, ObsUnavailable
from streamkit.testing.helpers import wait_until


class FakeObs:
    """Pretend OBS: scenes, items, inputs; can go down, refuse passwords, answer NotReady, block."""

    def __init__(self) -> None:
        self.up = True
        self.auth_ok = True
        self.not_ready = 0
        self.scene = "A"
        self.scenes = {"A", "B", "C"}
        self.items = {("A", "card"): [7, False]}
        self.settings: dict[str, dict[str, Any]] = {"cap": {}}
        self.log: list[tuple[str, dict[str, Any]]] = []
        self.connect_times: list[float] = []
        self.gate = threading.Event()
        self.gate.set()
        self.conns: list[FakeConnection] = []

    def drop(self) -> None:
        self.up = False
        for c in self.conns:
            c.lose("Connection reset by peer")

    def handle(self, request_type: str, data: dict[str, Any]) -> dict[str, Any]:
        self.gate.wait(5)
        self.log.append((request_type, data))
        if self.not_ready > 0 and request_type.startswith("Set"):
            self.not_ready -= 1
            raise ObsRequestError(request_type, 207, "OBS is not ready to perform the request.")
        if request_type == "GetVersion":
            return {"obsVersion": "fake", "obsWebSocketVersion": "5.x"}
        if request_type == "SetCurrentProgramScene":
            if data["sceneName"] not in self.scenes:
                raise ObsRequestError(request_type, 600, f"No source was found by the name of `{data['sceneName']}`.")
            self.scene = data["sceneName"]
            return {}
        if request_type == "GetSceneItemId":
            key = (data["sceneName"], data["sourceName"])
            if key not in self.items:
                raise ObsRequestError(request_type, 600, "No scene items were found.")
            return {"sceneItemId": self.items[key][0]}
        if request_type == "SetSceneItemEnabled":
            for key, item in self.items.items():
                if key[0] == data["sceneName"] and item[0] == data["sceneItemId"]:
                    item[1] = data["sceneItemEnabled"]
                    return {}
            raise ObsRequestError(request_type, 600, "No scene items were found.")
        if request_type == "SetInputSettings":
            self.settings.setdefault(data["inputName"], {}).update(data["inputSettings"])
            return {}
        return {}


class FakeConnection:
    """The interface ObsClient uses of ObsConnection."""

    def __init__(self, obs: FakeObs, url: str, password: str, timeout: float, on_event=None, on_lost=None) -> None:
        self.obs, self.url, self.on_lost, self.on_event = obs, url, on_lost, on_event
        self._alive = False
        self.lost_reason = ""

    def connect(self) -> None:
        self.obs.connect_times.append(time.monotonic())
        if not self.obs.up:
            raise ObsConnectError(self.url, "connection refused")
        if not self.obs.auth_ok:
            raise ObsAuthError(self.url)
        self._alive = True
        self.obs.conns.append(self)

    @property
    def alive(self) -> bool:
        return self._alive

    def lose(self, reason: str) -> None:
        if self._alive:
            self._alive = False
            self.lost_reason = reason
            if self.on_lost:
                self.on_lost(self)

    def _mark_lost(self, reason: str) -> None:
        self._alive = False
        self.lost_reason = self.lost_reason or reason

    def request(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        if not self._alive or not self.obs.up:
            raise ObsUnavailable(f"not connected to OBS at {self.url}")
        return self.obs.handle(request_type, data or {})

    def close(self) -> None:
        self._alive = False


@pytest.fixture
def fake() -> FakeObs:
    return FakeObs()


def make_client(fake: FakeObs, bus: EventBus | None = None, timeout: float = 1.0) -> ObsClient:
    return ObsClient("ws://fake:4455", "pw", timeout=timeout, bus=bus,
                     connection_factory=lambda *a, **k: FakeConnection(fake, *a, **k))


def applied(fake: FakeObs) -> list[str]:
    return [t for t, _ in fake.log if t.startswith("Set")]


def test_backoff_doubles_up_to_one_second() -> None:
    gen = backoff_delays()
    assert [round(next(gen), 3) for _ in range(7)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]
    assert MAX_BACKOFF <= 1.0


def test_retries_with_backoff_and_is_back_within_a_second_of_obs(fake: FakeObs) -> None:
    fake.up = False
    client = make_client(fake)
    try:
        time.sleep(2.6)
        gaps = [b - a for a, b in zip(fake.connect_times, fake.connect_times[1:])]
        assert len(fake.connect_times) >= 5
        # never sooner than the backoff asks (the delays themselves: test_backoff_doubles_up_to_one_second);
        # a busy machine may wake the client late, so later is allowed within reason
        for gap, expected in zip(gaps, [0.1, 0.2, 0.4, 0.8, 1.0]):
            assert expected - 0.02 <= gap < expected + 0.6, gaps
        fake.up = True
        back = time.monotonic()
        assert client.wait_connected(2.0)
        assert time.monotonic() - back < MAX_BACKOFF + 0.2
    finally:
        client.close()


def test_target_state_is_reapplied_in_order_after_reconnect(fake: FakeObs) -> None:
    bus = EventBus()
    seen: list[Any] = []
    bus.subscribe(seen.append, ObsConnected, ObsDisconnected)
    client = make_client(fake, bus)
    try:
        client.connect()
        client.set_scene("B")
        client.set_item_visible("A", "card", True)
        client.set_text("cap", "hello")
        assert client.flush()
        assert [t for t, _ in fake.log if t == "GetSceneItemId"] == ["GetSceneItemId"]
        fake.drop()
        fake.scene, fake.items[("A", "card")][1], fake.settings["cap"] = "A", False, {}  # OBS restarted fresh
        client.set_text("cap", "while away")  # must not raise
        fake.log.clear()
        fake.up = True
        assert client.wait_connected(2.0) and client.flush()
        assert applied(fake) == ["SetInputSettings", "SetSceneItemEnabled", "SetCurrentProgramScene"]
        assert ("GetSceneItemId", {"sceneName": "A", "sourceName": "card"}) in fake.log  # id cache was dropped
        assert fake.scene == "B" and fake.items[("A", "card")][1] is True
        assert fake.settings["cap"] == {"text": "while away"}
        assert wait_until(lambda: len(seen) == 3, 1)
        assert [type(e) for e in seen] == [ObsConnected, ObsDisconnected, ObsConnected]
        assert seen[1].reason == "Connection reset by peer"
    finally:
        client.close()


def test_rapid_changes_collapse_into_the_latest(fake: FakeObs) -> None:
    client = make_client(fake)
    try:
        client.connect()
        fake.gate.clear()  # OBS stalls on the first request
        client.set_text("cap", "0")
        time.sleep(0.05)
        for i in range(1, 200):
            client.set_text("cap", str(i))
            client.set_scene("B" if i % 2 else "C")
        fake.gate.set()
        assert client.flush()
        texts = [d["inputSettings"]["text"] for t, d in fake.log if t == "SetInputSettings"]
        assert texts[-1] == "199" and len(texts) <= 2
        assert len([t for t, _ in fake.log if t == "SetCurrentProgramScene"]) == 1
        assert fake.scene == "B"
    finally:
        client.close()


def test_refused_action_is_published_and_kept(fake: FakeObs) -> None:
    bus = EventBus()
    failed: list[ObsActionFailed] = []
    bus.subscribe(failed.append, ObsActionFailed)
    client = make_client(fake, bus)
    try:
        client.connect()
        client.set_scene("missing")
        client.flush()
        assert wait_until(lambda: len(failed) == 1, 1)
        assert (failed[0].request, failed[0].code) == ("SetCurrentProgramScene", 600)
        assert "missing" in failed[0].comment
        fake.scenes.add("missing")  # the streamer creates it; the next reconnect applies it
        fake.drop()
        fake.up = True
        assert client.wait_connected(2) and client.flush()
        assert fake.scene == "missing"
    finally:
        client.close()


def test_not_ready_is_retried(fake: FakeObs) -> None:
    fake.not_ready = 2
    client = make_client(fake)
    try:
        client.connect()
        client.set_scene("C")
        assert client.flush(3)
        assert fake.scene == "C"
        assert applied(fake) == ["SetCurrentProgramScene"] * 3
    finally:
        client.close()


def test_stale_item_id_is_looked_up_again(fake: FakeObs) -> None:
    client = make_client(fake)
    try:
        client.connect()
        client.set_item_visible("A", "card", True)
        assert client.flush()
        fake.items[("A", "card")] = [9, True]  # the item was deleted and re-added in OBS
        client.set_item_visible("A", "card", False)
        assert client.flush()
        assert fake.items[("A", "card")] == [9, False]
        assert [t for t, _ in fake.log].count("GetSceneItemId") == 2
    finally:
        client.close()


def test_requests_raise_typed_errors(fake: FakeObs) -> None:
    client = make_client(fake, timeout=0.3)
    try:
        client.connect()
        with pytest.raises(ObsRequestError) as info:
            client.request("SetCurrentProgramScene", {"sceneName": "nope"})
        assert info.value.code == 600
        fake.drop()
        start = time.monotonic()
        with pytest.raises(ObsUnavailable, match="not connected"):
            client.request("GetVersion")
        assert time.monotonic() - start < 1.0
    finally:
        client.close()


def test_wrong_password_raises_and_keeps_trying(fake: FakeObs) -> None:
    fake.auth_ok = False
    client = make_client(fake)
    try:
        with pytest.raises(ObsAuthError):
            client.connect()
        assert isinstance(client.last_error, ObsAuthError)
        fake.auth_ok = True  # the streamer fixed the password in OBS
        assert client.wait_connected(2)
    finally:
        client.close()


def test_callbacks_run_off_the_receive_thread_and_may_request(fake: FakeObs) -> None:
    client = make_client(fake)
    try:
        client.connect()
        got: list[tuple[str, dict[str, Any]]] = []
        client.on_event(lambda e: got.append((threading.current_thread().name, client.request("GetVersion"))),
                        "CurrentProgramSceneChanged")
        conn = fake.conns[-1]
        conn.on_event(ObsEvent("CurrentProgramSceneChanged", {"sceneName": "B"}))
        conn.on_event(ObsEvent("InputMuteStateChanged", {"inputName": "mic", "inputMuted": True}))
        assert wait_until(lambda: len(got) == 1, 1)
        assert got[0] == ("streamkit-obs-events", {"obsVersion": "fake", "obsWebSocketVersion": "5.x"})
    finally:
        client.close()


def test_close_fails_queued_requests_and_stops_threads(fake: FakeObs) -> None:
    client = make_client(fake)
    client.connect()
    fake.gate.clear()
    client.set_scene("B")  # the worker is now stuck in this request
    results: list[BaseException] = []

    def ask() -> None:
        try:
            client.request("GetVersion", timeout=5)
        except ObsUnavailable as exc:
            results.append(exc)

    t = threading.Thread(target=ask)
    t.start()
    time.sleep(0.1)
    threading.Timer(0.2, fake.gate.set).start()
    client.close(flush_timeout=0)
    t.join(3)
    assert len(results) == 1 and "closed" in str(results[0])
    assert not client._worker.is_alive() and not client._dispatcher.is_alive()
