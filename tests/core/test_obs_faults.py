"""Faults against a real OBS: killed and restarted, connection reset, wrong password, closed port."""

from __future__ import annotations

import selectors
import socket
import struct
import threading
import time

import pytest

from streamkit.bus import EventBus
from streamkit.events import Event, MomentMarked, ObsActionFailed, ObsConnected, ObsDisconnected
from streamkit.obs import ObsAuthError, ObsClient, ObsConnectError, ObsUnavailable
from streamkit.obs.connection import ObsConnection
from streamkit.testing.headless_obs import HeadlessObs, free_port
from streamkit.testing.helpers import wait_until

pytestmark = pytest.mark.obs


def obs_state(client: ObsClient) -> tuple[str, str, bool]:
    """(program scene, text of 字幕, is 商品卡 visible in 商品特写) as OBS reports them."""
    scene = client.request("GetCurrentProgramScene")["currentProgramSceneName"]
    text = client.request("GetInputSettings", {"inputName": "字幕"})["inputSettings"].get("text", "")
    item = client.request("GetSceneItemId", {"sceneName": "商品特写", "sourceName": "商品卡"})["sceneItemId"]
    visible = client.request("GetSceneItemEnabled", {"sceneName": "商品特写", "sceneItemId": item})["sceneItemEnabled"]
    return scene, text, visible


def test_obs_killed_and_restarted_target_state_comes_back(headless_obs: HeadlessObs, obs_client: ObsClient) -> None:
    bus = EventBus()
    delivered: list[Event] = []
    bus.subscribe(delivered.append)
    client = ObsClient(headless_obs.url, headless_obs.password, bus=bus)
    try:
        client.connect()
        client.set_scene("商品特写")
        client.set_text("字幕", "断线前")
        assert client.flush()
        assert obs_state(client) == ("商品特写", "断线前", False)

        headless_obs.kill()
        assert wait_until(lambda: not client.connected, 3)
        published = [MomentMarked(label=f"离线 {i}", source="test") for i in range(5)]
        # While OBS is away: new target state, more events; nothing may raise.
        client.set_text("字幕", "断线期间的新字幕")
        bus.publish(published[0])
        client.set_item_visible("商品特写", "商品卡", True)
        bus.publish(published[1])
        client.set_scene("暂停")
        client.set_scene("商品特写")  # the last target wins
        for event in published[2:]:
            bus.publish(event)
        with pytest.raises(ObsUnavailable):
            client.request("GetVersion", timeout=0.3)
        time.sleep(1.5)  # long enough for the backoff to reach its cap

        headless_obs.start()  # returns once OBS answers; it starts with the written (default) state
        answered = time.monotonic()
        assert client.wait_connected(3.0), "client not back within 3 s of OBS answering"
        back_after = time.monotonic() - answered
        assert client.flush(3.0)
        assert obs_state(client) == ("商品特写", "断线期间的新字幕", True)
        print(f"reconnected {back_after:.2f} s after OBS answered")
    finally:
        client.close()
    assert wait_until(lambda: sum(isinstance(e, ObsConnected) for e in delivered) == 2, 2)
    assert [e for e in delivered if isinstance(e, MomentMarked)] == published
    kinds = [type(e) for e in delivered if isinstance(e, (ObsConnected, ObsDisconnected))]
    assert kinds == [ObsConnected, ObsDisconnected, ObsConnected]


