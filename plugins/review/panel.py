"""The review app for the control panel: started on loopback, in the panel's process, the first time a
session is opened from the panel's sessions page (offered to the panel as ``REVIEW_APP``)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import TYPE_CHECKING

import uvicorn

from streamkit.errors import StreamkitError
from streamkit.net import listen

from .app import AppSettings, create_app
from .config import ReviewConfig

if TYPE_CHECKING:
    from streamkit.panel import PanelHost

LOOPBACK = "127.0.0.1"


class ReviewOnDemand:
    """Implements :class:`~streamkit.features.ReviewApp`: one local review app, started when first needed."""

    def __init__(self, host: "PanelHost") -> None:
        self.host = host
        self._lock = threading.Lock()
        self._base = ""
        self._server: uvicorn.Server | None = None

    def open_session(self, session_id: str) -> str:
        with self._lock:
            if not self._base:
                self._base = self._start()
        return f"{self._base}/sessions/{session_id}"

    def _start(self, timeout: float = 15.0) -> str:
        config = self.host.config()
        cfg: ReviewConfig = config.section("review") if config.has("review") else ReviewConfig()
        try:
            sock = listen(LOOPBACK, cfg.port)
        except StreamkitError:  # the port is taken (perhaps `streamkit review serve` runs): use a free one
            sock = listen(LOOPBACK, 0)
        port = sock.getsockname()[1]
        app = create_app(AppSettings(home=self.host.home(), require_login=False, config=cfg))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        self._server = server
        thread = threading.Thread(target=self._serve, args=(server, sock), name="panel-review", daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.02)
        if not server.started:
            raise StreamkitError("the review app did not start", "restart streamkit and try again")
        return f"http://{LOOPBACK}:{port}"

    @staticmethod
    def _serve(server: uvicorn.Server, sock: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.serve(sockets=[sock]))

    def close(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
