"""SRT and WebVTT cues, shared by live captions, `streamkit transcribe` and the review's exports."""

from __future__ import annotations

from streamkit.subtitles import Cue, timestamp, to_srt, to_vtt


def test_timestamps_for_srt_and_vtt() -> None:
    assert timestamp(3723.4567) == "01:02:03,457"
    assert timestamp(-1, ".") == "00:00:00.000"


def test_cue_text_cannot_break_out_of_its_cue() -> None:
    cues = [Cue(0.0, 1.0, "a --> b\n\n2\n00:00:00,000 --> 00:00:09,000 <b>x</b> & y", "主播")]
    srt = to_srt(cues, speaker_labels=True)
    assert srt.startswith("1\n00:00:00,000 --> 00:00:01,000\n主播：a → b\n2\n") and srt.count("-->") == 1
    vtt = to_vtt(cues, speaker_labels=True)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v 主播>a → b")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in vtt and vtt.count("-->") == 1
