"""``streamkit review push PATH`` and ``streamkit review push --pending``: pushes with a progress line."""

from __future__ import annotations

import json
import time
from pathlib import Path

from streamkit.errors import StreamkitError

from .pushclient import PendingPushes, PushFailed, ReviewClient, plan_push, push, push_lock

QUIET_SECONDS = 60.0  # a pending session whose log has not changed for this long is over (crashed or not)


def push_path(path: Path, server: str, user: str) -> int:
    """Push one folder or recording now, showing progress; 0 when the server has all of it."""
    if not server:
        raise StreamkitError("no server to push to", "pass --server https://… or set [review] server")
    plan = plan_push(path)
    total = sum(f.size for f in plan.files)
    print(f"pushing {plan.session_id}: {len(plan.files)} file(s), {total / 1e6:.1f} MB to {server}", flush=True)
    client = ReviewClient(server, user)
    try:
        state = push(client, plan, _progress_printer())
    finally:
        client.close()
    print(f"done: {server.rstrip('/')}/sessions/{state['session']}", flush=True)
    return 0


def _progress_printer():  # noqa: ANN202 - a small closure
    last = [0.0]

    def show(name: str, done: int, size: int) -> None:
        if time.monotonic() - last[0] >= 1.0 or done == size:
            last[0] = time.monotonic()
            pct = 100 * done / size if size else 100
            print(f"  {name}: {done / 1e6:.1f}/{size / 1e6:.1f} MB ({pct:.0f} %)", flush=True)

    return show


def push_pending(home: Path, wait: float = 0.0) -> int:
    """Push every pending session that is over; with ``wait``, keep trying that long for the others."""
    lock = push_lock(home)
    if lock is None:
        print("another push of pending sessions is running", flush=True)
        return 0
    deadline = time.monotonic() + wait
    failed = 0
    try:
        while True:
            waiting = failed = 0
            for item in PendingPushes(home).items():
                folder = Path(item["path"])
                if not folder.is_dir():
                    PendingPushes(home).remove(item["path"])
                    continue
                if not _is_over(folder):
                    waiting += 1
                    continue
                try:
                    push_path(folder, item["server"], item["user"])
                    PendingPushes(home).remove(item["path"])
                except (PushFailed, StreamkitError) as exc:
                    failed += 1
                    print(f"{folder.name}: not pushed yet — {exc}", flush=True)
            if not (waiting or failed) or time.monotonic() >= deadline:
                break
            time.sleep(5.0)
    finally:
        lock.close()
    return 1 if failed else 0


def _is_over(folder: Path) -> bool:
    """The session has ended (session.json says so), or its log has been quiet long enough to be over."""
    try:
        info = json.loads((folder / "session.json").read_text(encoding="utf-8"))
        if info.get("ended"):
            return True
    except (OSError, ValueError):
        pass
    log = folder / "events.jsonl"
    return not log.exists() or time.time() - log.stat().st_mtime > QUIET_SECONDS
