"""The [gestures] section, the hooks, and one-line errors for bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from streamkit.cli import main
from streamkit.config import CORE_SECTIONS, validate
from streamkit.errors import ConfigError, SourceError
from streamkit.plugins import gestures
from streamkit.plugins.gestures.config import GesturesConfig

MODELS = {**CORE_SECTIONS, "gestures": GesturesConfig}


def config_with(gestures_section: dict[str, Any]) -> Any:
    return validate({"gestures": gestures_section}, "streamkit.toml", MODELS)


def smile_to(scene: str) -> dict[str, Any]:
    return {"gestures": ["smile"], "action": "scene", "scene": scene}


@pytest.mark.parametrize("section, expected", [
    ({"bindings": [smile_to("A"), {"gestures": ["smile"], "action": "mark_moment"}]}, "bound to one action only"),
    ({"bindings": [{"gestures": ["smile"], "action": "scene"}]}, "to name its scene"),
    ({"bindings": [{"gestures": ["call"], "action": "show_source", "scene": "A"}]}, "to name its source"),
    ({"arm_gesture": "smile", "bindings": [smile_to("A")]}, "not also bound"),
    ({"bindings": [{"gestures": [], "action": "mark_moment"}]}, "at least one gesture"),
    ({"hold_ms": 10}, "hold_ms"),
    ({"long_blink_ms": 200}, "long_blink_ms"),
    ({"source": "video", "bindings": [smile_to("A")]}, "video = 'FILE'"),
    ({"bindings": [{"gestures": ["smile"], "action": "fly", "scene": "A"}]}, "action"),
])
def test_bad_config_is_reported_with_file_and_section(section: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigError) as err:
        config_with(section)
    message = str(err.value)
    assert message.startswith("streamkit.toml: [gestures]") and expected in message and "\n" not in message


def test_consequential_actions_confirm_by_default() -> None:
    section = config_with({"bindings": [{"gestures": ["fist"], "action": "record_start"},
                                        {"gestures": ["call"], "action": "stream_stop", "confirm": False},
                                        smile_to("A")]}).section("gestures")
    assert [b.needs_confirm for b in section.bindings] == [True, False, False]


def test_obs_requirements_and_models_hooks() -> None:
    config = config_with({"source": "obs", "obs_source": "摄像头", "bindings": [
        smile_to("商品特写"),
        {"gestures": ["call"], "action": "toggle_source", "scene": "直播间", "source": "商品卡"},
        {"gestures": ["rock"], "action": "mark_moment"}]})
    assert gestures.streamkit_obs_requirements(config) == [
        ("scene", "商品特写"), ("scene", "直播间"), ("input", "商品卡"), ("input", "摄像头")]
    assert gestures.streamkit_models(config) == ["hand_landmarker", "face_landmarker"]
    face_only = config_with({"bindings": [smile_to("A")]})
    assert gestures.streamkit_models(face_only) == ["face_landmarker"]
    hands_only = {"bindings": [{"gestures": ["call"], "action": "mark_moment"}]}
    assert gestures.streamkit_models(config_with(hands_only)) == ["hand_landmarker", "face_landmarker"]  # to spot hands on the face
    assert gestures.streamkit_models(config_with({**hands_only, "ignore_hand_on_face": False})) == ["hand_landmarker"]
    idle = config_with({})
    assert gestures.streamkit_obs_requirements(idle) == [] and gestures.streamkit_models(idle) == []


def test_unknown_gesture_is_reported_before_going_live() -> None:
    from streamkit.plugins.gestures.processor import check_gestures

    section = config_with({"bindings": [{"gestures": ["wave"], "action": "mark_moment"}]}).section("gestures")
    with pytest.raises(ConfigError) as err:
        check_gestures(section, personal=[])
    assert "'wave'" in str(err.value) and "gestures enroll wave" in str(err.value)
    check_gestures(section, personal=["wave"])  # enrolled: fine


def test_plugin_section_is_registered() -> None:
    from streamkit.config import all_section_models

    assert all_section_models()["gestures"] is GesturesConfig
    for name, field in GesturesConfig.model_fields.items():
        assert field.description, f"[gestures] {name} has no description"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err.strip()


def test_no_camera_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(["gestures", "enroll", "wave", "--camera", "7"], capsys)
    assert code == 2 and err.startswith("streamkit: error: camera 7 could not be opened") and "\n" not in err


def test_unreadable_video_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "clip.mp4"
    bad.write_bytes(b"this is not a video" * 100)
    for args in (["gestures", "enroll", "wave", "--video", str(bad)],
                 ["gestures", "calibrate", "--video", str(bad)],
                 ["gestures", "calibrate", "--video", str(tmp_path / "missing.mp4")]):
        code, err = run_cli(args, capsys)
        assert code == 2 and err.startswith("streamkit: error:") and "\n" not in err, err


def test_session_with_unreadable_video_fails_at_start(tmp_path: Path) -> None:
    from streamkit.plugins.gestures.frames import open_video_source

    with pytest.raises(SourceError):
        open_video_source(video=str(tmp_path / "nothing.mov"))


def test_classify_folder_without_images(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(["gestures", "classify", "--images", str(tmp_path)], capsys)
    assert code == 2 and "no .jpg/.png images" in err


def test_session_start_bindings_are_watched_outside_sessions_only() -> None:
    from streamkit.plugins.gestures.config import GesturesConfig

    config = GesturesConfig.model_validate({"bindings": [
        {"gestures": ["smile"], "action": "session_start"},
        {"gestures": ["fist"], "action": "session_stop"}]})
    assert [b.action for b in config.in_session().bindings] == ["session_stop"]
    assert [b.action for b in config.standby().bindings] == ["session_start"]
    assert config.in_session().bindings[0].needs_confirm and not config.standby().bindings[0].needs_confirm


def test_thresholds_set_a_gestures_score_unless_its_binding_does() -> None:
    import pytest
    from pydantic import ValidationError

    from streamkit.plugins.gestures.config import GesturesConfig

    config = GesturesConfig.model_validate({"thresholds": {"smile": 0.3}})
    assert config.threshold_of("smile") == 0.3 and config.threshold_of("smile", 0.7) == 0.7
    assert config.threshold_of("mouth_open") == 0.4 and config.threshold_of("call") == 0.5
    with pytest.raises(ValidationError, match="between 0 and 1"):
        GesturesConfig.model_validate({"thresholds": {"smile": 1.5}})