class ResettingProxy:
    """A one-thread TCP proxy in front of OBS that can reset every connection (RST, not a clean close)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._pairs: dict[socket.socket, socket.socket] = {}
        self._clients: list[socket.socket] = []
        self._reset = threading.Event()
        self._done = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        sel = selectors.DefaultSelector()
        sel.register(self.server, selectors.EVENT_READ)
        sel.register(self._wake_r, selectors.EVENT_READ)
        while not self._stop:
            for key, _ in sel.select(0.5):
                sock = key.fileobj
                if sock is self.server:
                    down, _ = self.server.accept()
                    up = socket.create_connection(("127.0.0.1", self.target_port))
                    self._pairs[down], self._pairs[up] = up, down
                    self._clients.append(down)
                    sel.register(down, selectors.EVENT_READ)
                    sel.register(up, selectors.EVENT_READ)
                elif sock is self._wake_r:
                    self._wake_r.recv(64)
                elif sock in self._pairs:
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        data = b""
                    if data:
                        self._pairs[sock].sendall(data)
                    else:
                        self._drop(sel, sock, rst=False)
            if self._reset.is_set():
                for down in list(self._clients):
                    self._drop(sel, down, rst=True)
                self._reset.clear()
                self._done.set()
        sel.close()

    def _drop(self, sel: selectors.BaseSelector, sock: socket.socket, rst: bool) -> None:
        other = self._pairs.pop(sock, None)
        for s in (sock, other):
            if s is None:
                continue
            self._pairs.pop(s, None)
            if s in self._clients:
                self._clients.remove(s)
            sel.unregister(s)
            if rst:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()  # with linger 0 the peer gets ECONNRESET

    def reset_all(self) -> None:
        self._done.clear()
        self._reset.set()
        self._wake_w.send(b"x")
        assert self._done.wait(2)

    def close(self) -> None:
        self._stop = True
        self._wake_w.send(b"x")
        self._thread.join(2)
        self.server.close()


def test_connection_reset_is_detected_and_recovered(headless_obs: HeadlessObs, obs_client: ObsClient) -> None:
    proxy = ResettingProxy(headless_obs.port)
    bus = EventBus()
    lost: list[ObsDisconnected] = []
    bus.subscribe(lost.append, ObsDisconnected)
    client = ObsClient(f"ws://127.0.0.1:{proxy.port}", headless_obs.password, bus=bus)
    try:
        client.connect()
        client.set_text("字幕", "重置之前")
        assert client.flush()
        proxy.reset_all()
        assert wait_until(lambda: len(lost) == 1, 2), "a connection reset went unnoticed"
        print("reset reason:", lost[0].reason)
        assert "ConnectionResetError" in lost[0].reason
        client.set_text("字幕", "重置之后")
        assert client.wait_connected(3.0)
        assert client.flush(3.0)
        assert obs_state(client)[1] == "重置之后"
    finally:
        client.close()
        proxy.close()


def test_wrong_password_is_one_clear_line(headless_obs: HeadlessObs) -> None:
    client = ObsClient(headless_obs.url, "not-the-password")
    try:
        with pytest.raises(ObsAuthError) as info:
            client.connect()
    finally:
        client.close()
    message = str(info.value)
    assert message == (f"OBS at {headless_obs.url} refused the password — set [obs] password or "
                       "STREAMKIT_OBS_PASSWORD to the password shown in OBS → Tools → WebSocket Server Settings")
    assert not client.connected


def test_missing_password_says_so(headless_obs: HeadlessObs) -> None:
    conn = ObsConnection(headless_obs.url, "")
    with pytest.raises(ObsAuthError, match="requires a password and none was given"):
        conn.connect()
    conn.close()


def test_closed_port_is_one_clear_line() -> None:
    port = free_port()
    client = ObsClient(f"ws://127.0.0.1:{port}", "x", timeout=1.0)
    try:
        start = time.monotonic()
        with pytest.raises(ObsConnectError) as info:
            client.connect()
        assert time.monotonic() - start < 2.0
        # target-state calls while OBS is away never raise
        client.set_scene("直播间")
        client.set_text("字幕", "你好")
        with pytest.raises(ObsUnavailable, match="not connected"):
            client.request("GetVersion", timeout=0.2)
    finally:
        client.close()
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"cannot reach OBS at ws://127.0.0.1:{port} (connection refused): "
                              "OBS isn't running or its WebSocket server is off")
    assert "Enable WebSocket server" in message


def test_port_4444_still_speaks_protocol_v5(headless_obs: HeadlessObs) -> None:
    conn = ObsConnection("ws://127.0.0.1:4444", "pw")
    assert conn.legacy is False


def test_frozen_obs_times_out_quickly_and_recovers(headless_obs: HeadlessObs, obs_client: ObsClient) -> None:
    bus = EventBus()
    failed: list[Event] = []
    bus.subscribe(failed.append, ObsActionFailed)
    client = ObsClient(headless_obs.url, headless_obs.password, timeout=0.5, bus=bus)
    try:
        client.connect()
        headless_obs.pause()
        try:
            start = time.monotonic()
            with pytest.raises(ObsUnavailable, match="did not answer GetVersion"):
                client.request("GetVersion")
            assert time.monotonic() - start < 5.0  # the 0.5 s timeout, never the library's 60 s
            client.set_text("字幕", "冻结期间")  # never raises; reported on the bus instead
            assert wait_until(lambda: len(failed) == 1, 2)
        finally:
            headless_obs.resume()
        assert client.wait_connected(3.0)
        assert client.flush(3.0)
        assert obs_state(client)[1] == "冻结期间"
    finally:
        client.close()
