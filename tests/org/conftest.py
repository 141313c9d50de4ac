"""Fixtures of the organisation-server tests: one real PostgreSQL (Debian's) for the whole run, a fresh
database per test, accounts, and servers and workers as real processes that can be killed -9."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from streamkit.plugins.review import samples
from streamkit.plugins.review.store import ReviewStore
from streamkit.session import Session, SessionStore
from streamkit.testing.helpers import require
from streamkit.testing.postgres import APT_COMMAND, TempPostgres

PASSWORDS = {"anna": "anna-password", "bo": "bo-password1", "chen": "chen-password", "dai": "dai-password",
             "org": "org-password"}
ROLES = {"anna": "streamer", "bo": "streamer", "chen": "coach", "dai": "coach", "org": "organiser"}
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    """One PostgreSQL server for the test run (started once, ≈1–4 s; stopped and deleted at the end)."""
    pg = TempPostgres()
    require(pg.available, "PostgreSQL is not installed", f"run: {APT_COMMAND}")
    pg.start()
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture()
def database(postgres: TempPostgres) -> str:
    """A new, empty database on that server (its URL)."""
    return postgres.create_database(f"review_{next(_numbers)}")


@pytest.fixture()
def org_database(database: str) -> str:
    """A migrated database with the accounts of :data:`ROLES`; chen coaches anna (dai coaches nobody)."""
    store = ReviewStore(database)
    try:
        for name, role in ROLES.items():
            store.add_user(name, role, PASSWORDS[name])  # type: ignore[arg-type]
        store.assign("chen", "anna")
    finally:
        store.close()
    return database


@pytest.fixture()
def homes(tmp_path: Path) -> tuple[Path, Path]:
    """Two STREAMKIT_HOMEs: the organisation's server and a streamer's PC."""
    server, pc = tmp_path / "server-home", tmp_path / "pc-home"
    server.mkdir()
    pc.mkdir()
    return server, pc


@pytest.fixture()
def pc_session(homes: tuple[Path, Path], tmp_path: Path) -> Session:
    """The sample Mandarin session, recorded on the streamer's PC (the second home)."""
    store = SessionStore(homes[1])
    try:
        return samples.mandarin_session(store, tmp_path)
    finally:
        store.close()
