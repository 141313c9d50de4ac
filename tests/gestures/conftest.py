"""Fixtures for the gestures tests: real photos and videos, real MediaPipe models (read once)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from gesture_helpers import HANDS


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Profiles and sessions go to a temporary STREAMKIT_HOME, never the user's."""
    home = tmp_path / "home"
    monkeypatch.setenv("STREAMKIT_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def hand_photos() -> dict[str, list[Path]]:
    """``{"call": [...], "rock": [...], "none": [...]}`` — 4 real photos each."""
    return {label: sorted((HANDS / label).glob("*.jpg")) for label in ("call", "rock", "none")}


@pytest.fixture(scope="session")
def model_bytes_loaded() -> None:
    """Resolve and read both models once (they come from their PyPI carrier, sha256-checked)."""
    from streamkit.plugins.gestures.mp_tasks import model_bytes

    model_bytes("hand_landmarker")
    model_bytes("face_landmarker")


@pytest.fixture(scope="session")
def image_hand_tracker(model_bytes_loaded: None) -> Iterator[Any]:
    from streamkit.plugins.gestures.hands import HandTracker

    tracker = HandTracker(mode="image", max_hands=2, min_detection=0.3, refine=True)
    yield tracker
    tracker.close()


@pytest.fixture(scope="session")
def photo_landmarks(hand_photos: dict[str, list[Path]], image_hand_tracker: Any) -> dict[Path, list[np.ndarray]]:
    """Landmarks of every hand in every photo (computed once)."""
    from streamkit.plugins.gestures.frames import read_image

    return {p: [h.landmarks for h in image_hand_tracker.detect(read_image(p))]
            for photos in hand_photos.values() for p in photos}
