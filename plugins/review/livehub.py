"""Wakes the requests waiting on a session (a coach's live page, the streamer's prompt poll) when
something new is stored for it. In-process: a waiter also looks at the database every
:data:`SLICE` seconds, so a second server process behind the same database is late, never wrong."""

from __future__ import annotations

import asyncio
import threading

SLICE = 5.0


class LiveHub:
    """``notify(session)`` from any thread; ``await wait(session, timeout)`` on the event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] = {}

    def notify(self, session_id: str) -> None:
        with self._lock:
            waiters = self._waiters.pop(session_id, set())
        for loop, future in waiters:
            loop.call_soon_threadsafe(_resolve, future)

    async def wait(self, session_id: str, timeout: float = SLICE) -> bool:
        """True when woken by :meth:`notify`, False after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        entry = (loop, future)
        with self._lock:
            self._waiters.setdefault(session_id, set()).add(entry)
        try:
            await asyncio.wait_for(future, timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            with self._lock:
                self._waiters.get(session_id, set()).discard(entry)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
