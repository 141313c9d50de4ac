"""``streamkit captions`` and ``streamkit transcribe`` as a user runs them (real model, real files)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from captions_helpers import REPO, ZH_CLIP, ZH_REFERENCE, english_audio, error_rate, read_jsonl, write_wav

pytestmark = pytest.mark.slow


def streamkit(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "streamkit", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO, env=env)


def test_captions_of_a_file_in_real_time_as_json_lines(tmp_path: Path) -> None:
    out = tmp_path / "zh.jsonl"
    done = streamkit("captions", "--input", str(ZH_CLIP), "--realtime", "--language", "zh", "--jsonl", str(out),
                     "--srt", str(tmp_path / "zh.srt"))
    assert done.returncode == 0, done.stderr
    records = read_jsonl(out)
    assert records and all(set(r) == {"type", "text", "source", "audio_start", "audio_end", "emitted_at", "utterance"}
                           for r in records)
    assert {"partial", "final"} <= {r["type"] for r in records} <= {"partial", "final", "revision"}
    revised = [r["text"] for r in records if r["type"] == "revision"]  # a revision replaces its utterance
    final = revised[-1] if revised else "".join(r["text"] for r in records if r["type"] == "final")
    assert error_rate(ZH_REFERENCE, final, "zh") <= 0.1 and final.endswith("。")
    emitted = [r["emitted_at"] for r in records]
    assert emitted == sorted(emitted)
    # real time: nothing is emitted before its audio was heard, and words show in pieces as they are heard
    # (how soon is measured in benchmarks/captions.py, not asserted here)
    assert all(r["emitted_at"] >= r["audio_end"] - 0.15 for r in records)
    assert len({r["audio_end"] for r in records}) > 1
    assert "甚至出现交易" in (tmp_path / "zh.srt").read_text(encoding="utf-8")
    assert "甚至出现交易" in done.stdout  # the finals echoed on the terminal


def test_transcribe_writes_srt_vtt_and_json(tmp_path: Path) -> None:
    from faster_whisper.audio import decode_audio
    import numpy as np

    mixed = write_wav(tmp_path / "mixed.wav", np.concatenate([english_audio()[: 16000 * 12], decode_audio(str(ZH_CLIP))]))
    done = streamkit("transcribe", str(mixed), "--srt", str(tmp_path / "m.srt"), "--vtt", str(tmp_path / "m.vtt"),
                     "--json", str(tmp_path / "m.json"))
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert "Dashwood" in data["text"] and "甚至出现交易" in data["text"]  # each piece in its own language
    starts = [s["start"] for s in data["segments"]]
    assert starts == sorted(starts) and data["segments"][-1]["end"] <= data["duration"] + 0.5
    assert (tmp_path / "m.srt").read_text(encoding="utf-8").startswith("1\n00:00:00,")
    assert (tmp_path / "m.vtt").read_text(encoding="utf-8").startswith("WEBVTT\n\n")


@pytest.mark.parametrize(("args", "says"), [
    (["captions", "--input", "README.md"], "not an audio or video file"),
    (["captions", "--input", "no/such.wav"], "no such file"),
    (["captions", "--mic"], "no audio input device"),
    (["captions", "--device", "Imaginary USB Mic"], "audio input"),
    (["captions", "--input", str(ZH_CLIP), "--model", "whisper-huge"], "unknown model"),
    (["captions", "--input", str(ZH_CLIP), "--model", "tiny.en", "--language", "zh"], "English only"),
    (["transcribe", "pyproject.toml"], "not an audio or video file"),
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], says: str) -> None:
    done = streamkit(*args, timeout=60)
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("streamkit: error: ") and says in lines[0], done.stderr
