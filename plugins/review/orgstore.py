"""An organisation's sessions in the database: pushed and live sessions, their events, uploads,
coach prompts, and the progress and results of jobs.

Events keep their number from the streamer's PC (line ``seq`` of ``events.jsonl``), so the same
event sent live and later pushed again is stored once. A worker's transcript is a second stream
of events (``transcript``) beside the PC's (``log``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import tables as T
from .db import Database
from .store import ReviewError, ReviewStore, User, plain_text

LOG, TRANSCRIPT = "log", "transcript"
S, E, P, G, R = T.sessions, T.session_events, T.prompts, T.job_progress, T.job_results


@dataclass(frozen=True)
class OrgSession:
    """One session on the organisation's server."""

    id: str
    name: str
    started: float
    ended: float | None
    info: dict[str, Any]
    media_key: str | None
    media_sha256: str | None
    media_seconds: float | None
    media_is_recording: bool
    live: bool
    updated: float
    owner: str = ""


@dataclass(frozen=True)
class Prompt:
    """A coach's private prompt to a streamer, numbered per server."""

    id: int
    session_id: str
    coach: str
    text: str
    created: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "session_id": self.session_id, "coach": self.coach, "text": self.text,
                "created": self.created}


@dataclass(frozen=True)
class Progress:
    """How far one job of a session is (``state``: queued, running, done or failed)."""

    kind: str
    state: str
    done: float
    total: float
    message: str
    attempts: int
    updated: float

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


_SESSION_COLS = (S.c.id, S.c.name, S.c.started, S.c.ended, S.c.info, S.c.media_key, S.c.media_sha256,
                 S.c.media_seconds, S.c.media_is_recording, S.c.live, S.c.updated, T.users.c.name)


def _session(row: Any) -> OrgSession:
    r = list(row)
    r[4] = json.loads(r[4] or "{}")
    r[8], r[9] = bool(r[8]), bool(r[9])
    return OrgSession(*r[:11], owner=r[11] or "")


