"""Sessions: every event of a run, appended to ``sessions/<id>/events.jsonl`` and indexed in SQLite.

The JSONL file is the record of truth (flushed after every event, so a crash loses at most the
event being written); ``streamkit.db`` under ``STREAMKIT_HOME`` indexes sessions and events for
listing and search. :func:`read_events` reads a log back, tolerating a cut last line. Session
folders are owner-only (``0700``, files ``0600``); the index is checked when opened and backed up
(:mod:`streamkit.database`).
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .bus import EventBus
from .database import backup_if_due, open_database
from .events import Event, EventTypes
from .home import make_private, private_dir, private_opener, streamkit_home, write_private_text

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, name TEXT, dir TEXT, started REAL, ended REAL,
    config_path TEXT, recording_path TEXT, media_path TEXT
);
CREATE TABLE IF NOT EXISTS events (
    session_id TEXT, seq INTEGER, ts REAL, type TEXT, data TEXT,
    PRIMARY KEY (session_id, seq)
);
CREATE INDEX IF NOT EXISTS events_type ON events(session_id, type);
"""


@dataclass
class SessionInfo:
    """What ``session.json`` holds about one session."""

    id: str
    name: str
    started: float
    ended: float | None = None
    config_path: str = ""
    recording_path: str = ""
    media_path: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Session:
    """One session folder under ``STREAMKIT_HOME/sessions``."""

    def __init__(self, info: SessionInfo, dir: Path) -> None:
        self.info = info
        self.dir = dir

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def events_path(self) -> Path:
        return self.dir / "events.jsonl"

    def save_info(self) -> None:
        write_private_text(self.dir / "session.json", json.dumps(asdict(self.info), ensure_ascii=False, indent=2))


def new_session_id(now: float | None = None) -> str:
    """Sortable id: start time plus a short random suffix."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now or time.time()))
    return f"{stamp}-{secrets.token_hex(2)}"


class SessionStore:
    """The SQLite index of sessions and events (WAL mode, one connection guarded by a lock)."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = private_dir(home or streamkit_home())
        self.sessions_dir = private_dir(self.home / "sessions")
        self._lock = threading.Lock()
        path = self.home / "streamkit.db"
        fresh = not path.exists()
        self._db = open_database(path, SCHEMA)
        self._db.isolation_level = ""  # implicit transactions, committed after each change
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        if not fresh:
            backup_if_due(self._db, path)

    def create(self, name: str = "", config_path: str = "", media_path: str = "") -> Session:
        started = time.time()
        sid = new_session_id(started)
        info = SessionInfo(id=sid, name=name or time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
                           started=started, config_path=config_path, media_path=media_path)
        session = Session(info, self.sessions_dir / sid)
        session.dir.mkdir(mode=0o700)
        private_dir(session.dir)
        session.save_info()
        self._upsert(session)
        return session

    def _upsert(self, session: Session) -> None:
        i = session.info
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?,?,?,?,?,?,?,?)",
                (i.id, i.name, str(session.dir), i.started, i.ended, i.config_path, i.recording_path, i.media_path),
            )
            self._db.commit()

    def finish(self, session: Session) -> None:
        session.info.ended = time.time()
        session.save_info()
        self._upsert(session)
        make_private(session.dir)  # files plugins wrote into the folder (captions, summaries) too

    def update(self, session: Session) -> None:
        session.save_info()
        self._upsert(session)

    def index_event(self, session_id: str, seq: int, data: dict[str, Any], line: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO events VALUES (?,?,?,?,?)",
                             (session_id, seq, data.get("ts", 0.0), data.get("type", ""), line))
            self._db.commit()

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT id, name, dir, started, ended, recording_path, media_path "
                                    "FROM sessions ORDER BY started DESC").fetchall()
        keys = ["id", "name", "dir", "started", "ended", "recording_path", "media_path"]
        return [dict(zip(keys, r)) for r in rows]

    def count_events(self, session_id: str, type_: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM events WHERE session_id=?" + (" AND type=?" if type_ else "")
        args = (session_id, type_) if type_ else (session_id,)
        with self._lock:
            return int(self._db.execute(sql, args).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class SessionRecorder:
    """Bus subscriber that writes every recorded event to the session's JSONL log and the index."""

    def __init__(self, session: Session, store: SessionStore) -> None:
        self.session = session
        self.store = store
        self._file = open(session.events_path, "a", encoding="utf-8", opener=private_opener)
        self._seq = 0
        self._lock = threading.Lock()
        self._unsubscribe: Any = None

    def attach(self, bus: EventBus) -> "SessionRecorder":
        self._unsubscribe = bus.subscribe(self.record)
        return self

    def record(self, event: Event) -> None:
        if not event.recorded:
            return
        data = event.to_dict()
        line = json.dumps(data, ensure_ascii=False, default=str)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()
            self._seq += 1
            seq = self._seq
        try:
            self.store.index_event(self.session.id, seq, data, line)
        except sqlite3.Error as exc:  # the JSONL log stays complete; the index can be rebuilt
            log.warning("session index write failed: %s", exc)

    def close(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()
        with self._lock:
            self._file.close()


def read_events(path: Path, types: EventTypes | None = None) -> tuple[list[Event], list[str]]:
    """Read a session log into ``types`` (the process's plugins' when None).

    Returns the events and a list of problems (e.g. a cut last line); never raises on content."""
    if types is None:
        from .hooks import process_plugins

        types = process_plugins().event_types()
    events: list[Event] = []
    problems: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                events.append(types.from_dict(json.loads(line)))
            except (json.JSONDecodeError, TypeError, ValueError) as exc:
                problems.append(f"{path}:{n}: unreadable event skipped ({exc.__class__.__name__})")
    return events, problems
