"""One obs-websocket 5 connection over obs-websocket-py 1.0, with the library's gaps closed.

:class:`ObsConnection` subclasses :class:`obswebsocket.obsws` and

- keeps OBS's ``requestStatus`` (code and comment) that the library drops;
- always speaks protocol v5 (the library silently switches to v4 on port 4444);
- uses short timeouts (the library waits 60 s, and forever to connect);
- turns a wrong password and a closed port into :class:`ObsAuthError` / :class:`ObsConnectError`;
- notices when its receive thread dies (the library's thread dies silently on a connection
  reset) and wakes every waiting request at once instead of letting each one time out.

It does no reconnecting and no event dispatching: :class:`~streamkit.obs.client.ObsClient` does.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

import websocket
from obswebsocket import base_classes, obsws
from obswebsocket.core import RecvThread

from .base import ObsEvent, parse_url
from .errors import ObsAuthError, ObsConnectError, ObsRequestError, ObsUnavailable

log = logging.getLogger("streamkit.obs")

AUTH_FAILED_CLOSE_CODE = 4009  # obs-websocket WebSocketCloseCode::AuthenticationFailed
EVENT_SUBSCRIPTIONS_ALL = 1023  # every non-high-volume event
QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)  # Linux only


class _Pending(dict):  # type: ignore[type-arg]
    """``obsws.events``: the library's receive thread indexes it after a membership test, so a
    request that timed out in between must not raise ``KeyError`` there (it would kill the thread)."""

    def __missing__(self, key: str) -> threading.Event:
        return threading.Event()


class _QuickAckWebSocket(websocket.WebSocket):
    """Acknowledges every read at once (Linux ``TCP_QUICKACK``).

    OBS writes each event and reply as a small separate message; with Nagle on its side and
    delayed ACKs on ours, a message that follows another waits ≈ 40 ms for our ACK.
    """

    def _recv(self, bufsize: int) -> bytes:
        data = super()._recv(bufsize)
        sock = self.sock
        if QUICKACK is not None and sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
            except OSError:
                pass
        return data


class _WatchedRecvThread(RecvThread):
    """The library's receive loop, plus a callback when it ends for any reason."""

    def run(self) -> None:
        try:
            super().run()
        except BaseException as exc:  # noqa: BLE001 - OSError (connection reset) ends the loop here
            log.debug("OBS receive thread ended: %r", exc)
            self.core._lost_reason = self.core._lost_reason or f"{type(exc).__name__}: {exc}"
        finally:
            self.core._receive_ended()


