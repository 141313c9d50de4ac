"""Reading session folders (tolerant of a cut log), media time, metrics and subtitle exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from streamkit.plugins.review import metrics as M
from streamkit.plugins.review.export import to_srt, to_vtt
from streamkit.plugins.review.sessiondata import Line, load_session

from streamkit.plugins.review.samples import XSS_CAPTION as XSS


def _write(folder: Path, events: list[dict], info: dict | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "session.json").write_text(json.dumps(info or {"id": folder.name, "name": "t", "started": 1000.0}))
    (folder / "events.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events))
    return folder


def test_truncated_events_log_loads_and_says_so(sample_sessions, tmp_path: Path) -> None:
    folder = tmp_path / sample_sessions.english.id
    shutil.copytree(sample_sessions.english.dir, folder)
    log = folder / "events.jsonl"
    full = load_session(folder)
    data = log.read_bytes()
    log.write_bytes(data[: len(data) - 25])  # cut inside the last line
    cut = load_session(folder)
    assert cut.event_count == full.event_count - 1
    assert [x.text for x in cut.lines] == [x.text for x in full.lines]
    assert any("last line is cut" in p for p in cut.problems), cut.problems
    assert cut.media_path == full.media_path and cut.duration == pytest.approx(full.duration)


def test_captions_and_events_on_media_time(tmp_path: Path, sample_sessions) -> None:
    """The mic started 0.1 s and OBS recording 2 s after the session: a caption said 5 s into the mic
    is at 3.1 s in the video, with a 0.7 s lag."""
    recording = str(load_session(sample_sessions.english.dir).media_path)
    folder = _write(tmp_path / "s", [
        {"type": "SessionStarted", "ts": 1000.0, "session_id": "s"},
        {"type": "RecordingStarted", "ts": 1002.0, "output_path": recording},
        {"type": "Caption", "ts": 1006.0, "kind": "partial", "text": "上链", "audio_start": 5.0, "audio_end": 5.5,
         "emitted_at": 5.9, "language": "zh", "speaker": "主播", "source": "mic"},
        {"type": "Caption", "ts": 1006.8, "kind": "final", "text": "上链接三号", "audio_start": 5.0, "audio_end": 6.0,
         "emitted_at": 6.7, "language": "zh", "speaker": "主播", "source": "mic"},
        {"type": "ProductCardShown", "ts": 1007.0, "serial": 3, "product_id": "p3", "name": "保温杯", "trigger": "上链接三号"},
        {"type": "SceneChanged", "ts": 1007.5, "scene": "特写"},
        {"type": "ProductCardHidden", "ts": 1017.0, "serial": 3, "reason": "voice"},
        {"type": "MomentMarked", "ts": 1020.0, "label": "看这里", "source": "gesture"},
        {"type": "ProductCommandRejected", "ts": 1021.0, "text": "上链接九号", "reason": "unknown"},
        {"type": "RecordingStopped", "ts": 1030.0, "output_path": recording},
    ], {"id": "s", "name": "t", "started": 1000.0, "ended": 1030.0})
    s = load_session(folder)
    assert str(s.media_path) == recording
    assert [(round(x.start, 3), round(x.end, 3), x.text) for x in s.lines] == [(3.1, 4.1, "上链接三号")]
    assert s.lines[0].latency == pytest.approx(0.7)
    assert [(p.start, p.end, p.label) for p in s.segments] == [(5.0, 15.0, "保温杯")]
    assert s.scenes[0].start == 5.5 and s.scenes[0].end == pytest.approx(s.duration)
    assert s.marks[0].t == 18.0 and s.commands_done == 1 and s.commands_refused == 1
    assert [(m.t, m.label, m.kind) for m in s.refused_commands] == [(19.0, "上链接九号", "unknown")]
    assert [lane.key for lane in s.lanes] == ["products"]  # drawn by the products plugin, not the review
    assert s.duration == pytest.approx(31.5, abs=0.2), "the recording's own length"
    assert s.language == "zh" and s.problems == []


def test_session_without_media_says_so(tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", [{"type": "SessionStarted", "ts": 1000.0, "session_id": "s"},
                                     {"type": "MomentMarked", "ts": 1012.0, "label": "x"}])
    s = load_session(folder)
    assert s.media_path is None and s.duration == 12.0 and s.marks[0].t == 12.0
    assert any("no video or audio" in p for p in s.problems)


def test_speaking_rate_units_and_baseline() -> None:
    assert M.count_units("嗯，上链接 3号 OK", "zh") == 5 + 2  # 嗯上链接号, then "3" and "OK"
    assert M.count_units("don't stop me now", "en") == 4
    lines = [Line(0, 30, "一" * 100), Line(30, 60, "二" * 50), Line(60, 90, "三" * 60)]
    rates = M.rate_per_minute(lines, 120.0, "zh")
    assert rates == [150.0, 60.0]
    assert M.baseline([0, 100, 120, 140]) == 120.0


def test_dead_air_and_fillers() -> None:
    lines = [Line(4.0, 6.0, "um so like this"), Line(7.0, 9.0, "uh unlikely"), Line(15.0, 16.0, "ok")]
    assert M.dead_air(lines, 22.0, 3.0) == [(0.0, 4.0), (9.0, 15.0), (16.0, 22.0)]
    assert M.dead_air(lines, 22.0, 5.0) == [(9.0, 15.0), (16.0, 22.0)]
    assert M.filler_counts(lines, "en", [], ["um", "uh", "like"]) == {"um": 1, "uh": 1, "like": 1}
    zh = [Line(0, 1, "嗯那个就是说啊，就是这个")]
    assert M.filler_counts(zh, "zh", ["嗯", "啊", "那个", "就是"], []) == {"嗯": 1, "啊": 1, "那个": 1, "就是": 2}


def test_metrics_of_the_real_mandarin_sample(sample_sessions) -> None:
    s = load_session(sample_sessions.mandarin.dir)
    m = M.compute(s)
    assert m.language == "zh" and m.unit == "字/分钟"
    assert len(m.dead_air) == 1 and m.dead_air[0][1] - m.dead_air[0][0] >= 5.0
    assert [p.name for p in m.products] == ["明前龙井 250g", "316 不锈钢保温杯"]  # longest 讲解 first
    assert m.products[1].seconds == pytest.approx(7.0)
    assert all(p.transcript for p in m.products)
    assert m.fillers["嗯"] >= 1 and m.fillers["那个"] >= 1
    assert m.latency_p50 == pytest.approx(0.8, abs=0.01)
    assert m.command_success == 1.0 and m.gesture_triggers == 1


def test_baseline_comes_from_the_streamers_other_sessions() -> None:
    from streamkit.plugins.review.sessiondata import ReviewSession

    s = ReviewSession(id="x", name="x", dir=Path("."), started=0, ended=None, media_path=None, duration=120,
                      imported=False, lines=[Line(0, 60, "字" * 90), Line(60, 120, "字" * 90)])
    own = M.compute(s)
    assert own.baseline == 90.0 and own.baseline_source == "session"
    slower = M.compute(s, other_rates=[[60.0, 60.0, 70.0], [60.0, 50.0, 0.0]])
    assert slower.baseline == 60.0 and slower.baseline_source == "streamer"


def test_srt_and_vtt(sample_sessions) -> None:
    s = load_session(sample_sessions.english.dir)
    srt, vtt = to_srt(s.lines), to_vtt(s.lines)
    assert srt.startswith("1\n00:00:00,") and "and mister john dashwood" in srt
    assert vtt.startswith("WEBVTT\n\n00:00:00.")
    assert "&lt;script&gt;" in vtt and "<script>" not in vtt
    assert XSS in srt  # SubRip is plain text
    assert srt.count(" --> ") == len(s.lines) == vtt.count(" --> ")


def test_replayed_file_is_on_session_time_even_when_obs_recorded(tmp_path: Path, sample_sessions) -> None:
    """A demo session replays a file (media_path) while OBS records: the media is the file, so
    captions stay at their audio time; the recording's own start does not shift them."""
    media = load_session(sample_sessions.english.dir).media_path
    folder = _write(tmp_path / "demo", [
        {"type": "SessionStarted", "ts": 1000.0, "session_id": "demo"},
        {"type": "RecordingStarted", "ts": 1001.5, "output_path": "/nonexistent/obs.mkv"},
        {"type": "Caption", "ts": 1004.0, "kind": "final", "text": "hello", "audio_start": 2.0, "audio_end": 3.0,
         "emitted_at": 4.0, "language": "en", "source": "file", "speaker": ""},
    ], {"id": "demo", "name": "d", "started": 1000.0, "media_path": str(media)})
    s = load_session(folder)
    assert s.media_path == media and s.lines[0].start == 2.0 and s.lines[0].latency == 1.0


