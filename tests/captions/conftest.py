"""Fixtures of the captions tests (the models and the browser are shared: tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sessions go to a temporary STREAMKIT_HOME, never the user's."""
    home = tmp_path / "home"
    monkeypatch.setenv("STREAMKIT_HOME", str(home))
    return home
