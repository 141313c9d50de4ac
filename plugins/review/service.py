"""What the web app and the CLI share: finding sessions, metrics with the streamer's baseline,
and rendering the report."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from streamkit.session import SessionStore

from . import charts
from .config import ReviewConfig
from .export import chart_set, timeline_for
from .i18n import translator
from .metrics import Metrics, compute, rate_per_minute
from .sessiondata import ReviewSession, SessionCache, as_time, read_info
from .store import ReviewError, ReviewStore

HERE = Path(__file__).parent
SESSION_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
BASELINE_SESSIONS = 10


class ReviewService:
    """Sessions under ``home`` plus the review database, with cached loading."""

    def __init__(self, home: Path, config: ReviewConfig | None = None) -> None:
        self.home = home
        self.config = config or ReviewConfig()
        self.store = ReviewStore(home / "review.db")
        self.index = SessionStore(home)
        self.cache = SessionCache()
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
        self.env.globals["clock"] = charts.clock
        self.env.filters["fmt_time"] = fmt_time

    def close(self) -> None:
        self.store.close()
        self.index.close()

    def all_sessions(self) -> dict[str, dict[str, Any]]:
        """Every session: those in the index, plus session folders the index does not know.

        Times that cannot be shown (a hand-edited ``ended: 1e999``) are dropped, so one broken
        session never breaks the list."""
        found: dict[str, dict[str, Any]] = {}
        for row in self.index.list():
            own = self.home / "sessions" / str(row["id"])  # a moved or copied home keeps its folders
            folder = own if own.is_dir() else Path(str(row["dir"]))
            if folder.is_dir() and SESSION_ID.match(str(row["id"])):
                found[row["id"]] = {**row, "dir": folder, "name": str(row["name"] or row["id"]),
                                    "started": as_time(row["started"]) or 0.0, "ended": as_time(row["ended"])}
        root = self.home / "sessions"
        for folder in sorted(root.iterdir()) if root.is_dir() else []:
            if folder.is_dir() and folder.name not in found and SESSION_ID.match(folder.name) and (
                    (folder / "session.json").exists() or (folder / "events.jsonl").exists()):
                info, _ = read_info(folder)
                found[folder.name] = {"id": folder.name, "name": str(info.get("name") or folder.name), "dir": folder,
                                      "started": as_time(info.get("started")) or folder.stat().st_mtime,
                                      "ended": as_time(info.get("ended")), "media_path": str(info.get("media_path") or "")}
        return dict(sorted(found.items(), key=lambda kv: -kv[1]["started"]))

    def folder(self, session_id: str) -> Path | None:
        if not SESSION_ID.match(session_id):
            return None
        row = self.all_sessions().get(session_id)
        return Path(row["dir"]) if row else None

    def require_folder(self, session_id: str) -> Path:
        folder = self.folder(session_id)
        if folder is None:
            raise ReviewError(f"no session {session_id!r} under {self.home / 'sessions'}",
                              "list them with: streamkit review list")
        return folder

    def session(self, session_id: str) -> ReviewSession:
        return self.cache.get(self.require_folder(session_id))

    def other_rates(self, session_id: str, language: str) -> list[list[float]]:
        """Per-minute rates of the same streamer's other sessions (the baseline), newest first."""
        owner = self.store.owner_of(session_id)
        rates: list[list[float]] = []
        for sid, row in self.all_sessions().items():
            if len(rates) >= BASELINE_SESSIONS:
                break
            if sid == session_id or self.store.owner_of(sid) != owner:
                continue
            try:
                other = self.cache.get(Path(row["dir"]))
            except OSError:
                continue
            if other.lines and other.language == language:
                rates.append(rate_per_minute(other.lines, other.duration, language))
        return rates

    def metrics(self, session: ReviewSession) -> Metrics:
        cfg = self.config
        return compute(session, dead_air_seconds=cfg.dead_air_seconds, fillers_zh=cfg.fillers_zh,
                       fillers_en=cfg.fillers_en, other_rates=self.other_rates(session.id, session.language))

    def report_html(self, session_id: str, lang: str) -> str:
        """The standalone report: metrics, charts, timeline with comments, comments, transcript."""
        session = self.session(session_id)
        metrics = self.metrics(session)
        t = translator(lang)
        comments = self.store.comments(session_id)
        lane = [(c.t_start, c.t_end, c.body) for c in comments if c.parent_id is None and not c.deleted]
        css = (HERE / "static" / "report.css").read_text(encoding="utf-8")
        return self.env.get_template("report.html").render(
            t=t, lang=lang, s=session, m=metrics, charts=chart_set(session, metrics, t),
            timeline=timeline_for(session, metrics, t, lang, lane), comments=comments, css=Markup(css))


def fmt_time(ts: Any) -> str:
    """``2024-05-01 20:00`` for a time that can be shown, else ``—`` (template filter)."""
    seconds = as_time(ts)
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds)) if seconds else "—"
