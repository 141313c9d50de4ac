"""The live feed (``GET /live``, Server-Sent Events): dashboard tiles when they change, caption lines for
the monitor, and short announcements for the screen-reader live regions.

A thread watches the board (:func:`~.board.collect`) — at once after any recorded event on the bus,
and every half second otherwise — and each browser gets, in its own language, only the tiles whose
HTML changed. Announcements come from events that say themselves (:meth:`Event.announce`) and from
a feature that fails; nothing else is announced, so a screen reader is not flooded.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse

from streamkit.component import State
from streamkit.events import Caption, Event, ObsConnected, ObsDisconnected
from streamkit.text import UtteranceAssembler

from .board import Board, ObsCheck, collect
from .host import Host
from .i18n import translator
from .render import render_board

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0


@dataclass(eq=False)
class _Client:
    queue: asyncio.Queue[tuple[str, Any]]
    loop: asyncio.AbstractEventLoop
    lang: str
    csrf: str
    sent: dict[str, str] = field(default_factory=dict)  # tile id → HTML last sent


class LiveFeed:
    """Watches the host's bus and board; streams changes to every open panel page."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.check = ObsCheck()
        self._clients: set[_Client] = set()
        self._lock = threading.Lock()
        self._board: Board | None = None
        self._utterances = UtteranceAssembler()  # caption pieces → the line each source is saying
        self._dirty = threading.Event()
        self._closed = threading.Event()
        self._unsubscribe = host.bus.subscribe(self._on_event)
        self._thread = threading.Thread(target=self._watch, name="panel-live", daemon=True)
        self._thread.start()

    @property
    def board(self) -> Board:
        """The latest board (collected now when none was yet)."""
        return self._board or collect(self.host, self.check)

    def refresh(self) -> None:
        """Look at the board again now (after an action that changed it)."""
        self._dirty.set()

    def close(self) -> None:
        self._closed.set()
        self._dirty.set()
        self._unsubscribe()

    # bus and board ----------------------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        if not event.recorded:
            return
        if isinstance(event, Caption):
            with self._lock:
                done = self._utterances.add(event)
                text = self._utterances.current(event.source) or (done[-1].text if done else "")
            self._broadcast("caption", {"type": "caption", "source": event.source, "speaker": event.speaker,
                                        "utterance": event.utterance, "text": text, "final": bool(done)})
        else:
            self._broadcast("event", event)
        if isinstance(event, ObsConnected | ObsDisconnected):
            self.check.invalidate()
            self.host.obs_seen = self.host.obs_seen or isinstance(event, ObsConnected)
        self._dirty.set()

    def _watch(self) -> None:
        while not self._closed.is_set():
            self._dirty.wait(POLL_SECONDS)
            self._dirty.clear()
            try:
                board = collect(self.host, self.check)
            except Exception:  # noqa: BLE001 - the feed must outlive one bad snapshot
                log.exception("could not read the dashboard")
                continue
            old, self._board = self._board, board
            if board != old:
                self._broadcast("board", (old, board))

    def _broadcast(self, kind: str, item: Any) -> None:
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            try:
                client.loop.call_soon_threadsafe(client.queue.put_nowait, (kind, item))
            except RuntimeError:  # its loop has closed
                self._drop(client)

    def _drop(self, client: _Client) -> None:
        with self._lock:
            self._clients.discard(client)

    # the stream -----------------------------------------------------------------------------------
    async def stream(self, request: Request) -> StreamingResponse:
        """``GET /live``: the board at once, then every change (Server-Sent Events)."""
        client = _Client(asyncio.Queue(), asyncio.get_running_loop(), self.host.language(request),
                         self.host.csrf_token(request))
        with self._lock:
            self._clients.add(client)
        client.queue.put_nowait(("board", (None, self.board)))

        async def events() -> AsyncIterator[str]:
            try:
                yield "retry: 1000\n\n"
                while not await request.is_disconnected():
                    try:
                        kind, item = await asyncio.wait_for(client.queue.get(), KEEPALIVE_SECONDS)
                    except asyncio.TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    for message in self._messages(client, kind, item):
                        yield f"data: {json.dumps(message, ensure_ascii=False)}\n\n"
            finally:
                self._drop(client)

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    def _messages(self, client: _Client, kind: str, item: Any) -> list[dict[str, Any]]:
        if kind == "caption":
            return [item]
        if kind == "event":
            event: Event = item
            text = event.announce(client.lang)
            return [{"type": "announce", "text": text, "urgent": isinstance(event, ObsDisconnected)}] if text else []
        old, board = item
        return self._board_messages(client, old, board)

    def _board_messages(self, client: _Client, old: Board | None, board: Board) -> list[dict[str, Any]]:
        tiles = render_board(self.host, board, client.lang, client.csrf)
        changed = [{"id": tid, "html": html} for tid, html in tiles if client.sent.get(tid) != html]
        client.sent = dict(tiles)
        messages: list[dict[str, Any]] = []
        if changed:
            messages.append({"type": "tiles", "order": [tid for tid, _ in tiles], "items": changed})
        if old is not None:
            messages += [{"type": "announce", "text": text, "urgent": True} for text in failures(old, board, client.lang)]
        return messages


def failures(old: Board, new: Board, lang: str) -> list[str]:
    """Sentences for what went wrong since ``old``: a feature that failed, a session that could not start."""
    t = translator(lang)
    before = {tile.id: tile for tile in old.tiles}
    out = []
    for tile in new.tiles:
        was = before.get(tile.id)
        if tile.state == State.FAILED.value and (was is None or was.state != tile.state):
            out.append(t("announce_failed", feature=t.feature(tile.id), error=tile.error))
    if new.session.error and new.session.error != old.session.error:
        out.append(t("announce_start_failed", error=new.session.error))
    return out
