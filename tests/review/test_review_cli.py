"""``streamkit review`` commands: accounts, sharing, listing and exports."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from streamkit.plugins.review import cli


@pytest.fixture()
def home(sample_sessions, tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    shutil.copytree(sample_sessions.home, home, ignore=shutil.ignore_patterns("review.db*"))
    monkeypatch.setenv("STREAMKIT_HOME", str(home))
    return home


def test_accounts_and_shares(home, sample_sessions, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("coach-password\n"))
    assert cli.main(["user", "add", "王教练", "--role", "coach", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["user", "add", "x", "--role", "coach", "--password-stdin"]) == 2
    assert "shorter than 8 characters" in capsys.readouterr().err
    assert cli.main(["share", "no-such-session", "王教练"]) == 2
    assert "no session 'no-such-session'" in capsys.readouterr().err
    assert cli.main(["share", sample_sessions.english.id, "nobody"]) == 2
    assert "no user named 'nobody'" in capsys.readouterr().err
    assert cli.main(["share", sample_sessions.english.id, "王教练"]) == 0
    assert cli.main(["user", "list"]) == 0
    assert "王教练\tcoach" in capsys.readouterr().out
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert sample_sessions.english.id in out and "直播样例 · 保温杯" in out


def test_exports(home, sample_sessions, tmp_path, capsys) -> None:
    srt, html, vtt = tmp_path / "a.srt", tmp_path / "a.html", tmp_path / "a.vtt"
    sid = sample_sessions.mandarin.id
    assert cli.main(["export", sid, "--format", "srt", "-o", str(srt)]) == 0
    assert "甚至出现交易几乎停滞的情况" in srt.read_text(encoding="utf-8")
    assert cli.main(["export", sid, "--format", "vtt", "-o", str(vtt)]) == 0
    assert vtt.read_text(encoding="utf-8").startswith("WEBVTT")
    assert cli.main(["export", sid, "--format", "html", "--lang", "en", "-o", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    assert "Stream review report" in text and "<svg" in text and "316 不锈钢保温杯" in text
