"""Personal signs: enrolled from 3 real photos, recognised on the others; the profile file's errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from streamkit.cli import main
from streamkit.plugins.gestures.profile import PROFILE_VERSION, ProfileError, SignProfile, choose_sample_hands
from streamkit.plugins.gestures.signs import NONE


def enrolled(hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any], leave_out: int) -> SignProfile:
    profile = SignProfile()
    for sign in ("call", "rock"):
        photos = [p for i, p in enumerate(hand_photos[sign]) if i != leave_out]
        samples = [s for s in choose_sample_hands([photo_landmarks[p] for p in photos]) if s is not None]
        profile.add(sign, samples)
    return profile


def best_match(profile: SignProfile, hands: list[Any]) -> str:
    matches = [profile.match(h) for h in hands]
    return max(matches, key=lambda m: (m.name != NONE, m.score)).name if matches else NONE


@pytest.mark.slow
@pytest.mark.parametrize("leave_out", range(4))
def test_profile_from_three_photos_recognises_the_fourth_and_rejects_none(
        hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any], leave_out: int) -> None:
    profile = enrolled(hand_photos, photo_landmarks, leave_out)
    for sign in ("call", "rock"):
        held_out = hand_photos[sign][leave_out]
        if photo_landmarks[held_out]:  # one call photo is too dark for any hand to be found
            assert best_match(profile, photo_landmarks[held_out]) == sign, held_out.name
    for p in hand_photos["none"]:
        for hand in photo_landmarks[p]:
            assert profile.match(hand).name == NONE, p.name


@pytest.mark.slow
def test_enroll_and_classify_commands(hand_photos: dict[str, list[Path]], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """``enroll --images`` with 3 photos per sign, then ``classify --profile`` on a labelled folder."""
    profile = tmp_path / "me.json"
    for sign in ("call", "rock"):
        folder = tmp_path / f"enroll-{sign}"
        folder.mkdir()
        for p in hand_photos[sign][:3]:
            (folder / p.name).symlink_to(p)
        assert main(["gestures", "enroll", sign, "--images", str(folder), "--profile", str(profile)]) == 0
    out = capsys.readouterr().out
    assert "enrolled 'call'" in out and "enrolled 'rock'" in out
    test_dir = tmp_path / "test"
    for sign in ("call", "rock", "none"):
        (test_dir / sign).mkdir(parents=True)
        for p in hand_photos[sign][3:] if sign != "none" else hand_photos[sign]:
            (test_dir / sign / p.name).symlink_to(p)
    report = tmp_path / "report.json"
    assert main(["gestures", "classify", "--images", str(test_dir), "--profile", str(profile), "--json", str(report)]) == 0
    lines = capsys.readouterr().out.splitlines()
    per_image = [ln for ln in lines if ln.count(", ") == 3]
    assert len(per_image) == 6
    data = json.loads(report.read_text())
    by_label = {r["label"]: [] for r in data["images"]}
    for r in data["images"]:
        by_label[r["label"]].append(r)
    assert all(r["gesture"] == NONE for r in by_label["none"])  # the none photos never match
    assert by_label["rock"][0]["gesture"] == "rock"
    # the 4th call photo is too dark for a hand to be found: it must say so, not guess
    assert by_label["call"][0]["hand_found"] is False and by_label["call"][0]["gesture"] == NONE
    assert data["accuracy"] == pytest.approx(5 / 6)
    assert any(ln.startswith("accuracy: 5/6") for ln in lines)


def test_profile_round_trip(tmp_path: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    profile = SignProfile(threshold=0.3)
    profile.add("挥手", [rng.normal(size=(21, 3)) for _ in range(3)])
    path = profile.save(tmp_path / "p.json")
    again = SignProfile.load(path)
    assert again.threshold == 0.3 and list(again.signs) == ["挥手"] and len(again.signs["挥手"]) == 3


@pytest.mark.parametrize("content, expected", [
    ("{not json", "is damaged"),
    (json.dumps({"format": "streamkit-gesture-profile", "version": PROFILE_VERSION + 1, "signs": {}}), "format version"),
    (json.dumps({"format": "streamkit-gesture-profile", "version": PROFILE_VERSION, "signs": {"x": [[1, 2]]}}), "is damaged"),
    (json.dumps({"hello": 1}), "is not a streamkit gesture profile"),
])
def test_bad_profile_is_one_line_error(tmp_path: Path, content: str, expected: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "profile.json"
    path.write_text(content)
    with pytest.raises(ProfileError) as err:
        SignProfile.load(path)
    assert expected in str(err.value) and "\n" not in str(err.value)
    assert main(["gestures", "signs", "--profile", str(path)]) == 2
    message = capsys.readouterr().err.strip()
    assert message.startswith("streamkit: error:") and expected in message and "\n" not in message


def test_profile_lives_under_streamkit_home(private_home: Path) -> None:
    from streamkit.plugins.gestures.profile import default_profile_path

    assert default_profile_path() == private_home / "gestures" / "profile.json"


@pytest.mark.parametrize("name", ["smile", "none", "two words", ""])
def test_unusable_sign_names(name: str) -> None:
    from streamkit.plugins.gestures.profile import check_sign_name

    with pytest.raises(ProfileError):
        check_sign_name(name)


@pytest.mark.slow
def test_enroll_from_a_video(hand_photos: dict[str, list[Path]], tmp_path: Path, photo_landmarks: dict[Path, Any],
                             capsys: pytest.CaptureFixture[str]) -> None:
    """A clip made of three real rock photos (1 s each) enrolls 'rock'; the fourth rock photo is then recognised."""
    import av

    from streamkit.plugins.gestures.frames import read_image

    clip = tmp_path / "rock.mp4"
    with av.open(str(clip), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 384, 512, "yuv420p"
        for photo in hand_photos["rock"][:3]:
            image = read_image(photo)[:512, :384]
            for _ in range(10):
                for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    profile = tmp_path / "p.json"
    assert main(["gestures", "enroll", "rock", "--video", str(clip), "--samples", "6", "--profile", str(profile)]) == 0
    assert "enrolled 'rock': 6 sample(s)" in capsys.readouterr().out
    loaded = SignProfile.load(profile)
    assert best_match(loaded, photo_landmarks[hand_photos["rock"][3]]) == "rock"
    assert all(loaded.match(h).name == NONE for p in hand_photos["none"] for h in photo_landmarks[p])
