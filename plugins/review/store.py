"""The review database: users, logins, session owners, shares and coach comments.

SQLite in WAL mode with ``synchronous=FULL``: every change is committed before the web app
answers, so a server killed mid-write loses nothing it acknowledged. :class:`ReviewStore` is the
only code that speaks SQL, so a server database can replace it later behind the same methods.
The file is checked when opened, owner-only, and backed up daily (:mod:`streamkit.database`).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from streamkit.database import backup_if_due, open_database
from streamkit.errors import StreamkitError
from streamkit.web.passwords import hash_password
from streamkit.web.passwords import verify_password as check_password

Role = Literal["owner", "streamer", "coach"]
LOCAL_OWNER = "local"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    pw_hash TEXT NOT NULL DEFAULT '', created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS logins (
    token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created REAL NOT NULL, expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS session_owners (
    session_id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS shares (
    session_id TEXT NOT NULL, coach_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created REAL NOT NULL, PRIMARY KEY (session_id, coach_id)
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, parent_id INTEGER REFERENCES comments(id),
    author_id INTEGER NOT NULL REFERENCES users(id), t_start REAL NOT NULL, t_end REAL,
    body TEXT NOT NULL, resolved INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL,
    edited REAL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS comments_session ON comments(session_id, t_start);
CREATE INDEX IF NOT EXISTS comments_parent ON comments(parent_id);
"""
#: Longest media time a comment may point at (a week of stream, in seconds).
MAX_MEDIA_SECONDS = 7 * 86400.0
COMMENT_PAGE_MAX = 500
BACKUP_CHECK_EVERY = 60.0  # seconds between looks at the backups folder while writing


class ReviewError(StreamkitError):
    """A review request that cannot be done (unknown user, wrong role, ...)."""


@dataclass(frozen=True)
class User:
    """An account of the review app (``owner`` is the local user, who never logs in)."""

    id: int
    name: str
    role: Role


