"""Fixtures of the panel tests: a fresh STREAMKIT_HOME and panel per test, and a Chromium page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from panel_helpers import PanelThread


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty STREAMKIT_HOME of the test's own."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("STREAMKIT_HOME", str(path))
    monkeypatch.delenv("STREAMKIT_OBS_PASSWORD", raising=False)
    return path


@pytest.fixture()
def panel(home: Path) -> Iterator[PanelThread]:
    server = PanelThread(home).start()
    yield server
    server.stop()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A page whose Content-Security-Policy is bypassed so the test may evaluate its own checks
    (Playwright's wait_for_function evaluates strings); test_panel_csp.py runs the panel under it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()
