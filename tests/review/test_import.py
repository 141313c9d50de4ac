"""``review import``: real recordings transcribed by the real whisper-base model into sessions."""

from __future__ import annotations

import re
from pathlib import Path

import jiwer
import pytest

from streamkit.errors import SourceError
from streamkit.plugins.captions.textproc import normalize_for_scoring
from streamkit.plugins.review import cli
from streamkit.plugins.review.importer import import_recording, load_whisper
from streamkit.plugins.review.samples import EN_CLIPS, MEDIA, ZH_CLIP, build_audio, encode_video
from streamkit.plugins.review.sessiondata import load_session
from streamkit.session import SessionStore

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def decoder():
    return load_whisper("base")


@pytest.fixture()
def store(tmp_path: Path):
    s = SessionStore(tmp_path / "home")
    yield s
    s.close()


def test_import_english_recording(decoder, store, sample_sessions) -> None:
    video = Path(load_session(sample_sessions.english.dir).media_path)
    session = import_recording(video, store=store, decoder=decoder, language="auto", progress=False)
    assert session.info.media_path == str(video) and session.info.extra["language"] == "en"
    s = load_session(session.dir)
    assert s.imported and s.media_path == video and not [p for p in s.problems if "events.jsonl" in p]
    assert s.duration == pytest.approx(31.43, abs=0.3)  # the built recording: clips plus pauses
    said = normalize_for_scoring(" ".join(x.text for x in s.lines), "en")
    reference = normalize_for_scoring(" ".join((MEDIA / "speech" / "en" / f"{c}.txt").read_text() for c in EN_CLIPS), "en")
    wer = jiwer.wer(reference, said)
    assert wer < 0.15, (wer, said)
    assert 0.3 < s.lines[0].start < 1.2, "captions sit on the video's own time line (speech starts at 0.7 s)"
    assert all(line.latency is None for line in s.lines), "an import has no live caption latency"


def test_import_mandarin_recording(decoder, store, tmp_path) -> None:
    wav = tmp_path / "zh.wav"
    build_audio([0.5, ZH_CLIP, 1.0], wav)
    video = encode_video(wav, tmp_path / "zh.webm")
    session = import_recording(video, store=store, decoder=decoder, language="auto", progress=False)
    s = load_session(session.dir)
    assert session.info.extra["language"] == "zh" and s.language == "zh"
    text = re.sub(r"[^\u4e00-\u9fff]", "", "".join(x.text for x in s.lines))
    reference = (MEDIA / "speech" / "zh" / f"{ZH_CLIP}.txt").read_text(encoding="utf-8").strip()
    assert jiwer.cer(reference, text) < 0.2, text
    assert "說" not in text and "現" not in text, "Simplified characters"


def test_unreadable_video_is_a_clear_error_and_makes_no_session(store, tmp_path, capsys, monkeypatch) -> None:
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 100)
    with pytest.raises(SourceError) as err:
        import_recording(bad, store=store, decoder=None, progress=False)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    assert store.list() == []
    monkeypatch.setenv("STREAMKIT_HOME", str(tmp_path / "cli-home"))
    assert cli.main(["import", str(bad)]) == 2
    message = capsys.readouterr().err
    assert message.startswith("streamkit: error: ") and "broken.mp4" in message and message.count("\n") == 1
    assert not list((tmp_path / "cli-home" / "sessions").glob("*"))
