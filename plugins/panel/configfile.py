"""The panel's view of ``streamkit.toml``: read (and re-read when the file changes), and written back
with tomlkit so comments, key order and the user's own edits survive.

A write is validated by streamkit's own config checks before anything touches the disk; an invalid
result raises :class:`~streamkit.errors.ConfigError` and leaves the file as it was. A hand edit that
breaks the file keeps the last good configuration in use and reports the problem until it is fixed.
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import ParseError

from streamkit.config import Config, load, validate
from streamkit.errors import ConfigError
from streamkit.hooks import Plugins

HEADER = """streamkit settings, written by the control panel (streamkit app).
Edit by hand if you like: the panel keeps your comments and re-reads this file when it changes.
Every key and its default: streamkit config defaults"""


class ConfigFile:
    """One config file on disk and its last good :class:`Config` (thread-safe)."""

    def __init__(self, path: Path, plugins: Plugins) -> None:
        self.path = path
        self.plugins = plugins
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._config: Config = self._defaults()
        self.problem = ""  # why the file on disk cannot be used now ('' = it can)

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    def config(self) -> Config:
        """The configuration on disk now; re-read when the file changed since the last call."""
        with self._lock:
            stamp = self._file_stamp()
            if stamp != self._stamp:
                self._stamp = stamp
                self._reload(stamp)
            return self._config

    def write(self, section: str, changes: Mapping[str, object]) -> Config:
        """Set keys of ``[section]`` (``None`` removes a key: back to its default); validate, then write."""
        with self._lock:
            doc = self._document()
            table = doc.get(section)
            if table is None:
                table = tomlkit.table()
                doc[section] = table
            elif not isinstance(table, Mapping):
                raise ConfigError(f"{self.path}: {section} is not a [{section}] section", "fix the file by hand")
            for key, value in changes.items():
                if value is None:
                    table.pop(key, None)
                else:
                    table[key] = value
            text = tomlkit.dumps(doc)
            config = self._validated(text)
            self._write_text(text)
            self._stamp = self._file_stamp()
            self._config, self.problem = config, ""
            return config

    def raw(self) -> dict[str, Any]:
        """The file's own keys, without defaults filled in ({} when there is no file or it is broken)."""
        with self._lock:
            try:
                return tomllib.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return {}

    # internals ---------------------------------------------------------------------------------
    def _defaults(self) -> Config:
        config = load(None, self.plugins)
        config.path = self.path
        return config

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    def _reload(self, stamp: tuple[int, int] | None) -> None:
        if stamp is None:
            self._config, self.problem = self._defaults(), ""
            return
        try:
            self._config, self.problem = load(self.path, self.plugins), ""
        except ConfigError as exc:
            self.problem = exc.one_line()  # the last good config stays in use

    def _document(self) -> tomlkit.TOMLDocument:
        if not self.path.is_file():
            doc = tomlkit.document()
            for line in HEADER.splitlines():
                doc.add(tomlkit.comment(line))
            doc.add(tomlkit.nl())
            return doc
        try:
            return tomlkit.parse(self.path.read_text(encoding="utf-8"))
        except (ParseError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{self.path}: cannot be read ({exc})", "fix the file by hand, then try again") from None

    def _validated(self, text: str) -> Config:
        data: dict[str, Any] = tomllib.loads(text)
        config = validate(data, str(self.path), plugins=self.plugins)
        config.path = self.path
        return config

    def _write_text(self, text: str) -> None:
        """Write atomically, readable by the owner only (it may hold the OBS password)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, self.path)
