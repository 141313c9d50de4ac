"""Rest samples: the streamer's relaxed hands are a rejection class, so resting hands never fire a sign.

Real photos (samples/media/hands): six show a relaxed hand besides the sign (relaxed.toml says where).
Each photo is held out in turn; the rest samples come from the *other* photos' relaxed hands.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from gesture_helpers import HANDS

from streamkit.plugins.gestures.detector import HandClassifier
from streamkit.plugins.gestures.profile import REST, ProfileError, SignProfile, check_sign_name, choose_sample_hands
from streamkit.plugins.gestures.signs import NONE

RELAXED = {HANDS / r["photo"]: np.array(r["centre"], dtype=float)
           for r in tomllib.loads((HANDS / "relaxed.toml").read_text(encoding="utf-8"))["relaxed"]}


@pytest.fixture(scope="module")
def relaxed_hands(hand_photos: dict[str, list[Path]], image_hand_tracker: Any) -> dict[Path, np.ndarray | None]:
    """The relaxed hand of each photo listed in relaxed.toml (None where no hand is found there)."""
    from streamkit.plugins.gestures.frames import read_image

    found: dict[Path, np.ndarray | None] = {}
    for photo, centre in RELAXED.items():
        hands = image_hand_tracker.detect(read_image(photo))
        near = [h for h in hands if np.hypot(*(np.array(h.center) - centre)) <= max(h.size, 30.0)]
        found[photo] = near[0].landmarks if near else None
    return found


def session_classifier(hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any], leave_out: Path,
                       rest: list[np.ndarray]) -> HandClassifier:
    """What a session uses: personal call/rock from 3 other photos each, plus the built-in signs."""
    profile = SignProfile()
    for sign in ("call", "rock"):
        train = [p for p in hand_photos[sign] if p != leave_out][:3]
        profile.add(sign, [s for s in choose_sample_hands([photo_landmarks[p] for p in train]) if s is not None])
    profile.set_rest(rest)
    return HandClassifier(profile, builtin=True)


@pytest.mark.slow
def test_held_out_relaxed_hands_never_fire_once_rest_is_enrolled(
        hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any],
        relaxed_hands: dict[Path, np.ndarray | None]) -> None:
    found = {p: lm for p, lm in relaxed_hands.items() if lm is not None}
    assert len(found) >= 3, "the relaxed hands of at least three photos are found"
    fired_before, fired_after = [], []
    for photo, hand in found.items():
        rest = [lm for other, lm in found.items() if other != photo]
        before = session_classifier(hand_photos, photo_landmarks, photo, []).classify(hand)
        after = session_classifier(hand_photos, photo_landmarks, photo, rest).classify(hand)
        if before.name != NONE:
            fired_before.append(f"{photo.name}: {before.name}")
        if after.name != NONE:
            fired_after.append(f"{photo.name}: {after.name}")
        else:
            assert after.kind == "rest", photo.name  # rejected because it rests, not by chance
    assert fired_before, "without rest samples some relaxed hands read as a sign (the problem this fixes)"
    assert fired_after == []


@pytest.mark.slow
def test_rest_samples_keep_every_sign_made_on_purpose(
        hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any],
        relaxed_hands: dict[Path, np.ndarray | None]) -> None:
    """The raised hand of every photo reads the same (personal or built-in) with rest samples as without."""
    rest = [lm for lm in relaxed_hands.values() if lm is not None]
    compared = 0
    for photo, hands in photo_landmarks.items():
        if not hands:
            continue
        raised = min(hands, key=lambda h: float(h[:, 1].mean()))
        before = session_classifier(hand_photos, photo_landmarks, photo, []).classify(raised)
        after = session_classifier(hand_photos, photo_landmarks, photo, rest).classify(raised)
        assert after.name == before.name, photo.name
        compared += before.name != NONE
    assert compared >= 10


def test_rest_round_trip_and_old_profiles_still_load(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    profile = SignProfile()
    profile.add("挥手", [rng.normal(size=(21, 3)) for _ in range(3)])
    profile.set_rest([rng.normal(size=(21, 3)) for _ in range(4)])
    path = profile.save(tmp_path / "p.json")
    again = SignProfile.load(path)
    assert len(again.rest) == 4 and again.rest_radius == profile.rest_radius
    raw = json.loads(path.read_text())
    del raw["rest"], raw["rest_radius"]  # a profile written before rest samples existed
    path.write_text(json.dumps(raw))
    old = SignProfile.load(path)
    assert old.rest == [] and list(old.signs) == ["挥手"]
    raw["rest"] = [[1, 2]]
    path.write_text(json.dumps(raw))
    with pytest.raises(ProfileError, match="'rest' is not 21×3"):
        SignProfile.load(path)


def test_rest_alone_rejects_a_hand_like_it() -> None:
    """A profile with only rest samples still classifies: a hand like a rest sample is resting."""
    rng = np.random.default_rng(2)
    relaxed = rng.normal(size=(21, 3))
    profile = SignProfile()
    profile.set_rest([relaxed])
    m = profile.match(relaxed + rng.normal(scale=0.01, size=(21, 3)))
    assert m.resting and m.name == NONE
    assert HandClassifier(profile).classify(relaxed).kind == "rest"


def test_rest_is_a_reserved_name() -> None:
    with pytest.raises(ProfileError, match="reserved"):
        check_sign_name(REST)
