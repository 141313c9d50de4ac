"""Threat 6 — guessing passwords.

There was no throttling (11 wrong passwords a second from one client, 29 from eight, no
lockout); scrypt ran on the event loop, so guessing slowed every other request; and an unknown
name cost two hashes where a known one cost one, so answer times told which names exist. Now:
per-account and per-address limits answer 429 with Retry-After and end by themselves, the hash
runs in a worker thread, and an unknown name costs exactly one hash, like a wrong password.
"""

from __future__ import annotations

import hashlib
import threading

import pytest
from fastapi.testclient import TestClient

from streamkit.plugins.review.store import check_password, hash_password
from streamkit.testing.helpers import wait_until

from streamkit.testing.web import csrf_of


def _login(client: TestClient, name: str, password: str) -> object:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf": token, "next": "/"})


@pytest.fixture()
def exposed(make_app):
    app = make_app(require_login=True, login_failures_per_account=5, login_failures_per_address=12,
                   login_lockout_seconds=300)
    app.state.store.add_user("anna", "streamer", "anna-password")
    now = [1000.0]
    app.state.review.throttle.clock = lambda: now[0]  # time moves only when the test says so
    app.state.review.throttle.failure_delay = 0.0  # the half-second tarpit is measured in benchmarks/security.py
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        yield app, client, now


def test_account_lockout_answers_429_and_ends_with_time(exposed) -> None:
    app, client, now = exposed
    statuses = [_login(client, "anna", f"guess-{i}").status_code for i in range(5)]
    assert statuses == [401] * 5
    locked = _login(client, "anna", "guess-6")
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) == 300
    assert "秒后再试" in locked.text
    assert _login(client, "anna", "anna-password").status_code == 429, "no guess is checked while locked"
    now[0] += 301
    assert _login(client, "anna", "anna-password").status_code == 303, "the lockout ends by itself"


def test_one_address_cannot_spread_guesses_over_many_accounts(exposed) -> None:
    _, client, _ = exposed
    statuses = [_login(client, f"name-{i}", "guess").status_code for i in range(13)]
    assert statuses[:12] == [401] * 12 and statuses[12] == 429


def test_unknown_names_cost_one_hash_like_wrong_passwords(exposed, monkeypatch) -> None:
    _, client, _ = exposed
    calls: list[int] = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    _login(client, "anna", "wrong-password")
    known = len(calls)
    _login(client, "nobody-here", "wrong-password")
    assert len(calls) - known == known == 1


def test_password_hashing_never_blocks_other_requests(exposed, monkeypatch) -> None:
    """While one login's hash is held mid-way, another request is still answered."""
    _, client, _ = exposed
    release, hashing = threading.Event(), threading.Event()
    real = hashlib.scrypt

    def held_scrypt(*args: object, **kwargs: object) -> bytes:
        hashing.set()
        release.wait(20)
        return real(*args, **kwargs)

    token = csrf_of(client.get("/login").text)
    monkeypatch.setattr(hashlib, "scrypt", held_scrypt)
    result: list[int] = []
    guess = threading.Thread(target=lambda: result.append(client.post(
        "/login", data={"name": "anna", "password": "wrong", "csrf": token}).status_code))
    guess.start()
    try:
        assert wait_until(hashing.is_set, timeout=10)
        other: list[int] = []
        threading.Thread(target=lambda: other.append(client.get("/favicon.ico").status_code), daemon=True).start()
        assert wait_until(lambda: other == [204], timeout=10), "a request waited for someone else's password hash"
    finally:
        release.set()
        guess.join(30)
    assert result == [401]


def test_hashes_are_salted_and_verified() -> None:
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b and check_password("correct horse", a) and not check_password("wrong horse", a)
    assert not check_password("", "") and not check_password("x", "not-a-hash")


def test_parallel_guesses_cannot_slip_past_the_limit() -> None:
    """Eight guesses in flight at once (hashes still running): only the limit's worth are checked."""
    from streamkit.web import LoginThrottle

    throttle = LoginThrottle(per_account=5, per_address=100, window=300, clock=lambda: 50.0)
    admitted = [throttle.admit("anna", f"10.0.0.{i}") is None for i in range(8)]
    assert admitted == [True] * 5 + [False] * 3
    throttle.succeeded("anna", "10.0.0.0")
    assert throttle.admit("anna", "10.0.0.9") is None, "a right password clears the account"
