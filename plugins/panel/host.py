"""The panel's :class:`~streamkit.panel.PanelHost`: the config file, the person's language, pages in the
chrome, the running session, the panel's own OBS connection and STREAMKIT_HOME.

One :class:`Host` per panel process. Its :class:`~streamkit.bus.EventBus` lives as long as the panel:
the OBS client publishes on it, every session runs on it, and the live feed listens to it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from streamkit.bus import EventBus
from streamkit.config import Config
from streamkit.control import SessionBusy, SessionController
from streamkit.features import SESSION_LAUNCHER, Services
from streamkit.hooks import Plugins
from streamkit.obs.base import ObsSink
from streamkit.panel import PanelPage
from streamkit.run import make_obs
from streamkit.web import json_script

from .configfile import ConfigFile
from .i18n import LANG_COOKIE, pick_language, translator

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from streamkit.runtime import Runtime

    from .live import LiveFeed

HERE = Path(__file__).parent
CONFIG_NAME = "streamkit.toml"

CsrfToken = Callable[[Request], str]


def _no_token(request: Request) -> str:
    return ""


def csrf_input(token: str) -> Markup:
    """The hidden form field that carries the page's CSRF token."""
    return Markup('<input type="hidden" name="csrf" value="{}">').format(token)


class Host:
    """Implements :class:`~streamkit.panel.PanelHost` for the panel's pages and the features' pages."""

    def __init__(self, config_path: Path, plugins: Plugins, home: Path) -> None:
        self.file = ConfigFile(config_path, plugins)
        self.plugins = plugins
        self._home = home
        self.bus = EventBus()
        self.controller = SessionController(self.bus)
        self._services = Services()
        self._services.provide(SESSION_LAUNCHER, HostLauncher(self))
        self._obs: ObsSink | None = None
        self._obs_key: tuple[object, ...] = ()
        self.obs_seen = False  # the current OBS connection has worked once (so a loss is "reconnecting")
        self._obs_lock = threading.Lock()
        self.pages: list[PanelPage] = []
        self.csrf_token: CsrfToken = _no_token
        self.feed: LiveFeed | None = None  # set by the app before the pages are made
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
        self.env.filters["clock"] = lambda ts: time.strftime("%H:%M", time.localtime(float(ts)))

    # PanelHost ----------------------------------------------------------------------------------
    def config(self) -> Config:
        return self.file.config()

    def write_config(self, section: str, changes: Mapping[str, object]) -> Config:
        return self.file.write(section, changes)

    def language(self, request: Request) -> str:
        chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return pick_language(chosen, self.config().session.language)

    def render(self, request: Request, template: str, context: Mapping[str, object], *,
               title: str, status_code: int = 200) -> HTMLResponse:
        lang = self.language(request)
        token = self.csrf_token(request)
        t = translator(lang)
        html = self.env.get_template(template).render(
            **context, t=t, lang=lang, script_strings=json_script(t.scripts()), title=title, csrf=token,
            nav=self.navigation(request, lang),
            csrf_field=lambda: csrf_input(token),
            path=request.url.path, session_phase=self.controller.state.phase.value)
        return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})

    def session(self) -> Runtime | None:
        return self.controller.runtime

    def obs(self) -> ObsSink:
        """The panel's OBS connection for the current ``[obs]`` settings (re-made when they change while
        no session runs; a running session keeps the connection it started with)."""
        config = self.config()
        key = (config.obs.enabled, config.obs.url, config.obs.resolved_password(), config.obs.timeout)
        with self._obs_lock:
            if self._obs is None or (key != self._obs_key and not self.controller.running):
                old, self._obs = self._obs, make_obs(config, bus=self.bus)
                self._obs_key, self.obs_seen = key, False
                if old is not None:
                    old.close()
            return self._obs

    def home(self) -> Path:
        return self._home

    def services(self) -> Services:
        return self._services

    # the panel's own ------------------------------------------------------------------------------
    def add_pages(self, pages: list[PanelPage]) -> None:
        """The pages of every feature, with their templates added to the loader (panel's first)."""
        self.pages = sorted(pages, key=lambda page: page.order)
        loaders: list[Any] = [FileSystemLoader(HERE / "templates")]
        loaders += [FileSystemLoader(page.templates) for page in self.pages if page.templates is not None]
        self.env.loader = ChoiceLoader(loaders)

    def navigation(self, request: Request, lang: str) -> list[dict[str, object]]:
        """The menu: each page's title in ``lang``, the current one marked."""
        path = request.url.path
        items = []
        for page in self.pages:
            current = path == page.path if page.path == "/" else (path == page.path or path.startswith(page.path + "/"))
            title = page.title.get(lang) or page.title.get("en") or page.path
            items.append({"url": page.path, "title": title, "current": current})
        return items

    def close(self) -> None:
        """Stop the session (waiting for it) and close the OBS connection."""
        self.controller.stop("panel closed")
        self.controller.wait_idle(30)
        with self._obs_lock:
            if self._obs is not None:
                self._obs.close()
                self._obs = None


class HostLauncher:
    """``SESSION_LAUNCHER``: a session on the config on disk, started hands-free (a sign watched by standby)."""

    def __init__(self, host: Host) -> None:
        self.host = host

    @property
    def running(self) -> bool:
        return self.host.controller.running

    def start(self, reason: str = "") -> None:
        try:
            self.host.controller.start(self.host.config(), self.host.obs())
        except SessionBusy:
            pass  # one is already starting or running: nothing to do
        log.info("session started hands-free (%s)", reason or "no reason given")
