"""The review database: accounts, who sees what, comment threads, durability across a kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from streamkit.plugins.review.store import ReviewError, ReviewStore, check_password, hash_password


@pytest.fixture()
def store(tmp_path: Path) -> ReviewStore:
    s = ReviewStore(tmp_path / "review.db")
    yield s
    s.close()


def test_passwords_are_salted_scrypt_hashes() -> None:
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b and a.startswith("scrypt$") and "correct" not in a
    assert check_password("correct horse", a) and not check_password("wrong horse", a)


def test_database_is_wal_with_full_sync(store: ReviewStore) -> None:
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_accounts_and_login(store: ReviewStore) -> None:
    store.add_user("李教练", "coach", "password-1")
    with pytest.raises(ReviewError, match="already exists"):
        store.add_user("李教练", "coach", "password-2")
    with pytest.raises(ReviewError, match="shorter than 8"):
        store.add_user("short", "coach", "1234")
    with pytest.raises(ReviewError, match="reserved"):
        store.add_user("local", "streamer", "password-1")
    assert store.authenticate("李教练", "password-1").name == "李教练"
    assert store.authenticate("李教练", "nope-nope") is None
    assert store.authenticate("nobody", "password-1") is None
    user = store.authenticate("李教练", "password-1")
    token = store.start_login(user, days=1)
    assert store.user_for_login(token) == user
    store.set_password("李教练", "password-3")
    assert store.user_for_login(token) is None, "a new password ends old logins"


def test_who_sees_what(store: ReviewStore) -> None:
    streamer = store.add_user("anna", "streamer", "password-1")
    other = store.add_user("bo", "streamer", "password-1")
    coach = store.add_user("chen", "coach", "password-1")
    stranger = store.add_user("dai", "coach", "password-1")
    store.set_owner("s1", "anna")
    assert store.can_see(streamer, "s1") and not store.can_see(other, "s1")
    assert not store.can_see(coach, "s1")
    store.share("s1", "chen")
    assert store.can_see(coach, "s1") and not store.can_see(stranger, "s1")
    assert store.coaches_of("s1") == ["chen"]
    store.unshare("s1", "chen")
    assert not store.can_see(coach, "s1")
    assert store.can_see(store.local_owner(), "s1")
    with pytest.raises(ReviewError, match="is a streamer, not a coach"):
        store.share("s1", "bo")


def test_comment_threads_edit_delete_resolve(store: ReviewStore) -> None:
    coach = store.add_user("chen", "coach", "password-1")
    streamer = store.add_user("anna", "streamer", "password-1")
    top = store.add_comment("s1", coach, "语速可以再慢一点", 65.0, 80.0)
    reply = store.add_comment("s1", streamer, "好的，下次注意", 0.0, parent_id=top.id)
    assert (reply.t_start, reply.t_end) == (65.0, 80.0), "a reply sits at its thread's moment"
    with pytest.raises(PermissionError):
        store.edit_comment(top.id, streamer, "hijacked")
    edited = store.edit_comment(top.id, coach, "语速再慢一点")
    assert edited.body == "语速再慢一点" and edited.edited
    assert store.set_resolved(top.id, True).resolved
    store.delete_comment(top.id, coach)
    rows = store.comments("s1")
    assert [c.id for c in rows] == [top.id, reply.id], "a deleted comment with replies stays as a tombstone"
    assert rows[0].deleted and rows[0].body == ""
    store.delete_comment(reply.id, streamer)
    assert store.comments("s1") == []
    with pytest.raises(ReviewError, match="not in session"):
        store.add_comment("s2", coach, "x", 0.0, parent_id=top.id)


def test_acknowledged_comments_survive_kill_9(tmp_path: Path) -> None:
    """A writer process prints each acknowledged id, then is killed mid-stream; every printed id is there."""
    db = tmp_path / "review.db"
    script = textwrap.dedent(f"""
        import sys
        from streamkit.plugins.review.store import ReviewStore
        s = ReviewStore(__import__('pathlib').Path({str(db)!r}))
        u = s.local_owner()
        i = 0
        while True:
            c = s.add_comment("s1", u, "评论 %d" % i, float(i))
            print(c.id, flush=True)
            i += 1
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    acked: list[int] = []
    assert proc.stdout is not None
    while len(acked) < 40:
        acked.append(int(proc.stdout.readline()))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    store = ReviewStore(db)
    ids = {c.id for c in store.comments("s1")}
    store.close()
    assert set(acked) <= ids
