"""Baseline: the review database of one PC (users, logins, owners, shares, comments).

Revision ID: 0001
Revises:
Create Date: 2025-01-01

A review.db made before migrations existed already has these tables: every step here is
``if_not_exists``, so it is simply adopted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table("meta", sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text, nullable=False),
                    if_not_exists=True)
    op.create_table("users", sa.Column("id", Id, primary_key=True, autoincrement=True),
                    sa.Column("name", sa.Text, nullable=False, unique=True), sa.Column("role", sa.Text, nullable=False),
                    sa.Column("pw_hash", sa.Text, nullable=False, server_default=""),
                    sa.Column("created", sa.Float, nullable=False), if_not_exists=True)
    op.create_table("logins", sa.Column("token_hash", sa.Text, primary_key=True),
                    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
                    sa.Column("created", sa.Float, nullable=False), sa.Column("expires", sa.Float, nullable=False),
                    if_not_exists=True)
    op.create_table("session_owners", sa.Column("session_id", sa.Text, primary_key=True),
                    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
                    if_not_exists=True)
    op.create_table("shares", sa.Column("session_id", sa.Text, primary_key=True),
                    sa.Column("coach_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
                    sa.Column("created", sa.Float, nullable=False), if_not_exists=True)
    op.create_table("comments", sa.Column("id", Id, primary_key=True, autoincrement=True),
                    sa.Column("session_id", sa.Text, nullable=False),
                    sa.Column("parent_id", Id, sa.ForeignKey("comments.id")),
                    sa.Column("author_id", Id, sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("t_start", sa.Float, nullable=False), sa.Column("t_end", sa.Float),
                    sa.Column("body", sa.Text, nullable=False),
                    sa.Column("resolved", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("created", sa.Float, nullable=False), sa.Column("edited", sa.Float),
                    sa.Column("deleted", sa.Integer, nullable=False, server_default="0"), if_not_exists=True)
    op.create_index("comments_session", "comments", ["session_id", "t_start"], if_not_exists=True)
    op.create_index("comments_parent", "comments", ["parent_id"], if_not_exists=True)


def downgrade() -> None:
    for name in ("comments", "shares", "session_owners", "logins", "users", "meta"):
        op.drop_table(name)
