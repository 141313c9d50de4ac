"""Where user data lives: ``STREAMKIT_HOME`` or the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def streamkit_home() -> Path:
    """The folder for sessions, gesture profiles and databases (created on first use)."""
    env = os.environ.get("STREAMKIT_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir("streamkit", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
