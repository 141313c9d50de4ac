"""Where user data lives (``STREAMKIT_HOME`` or the platform's user data folder), kept private.

Everything under the home is the streamer's: recordings, transcripts, coaches' comments, password
hashes. Folders are made ``0700`` and files ``0600`` (owner only), whatever the process umask.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def streamkit_home() -> Path:
    """The folder for sessions, gesture profiles and databases (created ``0700`` on first use)."""
    env = os.environ.get("STREAMKIT_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir("streamkit", appauthor=False))
    return private_dir(path)


def private_dir(path: Path) -> Path:
    """Make ``path`` (and missing parents) and restrict it to its owner (``0700``)."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    _restrict(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if missing, and restrict it to its owner (``0600``)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    os.close(fd)
    _restrict(path, PRIVATE_FILE)
    return path


def private_opener(path: str, flags: int) -> int:
    """``open(..., opener=private_opener)``: a file created by this open is ``0600`` from the start."""
    return os.open(path, flags, PRIVATE_FILE)


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file, then rename) as an owner-only file."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", opener=private_opener) as f:
        f.write(text)
    _restrict(tmp, PRIVATE_FILE)
    tmp.replace(path)


def make_private(root: Path) -> None:
    """Restrict ``root`` and everything below it: folders ``0700``, files ``0600`` (symlinks untouched)."""
    if root.is_symlink() or not root.exists():
        return
    _restrict(root, PRIVATE_DIR if root.is_dir() else PRIVATE_FILE)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            _restrict(Path(dirpath) / name, PRIVATE_DIR)
        for name in filenames:
            _restrict(Path(dirpath) / name, PRIVATE_FILE)


def _restrict(path: Path, mode: int) -> None:
    if os.name == "nt":  # Windows: a user's profile folder is already private; chmod only sets read-only
        return
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode) or st.st_uid != os.getuid():
            return  # never follow a link, never fight over someone else's file
        if stat.S_IMODE(st.st_mode) != mode:
            os.chmod(path, mode)
    except OSError:
        pass
