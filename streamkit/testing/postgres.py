"""A real PostgreSQL for tests and benchmarks: Debian's server in a temporary folder, on a free port.

``initdb`` refuses to run as root, so as root the cluster belongs to the ``postgres`` user (folder
owned by it, commands through ``runuser``); as anyone else it belongs to that user. The server
listens on 127.0.0.1 only, trusts local connections, and is stopped and deleted by :meth:`stop`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..overlay import free_port

APT_COMMAND = "apt-get install -y --no-install-recommends postgresql"
SEARCH = ("/usr/lib/postgresql",)


def postgres_bin() -> Path | None:
    """The newest installed server's ``bin`` folder (Debian keeps them under /usr/lib/postgresql/N/bin)."""
    found: list[tuple[int, Path]] = []
    for root in SEARCH:
        for entry in Path(root).glob("*/bin/initdb") if Path(root).is_dir() else []:
            try:
                found.append((int(entry.parent.parent.name), entry.parent))
            except ValueError:
                continue
    if found:
        return max(found)[1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class TempPostgres:
    """``start()`` a throw-away cluster, ``url(name)`` for a database in it, ``stop()`` to remove it all."""

    def __init__(self, start_timeout: float = 120.0) -> None:
        self.bin = postgres_bin()
        self.start_timeout = start_timeout
        self.dir: Path | None = None
        self.port = 0
        self._as_root = os.geteuid() == 0
        self._databases: set[str] = set()

    @property
    def available(self) -> bool:
        return self.bin is not None and (not self._as_root or _has_user("postgres"))

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if self._as_root else list(args)

    def _run(self, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout, check=False,
                                cwd="/")
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stderr.strip() or result.stdout.strip()}")
        return result

    def start(self) -> "TempPostgres":
        assert self.bin is not None, f"PostgreSQL is not installed: {APT_COMMAND}"
        self.dir = Path(tempfile.mkdtemp(prefix="streamkit-pg-"))
        if self._as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        for attempt in range(5):  # another process may take the free port before the server binds it
            self.port = free_port()
            opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300 "
                    "-c shared_buffers=64MB")
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.dir / "log"), "-w",
                          "-t", str(int(self.start_timeout)), "start", timeout=self.start_timeout + 30)
                break
            except RuntimeError:
                if attempt == 4 or "could not bind" not in self.log_text():
                    raise
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            ready = subprocess.run(self._cmd(str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)),
                                   capture_output=True, check=False, cwd="/")  # type: ignore[operator]
            if ready.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not answer on port {self.port}: {self.log_text()[-800:]}")
            time.sleep(0.2)

    def create_database(self, name: str) -> str:
        """A new empty database; returns its ``postgresql://`` URL."""
        assert self.bin is not None
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        self._databases.add(name)
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def log_text(self) -> str:
        try:
            return (self.dir / "log").read_text(encoding="utf-8", errors="replace") if self.dir else ""
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server (fast shutdown, then immediate) and delete its folder."""
        if self.dir is None or self.bin is None:
            return
        data = self.dir / "data"
        if (data / "postmaster.pid").exists():
            for mode in ("fast", "immediate"):
                try:
                    self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-m", mode, "-w", "-t", "60", "stop",
                              timeout=90)
                    break
                except (RuntimeError, subprocess.TimeoutExpired):
                    continue
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
