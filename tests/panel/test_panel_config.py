"""The panel's config file: tomlkit keeps comments and hand edits, every write is validated first, and
a change on disk is read again (a broken hand edit keeps the last good settings)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from streamkit.errors import ConfigError
from streamkit.hooks import Plugins
from streamkit.plugins.panel.configfile import ConfigFile

HAND_WRITTEN = """# my own notes about OBS
[obs]
url = "ws://127.0.0.1:4460"  # the studio PC
timeout = 5.0

[[captions.sources]]
# my microphone
name = "host"
kind = "mic"
speaker = "主播"
"""


@pytest.fixture()
def plugins() -> Plugins:
    return Plugins.installed()


def test_write_keeps_comments_and_hand_edits(tmp_path: Path, plugins: Plugins) -> None:
    path = tmp_path / "streamkit.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    file = ConfigFile(path, plugins)
    config = file.write("obs", {"password": "secret-1", "main_scene": "直播间"})
    text = path.read_text(encoding="utf-8")
    assert "# my own notes about OBS" in text and "# the studio PC" in text and "# my microphone" in text
    assert 'timeout = 5.0' in text
    assert config.obs.password == "secret-1" and config.obs.main_scene == "直播间" and config.obs.timeout == 5.0
    assert config.section("captions").sources[0].speaker == "主播"
    assert path.stat().st_mode & 0o777 == 0o600  # it holds the OBS password


def test_lists_of_tables_are_written_as_toml_tables(tmp_path: Path, plugins: Plugins) -> None:
    file = ConfigFile(tmp_path / "streamkit.toml", plugins)
    file.write("gestures", {"bindings": [{"gestures": ["smile"], "action": "scene", "scene": "直播间"}]})
    text = (tmp_path / "streamkit.toml").read_text(encoding="utf-8")
    assert "[[gestures.bindings]]" in text and 'scene = "直播间"' in text
    assert text.startswith("# streamkit settings")
    assert file.config().section("gestures").bindings[0].scene == "直播间"


def test_an_invalid_write_raises_and_leaves_the_file_alone(tmp_path: Path, plugins: Plugins) -> None:
    path = tmp_path / "streamkit.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    before = path.read_bytes()
    file = ConfigFile(path, plugins)
    with pytest.raises(ConfigError) as err:
        file.write("obs", {"url": "http://nope"})
    assert "[obs] url" in str(err.value)
    assert path.read_bytes() == before
    with pytest.raises(ConfigError):
        file.write("obs", {"passwrd": "x"})
    assert path.read_bytes() == before


def test_none_removes_a_key(tmp_path: Path, plugins: Plugins) -> None:
    path = tmp_path / "streamkit.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    config = ConfigFile(path, plugins).write("obs", {"timeout": None})
    assert "timeout" not in path.read_text(encoding="utf-8") and config.obs.timeout == 3.0


def test_hand_edits_are_read_again_and_a_broken_one_keeps_the_last_good(tmp_path: Path, plugins: Plugins) -> None:
    path = tmp_path / "streamkit.toml"
    file = ConfigFile(path, plugins)
    assert not file.exists and file.config().path == path and file.config().obs.url == "ws://127.0.0.1:4455"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    assert file.config().obs.url == "ws://127.0.0.1:4460"
    path.write_text(HAND_WRITTEN.replace("4460", "4461"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))  # a different stamp even on a coarse clock
    assert file.config().obs.url == "ws://127.0.0.1:4461"
    path.write_text(HAND_WRITTEN + "\n[obs]\nnot toml", encoding="utf-8")
    assert file.config().obs.url == "ws://127.0.0.1:4461"
    assert "not valid TOML" in file.problem
    with pytest.raises(ConfigError):
        file.write("obs", {"password": "x"})  # never overwrites a file it cannot read
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    assert file.config().obs.url == "ws://127.0.0.1:4460" and file.problem == ""
