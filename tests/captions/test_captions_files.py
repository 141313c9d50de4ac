"""SRT / WebVTT / JSONL files written live from caption events."""

from __future__ import annotations

from pathlib import Path

from captions_helpers import read_jsonl

from streamkit.events import Caption
from streamkit.plugins.captions.files import CaptionFiles
from streamkit.subtitles import timestamp


def cap(kind: str, text: str, start: float, end: float, *, source: str = "mic", speaker: str = "主播",
        utt: int = 1, last: bool = False) -> Caption:
    return Caption(kind=kind, text=text, source=source, speaker=speaker, audio_start=start, audio_end=end,
                   emitted_at=end + 0.5, language="zh", utterance=utt, utterance_end=last)


def test_timestamps() -> None:
    assert timestamp(3725.5) == "01:02:05,500"
    assert timestamp(0.0421, ".") == "00:00:00.042"


def test_one_cue_per_utterance_written_as_it_ends(tmp_path: Path) -> None:
    files = CaptionFiles(tmp_path, ["srt", "vtt", "jsonl"])
    files.write(cap("partial", "甚至出现", 0.5, 1.3))
    files.write(cap("final", "甚至出现交易", 0.5, 1.9))
    files.write(cap("final", "几乎停滞的情况。", 1.9, 3.4, last=True))
    srt = files.paths["srt"].read_text(encoding="utf-8")
    assert srt == "1\n00:00:00,500 --> 00:00:03,400\n甚至出现交易几乎停滞的情况。\n\n"  # on disk before close
    files.write(cap("final", "Hello there.", 5.0, 6.0, utt=2, last=True))
    files.close()
    vtt = files.paths["vtt"].read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n00:00:00.500 --> 00:00:03.400\n甚至出现交易几乎停滞的情况。\n\n")
    assert "00:00:05.000 --> 00:00:06.000\nHello there." in vtt
    records = read_jsonl(files.paths["jsonl"])
    assert [r["type"] for r in records] == ["partial", "final", "final", "final"]
    assert set(records[0]) >= {"type", "text", "source", "audio_start", "audio_end", "emitted_at"}


def test_long_utterances_split_and_speakers_labelled(tmp_path: Path) -> None:
    files = CaptionFiles(tmp_path, ["srt"], speaker_labels=True, max_width=20)
    files.write(cap("final", "甚至出现交易", 0.0, 1.0))
    files.write(cap("final", "几乎停滞的情况", 1.0, 2.0))
    files.write(cap("final", "Yes.", 0.2, 0.8, source="call", speaker="嘉宾", last=True))
    files.close()
    srt = files.paths["srt"].read_text(encoding="utf-8")
    assert "嘉宾：Yes." in srt
    assert "主播：甚至出现交易\n" in srt and "主播：几乎停滞的情况\n" in srt


def test_a_revision_replaces_the_utterance_in_the_files(tmp_path: Path) -> None:
    files = CaptionFiles(tmp_path, ["srt", "jsonl"], max_width=32)
    files.write(cap("final", "希老女以后", 0.1, 1.6))
    files.write(cap("final", "能够做的比我还好用。", 1.6, 3.6))
    files.write(Caption(kind="revision", text="希望你以后能够做的比我还好用。", source="mic", speaker="主播", audio_start=0.1,
                        audio_end=3.6, emitted_at=4.6, language="zh", utterance=1, revision=1))
    files.write(cap("final", "", 3.6, 3.6, last=True))
    files.write(cap("final", "甚至出现交易几乎停滞的情况，这是第二句话，它比一行长。", 5.0, 9.0, utt=2, last=True))
    files.close()
    srt = files.paths["srt"].read_text(encoding="utf-8")
    assert "00:00:00,100 --> 00:00:03,600\n希望你以后能够做的比我还好用。\n" in srt and "希老女" not in srt
    # a long utterance is cut into lines of at most max_width, after a mark, times shared out
    assert "00:00:05,000 --> " in srt and "甚至出现交易几乎停滞的情况，\n" in srt and "这是第二句话，它比一行长。\n" in srt
    records = read_jsonl(files.paths["jsonl"])
    assert [(r["type"], r["revision"]) for r in records][2] == ("revision", 1)
