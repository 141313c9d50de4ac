"""Fixtures for the products plugin tests: the sample catalog, a fake clock, a card controller."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from products_helpers import SAMPLE_CATALOG, FakeClock, Recorder, RecordingSink, require

from streamkit.bus import EventBus
from streamkit.plugins.products.cards import CardController, CardTiming
from streamkit.plugins.products.catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(SAMPLE_CATALOG)


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """A copy of the sample catalog and its images in a temporary folder (safe to edit)."""
    shutil.copy(SAMPLE_CATALOG, tmp_path / "catalog.csv")
    shutil.copytree(SAMPLE_CATALOG.parent / "products", tmp_path / "products")
    return tmp_path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cards(catalog: Catalog, clock: FakeClock) -> tuple[CardController, RecordingSink, Recorder]:
    bus = EventBus()
    sink = RecordingSink()
    rec = Recorder(bus)
    controller = CardController(lambda: catalog, [sink], bus=bus, notify=rec.notify, now=clock.now, wall=clock.wall,
                                timing=CardTiming(min_display=3, auto_hide=30, reshow_gap=10, flash_sale_default=60))
    return controller, sink, rec


@pytest.fixture(scope="session")
def tiny_en(tiny_decoder):
    """faster-whisper tiny.en through the captions plugin's decoder (the session's shared one)."""
    return tiny_decoder


@pytest.fixture(scope="session")
def chromium(browser):
    """Headless Chromium (the session's shared one, see tests/conftest.py)."""
    return browser


@pytest.fixture
def overlay():
    """A started overlay server on a free port."""
    from streamkit.overlay import OverlayServer

    server = OverlayServer(port=0).start()
    yield server
    server.stop()
