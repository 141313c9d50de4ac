"""A review server in its own process (real uvicorn), for tests and benchmarks: start, kill -9, stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


class ReviewServer:
    """``python -m streamkit.plugins.review serve`` on a free port, in its own process.

    Standard error goes to a temporary file (``stderr_text()``), so a chatty server never blocks on a full pipe.
    """

    def __init__(self, home: Path, *args: str) -> None:
        self.home = home
        self.args = args
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self.first_line = ""
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

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

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, like a crash or power cut of the process."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        self._stderr.close()
