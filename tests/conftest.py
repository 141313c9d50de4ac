"""Shared fixtures: one real headless OBS per test session, and generic helpers.

- ``headless_obs`` (session): a :class:`HeadlessObs` with the default scenes (直播间, 商品特写, 暂停).
- ``obs_client`` (function): a connected :class:`ObsClient` on it; OBS is reset to the spec afterwards.
- ``obs`` (function): ``.url``, ``.password``, ``.client`` (= ``obs_client``) and ``.headless``.

Without OBS or Xvfb a test that needs them is skipped with the apt command — and fails when
``CI=true``, so CI can never pass by skipping the real thing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from streamkit import models
from streamkit.obs.client import ObsClient
from streamkit.testing.headless_obs import APT_COMMAND, HeadlessObs, missing_programs
from streamkit.testing.helpers import CHROMIUM, CHROMIUM_ARGS, require

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / ".artifacts"


@pytest.fixture(scope="session", autouse=True)
def private_streamkit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test run gets its own STREAMKIT_HOME, so tests never touch the user's sessions."""
    home = tmp_path_factory.mktemp("streamkit-home")
    old = os.environ.get("STREAMKIT_HOME")
    os.environ["STREAMKIT_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("STREAMKIT_HOME", None)
    else:
        os.environ["STREAMKIT_HOME"] = old


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """``.artifacts/`` at the repo root: screenshots and files worth looking at after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def headless_obs() -> Iterator[HeadlessObs]:
    """One real OBS for the whole session; stopped (with its Xvfb) at the end, also after failures."""
    missing = missing_programs()
    require(not missing, f"{' and '.join(missing)} not installed", f"run: {APT_COMMAND}")
    obs = HeadlessObs()
    try:
        obs.start()
        yield obs
    finally:
        obs.stop()
        obs.cleanup()


@pytest.fixture
def obs_client(headless_obs: HeadlessObs) -> Iterator[ObsClient]:
    """A connected ObsClient; OBS is put back to the default scenes afterwards."""
    if not headless_obs.running:  # a fault test may have killed it
        headless_obs.start()
    client = ObsClient(headless_obs.url, headless_obs.password, timeout=3.0)
    try:
        client.connect(timeout=10)
        yield client
    finally:
        client.close(flush_timeout=0)
        if not headless_obs.running:
            headless_obs.start()
        headless_obs.reset()


@pytest.fixture
def obs(headless_obs: HeadlessObs, obs_client: ObsClient) -> SimpleNamespace:
    """``.url``, ``.password``, ``.client`` (a connected ObsClient) and ``.headless`` (the HeadlessObs)."""
    return SimpleNamespace(url=headless_obs.url, password=headless_obs.password, client=obs_client,
                           headless=headless_obs)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium, driven by Playwright, for every browser test of the session.

    Playwright's sync API allows one instance per process (a second one finds the first's event
    loop running), so plugins' browser tests share this fixture.
    """
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing", "run: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield TestBrowser(chromium)
        chromium.close()


class TestBrowser:
    """The shared Chromium, whose contexts and pages bypass a page's Content-Security-Policy unless a test
    asks for it (``bypass_csp=False``): Playwright's ``wait_for_function`` evaluates its string predicate,
    which our pages' CSP (no 'unsafe-eval') refuses once the predicate is polled instead of true at once —
    so such tests failed only on a busy machine (CI, twice). The CSP itself is tested over HTTP, and in
    Chromium by tests/panel/test_panel_csp.py and tests/security/test_pages_accessible.py."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **options: Any) -> Any:
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def new_page(self, **options: Any) -> Any:
        options.setdefault("bypass_csp", True)
        return self._browser.new_page(**options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No PyPI, no Hugging Face, no web: pip sees no index and no config, proxies point at a closed port."""
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    monkeypatch.delenv("PIP_EXTRA_INDEX_URL", raising=False)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "")
    # a carrier package that happens to be installed in this venv must not count as "online"
    monkeypatch.setattr(models, "_installed_distribution", lambda requirement: None)


def _whisper(name: str) -> object:
    from streamkit.errors import ModelError
    from streamkit.plugins.captions.decoder import WhisperDecoder

    try:
        return WhisperDecoder(name)
    except ModelError as exc:
        require(False, f"model {name} unavailable ({exc})", "run: streamkit models fetch")
        raise


@pytest.fixture(scope="session")
def base_decoder() -> object:
    """faster-whisper base (multilingual), int8, 2 threads — loaded once per test session."""
    return _whisper("base")


@pytest.fixture(scope="session")
def tiny_decoder() -> object:
    """faster-whisper tiny.en (English only) — loaded once per test session."""
    return _whisper("tiny.en")
