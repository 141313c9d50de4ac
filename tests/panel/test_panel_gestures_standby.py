"""Starting the session hands-free: while the panel runs and no session does, a smile bound to
``session_start`` (a real video, real models) starts a real session through ``SESSION_LAUNCHER``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from streamkit.bundled import samples_dir
from streamkit.features import SESSION_LAUNCHER
from streamkit.session import read_events
from streamkit.testing.helpers import wait_until

from panel_helpers import PanelThread

pytestmark = pytest.mark.slow


class ControllerLauncher:
    """What the panel offers as ``SESSION_LAUNCHER``: its session controller, with the config on disk.
    Once ``closed`` (the test is over) it says a session runs, so the watch never starts another."""

    def __init__(self, panel: PanelThread) -> None:
        self.host = panel.host
        self.reasons: list[str] = []
        self.closed = False

    @property
    def running(self) -> bool:
        return self.closed or self.host.controller.running

    def start(self, reason: str = "") -> None:
        if self.closed:
            return
        self.reasons.append(reason)
        self.host.controller.start(self.host.config(), self.host.obs())


@pytest.fixture()
def launcher(panel: PanelThread) -> Iterator[ControllerLauncher]:
    offered = ControllerLauncher(panel)
    panel.host.services().provide(SESSION_LAUNCHER, offered)
    yield offered
    offered.closed = True
    panel.host.controller.stop("test over")
    panel.host.controller.wait_idle(30)


def test_a_smile_starts_the_session_while_none_runs(panel: PanelThread, home: Path, launcher: ControllerLauncher) -> None:
    video = samples_dir() / "media" / "faces" / "single_face.mp4"
    (home / "streamkit.toml").write_text(
        '[obs]\nenabled = false\n\n[overlay]\nenabled = false\n\n[captions]\nenabled = false\n\n'
        f'[gestures]\nsource = "video"\nvideo = "{video}"\n\n'
        '[[gestures.bindings]]\ngestures = ["smile"]\naction = "session_start"\n\n'
        '[[gestures.bindings]]\ngestures = ["brows_raised"]\naction = "mark_moment"\n', encoding="utf-8")
    assert wait_until(lambda: launcher.reasons, 90), "the smile did not start a session"
    assert launcher.reasons == ["gesture"]
    assert wait_until(lambda: panel.host.controller.state.session_id != "", 60)
    session_dir = home / "sessions" / panel.host.controller.state.session_id
    assert wait_until(lambda: (session_dir / "events.jsonl").exists(), 30)
    events, _ = read_events(session_dir / "events.jsonl")
    assert events[0].type == "SessionStarted"


def test_the_watch_holds_only_a_picture_it_can_share(panel: PanelThread, home: Path, launcher: ControllerLauncher) -> None:
    """A camera device serves one program at a time: the watch runs on the camera in OBS or a video only,
    only while no session runs, and only when the panel can start sessions."""
    from streamkit.plugins.gestures.standby import standby_config

    binding = '[[gestures.bindings]]\ngestures = ["smile"]\naction = "session_start"\n'
    config = home / "streamkit.toml"
    config.write_text(f'[gestures]\nsource = "camera"\n\n{binding}', encoding="utf-8")
    assert standby_config(panel.host) is None
    config.write_text(f'[obs]\nenabled = false\n\n[gestures]\nsource = "obs"\nobs_source = "摄像头"\n\n{binding}', encoding="utf-8")
    watch = standby_config(panel.host)
    assert watch is not None and [b.action for b in watch.bindings] == ["session_start"]
    config.write_text('[gestures]\nsource = "obs"\nobs_source = "摄像头"\n\n'
                      '[[gestures.bindings]]\ngestures = ["smile"]\naction = "session_stop"\n', encoding="utf-8")
    assert standby_config(panel.host) is None  # nothing bound to session_start
