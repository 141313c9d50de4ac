"""Taking samples (shared by `streamkit gestures enroll` and the panel): one plain sentence per picture
that cannot be a sample, on real photos; signs, rest and the neutral face saved where sessions read them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from gesture_helpers import FACES, HANDS

from streamkit.cli import main
from streamkit.plugins.gestures.enrol import NeutralCapture, SampleProblem, SignCapture, check_sample
from streamkit.plugins.gestures.frames import read_image
from streamkit.plugins.gestures.profile import REST, SignProfile

pytestmark = pytest.mark.slow


def photo(name: str) -> np.ndarray:
    return read_image(next(HANDS.glob(name + "*")))


def face_frame(index: int = 10) -> np.ndarray:
    from streamkit.sources.video import VideoFileSource

    return next(ev.image for i, ev in enumerate(VideoFileSource(FACES / "single_face.mp4")) if i == index)


def shrunk(name: str, scale: float = 0.5) -> np.ndarray:
    """The photo made small in a grey 640×480 picture: a hand far from the camera."""
    import cv2

    small = cv2.resize(photo(name), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    canvas = np.full((480, 640, 3), 128, np.uint8)
    canvas[100:100 + small.shape[0], 200:200 + small.shape[1]] = small
    return canvas


PICTURES: dict[str, tuple[Callable[[], np.ndarray], SampleProblem | None, str]] = {
    "a dark room": (lambda: photo("call/143f8b21"), SampleProblem.TOO_DARK, "太暗"),
    "a face, no hand": (face_frame, SampleProblem.NO_HAND, "没有看到手"),
    "a hand at the edge": (lambda: photo("call/044768ad")[:, 200:], SampleProblem.CUT_OFF, "边缘"),
    "a hand far away": (lambda: shrunk("rock/026fd791"), SampleProblem.TOO_SMALL, "太远"),
    "a clear sign": (lambda: photo("rock/026fd791"), None, "看到一只手"),
}


@pytest.mark.parametrize("what", list(PICTURES))
def test_each_picture_gets_one_plain_sentence(what: str, image_hand_tracker: Any) -> None:
    make, problem, words = PICTURES[what]
    image = make()
    check = check_sample(image, image_hand_tracker.detect(image))
    assert check.problem == problem
    zh, en = check.message("zh-CN"), check.message("en")
    assert words in zh and zh.endswith("。") and zh.count("。") == 1
    assert en.endswith(".") and "\n" not in en and en != zh


def test_a_resting_hand_at_the_edge_still_counts_as_rest(image_hand_tracker: Any) -> None:
    """Resting hands are taken however the camera sees them — cut off at the desk edge included."""
    image = photo("call/044768ad")[:, 200:]
    hands = image_hand_tracker.detect(image)
    assert check_sample(image, hands).problem == SampleProblem.CUT_OFF
    assert check_sample(image, hands, rest=True).ok


def test_sign_capture_saves_the_sign_which_then_reads_the_held_out_photo(
        hand_photos: dict[str, list[Path]], image_hand_tracker: Any, tmp_path: Path,
        photo_landmarks: dict[Path, Any]) -> None:
    capture = SignCapture("rock", wanted=3)
    for p in hand_photos["rock"][:3]:
        image = read_image(p)
        assert capture.take(image, image_hand_tracker.detect(image)).ok
    assert capture.done
    profile = SignProfile()
    result = capture.save_to(profile, tmp_path / "profile.json")
    assert result.samples == 3 and result.checked == 3 and result.path == tmp_path / "profile.json"
    assert "rock" in result.summary("zh-CN") and result.summary("zh-CN").startswith("已保存")
    loaded = SignProfile.load(result.path)
    assert [loaded.match(h).name for h in photo_landmarks[hand_photos["rock"][3]]] == ["rock"]


def relaxed_crops(folder: Path) -> Path:
    """Close-ups (as a desk camera sees them) of three relaxed hands from the photos in relaxed.toml."""
    import cv2

    folder.mkdir()
    for name, (x0, y0, x1, y1) in {"call/0e022ee9": (224, 378, 384, 498), "rock/055f8be9": (188, 413, 308, 503),
                                   "none/00c84257": (75, 334, 275, 484)}.items():
        crop = cv2.resize(photo(name)[y0:y1, x0:x1], (640, 480), interpolation=cv2.INTER_CUBIC)
        cv2.imwrite(str(folder / f"{name.replace('/', '-')}.png"), crop)
    return folder


def test_enroll_rest_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           model_bytes_loaded: None, hand_photos: dict[str, list[Path]]) -> None:
    profile = tmp_path / "profile.json"
    folder = tmp_path / "call"
    folder.mkdir()
    for p in hand_photos["call"]:  # the 4th is too dark: said, and skipped
        (folder / p.name).symlink_to(p)
    assert main(["gestures", "enroll", "call", "--images", str(folder), "--profile", str(profile)]) == 0
    captured = capsys.readouterr()
    assert "Too dark" in captured.err and "(skipped)" in captured.err
    assert main(["gestures", "enroll", REST, "--images", str(relaxed_crops(tmp_path / "rest")), "--profile", str(profile)]) == 0
    assert f"enrolled '{REST}': 3 sample(s)" in capsys.readouterr().out
    loaded = SignProfile.load(profile)
    assert len(loaded.rest) == 3 and len(loaded.signs["call"]) == 3
    assert main(["gestures", "signs", "--profile", str(profile)]) == 0
    assert "(rest)" in capsys.readouterr().out


def test_neutral_capture_says_why_a_frame_is_not_used_and_saves_neutral_json(
        tmp_path: Path, model_bytes_loaded: None) -> None:
    from streamkit.plugins.gestures.face import FaceTracker

    capture = NeutralCapture(wanted=5)
    with FaceTracker(mode="image") as tracker:
        dark = photo("call/143f8b21")[250:, :200]  # the dark corner of a dark room
        assert capture.take(dark, tracker.detect(dark)).problem == SampleProblem.TOO_DARK
        hand = photo("rock/026fd791")[:120, 160:]  # a wall and a raised hand, no face
        assert capture.take(hand, tracker.detect(hand)).problem == SampleProblem.NO_FACE
        for i in range(5):
            image = face_frame(i)
            capture.take(image, tracker.detect(image))
    assert capture.done
    neutral = capture.save(tmp_path / "neutral.json")
    saved = json.loads((tmp_path / "neutral.json").read_text())
    assert saved["format"] == "streamkit-face-neutral" and neutral.scores["smile"] < 0.2
