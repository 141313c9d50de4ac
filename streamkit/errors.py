"""Errors a user can act on: each says what went wrong, where, and what to do."""

from __future__ import annotations


class StreamkitError(Exception):
    """Base of all user-facing errors; ``str()`` is one line: problem, then fix."""

    def __init__(self, problem: str, fix: str = "") -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = self.problem if not self.fix else f"{self.problem} — {self.fix}"
        return " ".join(text.split())


class ConfigError(StreamkitError):
    """A config file that cannot be used: names file, key and what was expected."""


class ModelError(StreamkitError):
    """A model that cannot be resolved or fails its checksum."""


class SourceError(StreamkitError):
    """An audio or video source that cannot be opened or read."""
