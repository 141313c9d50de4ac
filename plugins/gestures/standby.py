"""Starting a session hands-free: while the control panel runs and no session does, watch the camera for
the gestures bound to ``session_start`` and start a session when one is held.

The watch uses the session's own pieces (:func:`~.session.build_processor`: the same hold, settle,
re-arm and rest samples), on the ``session_start`` bindings only, and starts the session through the
panel's ``SESSION_LAUNCHER``. It watches only a picture that can be shared — the camera in OBS
(screenshots) or a video file — so the session can open the same source a moment later.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from streamkit.errors import StreamkitError
from streamkit.features import SESSION_LAUNCHER

from .config import GesturesConfig
from .frames import open_video_source
from .processor import GestureProcessor
from .session import build_processor

if TYPE_CHECKING:
    from streamkit.panel import PanelHost
    from streamkit.pipeline import Source

log = logging.getLogger(__name__)

#: Sources the watch may hold while no session runs (a camera device serves one program at a time).
SHARED_SOURCES = ("obs", "video")
STANDBY_FPS = 5.0
IDLE_CHECK_S = 1.0


def standby_config(host: "PanelHost") -> GesturesConfig | None:
    """The ``session_start`` bindings to watch now, or None (a session runs, nothing is bound, the panel
    cannot start sessions, or the camera cannot be shared)."""
    config = host.config()
    if host.session() is not None or not config.has("gestures"):
        return None
    launcher = host.services().find(SESSION_LAUNCHER)
    section: GesturesConfig = config.section("gestures")
    watch = section.standby()
    if launcher is None or launcher.running or not watch.active or section.source not in SHARED_SOURCES:
        return None
    if section.source == "video":
        watch = watch.model_copy(update={"video": str(config.resolve_path(section.video))})
    return watch


class StandbyWatcher:
    """A daemon thread over one panel host; :meth:`stop` ends it."""

    def __init__(self, host: "PanelHost") -> None:
        self.host = host
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="gestures-standby", daemon=True)
        self.watching = False

    def start(self) -> "StandbyWatcher":
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                watch = standby_config(self.host)
                if watch is not None:
                    self._watch(watch)
            except StreamkitError as exc:  # a profile or model that cannot be used: said by the pages
                log.warning("hands-free start is not watching: %s", exc.one_line())
            self._stopping.wait(IDLE_CHECK_S)

    def _watch(self, watch: GesturesConfig) -> None:
        """Feed frames to a processor of the start bindings until it fires, a session starts or the config changes."""
        source = open_video_source(video=watch.video or None, obs_source=watch.obs_source or None, obs=self.host.obs(),
                                   fps=min(watch.fps, STANDBY_FPS), width=watch.width, height=watch.height,
                                   realtime=True)
        processor = build_processor(watch, self.host.obs(), services=self.host.services())
        self.watching = True
        try:
            self._feed(source, processor, watch)
        finally:
            self.watching = False
            source.close()
            processor.close()

    def _feed(self, source: "Source", processor: GestureProcessor, watch: GesturesConfig) -> None:
        checked = time.monotonic()
        for frame in source:
            list(processor.process(frame))  # a fired binding starts the session through SESSION_LAUNCHER
            if self._stopping.is_set() or self.host.session() is not None:
                return
            if time.monotonic() - checked >= IDLE_CHECK_S:
                checked = time.monotonic()
                if standby_config(self.host) != watch:
                    return
