"""The overlay page (OBS Browser Source) and the streamer's monitor page, filled from the config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .config import MonitorConfig, OverlayStyleConfig
from .display import MONITOR_CHANNEL, OVERLAY_CHANNEL

HERE = Path(__file__).parent
OVERLAY_PATH = "/captions"
MONITOR_PATH = "/captions/monitor"


def _fill(template: str, style: dict[str, Any]) -> str:
    """The page with its style and the shared caption-lines script (lines.js) filled in."""
    # "</" cannot end the script early once escaped
    blob = json.dumps(style, ensure_ascii=False).replace("</", "<\\/")
    page = (HERE / template).read_text(encoding="utf-8").replace("__STYLE__", blob)
    return page.replace("__LINES_JS__", (HERE / "lines.js").read_text(encoding="utf-8"))


def overlay_html(style: OverlayStyleConfig) -> str:
    return _fill("overlay.html", {**style.model_dump(), "channel": OVERLAY_CHANNEL})


def monitor_html(cfg: MonitorConfig) -> str:
    return _fill("monitor.html", {**cfg.model_dump(), "channel": MONITOR_CHANNEL})


def add_pages(server: Any, overlay: OverlayStyleConfig, monitor: MonitorConfig) -> dict[str, str]:
    """Serve the enabled pages on ``server`` (an OverlayServer); returns {name: url}."""
    urls: dict[str, str] = {}
    if overlay.enabled:
        server.add_page(OVERLAY_PATH, overlay_html(overlay), "字幕 · captions overlay (Browser Source)")
        urls["overlay"] = server.url(OVERLAY_PATH)
    if monitor.enabled:
        server.add_page(MONITOR_PATH, monitor_html(monitor), "字幕监看 · caption monitor (streamer)")
        urls["monitor"] = server.url(MONITOR_PATH)
    return urls
