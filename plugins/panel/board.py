"""What the dashboard shows, as plain data: the session, OBS, one tile per running feature, the pause
switch and the problems to fix. :func:`collect` reads it from the host (status snapshots and typed
services only); two boards compare equal when nothing visible changed, so the live feed sends
updates only on change.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from streamkit.component import State, Status
from streamkit.control import SessionState
from streamkit.features import CAPTIONS, GESTURES, PRODUCTS
from streamkit.obs.client import ObsClient
from streamkit.obs.doctor import doctor, requirements_from_config
from streamkit.obs.errors import ObsAuthError, ObsConnectError

from .host import Host


@dataclass(frozen=True)
class Problem:
    """Something to fix: what is wrong in plain words, how to fix it, and the repair that does it."""

    key: str  # names the message and the repair, e.g. "obs_missing"
    detail: str = ""  # the specific part: an error line
    items: tuple[str, ...] = ()  # the things concerned, e.g. the names of missing OBS sources
    repair: str = ""  # a repair route under /repair/ ('' = none: only the fix in words, or a link)
    link: str = ""  # a page that fixes it ('' = none)


@dataclass(frozen=True)
class Tile:
    """One feature's status on the dashboard."""

    id: str
    state: str  # a State value, or "off"
    headline: str = ""  # the one thing to see: the last caption line, the card on screen, what the camera sees
    figures: tuple[tuple[str, str], ...] = ()
    error: str = ""


@dataclass(frozen=True)
class ObsView:
    """The panel's OBS connection."""

    state: str  # "connected" | "connecting" | "reconnecting" | "unreachable" | "password" | "dry_run"
    version: str = ""
    error: str = ""


@dataclass(frozen=True)
class Board:
    session: SessionState
    obs: ObsView
    tiles: tuple[Tile, ...] = ()
    paused: bool | None = None  # None: no hands-free triggers in this session
    captions: tuple[tuple[str, str], ...] = ()  # recent (speaker, text) lines
    problems: tuple[Problem, ...] = field(default_factory=tuple)


RECHECK_SECONDS = 15.0


class ObsCheck:
    """Which scenes and sources the config needs that OBS lacks; asked again when the config or the
    connection changed, after a repair, and every :data:`RECHECK_SECONDS`."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] = ()
        self._missing: tuple[str, ...] = ()
        self._lock = threading.Lock()
        self.generation = 0

    def invalidate(self) -> None:
        with self._lock:
            self.generation += 1

    def missing(self, host: Host, connected: bool) -> tuple[str, ...]:
        config = host.config()
        key = (id(config), connected, self.generation, int(time.monotonic() // RECHECK_SECONDS))
        with self._lock:
            if key == self._key:
                return self._missing
        found: tuple[str, ...] = ()
        if connected and config.obs.enabled:
            report = doctor(config.obs.url, config.obs.resolved_password(), requirements_from_config(config),
                            timeout=config.obs.timeout)
            found = tuple(c.name for c in report.missing) if report.connected else ()
        with self._lock:
            self._key, self._missing = key, found
        return found


def obs_view(host: Host) -> ObsView:
    """Connected, still trying, or why not."""
    obs = host.obs()
    if not isinstance(obs, ObsClient):
        return ObsView("dry_run")
    if obs.connected:
        return ObsView("connected", obs.obs_version)
    error = obs.last_error
    if isinstance(error, ObsAuthError):
        return ObsView("password", error=error.one_line())
    if isinstance(error, ObsConnectError):
        return ObsView("reconnecting" if host.obs_seen else "unreachable", error=error.one_line())
    return ObsView("connecting", error=error.one_line() if error else "")


def tile_for(status: Status, headline: str = "") -> Tile:
    figures = tuple((k, str(v)) for k, v in status.figures.items())
    return Tile(status.name, status.state.value, headline, figures, status.last_error)


def collect(host: Host, check: ObsCheck) -> Board:
    """The board as it is now."""
    state = host.controller.state
    obs = obs_view(host)
    runtime = host.controller.last_runtime  # after the end, the last session's final status stays shown
    tiles: list[Tile] = []
    paused: bool | None = None
    captions: tuple[tuple[str, str], ...] = ()
    if runtime is not None:
        services = runtime.services
        heads: dict[str, str] = {}
        if (cap := services.find(CAPTIONS)) is not None:
            captions = tuple((u.speaker, u.text) for u in cap.recent(6))
            heads["captions"] = captions[-1][1] if captions else ""
        if (gestures := services.find(GESTURES)) is not None and host.session() is not None:
            paused = gestures.paused
        if (products := services.find(PRODUCTS)) is not None:
            card = products.on_screen()
            heads["products"] = f"{card.serial} {card.name}" if card else ""
        for status in runtime.statuses():
            seeing = str(status.figures.get("seeing", "")) if status.name == "gestures" else ""
            tiles.append(tile_for(status, heads.get(status.name, seeing)))
    problems = find_problems(host, obs, tiles, check)
    return Board(state, obs, tuple(tiles), paused, captions, problems)


def find_problems(host: Host, obs: ObsView, tiles: list[Tile], check: ObsCheck) -> tuple[Problem, ...]:
    """Every problem the dashboard should show, most blocking first."""
    problems: list[Problem] = []
    if host.file.problem:
        problems.append(Problem("config_broken", host.file.problem))
    elif not host.file.exists:
        problems.append(Problem("not_set_up", link="/setup"))
    if obs.state == "unreachable":
        problems.append(Problem("obs_unreachable", link="/setup/obs"))
    elif obs.state == "reconnecting":
        problems.append(Problem("obs_lost"))
    elif obs.state == "password":
        problems.append(Problem("obs_password", link="/setup/password"))
    missing = check.missing(host, obs.state == "connected")
    if missing:
        problems.append(Problem("obs_missing", items=missing, repair="obs-setup"))
    if host.controller.state.error:
        problems.append(Problem("start_failed", host.controller.state.error))
    for tile in tiles:
        if tile.state == State.FAILED.value:
            problems.append(Problem("feature_failed", f"{tile.id}: {tile.error}", link=_fix_page(tile.id)))
        elif tile.error:  # still running, without a part of what it does (e.g. no headphones for spoken feedback)
            problems.append(Problem("feature_limited", f"{tile.id}: {tile.error}", link=_fix_page(tile.id)))
    return tuple(problems)


def _fix_page(feature: str) -> str:
    """Where a failing feature's settings are changed."""
    return {"captions": "/setup/microphone", "gestures": "/setup/camera"}.get(feature, "")
