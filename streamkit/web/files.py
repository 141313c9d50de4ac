"""Serving files from disk without being led out of the folder they belong to.

A symlink (or ``..``) inside a served folder must not turn a request into a read of any file on
disk. Every path is resolved (links followed) and must still be a regular file inside its root.
"""

from __future__ import annotations

from pathlib import Path


def contained_file(path: Path, root: Path) -> Path | None:
    """``path`` with links resolved, when that is a regular file inside ``root`` (resolved too); else None."""
    try:
        real = path.resolve(strict=True)
        base = root.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # missing, a link loop, a NUL in the name
        return None
    if real != base and base not in real.parents:
        return None
    return real if real.is_file() else None
