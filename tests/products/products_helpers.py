"""Helpers shared by the products tests and benchmarks/products.py: the phrasing table, fakes for unit tests."""

from __future__ import annotations

import base64
import io
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomllib

from streamkit.bus import EventBus
from streamkit.events import Event
from streamkit.testing.helpers import require, wait_until  # noqa: F401 - re-exported for the tests here
from streamkit.plugins.products.cards import CardView

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CATALOG = REPO / "samples" / "catalog.csv"
PHRASINGS = Path(__file__).with_name("phrasings.toml")


def phrasings() -> dict[str, Any]:
    """The table: {"command": [...], "non_command": [...]}."""
    with open(PHRASINGS, "rb") as f:
        return tomllib.load(f)


class FakeClock:
    """Monotonic and wall time that only move when the test says so."""

    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    def wall(self) -> float:
        return 1_700_000_000.0 + self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class RecordingSink:
    """A card sink that remembers what it was asked to do."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def show(self, view: CardView) -> None:
        self.calls.append(("show", view.product.serial))

    def hide(self) -> None:
        self.calls.append(("hide", None))

    def countdown(self, view: CardView, seconds_left: int) -> None:
        self.calls.append(("countdown", seconds_left))


class Recorder:
    """Collects bus events and monitor notices."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        self.notices: list[tuple[str, str, str]] = []
        bus.subscribe(self.events.append)

    def notify(self, level: str, text: str, language: str) -> None:
        self.notices.append((level, text, language))

    def of(self, name: str) -> list[Any]:
        return [e for e in self.events if e.type == name]


# --- real OBS / Chromium helpers ---------------------------------------------------------------
ARTIFACTS = REPO / ".artifacts"
COMMANDS = REPO / "samples" / "media" / "commands"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
#: where the test lays out the native card in the 1280×720 canvas: (x, y, scale)
LAYOUT = {"商品卡-图片": (40, 40, 0.6), "商品卡-名称": (360, 40, 1.0), "商品卡-详情": (360, 130, 1.0),
          "商品卡-倒计时": (360, 260, 1.0)}


def screenshot(client: Any, source: str) -> np.ndarray:
    """What OBS renders for ``source`` (a scene), as an RGBA array."""
    from PIL import Image

    data = client.request("GetSourceScreenshot", {"sourceName": source, "imageFormat": "png"})["imageData"]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data.split(",", 1)[1]))).convert("RGBA"))


def save_viewable(shot: np.ndarray, path: Path) -> None:
    """Save an RGBA screenshot over a dark background (transparent areas visible)."""
    from PIL import Image

    view = Image.new("RGBA", (shot.shape[1], shot.shape[0]), (40, 40, 40, 255))
    view.alpha_composite(Image.fromarray(shot))
    path.parent.mkdir(parents=True, exist_ok=True)
    view.convert("RGB").save(path)


def products_config(catalog: Path = SAMPLE_CATALOG, **overrides: Any) -> Any:
    """A validated streamkit Config with ``[products]`` set (plus ``overrides`` for that section)."""
    from streamkit.config import validate

    return validate({"products": {"catalog": str(catalog), **overrides}}, "<test>")


def set_up_card_sources(url: str, password: str, config: Any) -> list[str]:
    """Create the card sources with ``streamkit obs setup``'s code and this plugin's hooks, then lay them out."""
    from streamkit.obs.connection import ObsConnection
    from streamkit.obs.errors import ObsRequestError
    from streamkit.obs.setup import setup
    from streamkit.plugins import products

    scene = config.section("products").obs.scene
    conn = ObsConnection(url, password, timeout=5.0)
    conn.connect()
    try:
        for _attempt in range(5):
            # the previous test's clean-up may still be removing these inputs: set up until they stay
            result = setup(conn, products.streamkit_obs_requirements(config), products.streamkit_obs_setup(config))
            assert result.ok, str(result)
            time.sleep(0.1)
            try:
                items = {name: conn.request("GetSceneItemId", {"sceneName": scene, "sourceName": name})["sceneItemId"]
                         for name in LAYOUT}
                break
            except ObsRequestError:
                time.sleep(0.3)
        else:
            raise AssertionError("the card sources did not stay in OBS after setup")
        for name, (x, y, scale) in LAYOUT.items():
            conn.request("SetSceneItemTransform", {"sceneName": scene, "sceneItemId": items[name], "sceneItemTransform": {
                "positionX": x, "positionY": y, "scaleX": scale, "scaleY": scale}})
        return result.created
    finally:
        conn.close()


def item_enabled(client: Any, scene: str, source: str) -> bool:
    item = client.request("GetSceneItemId", {"sceneName": scene, "sourceName": source})["sceneItemId"]
    return bool(client.request("GetSceneItemEnabled", {"sceneName": scene, "sceneItemId": item})["sceneItemEnabled"])


def input_settings(client: Any, name: str) -> dict[str, Any]:
    return client.request("GetInputSettings", {"inputName": name})["inputSettings"]
