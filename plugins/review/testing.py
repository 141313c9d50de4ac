"""A review server in its own process (real uvicorn), for tests and benchmarks: start, kill -9, stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx


class ChildProcess:
    """A streamkit process a test starts, and may kill -9 like a crash or stop politely."""

    proc: subprocess.Popen[Any] | None = None
    grace = 10.0  # seconds a polite stop waits before killing

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, like a crash or power cut of the process."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(self.grace)
            except subprocess.TimeoutExpired:
                self.kill()


class ReviewServer(ChildProcess):
    """``python -m streamkit.plugins.review serve`` on a free port, in its own process.

    Standard error goes to a temporary file (``stderr_text()``), so a chatty server never blocks on a full pipe.
    """

    def __init__(self, home: Path, *args: str) -> None:
        self.home = home
        self.args = args
        self.url = ""
        self.first_line = ""
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")

    def start(self) -> "ReviewServer":
        env = {**os.environ, "STREAMKIT_HOME": str(self.home)}
        if not any(a.startswith("--port") for a in self.args):
            self.args = ("--port", "0", *self.args)
        self.proc = subprocess.Popen([sys.executable, "-m", "streamkit.plugins.review", "serve", *self.args],
                                     stdout=subprocess.PIPE, stderr=self._stderr, text=True, env=env)
        assert self.proc.stdout is not None
        self.first_line = self.proc.stdout.readline()
        match = re.search(r"(http://\S+/)", self.first_line)
        if not match:
            self.proc.kill()
            self.proc.wait(10)
            raise RuntimeError(f"review server did not start: {self.first_line!r} {self.stderr_text()}")
        self.url = match.group(1).rstrip("/")
        return self

    def stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()

    def stop(self) -> None:
        super().stop()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        self._stderr.close()


class ReviewWorker(ChildProcess):
    """``python -m streamkit.plugins.review worker --database URL`` in its own process (kill -9 it like a crash).

    Its output goes to a file under ``home`` (``worker-<n>.log``)."""

    count = 0
    grace = 30.0  # a worker finishes the job step it is in

    def __init__(self, home: Path, database: str, *args: str) -> None:
        ReviewWorker.count += 1
        self.home = home
        self.log = home / f"worker-{ReviewWorker.count}.log"
        self.args = ("--database", database, *args)

    def start(self) -> "ReviewWorker":
        env = {**os.environ, "STREAMKIT_HOME": str(self.home)}
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "streamkit.plugins.review", "worker", *self.args],
                                         stdout=out, stderr=subprocess.STDOUT, env=env)
        return self

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def login(client: "httpx.Client", name: str, password: str) -> "httpx.Client":
    """Log ``client`` in through the login form (CSRF token and all); raises when refused."""
    from streamkit.testing.web import csrf_of

    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"name": name, "password": password, "csrf": token})
    if answer.status_code != 303:
        raise AssertionError(f"login of {name} answered {answer.status_code}")
    return client
