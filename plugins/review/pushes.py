"""Receiving sessions pushed from streamers' PCs: resumable, checksummed, idempotent.

A push is a manifest (the session's ``session.json`` and, per file, its path, size and sha256) and
then chunks, each sent at the offset the server says it has. A chunk is written and fsync'd into a
staging file on the server's disk before its new offset is committed; a chunk at any other offset
gets 409 with the right one, so a push cut off anywhere resumes where the server's disk says. A
finished file is checked against its sha256 (a mismatch: sent again from 0) and handed whole to the
media store. When every file is there, the session's events go into the database and its jobs
(transcription, metrics) are queued — in one transaction. Sending the same push again changes nothing.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import procrastinate
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from streamkit.events import EventTypes, UnknownEvent
from streamkit.home import private_dir
from streamkit.models import sha256_file

from . import jobs
from . import tables as T
from .mediastore import checked_key
from .orgservice import OrgService
from .orgstore import OrgStore
from .sessiondata import media_duration
from .store import ReviewError, User

ROLES = ("media", "events", "file")
MAX_FILES = 500
MAX_FILE_BYTES = 1 << 40  # 1 TiB
CHUNK_MAX = 4 * 1024 * 1024  # body limit of one chunk request
UP = T.uploads


class PushError(ReviewError):
    """A push request that cannot be taken as it is (answered 400 with this sentence)."""


class WrongOffset(Exception):
    """A chunk sent at an offset other than what the server has (answered 409 with ``received``)."""

    def __init__(self, received: int) -> None:
        super().__init__(received)
        self.received = received


@dataclass(frozen=True)
class PushFile:
    """One file of a push: its name inside the session, size, sha256 and role."""

    path: str
    size: int
    sha256: str
    role: str = "file"

    @classmethod
    def from_json(cls, data: Any) -> "PushFile":
        if not isinstance(data, dict):
            raise PushError("each entry of files must be an object {path, size, sha256, role}", "send the manifest again")
        path, size, sha, role = data.get("path"), data.get("size"), data.get("sha256"), data.get("role", "file")
        try:
            checked_key(str(path))
        except ValueError:
            raise PushError(f"file name {str(path)[:80]!r} is not usable", "use plain names like media/live.mkv") from None
        if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_FILE_BYTES:
            raise PushError(f"{path}: size must be a whole number of bytes", "send the manifest again")
        if not isinstance(sha, str) or len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise PushError(f"{path}: sha256 must be 64 lower-case hex digits", "send the manifest again")
        if role not in ROLES:
            raise PushError(f"{path}: role must be one of {', '.join(ROLES)}", "send the manifest again")
        return cls(str(path), size, sha, str(role))


def numbered_events(lines: Iterable[tuple[int, Any]], types: EventTypes) -> list[tuple[int, dict[str, Any]]]:
    """Events as dicts with their line numbers; a line that is no event of its type (or cannot be
    stored as UTF-8) is kept as an ``UnreadableLine`` with time 0, which the pages count as skipped."""
    out: list[tuple[int, dict[str, Any]]] = []
    for seq, line in lines:
        try:
            data = json.loads(line) if isinstance(line, str) else line
            event = types.from_dict(data)
            item = ({**event.data, "type": event.name, "ts": event.ts} if isinstance(event, UnknownEvent)
                    else event.to_dict())
            json.dumps(item, ensure_ascii=False, default=str).encode("utf-8")
        except (ValueError, TypeError, AttributeError):
            item = {"type": "UnreadableLine", "ts": 0.0}
        out.append((seq, item))
    return out


class PushReceiver:
    """The server side of ``streamkit review push``."""

    def __init__(self, service: OrgService, app: procrastinate.App, types: EventTypes) -> None:
        self.service = service
        self.org: OrgStore = service.org
        self.app = app
        self.types = types
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, session_id: str, path: str = "") -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(f"{session_id}/{path}", threading.Lock())

    def _part(self, session_id: str, path: str) -> Path:
        return self.service.staging / session_id / (checked_key(path) + ".part")

    @staticmethod
    def key(session_id: str, path: str) -> str:
        return f"sessions/{session_id}/{checked_key(path)}"

    # -- the manifest -------------------------------------------------------------------------
    def manifest(self, user: User, session_id: str, info: dict[str, Any], files: list[PushFile],
                 media_is_recording: bool) -> dict[str, Any]:
        """Open (or find) the push; returns how much of each file the server has."""
        if len(files) > MAX_FILES or len({f.path for f in files}) != len(files):
            raise PushError(f"a push holds at most {MAX_FILES} files, each named once", "send the manifest again")
        for role in ("media", "events"):
            if sum(f.role == role for f in files) > 1:
                raise PushError(f"a push has at most one file with role {role}", "send the manifest again")
        extra = dict(info.get("extra") or {}) if isinstance(info.get("extra"), dict) else {}
        self.org.open_session(session_id, user, {**info, "extra": extra, "media_is_recording": media_is_recording})
        with self.service.store.db.write() as conn:
            for f in files:
                self._open_file(conn, session_id, f)
        state = self.state(session_id)
        if state["complete"]:
            self.ingest(session_id)
        return state

    def _open_file(self, conn: Connection, session_id: str, f: PushFile) -> None:
        row = conn.execute(sa.select(UP.c.size, UP.c.sha256).where(UP.c.session_id == session_id,
                                                                    UP.c.path == f.path)).first()
        values = {"size": f.size, "sha256": f.sha256, "role": f.role, "received": 0, "complete": False,
                  "updated": time.time()}
        if row is None:
            conn.execute(self.org.db.insert(UP).values(session_id=session_id, path=f.path, **values)
                         .on_conflict_do_nothing())
        elif (row[0], row[1]) != (f.size, f.sha256):  # the file changed since the last try: start it afresh
            conn.execute(sa.update(UP).where(UP.c.session_id == session_id, UP.c.path == f.path).values(**values))
            self._part(session_id, f.path).unlink(missing_ok=True)

    def state(self, session_id: str) -> dict[str, Any]:
        rows = self.org.db.rows(sa.select(UP.c.path, UP.c.received, UP.c.complete).where(UP.c.session_id == session_id))
        return {"session": session_id, "files": {r[0]: int(r[1]) for r in rows},
                "complete": bool(rows) and all(bool(r[2]) for r in rows)}

    # -- chunks -------------------------------------------------------------------------------
    def chunk(self, session_id: str, path: str, offset: int, data: bytes) -> dict[str, Any]:
        """Write ``data`` at ``offset`` of ``path``; returns the new state (raises :class:`WrongOffset`)."""
        with self._lock(session_id, path):
            row = self.org.db.rows(sa.select(UP.c.size, UP.c.sha256, UP.c.received, UP.c.complete, UP.c.role)
                                   .where(UP.c.session_id == session_id, UP.c.path == path))
            if not row:
                raise PushError(f"{path} is not in the manifest of {session_id}", "send the manifest first")
            size, sha, received, complete, role = row[0]
            if complete:
                return self._after_file(session_id, path)
            if offset != received:
                raise WrongOffset(int(received))
            if offset + len(data) > size:
                raise PushError(f"{path}: {offset + len(data)} bytes is more than the {size} announced",
                                "send the manifest again")
            part = self._part(session_id, path)
            private_dir(part.parent)
            fd = os.open(part, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                os.lseek(fd, offset, os.SEEK_SET)
                os.write(fd, data)
                os.ftruncate(fd, offset + len(data))  # bytes written by a try that was never acknowledged go
                os.fsync(fd)
            finally:
                os.close(fd)
            with self.org.db.write() as conn:
                conn.execute(sa.update(UP).where(UP.c.session_id == session_id, UP.c.path == path)
                             .values(received=offset + len(data), updated=time.time()))
            if offset + len(data) == size:
                self._finish_file(session_id, path, size, sha, role)
        return self._after_file(session_id, path)

    def _after_file(self, session_id: str, path: str) -> dict[str, Any]:
        state = self.state(session_id)
        if state["complete"]:
            self.ingest(session_id)
        return {**state, "received": state["files"].get(path, 0)}

    def _finish_file(self, session_id: str, path: str, size: int, sha: str, role: str) -> None:
        """Check the whole file's sha256 and hand it to the media store (a mismatch starts the file again)."""
        part = self._part(session_id, path)
        key = self.key(session_id, path)
        if part.exists():
            got = sha256_file(part)
            if got != sha:
                part.unlink()
                with self.org.db.write() as conn:
                    conn.execute(sa.update(UP).where(UP.c.session_id == session_id, UP.c.path == path)
                                 .values(received=0, updated=time.time()))
                raise PushError(f"{path}: the sha256 of what arrived ({got[:12]}…) is not the one announced "
                                f"({sha[:12]}…); it was dropped", "send the file again (streamkit review push resumes)")
            seconds = media_duration(part) if role == "media" else None
            self.service.media.put(key, part)
        elif self.service.media.size(key) != size:  # moved already by a run that stopped before the next step
            raise PushError(f"{path} is missing on the server", "send the manifest again")
        else:
            seconds = None
        with self.org.db.write() as conn:
            if role == "media":
                recording = bool(self.org.session(session_id).info.get("media_is_recording"))  # type: ignore[union-attr]
                self.org.set_media(conn, session_id, key, sha, seconds, recording)
            conn.execute(sa.update(UP).where(UP.c.session_id == session_id, UP.c.path == path)
                         .values(complete=True, received=size, updated=time.time()))

    # -- the whole session ----------------------------------------------------------------------
    def ingest(self, session_id: str) -> None:
        """Every file is there: store the events and queue the jobs, in one transaction (idempotent)."""
        with self._lock(session_id):
            rows = self.org.db.rows(sa.select(UP.c.path, UP.c.sha256, UP.c.role).where(UP.c.session_id == session_id))
            events_file = next((r for r in rows if r[2] == "events"), None)
            media = next((r for r in rows if r[2] == "media"), None)
            numbered = self._events(session_id, events_file[0]) if events_file else []
            with self.org.db.write() as conn:
                self.org.add_events(session_id, numbered, conn=conn)
                conn.execute(sa.update(T.sessions).where(T.sessions.c.id == session_id).values(live=False))
                self._queue_jobs(conn, session_id, media[1] if media else "", events_file[1] if events_file else "",
                                 numbered)

    def _events(self, session_id: str, path: str) -> list[tuple[int, dict[str, Any]]]:
        store = self.service.media
        key = self.key(session_id, path)
        local = store.local_path(key)
        text = local.read_bytes() if local else b"".join(store.read(key))
        lines = text.decode("utf-8", errors="replace").split("\n")
        return numbered_events(((n, line) for n, line in enumerate(lines, start=1) if line.strip()), self.types)

    def _queue_jobs(self, conn: Connection, session_id: str, media_sha: str, events_sha: str,
                    numbered: list[tuple[int, dict[str, Any]]]) -> None:
        captions = any(e.get("type") == "Caption" and e.get("kind") == "final" for _, e in numbered)
        if media_sha and not captions:
            jobs.enqueue(self.app, self.org, conn, jobs.TRANSCRIBE, session_id,
                         jobs.content_key(jobs.TRANSCRIBE, session_id, media_sha))
        elif captions:
            jobs.enqueue(self.app, self.org, conn, jobs.METRICS, session_id,
                         jobs.content_key(jobs.METRICS, session_id, events_sha, media_sha))
