"""SQLite files under ``STREAMKIT_HOME``: checked when opened, owner-only, with rolling backups.

A database that cannot be used stops start-up with one line — which file, what is wrong, what to
do — and is left exactly as it was. A healthy one is copied with SQLite's online backup API to
``HOME/backups/<name>-<YYYYmmdd-HHMMSS>.db`` when it is opened (a new one: after its first
change; long-running servers: as they write) at most once every :data:`BACKUP_EVERY` seconds;
the newest :data:`BACKUPS_KEPT` copies of each database are kept. ``streamkit backups restore review.db`` puts the newest back.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from .errors import StreamkitError
from .home import make_private, private_dir, private_file, streamkit_home

BACKUPS_KEPT = 7
BACKUP_EVERY = 24 * 3600.0
BACKUP_FOLDER = "backups"
_CORRUPT = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class DatabaseError(StreamkitError):
    """A database file that cannot be opened or read as it is."""


def open_database(path: Path, schema: str) -> sqlite3.Connection:
    """Open (or create, atomically) the SQLite file ``path`` with ``schema``, after checking it is whole.

    Raises :class:`DatabaseError` naming the file, the problem and the fix; never changes a broken file.
    """
    private_dir(path.parent)
    if not path.exists():
        _create(path, schema)
    elif path.stat().st_size == 0:
        raise _broken(path, "is empty (0 bytes): it was cut short, so everything it held is missing")
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        problem = db.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise _broken(path, f"is damaged (SQLite integrity check: {problem})")
        db.executescript(schema)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _from_sqlite(path, exc) from None
    except DatabaseError:
        db.close()
        raise
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        if (path.parent / name).exists():
            private_file(path.parent / name)
    return db


def _create(path: Path, schema: str) -> None:
    """A new database appears whole or not at all."""
    _write_whole(path, lambda db: db.executescript(schema))


def _write_whole(path: Path, fill: Callable[[sqlite3.Connection], object]) -> None:
    """Build an owner-only SQLite file beside ``path`` with ``fill``, then rename it into place."""
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    private_file(tmp)
    db = sqlite3.connect(tmp)
    try:
        fill(db)
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)


def _from_sqlite(path: Path, exc: sqlite3.DatabaseError) -> DatabaseError:
    if (exc.sqlite_errorname or "").startswith(_CORRUPT) or not isinstance(exc, sqlite3.OperationalError):
        return _broken(path, f"is not a usable SQLite database ({exc})")
    return DatabaseError(f"{path} cannot be opened ({exc})",
                         "check that the folder is writable and no other program holds the file, then start again")


def _broken(path: Path, what: str) -> DatabaseError:
    backups = list_backups(path)
    if backups:
        fix = (f"it was left as it is; put the newest backup ({backups[0].name}, in {backups[0].parent}) in its "
               f"place with: streamkit backups restore {path.name}")
    else:
        fix = f"it was left as it is and has no backup yet; move it away (mv {path} {path}.broken) to start empty"
    return DatabaseError(f"{path} {what}", fix)


# -- backups ---------------------------------------------------------------------------------
def backups_dir(path: Path) -> Path:
    return path.parent / BACKUP_FOLDER


def list_backups(path: Path) -> list[Path]:
    """Backups of the database ``path``, newest first."""
    folder = backups_dir(path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{path.stem}-????????-??????.db"), reverse=True)


def backup_if_due(db: sqlite3.Connection, path: Path, now: float | None = None) -> Path | None:
    """Copy the open database ``db`` (file ``path``) when the newest backup is older than a day."""
    now = time.time() if now is None else now
    newest = list_backups(path)[:1]
    if newest and now - newest[0].stat().st_mtime < BACKUP_EVERY:
        return None
    return backup(db, path, now)


def backup(db: sqlite3.Connection, path: Path, now: float | None = None) -> Path:
    """Copy ``db`` now with SQLite's online backup API; keep the newest :data:`BACKUPS_KEPT`."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    dest = private_dir(backups_dir(path)) / f"{path.stem}-{stamp}.db"
    _write_whole(dest, db.backup)
    for old in list_backups(path)[BACKUPS_KEPT:]:
        old.unlink(missing_ok=True)
    return dest


def restore(path: Path, source: Path | None = None) -> tuple[Path, Path | None]:
    """Put ``source`` (default: the newest backup) in place of ``path``; the old file is moved aside, not deleted.

    Returns (backup used, where the old file went or None). Stop the servers using the database first.
    """
    source = source or next(iter(list_backups(path)), None)
    if source is None or not source.is_file():
        raise DatabaseError(f"no backup of {path.name} in {backups_dir(path)}", "there is nothing to restore from")
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise DatabaseError(f"the backup {source} is damaged too", "pick an older one with --from")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"the backup {source} is not readable ({exc})", "pick an older one with --from") from None
    finally:
        check.close()
    aside = None
    if path.exists():
        aside = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            old = path.with_name(path.name + suffix)
            if old.exists():
                os.replace(old, aside.with_name(aside.name + suffix))
    private_file(path)
    src, dst = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    make_private(path)
    return source, aside


# -- ``streamkit backups`` ---------------------------------------------------------------------
def add_backups_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """``streamkit backups list|restore``."""
    parser = subparsers.add_parser("backups", help="list or restore the rolling backups of streamkit.db and review.db")
    sub = parser.add_subparsers(dest="backups_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="list the backups under STREAMKIT_HOME/backups").set_defaults(func=cmd_backups_list)
    rest = sub.add_parser("restore", help="put a backup in place of a database (stop `streamkit review serve` first)")
    rest.add_argument("database", choices=["review.db", "streamkit.db"])
    rest.add_argument("--from", dest="source", help="backup file to use (default: the newest)")
    rest.set_defaults(func=cmd_backups_restore)


def cmd_backups_list(args: argparse.Namespace) -> int:
    home = streamkit_home()
    for name in ("streamkit.db", "review.db"):
        found = list_backups(home / name)
        print(f"{name}: {len(found)} backup(s) in {backups_dir(home / name)}")
        for path in found:
            print(f"  {path.name}\t{time.strftime('%Y-%m-%d %H:%M', time.localtime(path.stat().st_mtime))}")
    return 0


def cmd_backups_restore(args: argparse.Namespace) -> int:
    path = streamkit_home() / args.database
    used, aside = restore(path, Path(args.source) if args.source else None)
    kept = f"; the old file is now {aside.name}" if aside else ""
    print(f"restored {path} from {used.name}{kept}")
    return 0