@dataclass(frozen=True)
class Comment:
    """A coach comment at a moment (``t_end`` None) or over a range, possibly a reply."""

    id: int
    session_id: str
    parent_id: int | None
    author_id: int
    author: str
    author_role: str
    t_start: float
    t_end: float | None
    body: str
    resolved: bool
    created: float
    edited: float | None
    deleted: bool

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class ReviewStore:
    """Repository over ``review.db`` (one connection, guarded by a lock; WAL; FULL sync)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        fresh = not path.exists()
        self._db = open_database(path, SCHEMA)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._backup_checked = -BACKUP_CHECK_EVERY
        if not fresh:  # a new, empty database is backed up after its first change instead
            self._backup()

    # -- plumbing ---------------------------------------------------------------------------
    def _write(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cur = self._db.execute(sql, args)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        if time.monotonic() - self._backup_checked >= BACKUP_CHECK_EVERY:
            self._backup()
        return cur

    def _backup(self) -> None:
        """A rolling backup when the newest is over a day old (so a server running for weeks keeps taking them)."""
        self._backup_checked = time.monotonic()
        with self._lock:
            backup_if_due(self._db, self.path)

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def secret(self) -> bytes:
        """A random key made once per database (signs CSRF tokens; survives restarts)."""
        rows = self._read("SELECT value FROM meta WHERE key='secret'")
        if rows:
            return bytes.fromhex(rows[0][0])
        self._write("INSERT OR IGNORE INTO meta VALUES ('secret', ?)", (secrets.token_hex(32),))
        return bytes.fromhex(self._read("SELECT value FROM meta WHERE key='secret'")[0][0])

    # -- users --------------------------------------------------------------------------------
    def add_user(self, name: str, role: Role, password: str) -> User:
        name = name.strip()
        if not name or len(name) > 64 or any(c in name for c in "\r\n\t"):
            raise ReviewError(f"user name {name!r} is not usable", "use 1-64 characters on one line")
        if name == LOCAL_OWNER:
            raise ReviewError(f"user name {name!r} is reserved for the local owner", "pick another name")
        if role not in ("streamer", "coach"):
            raise ReviewError(f"role {role!r} is unknown", "use --role coach or --role streamer")
        if len(password) < 8:
            raise ReviewError("the password is shorter than 8 characters", "choose a longer password")
        try:
            cur = self._write("INSERT INTO users (name, role, pw_hash, created) VALUES (?,?,?,?)",
                              (name, role, hash_password(password), time.time()))
        except sqlite3.IntegrityError:
            raise ReviewError(f"user {name!r} already exists", "pick another name or remove the old one") from None
        return User(int(cur.lastrowid or 0), name, role)

    def set_password(self, name: str, password: str) -> None:
        if len(password) < 8:
            raise ReviewError("the password is shorter than 8 characters", "choose a longer password")
        user = self.require_user(name)
        self._write("UPDATE users SET pw_hash=? WHERE id=?", (hash_password(password), user.id))
        self._write("DELETE FROM logins WHERE user_id=?", (user.id,))

    def remove_user(self, name: str) -> None:
        user = self.require_user(name)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM logins WHERE user_id=?", (user.id,))
                self._db.execute("DELETE FROM shares WHERE coach_id=?", (user.id,))
                self._db.execute("DELETE FROM session_owners WHERE user_id=?", (user.id,))
                self._db.execute("UPDATE users SET pw_hash='', role='removed' WHERE id=?", (user.id,))
                self._db.execute("UPDATE users SET name=? WHERE id=?", (f"{user.name} (removed {user.id})", user.id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def users(self) -> list[User]:
        rows = self._read("SELECT id, name, role FROM users WHERE role IN ('streamer','coach') ORDER BY name")
        return [User(*r) for r in rows]

    def user_by_name(self, name: str) -> User | None:
        rows = self._read("SELECT id, name, role FROM users WHERE name=?", (name,))
        return User(*rows[0]) if rows else None

    def user_by_id(self, user_id: int) -> User | None:
        rows = self._read("SELECT id, name, role FROM users WHERE id=?", (user_id,))
        return User(*rows[0]) if rows else None

    def require_user(self, name: str, role: Role | None = None) -> User:
        user = self.user_by_name(name)
        if user is None or user.role == "removed":
            raise ReviewError(f"no user named {name!r}", "add one with: streamkit review user add NAME --role coach|streamer")
        if role and user.role != role:
            raise ReviewError(f"user {name!r} is a {user.role}, not a {role}", f"pick a {role} account")
        return user

    def local_owner(self) -> User:
        """The account of whoever runs the app on this machine without login."""
        user = self.user_by_name(LOCAL_OWNER)
        if user is None:
            self._write("INSERT OR IGNORE INTO users (name, role, pw_hash, created) VALUES (?,?,?,?)",
                        (LOCAL_OWNER, "owner", "", time.time()))
            user = self.user_by_name(LOCAL_OWNER)
        assert user is not None
        return user

    # -- logins -------------------------------------------------------------------------------
    def password_of(self, name: str) -> tuple[User | None, str | None]:
        """The account that may log in as ``name`` and its stored hash; (None, None) for anyone else."""
        rows = self._read("SELECT id, name, role, pw_hash FROM users WHERE name=? AND role IN ('streamer','coach')",
                          (name,))
        if not rows:
            return None, None
        uid, uname, role, pw_hash = rows[0]
        return User(uid, uname, role), pw_hash

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right; an unknown name costs the same hash work as a wrong password."""
        user, pw_hash = self.password_of(name)
        return user if check_password(password, pw_hash) and user is not None else None

    def start_login(self, user: User, days: int) -> str:
        token = secrets.token_urlsafe(32)
        now = time.time()
        self._write("INSERT INTO logins VALUES (?,?,?,?)", (_sha(token), user.id, now, now + days * 86400))
        return token

    def user_for_login(self, token: str) -> User | None:
        rows = self._read("SELECT u.id, u.name, u.role FROM logins l JOIN users u ON u.id=l.user_id "
                          "WHERE l.token_hash=? AND l.expires>? AND u.role IN ('streamer','coach')",
                          (_sha(token), time.time()))
        return User(*rows[0]) if rows else None

    def end_login(self, token: str) -> None:
        self._write("DELETE FROM logins WHERE token_hash=?", (_sha(token),))

    # -- ownership and shares -----------------------------------------------------------------
    def set_owner(self, session_id: str, streamer: str) -> None:
        user = self.require_user(streamer, "streamer")
        self._write("INSERT OR REPLACE INTO session_owners VALUES (?,?)", (session_id, user.id))

    def owner_of(self, session_id: str) -> int | None:
        rows = self._read("SELECT user_id FROM session_owners WHERE session_id=?", (session_id,))
        return int(rows[0][0]) if rows else None

    def owned_sessions(self, user_id: int) -> set[str]:
        return {r[0] for r in self._read("SELECT session_id FROM session_owners WHERE user_id=?", (user_id,))}

    def share(self, session_id: str, coach: str) -> None:
        user = self.require_user(coach, "coach")
        self._write("INSERT OR IGNORE INTO shares VALUES (?,?,?)", (session_id, user.id, time.time()))

    def unshare(self, session_id: str, coach: str) -> None:
        user = self.require_user(coach, "coach")
        self._write("DELETE FROM shares WHERE session_id=? AND coach_id=?", (session_id, user.id))

    def coaches_of(self, session_id: str) -> list[str]:
        rows = self._read("SELECT u.name FROM shares s JOIN users u ON u.id=s.coach_id WHERE s.session_id=? "
                          "ORDER BY u.name", (session_id,))
        return [r[0] for r in rows]

    def shared_sessions(self, coach_id: int) -> set[str]:
        return {r[0] for r in self._read("SELECT session_id FROM shares WHERE coach_id=?", (coach_id,))}

    def can_see(self, user: User, session_id: str) -> bool:
        """Owner (local) sees all; a streamer sees what they own; a coach what was shared with them."""
        if user.role == "owner":
            return True
        if user.role == "streamer":
            return self.owner_of(session_id) == user.id
        if user.role == "coach":
            return bool(self._read("SELECT 1 FROM shares WHERE session_id=? AND coach_id=?", (session_id, user.id)))
        return False

    # -- comments -----------------------------------------------------------------------------
    _COMMENT_SQL = ("SELECT c.id, c.session_id, c.parent_id, c.author_id, u.name, u.role, c.t_start, c.t_end, "
                    "c.body, c.resolved, c.created, c.edited, c.deleted FROM comments c JOIN users u ON u.id=c.author_id ")

    def _comment(self, row: tuple[Any, ...]) -> Comment:
        """A row as a Comment; times a renderer cannot draw (stored before they were checked) become 0 / None."""
        r = list(row)
        r[6] = _media_time(r[6]) or 0.0
        r[7] = _media_time(r[7])
        r[9] = bool(r[9])
        r[12] = bool(r[12])
        return Comment(*r)

    def add_comment(self, session_id: str, author: User, body: str, t_start: float, t_end: float | None = None,
                    parent_id: int | None = None) -> Comment:
        if _media_time(t_start) is None or (t_end is not None and _media_time(t_end) is None):
            raise ReviewError(f"comment times must be between 0 and {MAX_MEDIA_SECONDS:.0f} seconds",
                              "give the moment in the recording as m:ss")
        if parent_id is not None:
            parent = self.comment(parent_id)
            if parent is None or parent.session_id != session_id:
                raise ReviewError(f"comment {parent_id} is not in session {session_id}", "reply to a comment of this session")
            t_start, t_end = parent.t_start, parent.t_end
        if t_end is not None and t_end < t_start:
            t_start, t_end = t_end, t_start
        cur = self._write("INSERT INTO comments (session_id, parent_id, author_id, t_start, t_end, body, created) "
                          "VALUES (?,?,?,?,?,?,?)", (session_id, parent_id, author.id, t_start, t_end, body, time.time()))
        comment = self.comment(int(cur.lastrowid or 0))
        assert comment is not None
        return comment

    def comment(self, comment_id: int) -> Comment | None:
        rows = self._read(self._COMMENT_SQL + "WHERE c.id=?", (comment_id,))
        return self._comment(rows[0]) if rows else None

    def comments(self, session_id: str) -> list[Comment]:
        """All comments of a session, threads in time order; deleted ones only where replies hang off them."""
        rows = [self._comment(r) for r in self._read(self._COMMENT_SQL + "WHERE c.session_id=? ORDER BY c.t_start, c.id",
                                                     (session_id,))]
        live_parents = {c.parent_id for c in rows if not c.deleted and c.parent_id is not None}
        return [c for c in rows if not c.deleted or c.id in live_parents]

    def comments_page(self, session_id: str, limit: int, after: tuple[float, int] | None = None
                      ) -> tuple[list[Comment], tuple[float, int] | None]:
        """Up to ``limit`` comments in the order of :meth:`comments`, after the cursor ``(t_start, id)``;
        returns them and the cursor of the next page (None on the last)."""
        limit = max(1, min(limit, COMMENT_PAGE_MAX))
        t0, last = after if after is not None else (-1.0, 0)
        rows = self._read(self._COMMENT_SQL + "WHERE c.session_id=? AND (c.t_start, c.id) > (?, ?) AND (c.deleted=0 OR "
                          "EXISTS (SELECT 1 FROM comments r WHERE r.parent_id=c.id AND r.deleted=0)) "
                          "ORDER BY c.t_start, c.id LIMIT ?", (session_id, t0, last, limit + 1))
        page = [self._comment(r) for r in rows[:limit]]
        more = len(rows) > limit
        return page, ((float(rows[limit - 1][6]), int(rows[limit - 1][0])) if more else None)

    def comment_count(self, session_id: str) -> int:
        return int(self._read("SELECT COUNT(*) FROM comments WHERE session_id=? AND deleted=0", (session_id,))[0][0])

    def comments_version(self, session_id: str) -> tuple[Any, ...]:
        """Changes whenever a comment of the session is added, edited, resolved or deleted."""
        return tuple(self._read("SELECT COUNT(*), MAX(id), MAX(edited), SUM(resolved), SUM(deleted) FROM comments "
                                "WHERE session_id=?", (session_id,))[0])

    def comment_counts(self) -> dict[str, int]:
        rows = self._read("SELECT session_id, COUNT(*) FROM comments WHERE deleted=0 GROUP BY session_id")
        return {r[0]: int(r[1]) for r in rows}

    def edit_comment(self, comment_id: int, author: User, body: str) -> Comment:
        self._own(comment_id, author)
        self._write("UPDATE comments SET body=?, edited=? WHERE id=?", (body, time.time(), comment_id))
        return self.comment(comment_id)  # type: ignore[return-value]

    def delete_comment(self, comment_id: int, author: User) -> None:
        self._own(comment_id, author)
        self._write("UPDATE comments SET deleted=1, body='' WHERE id=?", (comment_id,))

    def set_resolved(self, comment_id: int, resolved: bool) -> Comment:
        self._write("UPDATE comments SET resolved=? WHERE id=?", (int(resolved), comment_id))
        comment = self.comment(comment_id)
        if comment is None:
            raise ReviewError(f"no comment {comment_id}", "reload the page")
        return comment

    def _own(self, comment_id: int, author: User) -> Comment:
        comment = self.comment(comment_id)
        if comment is None or comment.deleted:
            raise ReviewError(f"no comment {comment_id}", "reload the page")
        if comment.author_id != author.id:
            raise PermissionError("only the author may change a comment")
        return comment


def _media_time(value: Any) -> float | None:
    """``value`` as seconds into the recording, or None when it is not a finite time in range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    t = float(value)
    return t if math.isfinite(t) and 0.0 <= t <= MAX_MEDIA_SECONDS else None


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
