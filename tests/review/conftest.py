"""Fixtures of the review tests: sample sessions built from the real clips, a review server in a
subprocess (so it can be killed and restarted), and headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from streamkit.session import Session, SessionStore
from streamkit.plugins.review import samples

from review_helpers import ReviewServer

XSS = samples.XSS_CAPTION


class SampleSessions:
    """One STREAMKIT_HOME with an English session (with a hostile caption) and a Mandarin one."""

    def __init__(self, home: Path, english: Session, mandarin: Session) -> None:
        self.home = home
        self.english = english
        self.mandarin = mandarin


@pytest.fixture(scope="session")
def sample_sessions(tmp_path_factory: pytest.TempPathFactory) -> SampleSessions:
    home = tmp_path_factory.mktemp("review-home")
    work = tmp_path_factory.mktemp("review-media")
    store = SessionStore(home)
    try:
        english = samples.english_session(store, work, extra_caption=XSS)
        mandarin = samples.mandarin_session(store, work)
    finally:
        store.close()
    return SampleSessions(home, english, mandarin)


@pytest.fixture()
def review_server(sample_sessions: SampleSessions) -> Iterator[ReviewServer]:
    server = ReviewServer(sample_sessions.home).start()
    yield server
    server.stop()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    # bypass_csp: escaping alone must keep hostile text inert (the CSP header is tested over HTTP)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", bypass_csp=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()