class ObsConnection(obsws):
    """A single connection; :meth:`connect` raises typed errors, :meth:`call_raw` returns OBS's reply."""

    def __init__(
        self,
        url: str,
        password: str = "",
        timeout: float = 3.0,
        on_event: Callable[[ObsEvent], None] | None = None,
        on_lost: Callable[[ObsConnection], None] | None = None,
    ) -> None:
        host, port = parse_url(url)
        super().__init__(host, port, password, legacy=False, timeout=timeout)
        self.url = url
        self.obs_websocket_version = ""
        self.events = _Pending()
        self._id_lock = threading.Lock()
        self._abandoned: set[str] = set()
        self._on_event = on_event
        self._on_lost = on_lost
        self._lost = threading.Event()
        self._lost_reason = ""
        self._closing = False
        if on_event is not None:
            self.register(self._forward_event)

    # -- connecting -------------------------------------------------------------------------

    def connect(self) -> None:
        """Open the socket, authenticate and start the receive thread; raises Obs*Error."""
        ws = _QuickAckWebSocket(enable_multithread=True)
        try:
            ws.connect(self.url, timeout=self.timeout, suppress_origin=True)
        except websocket.WebSocketTimeoutException:
            raise ObsUnavailable(f"OBS at {self.url} did not answer within {self.timeout:g} s",
                                 "check the address and that OBS is not frozen") from None
        except (OSError, websocket.WebSocketException) as exc:
            raise ObsConnectError(self.url, _reason(exc)) from None
        self.ws = ws
        try:
            self._auth()
        except websocket.WebSocketTimeoutException:
            self._shutdown_socket()
            raise ObsUnavailable(f"OBS at {self.url} did not finish the handshake within {self.timeout:g} s",
                                 "check that this is the obs-websocket port (5.x) and OBS is not frozen") from None
        except (OSError, websocket.WebSocketException) as exc:
            self._shutdown_socket()
            raise ObsConnectError(self.url, _reason(exc)) from None
        except BaseException:
            self._shutdown_socket()
            raise
        ws.settimeout(None)  # the receive thread blocks; requests have their own timeouts
        self.thread_recv = _WatchedRecvThread(self)
        self.thread_recv.name = "streamkit-obs-recv"
        self.thread_recv.daemon = True
        self.thread_recv.start()

    def _auth(self) -> None:
        hello = json.loads(self.ws.recv() or "{}")
        if hello.get("op") != 0:
            raise ObsConnectError(self.url, "the server did not greet like obs-websocket 5")
        d = hello.get("d", {})
        self.server_version = self.obs_websocket_version = d.get("obsWebSocketVersion", "")
        auth = ""
        if d.get("authentication"):
            if not self.password:
                raise ObsAuthError(self.url, password_given=False)
            auth = self._build_auth_string(d["authentication"]["salt"], d["authentication"]["challenge"])
        identify = {"op": 1, "d": {"rpcVersion": 1, "authentication": auth,
                                   "eventSubscriptions": EVENT_SUBSCRIPTIONS_ALL}}
        self.ws.send(json.dumps(identify))
        try:
            opcode, data = self.ws.recv_data()
        except websocket.WebSocketConnectionClosedException:
            raise ObsAuthError(self.url) if auth else ObsConnectError(self.url, "closed during handshake") from None
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 0
            if code == AUTH_FAILED_CLOSE_CODE:
                raise ObsAuthError(self.url)
            raise ObsConnectError(self.url, f"closed with code {code} {data[2:].decode('utf-8', 'replace')}".strip())
        reply = json.loads(data)
        if reply.get("op") != 2:
            raise ObsConnectError(self.url, f"unexpected handshake reply {reply!r:.80}")

    # -- requests ---------------------------------------------------------------------------

    def call(self, obj: base_classes.Baserequests) -> base_classes.Baserequests:
        """The library's ``call``, keeping ``status_code`` and ``comment`` on the request object."""
        reply = self.call_raw(obj.name, obj.data())
        status = reply.get("requestStatus", {})
        obj.input(reply.get("responseData") or {}, bool(status.get("result")))
        obj.status_code = status.get("code", 0)
        obj.comment = status.get("comment", "")
        return obj

    def call_raw(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        """Send one request; return OBS's ``d`` (``requestStatus``, ``responseData``). Raises ObsUnavailable."""
        if not self.alive:
            raise ObsUnavailable(f"not connected to OBS at {self.url}", "wait for OBS to come back")
        with self._id_lock:
            message_id = str(self.id)
            self.id += 1
            for stale in [m for m in self._abandoned if m in self.answers]:
                self.answers.pop(stale, None)
                self._abandoned.discard(stale)
        waiter = threading.Event()
        self.events[message_id] = waiter
        payload = {"op": 6, "d": {"requestId": message_id, "requestType": request_type, "requestData": data or {}}}
        try:
            self.ws.send(json.dumps(payload, ensure_ascii=False))
        except (OSError, websocket.WebSocketException) as exc:
            self.events.pop(message_id, None)
            self._mark_lost(_reason(exc))
            raise ObsUnavailable(f"lost the connection to OBS at {self.url} while sending {request_type}",
                                 "it is re-applied when OBS is back") from None
        limit = self.timeout if timeout is None else timeout
        waiter.wait(limit)
        self.events.pop(message_id, None)
        reply = self.answers.pop(message_id, None)
        if reply is None:
            if not self.alive:
                raise ObsUnavailable(f"lost the connection to OBS at {self.url} during {request_type}",
                                     "wait for OBS to come back")
            self._abandoned.add(message_id)
            raise ObsUnavailable(f"OBS at {self.url} did not answer {request_type} within {limit:g} s",
                                 "OBS may be busy or frozen")
        return reply

    def request(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        """Send one request; return ``responseData``; raise :class:`ObsRequestError` when OBS refuses it."""
        reply = self.call_raw(request_type, data, timeout)
        status = reply.get("requestStatus", {})
        if not status.get("result"):
            raise ObsRequestError(request_type, int(status.get("code", 0)), status.get("comment", ""))
        return reply.get("responseData") or {}

    # -- liveness ---------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        """True while the socket is open and the receive thread runs."""
        t = self.thread_recv
        return (not self._lost.is_set() and self.ws is not None and self.ws.connected
                and t is not None and t.is_alive())

    @property
    def lost_reason(self) -> str:
        return self._lost_reason

    def _mark_lost(self, reason: str) -> None:
        if not self._lost_reason:
            self._lost_reason = reason
        self._lost.set()

    def _receive_ended(self) -> None:
        self._mark_lost("connection closed")
        for waiter in list(self.events.values()):
            waiter.set()  # wake waiting requests now; they see no answer and a dead connection
        if self._on_lost is not None and not self._closing:
            try:
                self._on_lost(self)
            except Exception:  # noqa: BLE001
                log.exception("on_lost callback failed")

    def _forward_event(self, event: base_classes.Baseevents) -> None:
        if self._on_event is not None:
            self._on_event(ObsEvent(event.name, dict(event.datain)))

    # -- closing ----------------------------------------------------------------------------

    def disconnect(self) -> None:
        """Close the socket and stop the receive thread (safe from any thread, also the receive thread)."""
        t = self.thread_recv
        if t is not None:
            t.running = False
        self._shutdown_socket()
        if t is not None and t is not threading.current_thread():
            t.join(timeout=2.0)

    def close(self) -> None:
        """Disconnect on purpose (no ``on_lost`` callback)."""
        self._closing = True
        was_alive = self.alive
        self._mark_lost("closed by streamkit")
        if was_alive:
            try:
                self.ws.send_close()  # a polite 1000 close, so OBS logs a normal disconnect
            except Exception:  # noqa: BLE001
                pass
        self.disconnect()

    def _shutdown_socket(self) -> None:
        ws = self.ws
        if ws is None:
            return
        sock = ws.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a recv() blocked in the receive thread
            except OSError:
                pass
        try:
            ws.shutdown()
        except Exception:  # noqa: BLE001
            pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    text = str(exc) or type(exc).__name__
    return text.split("\n")[0][:120]
