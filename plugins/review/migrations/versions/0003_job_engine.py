"""The job engine's tables (procrastinate), on PostgreSQL only: jobs are enqueued in the same
transaction that stores an upload, so a job exists exactly when its upload does.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03

A later procrastinate release that changes its schema gets a revision of its own that runs the
SQL migration files procrastinate ships (``procrastinate/sql/migrations``).
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # one PC (SQLite) runs no job engine
    from procrastinate.schema import SchemaManager

    with op.get_bind().connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(SchemaManager.get_schema())  # no parameters: the '%' in its functions stay as they are


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
                      "procrastinate_workers"):
            op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
