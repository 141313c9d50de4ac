"""Threat 5 — one bad field breaks a whole session, or the list of all sessions.

An unparsable ``audio_start`` or ``emitted_at``, or ``ts: 1e999``, in one line of
``events.jsonl`` made the session page, transcript, report and WebVTT answer 500; ``ended: 1e999``
in one ``session.json`` made the session list fail for everyone. Bad events are now skipped and
counted (the owner reads "N events could not be read"), and a broken session never breaks the list.
"""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

BAD_LINES = [
    {"type": "Caption", "ts": 1e999, "kind": "final", "text": "ts overflows", "audio_start": 1.0, "audio_end": 2.0},
    {"type": "Caption", "ts": 1_700_000_000.0, "kind": "final", "text": "bad start", "audio_start": "soon", "audio_end": 2.0},
    {"type": "Caption", "ts": 1_700_000_000.0, "kind": "final", "text": "bad emit", "audio_start": 1.0, "audio_end": 2.0,
     "emitted_at": "later"},
    {"type": "SceneChanged", "ts": "yesterday", "scene": "x"},
    {"type": "Caption", "ts": 1_700_000_000.0, "kind": "final", "text": "half a character \ud800"},
]


def _append_bad_events(folder) -> None:
    with open(folder / "events.jsonl", "a", encoding="utf-8") as f:
        for line in BAD_LINES:
            f.write(json.dumps(line).replace("Infinity", "1e999") + "\n")  # \ud800 stays a JSON escape
        f.write("{not json at all\n")


def test_bad_events_are_skipped_and_counted(local: TestClient, home) -> None:
    _append_bad_events(home.folder)
    for url in (f"/sessions/{home.sid}", f"/api/sessions/{home.sid}/transcript", f"/sessions/{home.sid}/report.html",
                f"/sessions/{home.sid}/captions.vtt", f"/sessions/{home.sid}/captions.srt",
                f"/api/sessions/{home.sid}/comments"):
        assert local.get(url).status_code == 200, url
    page = local.get(f"/sessions/{home.sid}").text
    assert "有 6 条事件无法读取" in page, "the owner is told how many events were skipped"
    english = local.get(f"/sessions/{home.sid}?lang=en").text
    assert "6 events could not be read" in english
    lines = local.get(f"/api/sessions/{home.sid}/transcript").json()["lines"]
    assert len(lines) == 3 and not any("bad" in row[2] or "overflows" in row[2] for row in lines)


def test_a_broken_session_json_never_breaks_the_list(local: TestClient, home) -> None:
    info = json.loads((home.folder / "session.json").read_text(encoding="utf-8"))
    other = home.folder.parent / "20200101-000000-beef"
    other.mkdir()
    (other / "session.json").write_text(json.dumps({**info, "id": other.name, "name": "坏场次",
                                                    "ended": 1e999}).replace("Infinity", "1e999"), encoding="utf-8")
    (other / "events.jsonl").write_text('{"type": "SessionStarted", "ts": 1e999}\n', encoding="utf-8")
    raw = (home.folder / "session.json").read_text(encoding="utf-8")
    (home.folder / "session.json").write_text(raw.replace('"ended": ', '"ended": 1e999, "x": '), encoding="utf-8")
    listing = local.get("/")
    assert listing.status_code == 200 and home.sid in listing.text and "坏场次" in listing.text
    assert local.get(f"/sessions/{home.sid}").status_code == 200
    assert local.get(f"/sessions/{other.name}").status_code == 200
    for broken in ("[1, 2, 3]", '{"name": "\\udc00 half a character"}'):
        (other / "session.json").write_text(broken, encoding="utf-8")
        assert local.get("/").status_code == 200 and local.get(f"/sessions/{other.name}").status_code == 200
