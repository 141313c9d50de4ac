"""Face gestures on the real face videos: held smile fires once, tracking edges never fire, calibration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streamkit.cli import main
from streamkit.plugins.gestures.events import GestureTriggered

from gesture_helpers import FACES, run_video

SMILE_TO_SCENE = {"bindings": [{"gestures": ["smile"], "action": "scene", "scene": "商品特写"}]}
pytestmark = pytest.mark.slow


def triggered(events: list) -> list[GestureTriggered]:
    return [e for e in events if isinstance(e, GestureTriggered)]


def test_smile_in_single_face_fires_its_binding_once(model_bytes_loaded: None) -> None:
    events, log, obs = run_video(SMILE_TO_SCENE, FACES / "single_face.mp4")
    fired = triggered(events)
    assert [(e.gesture, e.action, e.target) for e in fired] == [("smile", "scene", "商品特写")]
    assert obs.calls == [("SetCurrentProgramScene", {"sceneName": "商品特写"})]
    # it fired after the smile had been held for the hold time, not on the first smiling frame
    first_smile = next(f.t for f in log if f.face_scores.get("smile", 0) >= 0.5)
    fire_t = next(f.t for f in log if f.fires)
    assert 0.5 - 0.04 <= fire_t - first_smile <= 0.5 + 0.1


def test_long_smile_fires_once_and_each_fire_follows_a_rearm(model_bytes_loaded: None) -> None:
    """WolfgangLanger: several smiles; one held from 12.2 s to the end (7 s) must fire exactly once."""
    events, log, _ = run_video(SMILE_TO_SCENE, FACES / "WolfgangLanger_Pexels.mp4")
    fire_times = [f.t for f in log for x in f.fires if x.kind == "action"]
    assert len(fire_times) == len(triggered(events)) >= 2
    assert sum(1 for t in fire_times if t >= 12.2) == 1
    rearm = 0.5 * 0.6
    for before, after in zip(fire_times, fire_times[1:]):
        between = [f for f in log if before < f.t < after and f.tracking.get("face")]
        assert any(f.face_scores["smile"] < rearm for f in between), f"fired at {before:.2f} and {after:.2f} without re-arming"
        assert after - before >= 2.0  # default cooldown


def test_no_fire_where_tracking_starts_or_ends(model_bytes_loaded: None) -> None:
    """noface_face.mov: sky, a one-frame false face, then a real face that smiles until the end."""
    events, log, _ = run_video(SMILE_TO_SCENE, FACES / "noface_face.mov")
    present = [f.face_scores != {} for f in log]
    edges = {i for i in range(1, len(log)) if present[i] != present[i - 1]} | {0, len(log) - 1}
    fired_at = [i for i, f in enumerate(log) if f.fires]
    assert len(edges) >= 4  # the false face (on and off) and the real one
    assert fired_at, "the real smile should fire"
    for i in fired_at:
        assert all(abs(i - e) > 1 for e in edges), f"fired at frame {i}, next to a tracking edge"
    # the false detection (a single frame) never starts a hold
    first_real = max(i for i in edges if i < fired_at[0])
    assert all(not f.fires for f in log[:first_real])
    assert len(triggered(events)) == 1


def test_involuntary_blink_never_fires_long_blink(model_bytes_loaded: None) -> None:
    """single_face.mp4 has one ordinary blink (≈ 130 ms)."""
    events, log, _ = run_video({"bindings": [{"gestures": ["long_blink"], "action": "mark_moment"}]},
                               FACES / "single_face.mp4")
    assert max(f.face_scores["long_blink"] for f in log if f.face_scores) > 0.3  # the blink is seen …
    assert triggered(events) == []  # … and is too short


def test_head_tilt_direction(model_bytes_loaded: None) -> None:
    """WolfgangLanger tilts her head towards her right shoulder at ≈ 17 s, towards her left at ≈ 19 s."""
    config = {"bindings": [{"gestures": ["head_tilt_right"], "action": "scene", "scene": "右"},
                           {"gestures": ["head_tilt_left"], "action": "scene", "scene": "左"}]}
    events, _, obs = run_video(config, FACES / "WolfgangLanger_Pexels.mp4")
    assert [e.gesture for e in triggered(events)] == ["head_tilt_right", "head_tilt_left"]
    assert [c[1]["sceneName"] for c in obs.calls] == ["右", "左"]


def test_calibrate_records_neutral_face_and_shows_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         model_bytes_loaded: None) -> None:
    neutral = tmp_path / "neutral.json"
    code = main(["gestures", "calibrate", "--video", str(FACES / "single_face.mp4"), "--seconds", "0.5",
                 "--fast", "--neutral", str(neutral)])
    assert code == 0
    saved = json.loads(neutral.read_text())
    assert saved["format"] == "streamkit-face-neutral" and saved["scores"]["smile"] < 0.1
    assert 0.1 < saved["scores"]["brows_raised"] < 0.5  # this face's relaxed brows score well above 0
    out = capsys.readouterr().out
    assert "smile" in out and "✓ reached" in out and "neutral face saved" in out


def test_calibrated_neutral_is_used_in_a_session(tmp_path: Path, model_bytes_loaded: None) -> None:
    """With the neutral face subtracted the relaxed brows score ≈ 0 instead of ≈ 0.2."""
    neutral = tmp_path / "neutral.json"
    assert main(["gestures", "calibrate", "--video", str(FACES / "single_face.mp4"), "--seconds", "0.5",
                 "--fast", "--neutral", str(neutral)]) == 0
    config = {"bindings": [{"gestures": ["brows_raised"], "action": "mark_moment"}]}
    _, raw_log, _ = run_video(config, FACES / "single_face.mp4")
    _, cal_log, _ = run_video({**config, "neutral": str(neutral)}, FACES / "single_face.mp4")
    assert raw_log[10].face_scores["brows_raised"] > 0.15
    assert cal_log[10].face_scores["brows_raised"] < 0.05


def test_a_hand_covering_the_face_is_not_a_sign(model_bytes_loaded: None) -> None:
    """WolfgangLanger covers her mouth with an open hand (3–9 s) while crying: no hand sign may fire."""
    from streamkit.plugins.gestures.signs import BUILTIN_SIGNS

    every_sign = {"bindings": [{"gestures": [s], "action": "mark_moment", "label": s} for s in BUILTIN_SIGNS]}
    events, log, _ = run_video(every_sign, FACES / "WolfgangLanger_Pexels.mp4", until=9.0)
    assert sum(1 for f in log if f.tracking.get("hand")) > 100  # the hand is there, tracked …
    assert triggered(events) == []  # … and never read as a sign
    events, _, _ = run_video({**every_sign, "ignore_hand_on_face": False}, FACES / "WolfgangLanger_Pexels.mp4", until=9.0)
    assert [e.gesture for e in triggered(events)] == ["open_palm"]  # what happens without the rule
