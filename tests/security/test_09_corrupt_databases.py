"""Threat 9 — a corrupt, truncated or empty database.

A damaged ``review.db`` or ``streamkit.db`` crashed start-up with a raw traceback; a 0-byte
``review.db`` silently started with no accounts (everyone locked out, or worse, a fresh owner).
Now start-up stops with one line — which file, what is wrong, what to do — the broken file is left
byte for byte as it was, and a rolling backup (HOME/backups, newest 7) can be put back with
``streamkit backups restore``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from streamkit.plugins.review.store import ReviewStore


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STREAMKIT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "streamkit", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    path.write_bytes({"empty": b"", "truncated": data[: len(data) // 3], "garbage": os.urandom(len(data)),
                      "header": b"\0" * 100 + data[100:]}[how])


def _review_db(home: Path) -> Path:
    store = ReviewStore(home / "review.db")
    store.add_user("anna", "streamer", "anna-password")
    for i in range(300):  # enough pages that a truncation cuts real data
        store.add_comment("s1", store.local_owner(), "评论 " * 40 + str(i), float(i))
    store.close()
    for extra in ("review.db-wal", "review.db-shm"):
        (home / extra).unlink(missing_ok=True)
    return home / "review.db"


@pytest.mark.parametrize("how", ["empty", "truncated", "garbage", "header"])
def test_broken_review_db_stops_with_one_line_and_is_left_alone(home, how: str) -> None:
    db = _review_db(home.path)
    _damage(db, how)
    before = db.read_bytes()
    result = _run(home.path, "review", "serve", "--port", "0")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert str(db) in lines[0] and "Traceback" not in result.stderr
    assert "streamkit backups restore review.db" in lines[0], "says what to do"
    assert db.read_bytes() == before, "the broken file is left as it was"


def test_broken_session_index_stops_with_one_line(home) -> None:
    index = home.path / "streamkit.db"
    _damage(index, "garbage")
    before = index.read_bytes()
    result = _run(home.path, "sessions")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "streamkit.db" in result.stderr and "Traceback" not in result.stderr
    assert index.read_bytes() == before


def test_rolling_backup_restores_the_accounts(home) -> None:
    from streamkit.database import BACKUPS_KEPT, list_backups

    db = _review_db(home.path)
    backups = list_backups(db)
    assert len(backups) == 1 and backups[0].parent == home.path / "backups" and BACKUPS_KEPT == 7
    _damage(db, "truncated")
    restored = _run(home.path, "backups", "restore", "review.db")
    assert restored.returncode == 0 and backups[0].name in restored.stdout, restored.stderr
    assert any(p.name.startswith("review.db.broken-") for p in home.path.iterdir()), "the damaged copy is kept aside"
    store = ReviewStore(db)
    try:
        assert store.authenticate("anna", "anna-password") is not None
    finally:
        store.close()