class OrgStore:
    """Repository over the organisation's tables (same database as :class:`ReviewStore`)."""

    def __init__(self, store: ReviewStore) -> None:
        self.store = store
        self.db: Database = store.db

    # -- sessions -----------------------------------------------------------------------------
    def _sessions(self) -> sa.Select[Any]:
        O = T.session_owners
        return (sa.select(*_SESSION_COLS).select_from(S).outerjoin(O, O.c.session_id == S.c.id)
                .outerjoin(T.users, T.users.c.id == O.c.user_id))

    def session(self, session_id: str) -> OrgSession | None:
        rows = self.db.rows(self._sessions().where(S.c.id == session_id))
        return _session(rows[0]) if rows else None

    def visible_sessions(self, user: User, limit: int = 1000) -> list[OrgSession]:
        query = self._sessions().where(self.store.visible_filter(user, S.c.id)).order_by(S.c.started.desc()).limit(limit)
        return [_session(r) for r in self.db.rows(query)]

    def open_session(self, session_id: str, owner: User, info: dict[str, Any], *, live: bool | None = None) -> OrgSession:
        """Create the session (owned by ``owner``) or update its name, times and info; another
        streamer's session is refused."""
        now = time.time()
        name = plain_text(str(info.get("name") or session_id), "session name")[:200]
        started = float(info.get("started") or now)
        ended = info.get("ended")
        values: dict[str, Any] = {"name": name, "started": started, "ended": float(ended) if ended else None,
                                  "info": json.dumps(info, ensure_ascii=False), "updated": now}
        if live is not None:
            values["live"] = live
        O = T.session_owners
        with self.db.write() as conn:
            owner_row = conn.execute(sa.select(O.c.user_id).where(O.c.session_id == session_id)).first()
            if owner_row is not None and int(owner_row[0]) != owner.id:
                raise PermissionError(f"session {session_id} belongs to another streamer")
            if conn.execute(sa.select(S.c.id).where(S.c.id == session_id)).first() is None:
                conn.execute(self.db.insert(S).values(id=session_id, **values).on_conflict_do_nothing())
            else:
                conn.execute(sa.update(S).where(S.c.id == session_id).values(**values))
            if owner_row is None:
                conn.execute(self.db.insert(O).values(session_id=session_id, user_id=owner.id).on_conflict_do_nothing())
        found = self.session(session_id)
        assert found is not None
        return found

    def set_live(self, session_id: str, live: bool, ended: float | None = None) -> None:
        values: dict[str, Any] = {"live": live, "updated": time.time()}
        if ended is not None:
            values["ended"] = ended
        with self.db.write() as conn:
            conn.execute(sa.update(S).where(S.c.id == session_id).values(**values))

    def set_media(self, conn: Connection, session_id: str, key: str, sha256: str, seconds: float | None,
                  is_recording: bool) -> None:
        conn.execute(sa.update(S).where(S.c.id == session_id).values(
            media_key=key, media_sha256=sha256, media_seconds=seconds, media_is_recording=is_recording,
            updated=time.time()))

    # -- events -------------------------------------------------------------------------------
    def add_events(self, session_id: str, numbered: list[tuple[int, dict[str, Any]]], stream: str = LOG,
                   conn: Connection | None = None) -> int:
        """Store events with their numbers (numbers already stored are skipped: a resend adds nothing);
        returns the highest number up to which every event of the stream is stored."""
        if conn is None:
            with self.db.write() as own:
                return self.add_events(session_id, numbered, stream, own)
        rows = [{"session_id": session_id, "stream": stream, "seq": seq, "ts": float(e.get("ts") or 0.0),
                 "type": str(e.get("type", "")), "data": json.dumps(e, ensure_ascii=False, default=str)}
                for seq, e in numbered]
        if rows:
            conn.execute(self.db.insert(E).on_conflict_do_nothing(), rows)
            conn.execute(sa.update(S).where(S.c.id == session_id).values(updated=time.time()))
        return self._acked(conn, session_id, stream)

    def _acked(self, conn: Connection, session_id: str, stream: str) -> int:
        count, top = conn.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(E.c.seq), 0))
                                  .where(E.c.session_id == session_id, E.c.stream == stream)).one()
        if count == top:
            return int(top)
        seqs = conn.execute(sa.select(E.c.seq).where(E.c.session_id == session_id, E.c.stream == stream)
                            .order_by(E.c.seq)).scalars()
        acked = 0
        for seq in seqs:
            if seq != acked + 1:
                break
            acked = seq
        return acked

    def acked(self, session_id: str, stream: str = LOG) -> int:
        with self.db.read() as conn:
            return self._acked(conn, session_id, stream)

    def events(self, session_id: str) -> list[dict[str, Any]]:
        """Every event of the session (the PC's log and any transcript), as dicts."""
        rows = self.db.rows(sa.select(E.c.data).where(E.c.session_id == session_id).order_by(E.c.stream, E.c.seq))
        return [json.loads(r[0]) for r in rows]

    def events_after(self, session_id: str, after: int, limit: int = 500, stream: str = LOG) -> list[tuple[int, dict[str, Any]]]:
        rows = self.db.rows(sa.select(E.c.seq, E.c.data).where(E.c.session_id == session_id, E.c.stream == stream,
                                                                E.c.seq > after).order_by(E.c.seq).limit(limit))
        return [(int(r[0]), json.loads(r[1])) for r in rows]

    def has_final_captions(self, session_id: str) -> bool:
        query = sa.select(E.c.data).where(E.c.session_id == session_id, E.c.type == "Caption")
        return any(json.loads(r[0]).get("kind") == "final" for r in self.db.rows(query))

    def version(self, session_id: str) -> tuple[Any, ...]:
        """Changes whenever the session's events or media do (the page cache key)."""
        with self.db.read() as conn:
            events = conn.execute(sa.select(sa.func.count(), sa.func.max(E.c.seq))
                                  .where(E.c.session_id == session_id)).one()
            session = conn.execute(sa.select(S.c.updated, S.c.media_key).where(S.c.id == session_id)).first()
        return (*events, *(session or (None, None)))

    # -- prompts ------------------------------------------------------------------------------
    def add_prompt(self, session_id: str, coach: User, text: str) -> Prompt:
        text = plain_text(text.strip(), "prompt")
        with self.db.write() as conn:
            pid = conn.execute(sa.insert(P).values(session_id=session_id, coach_id=coach.id, text=text,
                                                   created=time.time()).returning(P.c.id)).scalar_one()
        found = self.prompts(session_id, after=int(pid) - 1, limit=1)
        assert found
        return found[0]

    def prompts(self, session_id: str, after: int = 0, limit: int = 100) -> list[Prompt]:
        query = (sa.select(P.c.id, P.c.session_id, T.users.c.name, P.c.text, P.c.created)
                 .join_from(P, T.users, T.users.c.id == P.c.coach_id)
                 .where(P.c.session_id == session_id, P.c.id > after).order_by(P.c.id).limit(limit))
        return [Prompt(int(r[0]), r[1], r[2], r[3], float(r[4])) for r in self.db.rows(query)]

    def mark_delivered(self, session_id: str, upto: int) -> None:
        with self.db.write() as conn:
            conn.execute(sa.update(P).where(P.c.session_id == session_id, P.c.id <= upto, P.c.delivered.is_(None))
                         .values(delivered=time.time()))

    # -- job progress and results ---------------------------------------------------------------
    def set_progress(self, session_id: str, kind: str, state: str, *, done: float = 0.0, total: float = 0.0,
                     message: str = "", attempt: bool = False, conn: Connection | None = None) -> None:
        if conn is None:
            with self.db.write() as own:
                return self.set_progress(session_id, kind, state, done=done, total=total, message=message,
                                         attempt=attempt, conn=own)
        values = {"state": state, "done": done, "total": total, "message": message[:500], "updated": time.time()}
        insert = self.db.insert(G).values(session_id=session_id, kind=kind, attempts=int(attempt), **values)
        update = {**values, "attempts": G.c.attempts + 1} if attempt else values
        conn.execute(insert.on_conflict_do_update(index_elements=["session_id", "kind"], set_=update))
        return None

    def progress(self, session_id: str) -> list[Progress]:
        rows = self.db.rows(sa.select(G.c.kind, G.c.state, G.c.done, G.c.total, G.c.message, G.c.attempts, G.c.updated)
                            .where(G.c.session_id == session_id).order_by(G.c.kind))
        return [Progress(r[0], r[1], float(r[2]), float(r[3]), r[4], int(r[5]), float(r[6])) for r in rows]

    def result(self, kind: str, key: str) -> dict[str, Any] | None:
        rows = self.db.rows(sa.select(R.c.result).where(R.c.kind == kind, R.c.key == key))
        return json.loads(rows[0][0]) if rows else None

    def results_of(self, kind: str, session_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The newest ``kind`` result of each session."""
        rows = self.db.rows(sa.select(R.c.session_id, R.c.result).where(R.c.kind == kind,
                                                                         R.c.session_id.in_(list(session_ids)))
                            .order_by(R.c.finished))
        return {r[0]: json.loads(r[1]) for r in rows}

    def complete(self, conn: Connection, kind: str, key: str, session_id: str, result: dict[str, Any],
                 worker: str) -> bool:
        """Record that ``kind`` finished for content ``key`` (in the caller's transaction); False when
        another run already did — the caller then rolls its own work back."""
        done = conn.execute(self.db.insert(R).values(kind=kind, key=key, session_id=session_id,
                                                     result=json.dumps(result, ensure_ascii=False), worker=worker,
                                                     finished=time.time())
                            .on_conflict_do_nothing().returning(R.c.key)).first()
        return done is not None

    def completions(self, kind: str) -> list[tuple[str, str]]:
        """(key, worker) of every finished ``kind`` job (tests count them: each key exactly once)."""
        return [(r[0], r[1]) for r in self.db.rows(sa.select(R.c.key, R.c.worker).where(R.c.kind == kind))]


def require_session(org: OrgStore, session_id: str) -> OrgSession:
    found = org.session(session_id)
    if found is None:
        raise ReviewError(f"no session {session_id!r} on this server", "list them with: streamkit review list --database URL")
    return found
