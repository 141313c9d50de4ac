"""SessionController: one session at a time in a background thread, stopped by the panel or by a feature
through SESSION. A tiny plugin with an endless source stands in for the features (our own logic only;
the real features run in test_panel_e2e)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from streamkit.bus import EventBus
from streamkit.component import State, Status, Tasks
from streamkit.config import validate
from streamkit.control import Phase, SessionBusy, SessionController
from streamkit.events import Event, SessionEnded
from streamkit.features import SESSION
from streamkit.hooks import Plugins, hookimpl
from streamkit.obs.dryrun import DryRunObs
from streamkit.pipeline import Pipeline, Source
from streamkit.testing.helpers import wait_until


class Ticks(Source):
    """Never ends until closed."""

    name = "ticks"

    def __init__(self) -> None:
        self._closed = threading.Event()

    def __iter__(self) -> Iterator[Event]:
        while not self._closed.wait(0.02):
            yield Event()

    def close(self) -> None:
        self._closed.set()


class Endless:
    name = "endless"

    def __init__(self, runtime: object) -> None:
        self.runtime = runtime

    def start(self, tasks: Tasks) -> None:
        tasks.pipeline(Pipeline(Ticks(), [], bus=self.runtime.bus))  # type: ignore[attr-defined]

    def stop(self) -> None:
        pass

    def status(self) -> Status:
        return Status(self.name, State.RUNNING)


class EndlessPlugin:
    @hookimpl
    def streamkit_session_start(self, runtime: object) -> Endless:
        EndlessPlugin.runtime = runtime
        return Endless(runtime)


@pytest.fixture()
def controller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[SessionController, EventBus]]:
    monkeypatch.setenv("STREAMKIT_HOME", str(tmp_path))
    bus = EventBus()
    ctl = SessionController(bus)
    yield ctl, bus
    ctl.stop("test over")
    ctl.wait_idle(10)


def config() -> object:
    plugins = Plugins.of(EndlessPlugin())
    return validate({"overlay": {"enabled": False}}, plugins=plugins)


def test_start_stop_and_state(controller: tuple[SessionController, EventBus]) -> None:
    ctl, bus = controller
    ended: list[SessionEnded] = []
    bus.subscribe(ended.append, SessionEnded)
    obs = DryRunObs(out=io.StringIO())
    ctl.start(config(), obs)
    assert ctl.running
    assert wait_until(lambda: ctl.state.phase is Phase.RUNNING, 10)
    assert ctl.runtime is not None and ctl.state.session_id == ctl.runtime.session.id
    with pytest.raises(SessionBusy):
        ctl.start(config(), obs)
    ctl.stop("stopped from the panel")
    assert ctl.wait_idle(10)
    assert ctl.state.phase is Phase.IDLE and ctl.runtime is None
    assert ctl.state.end_reason == "stopped from the panel"
    assert [e.reason for e in ended] == ["stopped from the panel"]


def test_a_feature_stops_the_session_through_SESSION(controller: tuple[SessionController, EventBus]) -> None:
    ctl, _ = controller
    ctl.start(config(), DryRunObs(out=io.StringIO()))
    assert wait_until(lambda: ctl.state.phase is Phase.RUNNING, 10)
    control = EndlessPlugin.runtime.services.get(SESSION)  # type: ignore[attr-defined]
    assert control.running
    control.stop("sign: fist")
    assert ctl.wait_idle(10)
    assert ctl.state.end_reason == "sign: fist" and not control.running


def test_a_session_that_cannot_start_says_why(controller: tuple[SessionController, EventBus],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    ctl, _ = controller
    import streamkit.control as control_module

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("port 8765 is in use")

    monkeypatch.setattr(control_module, "run_session", broken)
    ctl.start(config(), DryRunObs(out=io.StringIO()))
    assert ctl.wait_idle(10)
    assert ctl.state.phase is Phase.IDLE and "port 8765 is in use" in ctl.state.error
