"""Helpers for tests of streamkit and its plugins: real parts are required, never silently skipped in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable

import pytest


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def require(ok: bool, what: str, fix: str) -> None:
    """Skip (fail when CI=true) unless ``ok``: for tests that need a real program, model or font."""
    if ok:
        return
    message = f"{what} — {fix}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def has_font(family: str) -> bool:
    """True when fontconfig knows ``family`` (e.g. "Noto Sans CJK SC")."""
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return any(family in line for line in out.splitlines())


def wait_until(predicate: Callable[[], object], timeout: float = 5.0, interval: float = 0.02) -> bool:
    """Poll ``predicate`` until it is truthy; False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
