"""The storage layer on PostgreSQL and SQLite alike (one code path), its migrations, and the CLI of an
organisation's server: accounts with roles, assignments, who sees what, one-line errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from streamkit.plugins.review.db import HEAD, current_revision, open_sqlite
from streamkit.plugins.review.orgstore import OrgStore
from streamkit.plugins.review.store import ReviewError, ReviewStore

LEGACY_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    pw_hash TEXT NOT NULL DEFAULT '', created REAL NOT NULL);
CREATE TABLE logins (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created REAL NOT NULL, expires REAL NOT NULL);
CREATE TABLE session_owners (session_id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE);
CREATE TABLE shares (session_id TEXT NOT NULL, coach_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created REAL NOT NULL, PRIMARY KEY (session_id, coach_id));
CREATE TABLE comments (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, parent_id INTEGER REFERENCES comments(id),
    author_id INTEGER NOT NULL REFERENCES users(id), t_start REAL NOT NULL, t_end REAL, body TEXT NOT NULL,
    resolved INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL, edited REAL, deleted INTEGER NOT NULL DEFAULT 0);
INSERT INTO users VALUES (1, 'chen', 'coach', '', 1.0);
INSERT INTO comments (session_id, author_id, t_start, body, created) VALUES ('s1', 1, 5.0, '旧评论', 1.0);
"""


def _run(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streamkit", "review", *args], input=stdin, capture_output=True,
                          text=True, env={**os.environ, "STREAMKIT_HOME": str(home)}, timeout=120, check=False)


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_one_code_path_for_both_databases(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    target = request.getfixturevalue("database") if kind == "postgresql" else tmp_path / "review.db"
    store = ReviewStore(target)
    try:
        coach = store.add_user("李教练", "coach", "password-1")
        streamer = store.add_user("anna", "streamer", "password-1")
        top = store.add_comment("s1", coach, "语速可以再慢一点", 65.0, 80.0)
        reply = store.add_comment("s1", streamer, "好的", 0.0, parent_id=top.id)
        page, cursor = store.comments_page("s1", 1)
        assert [c.id for c in page] == [top.id] and cursor is not None
        assert [c.id for c in store.comments_page("s1", 1, cursor)[0]] == [reply.id]
        with pytest.raises(ReviewError, match="already exists"):
            store.add_user("李教练", "coach", "password-2")
        with pytest.raises(ReviewError, match="NUL"):
            store.add_comment("s1", coach, "bad\x00text", 1.0)
        token = store.start_login(coach, days=1)
        assert store.user_for_login(token) == coach
        assert store.secret() == store.secret()
        assert current_revision(store.db) == HEAD
    finally:
        store.close()


def test_organisation_roles_and_who_sees_what(database: str) -> None:
    store = ReviewStore(database)
    org = OrgStore(store)
    try:
        anna, bo = store.add_user("anna", "streamer", "password-1"), store.add_user("bo", "streamer", "password-1")
        chen, dai = store.add_user("chen", "coach", "password-1"), store.add_user("dai", "coach", "password-1")
        boss = store.add_user("org", "organiser", "password-1")
        org.open_session("a1", anna, {"name": "anna 1", "started": 100.0})
        org.open_session("b1", bo, {"name": "bo 1", "started": 200.0})
        store.assign("chen", "anna")
        assert store.can_see(chen, "a1") and not store.can_see(chen, "b1") and not store.can_see(dai, "a1")
        assert store.can_see(anna, "a1") and not store.can_see(anna, "b1")
        assert store.can_see(boss, "a1") and store.can_see(boss, "b1")
        assert [s.id for s in org.visible_sessions(chen)] == ["a1"]
        assert [s.id for s in org.visible_sessions(boss)] == ["b1", "a1"]
        assert org.visible_sessions(dai) == []
        with pytest.raises(PermissionError):
            org.open_session("a1", bo, {"name": "taken"})
        with pytest.raises(ReviewError, match="is a streamer, not a coach"):
            store.assign("anna", "bo")
        store.unassign("chen", "anna")
        assert not store.can_see(chen, "a1")
        assert org.add_events("a1", [(1, {"type": "SessionStarted", "ts": 1.0}), (3, {"type": "X", "ts": 3.0})]) == 1
        assert org.add_events("a1", [(2, {"type": "X", "ts": 2.0}), (1, {"type": "Y", "ts": 9.0})]) == 3
        assert [e["type"] for e in org.events("a1")] == ["SessionStarted", "X", "X"], "each number stored once"
    finally:
        store.close()


def test_a_review_db_from_before_migrations_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    legacy = sqlite3.connect(path)
    legacy.executescript(LEGACY_SCHEMA)
    legacy.close()
    db = open_sqlite(path)
    try:
        assert current_revision(db) == HEAD
    finally:
        db.close()
    store = ReviewStore(path)
    try:
        assert [c.body for c in store.comments("s1")] == ["旧评论"], "nothing lost"
    finally:
        store.close()


def test_cli_accounts_assignments_and_one_line_errors(database: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "migrate", "--database", database).stdout.strip().endswith(HEAD)
    for name, role in (("anna", "streamer"), ("chen", "coach"), ("org", "organiser")):
        added = _run(home, "user", "add", name, "--role", role, "--database", database, "--password-stdin",
                     stdin="a-long-password\n")
        assert added.returncode == 0, added.stderr
    assigned = _run(home, "assign", "chen", "anna", "--database", database)
    assert assigned.returncode == 0 and "chen now coaches anna" in assigned.stdout
    listing = _run(home, "user", "list", "--database", database).stdout
    assert "org\torganiser" in listing and "chen\tcoach" in listing
    local = _run(home, "user", "add", "boss", "--role", "organiser", "--password-stdin", stdin="a-long-password\n")
    assert local.returncode == 2 and "unknown here" in local.stderr and len(local.stderr.strip().splitlines()) == 1
    wrong = _run(home, "assign", "anna", "chen", "--database", database)
    assert wrong.returncode == 2 and "is a streamer, not a coach" in wrong.stderr
    mysql = _run(home, "serve", "--database", "mysql://x@localhost/y", "--port", "0")
    assert mysql.returncode == 2 and "is not PostgreSQL" in mysql.stderr and "Traceback" not in mysql.stderr
    away = _run(home, "user", "list", "--database", "postgresql://nobody@127.0.0.1:1/none")
    assert away.returncode == 2 and "cannot reach the database" in away.stderr and "Traceback" not in away.stderr
