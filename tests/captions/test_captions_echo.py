"""``streamkit captions --jsonl F`` echoes finals on the terminal as readable lines: Chinese pieces joined
without spaces, English words with one, one line per utterance (a busy machine commits in smaller pieces)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from streamkit.events import Caption
from streamkit.plugins.captions.cli import _CaptionWriter


def final(text: str, language: str, end: bool = False) -> Caption:
    return Caption(kind="final", text=text, source="mic", speaker="主播", audio_start=0.0, audio_end=1.0,
                   emitted_at=1.2, language=language, utterance=1, utterance_end=end)


def test_finals_are_echoed_as_one_line_per_utterance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    writer = _CaptionWriter(argparse.Namespace(jsonl=tmp_path / "out.jsonl", srt=None, vtt=None))
    for piece in ("甚至出现", "交易", "几乎停止的情况。"):
        writer(final(piece, "zh"))
    writer(final("", "zh", end=True))  # the utterance's closing (empty) final ends the line
    for piece in ("Show", "product 3."):
        writer(final(piece, "en"))
    writer(final("", "en", end=True))
    writer.close()
    assert capsys.readouterr().out == "甚至出现交易几乎停止的情况。\nShow product 3.\n"
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 5  # empty finals not written
