"""Fixtures of the security tests: a STREAMKIT_HOME with a real recorded session, copied per test
so a test may damage it, the review app in-process or as a real server process."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from streamkit.plugins.review import samples
from streamkit.plugins.review.app import AppSettings, create_app
from streamkit.plugins.review.config import ReviewConfig
from streamkit.plugins.review.testing import ReviewServer
from streamkit.session import Session, SessionStore


class Home:
    """A STREAMKIT_HOME holding one Mandarin session (``sid``) with its recording."""

    def __init__(self, path: Path, session: Session) -> None:
        self.path = path
        self.sid = session.id
        self.folder = path / "sessions" / session.id


@pytest.fixture(scope="session")
def recorded_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = tmp_path_factory.mktemp("security-home")
    store = SessionStore(home)
    try:
        session = samples.mandarin_session(store, tmp_path_factory.mktemp("security-media"))
    finally:
        store.close()
    return Home(home, session)


@pytest.fixture()
def home(recorded_home: Home, tmp_path: Path) -> Home:
    """A private copy of the recorded home (without review.db), for this test to change or break."""
    path = tmp_path / "home"
    shutil.copytree(recorded_home.path, path, ignore=shutil.ignore_patterns("review.db*", "backups"))
    copy = Home.__new__(Home)
    copy.path, copy.sid, copy.folder = path, recorded_home.sid, path / "sessions" / recorded_home.sid
    return copy


@pytest.fixture()
def make_app(home: Home) -> Iterator[Callable[..., FastAPI]]:
    """``make_app(require_login=False, **review_config)``: the review app over ``home``, closed afterwards."""
    apps: list[FastAPI] = []

    def make(require_login: bool = False, **config: object) -> FastAPI:
        app = create_app(AppSettings(home=home.path, require_login=require_login, config=ReviewConfig(**config)))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.service.close()


@pytest.fixture()
def local(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    """The app in local mode (no login), as the person at this computer reaches it."""
    with TestClient(make_app(), base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture()
def server(home: Home) -> Iterator[Callable[..., ReviewServer]]:
    """``server(*args)``: the review server as a real process (uvicorn) over ``home``; stopped afterwards."""
    started: list[ReviewServer] = []

    def start(*args: str) -> ReviewServer:
        started.append(ReviewServer(home.path, *args).start())
        return started[-1]

    yield start
    for s in started:
        s.stop()
