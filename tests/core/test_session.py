"""Sessions: every recorded event reaches events.jsonl (flushed) and the SQLite index."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from streamkit.bus import EventBus
from streamkit.events import AudioChunk, MomentMarked, SceneChanged
from streamkit.session import SessionRecorder, SessionStore, read_events


def test_recorder_writes_every_recorded_event_and_indexes_it(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    session = store.create(name="测试")
    bus = EventBus()
    rec = SessionRecorder(session, store).attach(bus)
    bus.publish(SceneChanged(scene="直播间"))
    bus.publish(AudioChunk(source="mic", samples=[0.0], sample_rate=16000, start=0.0))  # not recorded
    bus.publish(MomentMarked(label="看这里"))
    lines = session.events_path.read_text(encoding="utf-8").splitlines()  # flushed before close
    assert [json.loads(line)["type"] for line in lines] == ["SceneChanged", "MomentMarked"]
    assert "直播间" in lines[0]  # readable UTF-8, not \\u escapes
    rec.close()
    store.finish(session)
    assert store.count_events(session.id) == 2
    assert store.count_events(session.id, "MomentMarked") == 1
    info = json.loads((session.dir / "session.json").read_text(encoding="utf-8"))
    assert info["name"] == "测试" and info["ended"] is not None
    assert store.list()[0]["id"] == session.id


def test_read_events_survives_a_cut_last_line(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text('{"type": "SceneChanged", "ts": 1.0, "scene": "a"}\n{"type": "Scene', encoding="utf-8")
    events, problems = read_events(log)
    assert [e.scene for e in events] == ["a"]  # type: ignore[attr-defined]
    assert len(problems) == 1 and "events.jsonl:2" in problems[0]


def test_a_crash_loses_at_most_the_last_event(tmp_path: Path) -> None:
    """A process killed hard (os._exit, no cleanup) still leaves every published event on disk."""
    code = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from streamkit.bus import EventBus
        from streamkit.events import MomentMarked
        from streamkit.session import SessionRecorder, SessionStore
        store = SessionStore(Path({str(tmp_path)!r}))
        s = store.create()
        bus = EventBus()
        SessionRecorder(s, store).attach(bus)
        for i in range(50):
            bus.publish(MomentMarked(label=str(i)))
        print(s.events_path, flush=True)
        os._exit(9)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    path = Path(out.stdout.strip())
    events, problems = read_events(path)
    assert [e.label for e in events] == [str(i) for i in range(50)]  # type: ignore[attr-defined]
    assert problems == []
