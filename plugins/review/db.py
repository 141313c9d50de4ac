"""The review database behind one storage layer (SQLAlchemy Core): SQLite on one PC, PostgreSQL for
an organisation. Same tables, same queries; the schema is kept by Alembic migrations shipped in
the package (``migrations/``), run whenever the database is opened and by ``streamkit review migrate``.

SQLite: the file is checked when opened and created whole (:mod:`streamkit.database`), in WAL mode
with ``synchronous=FULL``; one connection, writes serialised by a lock (``BEGIN IMMEDIATE``).
PostgreSQL (psycopg 3): a connection pool; every change is committed before the app answers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from streamkit.database import open_database
from streamkit.errors import StreamkitError

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0003"
MIGRATION_LOCK = 727274  # pg_advisory_lock key held while migrating
#: Alembic's own version table: a new SQLite file is created whole holding just this (never 0 bytes).
ALEMBIC_TABLE = ("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
                 "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));")


class DatabaseUrlError(StreamkitError):
    """A ``--database`` that is not a database streamkit can use."""


def postgres_url(url: str) -> str:
    """``postgresql://…`` (as users write it) for SQLAlchemy with psycopg 3 (``postgresql+psycopg://…``)."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseUrlError(f"--database {url!r} is not a database URL",
                               "write it as postgresql://USER:PASSWORD@HOST:PORT/NAME") from None
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseUrlError(f"--database {parsed.render_as_string(hide_password=True)!r} is not PostgreSQL",
                               "an organisation server needs postgresql://USER:PASSWORD@HOST:PORT/NAME")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """The same database as a plain libpq URL (what procrastinate's psycopg connector takes)."""
    return make_url(postgres_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)


class Database:
    """An engine plus the way to read and write on it (see the module docstring)."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path  # the SQLite file, None on PostgreSQL
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._lock = threading.RLock() if self.is_sqlite else None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction, committed when the block ends (rolled back if it raises)."""
        with self._serialised(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._serialised(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _serialised(self) -> Iterator[None]:
        if self._lock is None:
            yield
        else:
            with self._lock:
                yield

    def rows(self, query: sa.Executable, params: dict[str, Any] | None = None) -> list[sa.Row[Any]]:
        with self.read() as conn:
            return list(conn.execute(query, params or {}))

    def insert(self, table: sa.Table) -> Any:
        """``INSERT`` with ``on_conflict_do_nothing`` / ``on_conflict_do_update`` in this database's dialect."""
        return (sqlite_dialect.insert(table) if self.is_sqlite else pg_dialect.insert(table))

    def raw_sqlite(self) -> sqlite3.Connection:
        """The one sqlite3 connection (for SQLite's backup API)."""
        assert self.is_sqlite
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        return raw

    def close(self) -> None:
        self.engine.dispose()


def open_sqlite(path: Path) -> Database:
    """The SQLite review database at ``path``: checked (or created whole), migrated to the newest schema."""
    checked = open_database(path, ALEMBIC_TABLE)  # a damaged or empty file stops here, untouched
    checked.execute("PRAGMA journal_mode=WAL")
    checked.execute("PRAGMA synchronous=FULL")
    checked.execute("PRAGMA foreign_keys=ON")
    checked.execute("PRAGMA busy_timeout=5000")
    engine = sa.create_engine("sqlite://", creator=lambda: checked, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def begin_immediate(conn: Connection) -> None:  # the sqlite3 module's own transactions are off
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    db = Database(engine, path)
    migrate(db)
    return db


def open_postgres(url: str, *, pool_size: int = 10, run_migrations: bool = True) -> Database:
    """The organisation's PostgreSQL database (``postgresql://…``), migrated unless told not to."""
    engine = sa.create_engine(postgres_url(url), pool_size=pool_size, max_overflow=2 * pool_size, pool_pre_ping=True,
                              pool_recycle=1800)
    db = Database(engine)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.OperationalError as exc:
        engine.dispose()
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUrlError(f"cannot reach the database {make_url(url).render_as_string(hide_password=True)}: "
                               f"{first}", "check that PostgreSQL runs and the URL, user and password are right") from None
    if run_migrations:
        migrate(db)
    return db


def open_db(target: Path | str) -> Database:
    """SQLite for a path, PostgreSQL for a ``postgresql://`` URL."""
    if isinstance(target, Path):
        return open_sqlite(target)
    return open_postgres(target)


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def migrate(db: Database) -> str:
    """Bring the schema to the newest revision (a no-op when it is there); returns the revision."""
    from alembic import command

    with db._serialised(), db.engine.connect() as conn:
        if not db.is_sqlite:  # several servers and workers may start at once: one migrates, the others wait
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
        try:
            command.upgrade(_alembic_config(conn), "head")
            conn.commit()
        finally:
            if not db.is_sqlite:
                conn.rollback()
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
                conn.commit()
    return current_revision(db)


def current_revision(db: Database) -> str:
    with db.read() as conn:
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else ""