def test_a_session_offers_the_review_link_and_prints_it_at_the_end(tmp_path, capsys) -> None:
    import io

    from streamkit.config import validate
    from streamkit.features import REVIEW
    from streamkit.hooks import Plugins
    from streamkit.obs.dryrun import DryRunObs
    from streamkit.plugins import review
    from streamkit.run import run_session
    from streamkit.session import SessionStore

    plugins = Plugins.of(review)
    config = validate({"review": {"port": 9123}, "overlay": {"enabled": False}}, plugins=plugins)
    import streamkit.runtime as rt

    store = SessionStore(tmp_path)
    runtime = rt.start_session(config, DryRunObs(out=io.StringIO()), plugins, store=store)
    url = runtime.services.get(REVIEW).session_url(runtime.session.id)
    assert url == f"http://127.0.0.1:9123/sessions/{runtime.session.id}"
    rt.finish_session(runtime)
    ran = run_session(config, DryRunObs(out=io.StringIO()))
    assert f"http://127.0.0.1:9123/sessions/{ran.session.id}" in capsys.readouterr().out  # the demo prints it last


def test_live_caption_pieces_of_one_utterance_make_one_transcript_line(tmp_path) -> None:
    """Live captions commit an utterance in pieces; the coach reads one line per utterance."""
    import json

    from streamkit.plugins.review.sessiondata import load_session

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "session.json").write_text(json.dumps({"id": "s", "name": "t", "started": 100.0}), encoding="utf-8")
    pieces = [("Show", 0.5, 0.9, 1, False), ("product 3", 0.9, 1.6, 1, False), (".", 1.6, 1.7, 1, True),
              ("甚至出现", 2.0, 2.8, 2, False), ("交易几乎停滞的情况。", 2.8, 4.0, 2, True)]
    with open(folder / "events.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"type": "SessionStarted", "ts": 100.0, "session_id": "s"}) + "\n")
        for text, a0, a1, utt, end in pieces:
            f.write(json.dumps({"type": "Caption", "ts": 100.0 + a1 + 0.3, "kind": "final", "text": text,
                                "source": "host", "speaker": "主播", "audio_start": a0, "audio_end": a1,
                                "emitted_at": a1 + 0.3, "language": "", "utterance": utt,
                                "utterance_end": end}) + "\n")
    session = load_session(folder)
    assert [line.text for line in session.lines] == ["Show product 3.", "甚至出现交易几乎停滞的情况。"]
    assert session.lines[0].start == pytest.approx(0.5) and session.lines[0].end == pytest.approx(1.7)


def test_a_revised_utterance_is_one_line_with_the_revised_text(tmp_path) -> None:
    """The final pass revised an utterance: the coach reads what it heard, not the first guess."""
    import json

    from streamkit.plugins.review.sessiondata import load_session

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "session.json").write_text(json.dumps({"id": "s", "name": "t", "started": 100.0}), encoding="utf-8")
    pieces = [("final", "希老女以后", 0.1, 1.6, False), ("final", "能够做的比我还好用", 1.6, 3.4, False),
              ("revision", "希望你以后能够做的比我还好用。", 0.1, 3.6, False), ("final", "", 3.6, 3.6, True)]
    with open(folder / "events.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"type": "SessionStarted", "ts": 100.0, "session_id": "s"}) + "\n")
        for kind, text, a0, a1, end in pieces:
            f.write(json.dumps({"type": "Caption", "ts": 100.0 + a1 + 0.3, "kind": kind, "text": text,
                                "source": "host", "speaker": "主播", "audio_start": a0, "audio_end": a1,
                                "emitted_at": a1 + 0.3, "language": "zh", "utterance": 1, "utterance_end": end,
                                "revision": int(kind == "revision")}) + "\n")
    session = load_session(folder)
    assert [line.text for line in session.lines] == ["希望你以后能够做的比我还好用。"]
    assert session.lines[0].start == pytest.approx(0.1)
