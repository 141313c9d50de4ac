"""The overlay server: browser-source pages for OBS and the streamer's private monitor page.

One FastAPI app served by uvicorn in a background thread. Plugins add pages
(:meth:`OverlayServer.add_page`) and push live data to them over Server-Sent Events
(:meth:`OverlayServer.publish`, received at ``GET /events/{channel}``). The last message of each
channel is replayed to a page that connects later, so an overlay added mid-stream shows the
current caption or card at once.

The app carries the protection every streamkit web server shares (:mod:`streamkit.web`): it
answers only to its own names (so a web page cannot read the private monitor channel by DNS
rebinding), bounds request bodies, serves no API docs, and sends a content security policy.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

import uvicorn
from fastapi import Request
from fastapi.responses import HTMLResponse, StreamingResponse

from .web import INLINE_CSP, WebPolicy, create_web_app, is_wildcard

MAX_BODY = 16 * 1024  # the overlay takes no uploads


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class OverlayServer:
    """Serves overlay pages and streams channel messages to them (SSE)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, allowed_hosts: Sequence[str] = ()) -> None:
        self.host = host
        self.port = port or free_port(host)
        policy = WebPolicy(bind_host=host, allowed_hosts=tuple(allowed_hosts), max_body_bytes=MAX_BODY,
                           csp=INLINE_CSP, config_hint="[overlay] allowed_hosts")
        self.app = create_web_app("streamkit overlays", policy)
        self._pages: dict[str, str] = {}
        self._last: dict[str, dict[str, Any]] = {}
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app.add_api_route("/events/{channel}", self._events, methods=["GET"])
        self.app.add_api_route("/", self._index, methods=["GET"], response_class=HTMLResponse)

    # pages ------------------------------------------------------------------
    def add_page(self, path: str, html: str, title: str = "") -> None:
        """Serve ``html`` at ``GET path`` (listed on the index page with ``title``)."""
        self._pages[path] = title or path

        async def page() -> HTMLResponse:
            return HTMLResponse(html, headers={"Cache-Control": "no-store"})

        self.app.add_api_route(path, page, methods=["GET"], response_class=HTMLResponse)

    async def _index(self) -> HTMLResponse:
        items = "".join(f'<li><a href="{p}">{t}</a></li>' for p, t in sorted(self._pages.items()))
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>streamkit</title><ul>{items}</ul>")

    # live data --------------------------------------------------------------
    def publish(self, channel: str, data: dict[str, Any]) -> None:
        """Send ``data`` to every page listening on ``channel``; safe from any thread."""
        self._last[channel] = data
        loop = self._loop
        if loop is None:
            return
        for q in list(self._queues.get(channel, ())):
            loop.call_soon_threadsafe(q.put_nowait, data)

    async def _events(self, channel: str, request: Request) -> StreamingResponse:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues.setdefault(channel, set()).add(queue)
        if channel in self._last:
            queue.put_nowait(self._last[channel])

        async def stream() -> AsyncIterator[str]:
            try:
                yield "retry: 1000\n\n"
                while not await request.is_disconnected():
                    try:
                        data = await asyncio.wait_for(queue.get(), timeout=10)
                    except asyncio.TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    yield f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
            finally:
                self._queues.get(channel, set()).discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    # lifecycle --------------------------------------------------------------
    def url(self, path: str = "/") -> str:
        host = "127.0.0.1" if is_wildcard(self.host) else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{path}"

    def start(self, timeout: float = 10.0) -> "OverlayServer":
        """Start serving in a daemon thread; returns when the port answers."""
        config = uvicorn.Config(self.app, host=self.host, port=self.port, log_level="warning", lifespan="off",
                                proxy_headers=False)  # streamkit.web handles trusted proxies
        self._server = uvicorn.Server(config)

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            loop.run_until_complete(self._server.serve())  # type: ignore[union-attr]

        self._thread = threading.Thread(target=serve, name="overlay-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._server.started:
                return self
            time.sleep(0.02)
        raise RuntimeError(f"overlay server did not start on {self.url()}")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(5)
