"""The review database: users, logins, session owners, shares, coach assignments and comments.

One code path for both databases (:mod:`.db`, SQLAlchemy Core): SQLite on one PC (WAL,
``synchronous=FULL``, checked when opened, backed up daily — :mod:`streamkit.database`) and
PostgreSQL on an organisation's server. Every change is committed before the web app answers,
so a server killed mid-write loses nothing it acknowledged. :class:`ReviewStore` is the only code
that speaks to these tables; the organisation's sessions, events and uploads are in :mod:`.orgstore`.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa

from streamkit.database import backup_if_due
from streamkit.errors import StreamkitError
from streamkit.web.passwords import hash_password
from streamkit.web.passwords import verify_password as check_password

from . import tables as T
from .db import Database, open_db

Role = Literal["owner", "streamer", "coach", "organiser"]
ACCOUNT_ROLES = ("streamer", "coach", "organiser")
LOCAL_OWNER = "local"
#: Longest media time a comment may point at (a week of stream, in seconds).
MAX_MEDIA_SECONDS = 7 * 86400.0
COMMENT_PAGE_MAX = 500
BACKUP_CHECK_EVERY = 60.0  # seconds between looks at the backups folder while writing

__all__ = ["ACCOUNT_ROLES", "Comment", "ReviewError", "ReviewStore", "Role", "User", "check_password", "hash_password"]


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


def plain_text(value: str, what: str) -> str:
    """Text a database can hold: PostgreSQL refuses the NUL character, so it is refused everywhere."""
    if "\x00" in value:
        raise ReviewError(f"the {what} contains a NUL character", "remove it and send the text again")
    return value


U, C = T.users, T.comments
_USER_COLS = (U.c.id, U.c.name, U.c.role)
_COMMENT_COLS = (C.c.id, C.c.session_id, C.c.parent_id, C.c.author_id, U.c.name, U.c.role, C.c.t_start, C.c.t_end,
                 C.c.body, C.c.resolved, C.c.created, C.c.edited, C.c.deleted)


class ReviewStore:
    """Repository over the review database: a ``review.db`` path (SQLite) or a ``postgresql://`` URL."""

    def __init__(self, target: Path | str | Database) -> None:
        self.db = target if isinstance(target, Database) else open_db(target)
        self.path = self.db.path
        self._backup_checked = -BACKUP_CHECK_EVERY
        if self.db.is_sqlite and self.db.rows(sa.select(U.c.id).limit(1)):
            self._backup()  # a new, empty database is backed up after its first change instead

    @property
    def is_org(self) -> bool:
        """True on an organisation's PostgreSQL server."""
        return not self.db.is_sqlite

    # -- plumbing ---------------------------------------------------------------------------
    def _write(self, *statements: sa.Executable) -> list[list[sa.Row[Any]]]:
        """Run ``statements`` in one transaction, committed before this returns; the rows each returned."""
        with self.db.write() as conn:
            results = [_fetched(conn.execute(s)) for s in statements]
        if self.db.is_sqlite and time.monotonic() - self._backup_checked >= BACKUP_CHECK_EVERY:
            self._backup()
        return results

    def _backup(self) -> None:
        """A rolling backup when the newest is over a day old (so a server running for weeks keeps taking them)."""
        self._backup_checked = time.monotonic()
        assert self.path is not None
        with self.db.read():
            backup_if_due(self.db.raw_sqlite(), self.path)

    def close(self) -> None:
        self.db.close()

    def secret(self) -> bytes:
        """A random key made once per database (signs CSRF tokens; survives restarts)."""
        query = sa.select(T.meta.c.value).where(T.meta.c.key == "secret")
        rows = self.db.rows(query)
        if not rows:
            self._write(self.db.insert(T.meta).values(key="secret", value=secrets.token_hex(32)).on_conflict_do_nothing())
            rows = self.db.rows(query)
        return bytes.fromhex(rows[0][0])

    # -- users --------------------------------------------------------------------------------
    def add_user(self, name: str, role: Role, password: str) -> User:
        name = plain_text(name.strip(), "user name")
        if not name or len(name) > 64 or any(c in name for c in "\r\n\t"):
            raise ReviewError(f"user name {name!r} is not usable", "use 1-64 characters on one line")
        if name == LOCAL_OWNER:
            raise ReviewError(f"user name {name!r} is reserved for the local owner", "pick another name")
        roles = ACCOUNT_ROLES if self.is_org else ("streamer", "coach")
        if role not in roles:
            raise ReviewError(f"role {role!r} is unknown here", "use --role " + ", --role ".join(roles))
        if len(password) < 8:
            raise ReviewError("the password is shorter than 8 characters", "choose a longer password")
        try:
            (rows,) = self._write(sa.insert(U).values(name=name, role=role, pw_hash=hash_password(password),
                                                      created=time.time()).returning(U.c.id))
        except sa.exc.IntegrityError:
            raise ReviewError(f"user {name!r} already exists", "pick another name or remove the old one") from None
        return User(int(rows[0][0]), name, role)

    def set_password(self, name: str, password: str) -> None:
        if len(password) < 8:
            raise ReviewError("the password is shorter than 8 characters", "choose a longer password")
        user = self.require_user(name)
        self._write(sa.update(U).where(U.c.id == user.id).values(pw_hash=hash_password(password)),
                    sa.delete(T.logins).where(T.logins.c.user_id == user.id))

    def remove_user(self, name: str) -> None:
        user = self.require_user(name)
        self._write(sa.delete(T.logins).where(T.logins.c.user_id == user.id),
                    sa.delete(T.shares).where(T.shares.c.coach_id == user.id),
                    sa.delete(T.session_owners).where(T.session_owners.c.user_id == user.id),
                    sa.delete(T.assignments).where(sa.or_(T.assignments.c.coach_id == user.id,
                                                          T.assignments.c.streamer_id == user.id)),
                    sa.update(U).where(U.c.id == user.id).values(pw_hash="", role="removed",
                                                                 name=f"{user.name} (removed {user.id})"))

    def users(self) -> list[User]:
        rows = self.db.rows(sa.select(*_USER_COLS).where(U.c.role.in_(ACCOUNT_ROLES)).order_by(U.c.name))
        return [User(*r) for r in rows]

    def user_by_name(self, name: str) -> User | None:
        rows = self.db.rows(sa.select(*_USER_COLS).where(U.c.name == name))
        return User(*rows[0]) if rows else None

    def require_user(self, name: str, role: Role | None = None) -> User:
        user = self.user_by_name(plain_text(name, "user name"))
        if user is None or user.role == "removed":
            raise ReviewError(f"no user named {name!r}",
                              "add one with: streamkit review user add NAME --role streamer|coach|organiser")
        if role and user.role != role:
            raise ReviewError(f"user {name!r} is a {user.role}, not a {role}", f"pick a {role} account")
        return user

    def local_owner(self) -> User:
        """The account of whoever runs the app on this machine without login."""
        user = self.user_by_name(LOCAL_OWNER)
        if user is None:
            self._write(self.db.insert(U).values(name=LOCAL_OWNER, role="owner", pw_hash="", created=time.time())
                        .on_conflict_do_nothing())
            user = self.user_by_name(LOCAL_OWNER)
        assert user is not None
        return user

    # -- logins -------------------------------------------------------------------------------
    def password_of(self, name: str) -> tuple[User | None, str | None]:
        """The account that may log in as ``name`` and its stored hash; (None, None) for anyone else."""
        if "\x00" in name:
            return None, None
        rows = self.db.rows(sa.select(*_USER_COLS, U.c.pw_hash).where(U.c.name == name, U.c.role.in_(ACCOUNT_ROLES)))
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
        self._write(sa.insert(T.logins).values(token_hash=_sha(token), user_id=user.id, created=now,
                                               expires=now + days * 86400))
        return token

    def user_for_login(self, token: str) -> User | None:
        L = T.logins
        rows = self.db.rows(sa.select(*_USER_COLS).join_from(L, U, U.c.id == L.c.user_id)
                            .where(L.c.token_hash == _sha(token), L.c.expires > time.time(),
                                   U.c.role.in_(ACCOUNT_ROLES)))
        return User(*rows[0]) if rows else None

    def end_login(self, token: str) -> None:
        self._write(sa.delete(T.logins).where(T.logins.c.token_hash == _sha(token)))

    # -- ownership, shares and assignments ----------------------------------------------------
    def set_owner(self, session_id: str, streamer: str) -> None:
        user = self.require_user(streamer, "streamer")
        self._write(self.db.insert(T.session_owners).values(session_id=session_id, user_id=user.id)
                    .on_conflict_do_update(index_elements=["session_id"], set_={"user_id": user.id}))

    def owner_of(self, session_id: str) -> int | None:
        O = T.session_owners
        rows = self.db.rows(sa.select(O.c.user_id).where(O.c.session_id == session_id))
        return int(rows[0][0]) if rows else None

    def owned_sessions(self, user_id: int) -> set[str]:
        O = T.session_owners
        return {r[0] for r in self.db.rows(sa.select(O.c.session_id).where(O.c.user_id == user_id))}

    def share(self, session_id: str, coach: str) -> None:
        user = self.require_user(coach, "coach")
        self._write(self.db.insert(T.shares).values(session_id=session_id, coach_id=user.id, created=time.time())
                    .on_conflict_do_nothing())

    def unshare(self, session_id: str, coach: str) -> None:
        user = self.require_user(coach, "coach")
        S = T.shares
        self._write(sa.delete(S).where(S.c.session_id == session_id, S.c.coach_id == user.id))

    def coaches_of(self, session_id: str) -> list[str]:
        S = T.shares
        rows = self.db.rows(sa.select(U.c.name).join_from(S, U, U.c.id == S.c.coach_id)
                            .where(S.c.session_id == session_id).order_by(U.c.name))
        return [r[0] for r in rows]

    def assign(self, coach: str, streamer: str) -> None:
        """The coach sees every session of the streamer (an organiser's decision)."""
        c, s = self.require_user(coach, "coach"), self.require_user(streamer, "streamer")
        self._write(self.db.insert(T.assignments).values(coach_id=c.id, streamer_id=s.id, created=time.time())
                    .on_conflict_do_nothing())

    def unassign(self, coach: str, streamer: str) -> None:
        c, s = self.require_user(coach, "coach"), self.require_user(streamer, "streamer")
        A = T.assignments
        self._write(sa.delete(A).where(A.c.coach_id == c.id, A.c.streamer_id == s.id))

    def assignments(self) -> list[tuple[str, str]]:
        """Every (coach, streamer) pair, by coach then streamer."""
        A, coach, streamer = T.assignments, U.alias("coach"), U.alias("streamer")
        rows = self.db.rows(sa.select(coach.c.name, streamer.c.name).select_from(A)
                            .join(coach, coach.c.id == A.c.coach_id).join(streamer, streamer.c.id == A.c.streamer_id)
                            .order_by(coach.c.name, streamer.c.name))
        return [(r[0], r[1]) for r in rows]

    def visible_filter(self, user: User, session_id: Any) -> Any:
        """A SQL condition: ``session_id`` (a column or a value) is one ``user`` may see."""
        O, S, A = T.session_owners, T.shares, T.assignments
        if user.role in ("owner", "organiser"):
            return sa.true()
        if user.role == "streamer":
            return sa.exists().where(O.c.session_id == session_id, O.c.user_id == user.id)
        if user.role == "coach":
            shared = sa.exists().where(S.c.session_id == session_id, S.c.coach_id == user.id)
            assigned = sa.exists().where(O.c.session_id == session_id, A.c.streamer_id == O.c.user_id,
                                         A.c.coach_id == user.id)
            return sa.or_(shared, assigned)
        return sa.false()

    def can_see(self, user: User, session_id: str) -> bool:
        """Owner (local) and organisers see all; a streamer what they own; a coach what was shared
        with them or belongs to a streamer they are assigned to."""
        if user.role in ("owner", "organiser"):
            return True
        return bool(self.db.rows(sa.select(self.visible_filter(user, session_id))).pop()[0])

    # -- comments -----------------------------------------------------------------------------
    def _comments(self, *where: Any) -> sa.Select[Any]:
        return sa.select(*_COMMENT_COLS).join_from(C, U, U.c.id == C.c.author_id).where(*where)

    def _comment(self, row: Any) -> Comment:
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
        plain_text(body, "comment")
        if parent_id is not None:
            parent = self.comment(parent_id)
            if parent is None or parent.session_id != session_id:
                raise ReviewError(f"comment {parent_id} is not in session {session_id}", "reply to a comment of this session")
            t_start, t_end = parent.t_start, parent.t_end
        if t_end is not None and t_end < t_start:
            t_start, t_end = t_end, t_start
        (rows,) = self._write(sa.insert(C).values(session_id=session_id, parent_id=parent_id, author_id=author.id,
                                                  t_start=t_start, t_end=t_end, body=body, created=time.time())
                              .returning(C.c.id))
        comment = self.comment(int(rows[0][0]))
        assert comment is not None
        return comment

    def comment(self, comment_id: int) -> Comment | None:
        rows = self.db.rows(self._comments(C.c.id == comment_id))
        return self._comment(rows[0]) if rows else None

    def comments(self, session_id: str) -> list[Comment]:
        """All comments of a session, threads in time order; deleted ones only where replies hang off them."""
        rows = [self._comment(r) for r in self.db.rows(self._comments(C.c.session_id == session_id)
                                                       .order_by(C.c.t_start, C.c.id))]
        live_parents = {c.parent_id for c in rows if not c.deleted and c.parent_id is not None}
        return [c for c in rows if not c.deleted or c.id in live_parents]

    def comments_page(self, session_id: str, limit: int, after: tuple[float, int] | None = None
                      ) -> tuple[list[Comment], tuple[float, int] | None]:
        """Up to ``limit`` comments in the order of :meth:`comments`, after the cursor ``(t_start, id)``;
        returns them and the cursor of the next page (None on the last)."""
        limit = max(1, min(limit, COMMENT_PAGE_MAX))
        t0, last = after if after is not None else (-1.0, 0)
        reply = C.alias("reply")
        has_live_reply = sa.exists().where(reply.c.parent_id == C.c.id, reply.c.deleted == 0)
        rows = self.db.rows(self._comments(C.c.session_id == session_id,
                                           sa.tuple_(C.c.t_start, C.c.id) > sa.tuple_(sa.literal(t0), sa.literal(last)),
                                           sa.or_(C.c.deleted == 0, has_live_reply))
                            .order_by(C.c.t_start, C.c.id).limit(limit + 1))
        page = [self._comment(r) for r in rows[:limit]]
        more = len(rows) > limit
        return page, ((float(rows[limit - 1][6]), int(rows[limit - 1][0])) if more else None)

    def comment_count(self, session_id: str) -> int:
        return int(self.db.rows(sa.select(sa.func.count()).select_from(C)
                                .where(C.c.session_id == session_id, C.c.deleted == 0))[0][0])

    def comments_version(self, session_id: str) -> tuple[Any, ...]:
        """Changes whenever a comment of the session is added, edited, resolved or deleted."""
        f = sa.func
        return tuple(self.db.rows(sa.select(f.count(), f.max(C.c.id), f.max(C.c.edited), f.sum(C.c.resolved),
                                            f.sum(C.c.deleted)).where(C.c.session_id == session_id))[0])

    def comment_counts(self, session_ids: list[str] | None = None) -> dict[str, int]:
        query = sa.select(C.c.session_id, sa.func.count()).where(C.c.deleted == 0).group_by(C.c.session_id)
        if session_ids is not None:
            query = query.where(C.c.session_id.in_(session_ids))
        return {r[0]: int(r[1]) for r in self.db.rows(query)}

    def edit_comment(self, comment_id: int, author: User, body: str) -> Comment:
        self._own(comment_id, author)
        self._write(sa.update(C).where(C.c.id == comment_id).values(body=plain_text(body, "comment"), edited=time.time()))
        return self.comment(comment_id)  # type: ignore[return-value]

    def delete_comment(self, comment_id: int, author: User) -> None:
        self._own(comment_id, author)
        self._write(sa.update(C).where(C.c.id == comment_id).values(deleted=1, body=""))

    def set_resolved(self, comment_id: int, resolved: bool) -> Comment:
        self._write(sa.update(C).where(C.c.id == comment_id).values(resolved=int(resolved)))
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


def _fetched(result: sa.CursorResult[Any]) -> list[sa.Row[Any]]:
    """The rows a statement returned, read before its transaction commits (SQLite insists)."""
    return list(result.all()) if result.returns_rows else []


def _media_time(value: Any) -> float | None:
    """``value`` as seconds into the recording, or None when it is not a finite time in range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    t = float(value)
    return t if math.isfinite(t) and 0.0 <= t <= MAX_MEDIA_SECONDS else None


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
