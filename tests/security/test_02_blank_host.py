"""Threat 2 — a blank or wildcard host exposes the app without login.

``[review] host = ""`` (or ``0.0.0.0``, ``::``) binds every network interface. Treated as
loopback, it served every session to anyone on the network with no login. Blank and wildcard
hosts count as exposed: login is required, and the start-up line says the app listens on every
interface.
"""

from __future__ import annotations

import httpx

from streamkit.testing.web import PATIENT
import pytest

from streamkit.plugins.review.app import is_loopback


@pytest.mark.parametrize("host", ["", "0.0.0.0", "::"])
def test_wildcard_host_requires_login_and_says_so(server, home, host: str) -> None:
    assert not is_loopback(host)
    review = server("--host", host)
    assert "login required" in review.first_line and "every network interface" in review.first_line
    anonymous = httpx.get(review.url + "/", follow_redirects=False, timeout=PATIENT)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert httpx.get(f"{review.url}/api/sessions/{home.sid}/transcript", timeout=PATIENT).status_code == 401


def test_loopback_stays_local() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("[::1]")
