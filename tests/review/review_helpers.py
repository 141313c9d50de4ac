"""Helpers of the review tests (importable from test modules, unlike conftest.py)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts"


class ReviewServer:
    """``python -m streamkit.plugins.review serve`` on a free port, in its own process."""

    def __init__(self, home: Path, *args: str) -> None:
        self.home = home
        self.args = args
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> "ReviewServer":
        env = {**os.environ, "STREAMKIT_HOME": str(self.home)}
        self.proc = subprocess.Popen([sys.executable, "-m", "streamkit.plugins.review", "serve", "--port", "0", *self.args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        match = re.search(r"(http://\S+/)", first)
        if not match:
            self.proc.kill()
            raise RuntimeError(f"review server did not start: {first!r} {self.proc.stderr.read() if self.proc.stderr else ''}")
        self.url = match.group(1).rstrip("/")
        return self

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
        for stream in (self.proc.stdout, self.proc.stderr) if self.proc else ():
            if stream:
                stream.close()
