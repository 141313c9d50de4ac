"""The review database's tables, described once for SQLAlchemy Core (SQLite and PostgreSQL alike).

The queries in :mod:`.store` and :mod:`.orgstore` are built from these; the Alembic migrations in
``migrations/versions`` create them (a migration is a snapshot of its day, so it spells its
tables out itself). Times are seconds since the epoch (floats), as everywhere in streamkit.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
#: A 64-bit id on PostgreSQL, SQLite's rowid alias on SQLite (``INTEGER PRIMARY KEY``).
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

meta = sa.Table("meta", metadata, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text, nullable=False))

users = sa.Table(
    "users", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("pw_hash", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.Float, nullable=False),
)

logins = sa.Table(
    "logins", metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False),
)

session_owners = sa.Table(
    "session_owners", metadata,
    sa.Column("session_id", sa.Text, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Index("session_owners_user", "user_id"),
)

shares = sa.Table(
    "shares", metadata,
    sa.Column("session_id", sa.Text, primary_key=True),
    sa.Column("coach_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("created", sa.Float, nullable=False),
)

comments = sa.Table(
    "comments", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Text, nullable=False),
    sa.Column("parent_id", Id, sa.ForeignKey("comments.id")),
    sa.Column("author_id", Id, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("t_start", sa.Float, nullable=False),
    sa.Column("t_end", sa.Float),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("resolved", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("edited", sa.Float),
    sa.Column("deleted", sa.Integer, nullable=False, server_default="0"),
    sa.Index("comments_session", "session_id", "t_start"),
    sa.Index("comments_parent", "parent_id"),
)

# -- organisation server ----------------------------------------------------------------------
assignments = sa.Table(
    "assignments", metadata,
    sa.Column("coach_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("streamer_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Index("assignments_streamer", "streamer_id"),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.Text, primary_key=True),  # owner: session_owners, as for a local session
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("started", sa.Float, nullable=False),
    sa.Column("ended", sa.Float),
    sa.Column("info", sa.Text, nullable=False, server_default="{}"),  # session.json as pushed (JSON)
    sa.Column("media_key", sa.Text),  # where the recording is in the media store
    sa.Column("media_sha256", sa.Text),
    sa.Column("media_seconds", sa.Float),
    sa.Column("media_is_recording", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("live", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated", sa.Float, nullable=False),
    sa.Index("sessions_started", "started"),
)

session_events = sa.Table(
    "session_events", metadata,
    sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stream", sa.Text, primary_key=True),  # "log": the PC's events.jsonl; "transcript": a worker's
    sa.Column("seq", sa.BigInteger, primary_key=True),  # line number in events.jsonl, from 1
    sa.Column("ts", sa.Float, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # the event as one JSON object
)

uploads = sa.Table(
    "uploads", metadata,
    sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("path", sa.Text, primary_key=True),  # relative name inside the session ("events.jsonl", "media/x.mkv")
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False, server_default="file"),  # media (the recording), events, info or file
    sa.Column("received", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("complete", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated", sa.Float, nullable=False),
)

prompts = sa.Table(
    "prompts", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("coach_id", Id, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("delivered", sa.Float),
    sa.Index("prompts_session", "session_id", "id"),
)

job_progress = sa.Table(
    "job_progress", metadata,
    sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kind", sa.Text, primary_key=True),  # transcribe | metrics | report
    sa.Column("state", sa.Text, nullable=False),  # queued | running | done | failed
    sa.Column("done", sa.Float, nullable=False, server_default="0"),
    sa.Column("total", sa.Float, nullable=False, server_default="0"),
    sa.Column("message", sa.Text, nullable=False, server_default=""),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated", sa.Float, nullable=False),
)

job_results = sa.Table(
    "job_results", metadata,
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),  # content hash of what the job worked on
    sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("result", sa.Text, nullable=False, server_default="{}"),  # JSON
    sa.Column("worker", sa.Text, nullable=False, server_default=""),
    sa.Column("finished", sa.Float, nullable=False),
)
