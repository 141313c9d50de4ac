"""Organisation server: coach assignments, pushed and live sessions, their events, uploads,
coach prompts, job progress and job results.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_index("session_owners_user", "session_owners", ["user_id"], if_not_exists=True)
    op.create_table(
        "assignments",
        sa.Column("coach_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("streamer_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created", sa.Float, nullable=False))
    op.create_index("assignments_streamer", "assignments", ["streamer_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Text, primary_key=True), sa.Column("name", sa.Text, nullable=False),
        sa.Column("started", sa.Float, nullable=False), sa.Column("ended", sa.Float),
        sa.Column("info", sa.Text, nullable=False, server_default="{}"),
        sa.Column("media_key", sa.Text), sa.Column("media_sha256", sa.Text), sa.Column("media_seconds", sa.Float),
        sa.Column("media_is_recording", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("live", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated", sa.Float, nullable=False))
    op.create_index("sessions_started", "sessions", ["started"])
    op.create_table(
        "session_events",
        sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("stream", sa.Text, primary_key=True), sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("ts", sa.Float, nullable=False), sa.Column("type", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False))
    op.create_table(
        "uploads",
        sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("path", sa.Text, primary_key=True), sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False, server_default="file"),
        sa.Column("received", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("complete", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated", sa.Float, nullable=False))
    op.create_table(
        "prompts",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("coach_id", Id, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False), sa.Column("created", sa.Float, nullable=False),
        sa.Column("delivered", sa.Float))
    op.create_index("prompts_session", "prompts", ["session_id", "id"])
    op.create_table(
        "job_progress",
        sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True), sa.Column("state", sa.Text, nullable=False),
        sa.Column("done", sa.Float, nullable=False, server_default="0"),
        sa.Column("total", sa.Float, nullable=False, server_default="0"),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.Float, nullable=False))
    op.create_table(
        "job_results",
        sa.Column("kind", sa.Text, primary_key=True), sa.Column("key", sa.Text, primary_key=True),
        sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("result", sa.Text, nullable=False, server_default="{}"),
        sa.Column("worker", sa.Text, nullable=False, server_default=""),
        sa.Column("finished", sa.Float, nullable=False))


def downgrade() -> None:
    for name in ("job_results", "job_progress", "prompts", "uploads", "session_events", "sessions", "assignments"):
        op.drop_table(name)
    op.drop_index("session_owners_user", "session_owners")
