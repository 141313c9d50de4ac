"""Built-in hand signs on real photos, and their invariance to position, scale, rotation and hand."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streamkit.plugins.gestures.detector import HandClassifier
from streamkit.plugins.gestures.frames import read_image
from streamkit.plugins.gestures.signs import NONE, classify_builtin


def best_sign(hands: list[np.ndarray]) -> tuple[str, float]:
    results = [classify_builtin(h) for h in hands]
    return max(results, key=lambda r: (r[0] != NONE, r[1]), default=(NONE, 0.0))


@pytest.mark.slow
def test_call_and_rock_photos_are_recognised(hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any]) -> None:
    for label in ("call", "rock"):
        found = [p for p in hand_photos[label] if photo_landmarks[p]]
        assert len(found) >= 3, f"hand found in only {len(found)} {label} photos"
        for p in found:
            assert best_sign(photo_landmarks[p])[0] == label, p.name


@pytest.mark.slow
def test_none_photos_are_never_call_or_rock(hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any]) -> None:
    for p in hand_photos["none"]:
        for hand in photo_landmarks[p]:
            assert classify_builtin(hand)[0] not in ("call", "rock"), p.name


@pytest.mark.slow
def test_other_signs_in_the_none_photos(hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any]) -> None:
    """The "none" folder holds other HaGRID signs, checked by eye: two thumbs down and a raised index."""
    by_name = {p.name[:8]: p for p in hand_photos["none"]}
    assert best_sign(photo_landmarks[by_name["0a038096"]])[0] == "thumbs_down"
    assert best_sign(photo_landmarks[by_name["00b85ea4"]])[0] == "pointing_up"


@pytest.mark.slow
def test_a_mirrored_photo_gives_the_same_sign(hand_photos: dict[str, list[Path]], image_hand_tracker: Any) -> None:
    """Left or right hand: the model sees the mirrored photo as the other hand, the sign stays."""
    import cv2

    for label in ("call", "rock"):
        photo = hand_photos[label][1]
        mirrored = cv2.flip(read_image(photo), 1)
        hands = [h.landmarks for h in image_hand_tracker.detect(mirrored)]
        assert best_sign(hands)[0] == label


# ---------------------------------------------------------------- invariance (property test on real landmarks)


def transform(lm: np.ndarray, angle: float, scale: float, shift: tuple[float, float], mirror: bool) -> np.ndarray:
    out = lm.copy()
    if mirror:
        out[:, 0] = -out[:, 0]
    c, s = math.cos(angle), math.sin(angle)
    x, y = out[:, 0].copy(), out[:, 1].copy()
    out[:, 0], out[:, 1] = c * x - s * y, s * x + c * y
    out *= scale
    out[:, 0] += shift[0]
    out[:, 1] += shift[1]
    return out


@pytest.fixture(scope="module")
def labelled_hands(hand_photos: dict[str, list[Path]], photo_landmarks: dict[Path, Any]) -> list[tuple[str, np.ndarray]]:
    """The signing hand of each photo with its built-in label (directional signs included)."""
    out = []
    for photos in hand_photos.values():
        for p in photos:
            hands = photo_landmarks[p]
            if hands:
                i = max(range(len(hands)), key=lambda k: (classify_builtin(hands[k])[0] != NONE, classify_builtin(hands[k])[1]))
                out.append((classify_builtin(hands[i])[0], hands[i]))
    return out


DIRECTIONAL = {"thumbs_up", "thumbs_down", "pointing_up"}


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(data=st.data(), angle=st.floats(-math.pi, math.pi), scale=st.floats(0.2, 5.0),
       shift=st.tuples(st.floats(-2000, 2000), st.floats(-2000, 2000)), mirror=st.booleans())
def test_shape_signs_do_not_depend_on_position_scale_rotation_or_hand(
        labelled_hands: list[tuple[str, np.ndarray]], data: st.DataObject, angle: float, scale: float,
        shift: tuple[float, float], mirror: bool) -> None:
    label, lm = data.draw(st.sampled_from(labelled_hands))
    if label in DIRECTIONAL:
        angle = 0.0  # their names are about direction: only position, scale and hand must not matter
    assert classify_builtin(transform(lm, angle, scale, shift, mirror))[0] == label


@pytest.mark.slow
def test_turning_thumbs_down_upside_down_gives_thumbs_up(labelled_hands: list[tuple[str, np.ndarray]]) -> None:
    downs = [lm for label, lm in labelled_hands if label == "thumbs_down"]
    assert downs
    for lm in downs:
        assert classify_builtin(transform(lm, math.pi, 1.0, (0, 0), False))[0] == "thumbs_up"


@pytest.mark.slow
def test_personal_sign_replaces_the_builtin_of_the_same_name(labelled_hands: list[tuple[str, np.ndarray]]) -> None:
    from streamkit.plugins.gestures.profile import SignProfile

    rock = [lm for label, lm in labelled_hands if label == "rock"]
    call = [lm for label, lm in labelled_hands if label == "call"]
    profile = SignProfile()
    profile.add("call", rock[:3])  # this streamer's "call" looks like a textbook rock
    classifier = HandClassifier(profile, builtin=True)
    assert classifier.classify(rock[3]).name == "call"
    assert all(classifier.classify(lm).name != "call" for lm in call)  # the built-in call is replaced
