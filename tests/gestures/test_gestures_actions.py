"""Actions of bindings, on the dry-run OBS sink (the one `--dry-run` sessions use)."""

from __future__ import annotations

import io
from typing import Any

from streamkit.bus import EventBus
from streamkit.events import Event, MomentMarked, RecordingStarted, RecordingStopped
from streamkit.features import PRODUCTS, CardOnScreen, Services
from streamkit.obs import DryRunObs
from streamkit.obs.errors import ObsRequestError
from streamkit.plugins.gestures.actions import ActionRunner
from streamkit.plugins.gestures.config import Binding
from streamkit.plugins.gestures.events import GestureActionFailed


def binding(**kw: Any) -> Binding:
    return Binding.model_validate({"gestures": ["call"], **kw})


class Products:
    """Stands in for the products plugin's service (:class:`~streamkit.features.ProductsApi`)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def show(self, serial: int, trigger: str = "gesture") -> bool:
        self.calls.append(("show", serial))
        return True

    def hide(self, reason: str = "gesture") -> bool:
        self.calls.append(("hide", None))
        return True

    def next(self, trigger: str = "gesture") -> bool:
        self.calls.append(("next", None))
        return True

    def previous(self, trigger: str = "gesture") -> bool:
        self.calls.append(("previous", None))
        return True

    def flash_sale(self, seconds: int | None = None, trigger: str = "gesture") -> bool:
        self.calls.append(("flash_sale", seconds))
        return True

    def hotwords(self, language: str | None = None) -> list[str]:
        return []

    def on_screen(self) -> CardOnScreen | None:
        return None


def collect(bus: EventBus) -> list[Event]:
    seen: list[Event] = []
    bus.subscribe(seen.append)
    return seen


def test_scene_and_source_actions() -> None:
    obs = DryRunObs(out=io.StringIO())
    runner = ActionRunner(obs)
    runner.run(binding(action="scene", scene="商品特写"))
    runner.run(binding(action="show_source", scene="直播间", source="商品卡"))
    toggle = binding(action="toggle_source", scene="直播间", source="字幕")
    runner.run(toggle)
    runner.run(toggle)
    runner.run(binding(action="hide_source", scene="直播间", source="商品卡"))
    assert obs.calls == [
        ("SetCurrentProgramScene", {"sceneName": "商品特写"}),
        ("SetSceneItemEnabled", {"sceneName": "直播间", "sourceName": "商品卡", "sceneItemEnabled": True}),
        ("SetSceneItemEnabled", {"sceneName": "直播间", "sourceName": "字幕", "sceneItemEnabled": True}),
        ("SetSceneItemEnabled", {"sceneName": "直播间", "sourceName": "字幕", "sceneItemEnabled": False}),
        ("SetSceneItemEnabled", {"sceneName": "直播间", "sourceName": "商品卡", "sceneItemEnabled": False}),
    ]
    runner.close()


def test_product_actions_go_through_the_products_service() -> None:
    products = Products()
    services = Services()
    services.provide(PRODUCTS, products)
    runner = ActionRunner(DryRunObs(out=io.StringIO()), services=services)
    for action in ("product_show", "product_next", "product_previous", "product_hide"):
        runner.run(binding(action=action, serial=3))
    runner.wait()
    assert products.calls == [("show", 3), ("next", None), ("previous", None), ("hide", None)]
    runner.close()


def test_product_action_without_products_plugin_is_reported() -> None:
    bus = EventBus()
    seen = collect(bus)
    runner = ActionRunner(DryRunObs(out=io.StringIO()), bus)
    runner.run(binding(action="product_next"))
    failed = [e for e in seen if isinstance(e, GestureActionFailed)]
    assert failed and failed[0].reason == ("voice-commanded product cards is off in this session — "
                                           "set [products] catalog to your catalog file")
    runner.close()


def test_recording_moment_and_request() -> None:
    bus = EventBus()
    seen = collect(bus)
    obs = DryRunObs(bus=bus, out=io.StringIO())
    runner = ActionRunner(obs, bus)
    runner.run(binding(action="record_start"))
    runner.run(binding(action="record_stop"))
    runner.run(binding(action="stream_start"))
    runner.run(binding(action="request", request="SetInputMute", data={"inputName": "麦克风", "inputMuted": True}))
    out = runner.run(binding(action="mark_moment", label="讲解开始"))
    runner.wait()
    assert [c[0] for c in obs.calls] == ["StartRecord", "StopRecord", "StartStream", "SetInputMute"]
    assert obs.calls[-1][1] == {"inputName": "麦克风", "inputMuted": True}
    assert [type(e) for e in seen] == [RecordingStarted, RecordingStopped]  # reported once, by the OBS sink
    assert len(out) == 1 and isinstance(out[0], MomentMarked) and out[0].label == "讲解开始" and out[0].source == "gesture"
    runner.close()


class RefusingObs(DryRunObs):
    """OBS refusing every blocking request, as obs-websocket does for an unknown input."""

    def request(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        raise ObsRequestError(request_type, 600, "No source was found by the name of `麦克风`.")


def test_refused_request_becomes_an_event_not_a_crash() -> None:
    bus = EventBus()
    seen = collect(bus)
    runner = ActionRunner(RefusingObs(out=io.StringIO()), bus)
    runner.run(binding(action="request", request="SetInputMute", data={"inputName": "麦克风"}))
    runner.wait()
    failed = [e for e in seen if isinstance(e, GestureActionFailed)]
    assert len(failed) == 1 and "600" in failed[0].reason and failed[0].target == "SetInputMute"
    runner.close()


class Triggers:
    """Stands in for the gestures feature's own service (:class:`~streamkit.features.GesturesApi`)."""

    def __init__(self) -> None:
        self.paused = False
        self.reasons: list[str] = []

    def pause(self, reason: str = "") -> None:
        self.paused = True
        self.reasons.append(reason)

    def resume(self) -> None:
        self.paused = False


def test_mute_unmute_and_pause_resume_actions() -> None:
    from streamkit.features import GESTURES

    obs = DryRunObs(out=io.StringIO())
    triggers = Triggers()
    services = Services()
    services.provide(GESTURES, triggers)
    runner = ActionRunner(obs, services=services)
    runner.run(binding(action="mute", source="麦克风"))
    runner.run(binding(action="unmute", source="麦克风"))
    assert obs.calls == [("SetInputMute", {"inputName": "麦克风", "inputMuted": True}),
                         ("SetInputMute", {"inputName": "麦克风", "inputMuted": False})]
    runner.run(binding(action="pause_triggers"))
    assert triggers.paused and triggers.reasons == ["gesture"]
    runner.run(binding(action="resume_triggers"))
    assert not triggers.paused
    runner.close()


def test_new_actions_validate_their_targets() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="to name its source"):
        binding(action="mute")
    assert binding(action="mute", source="麦克风").target == "麦克风"
    assert binding(action="session_stop").needs_confirm and not binding(action="pause_triggers").needs_confirm


def test_session_stop_ends_the_session_through_its_control() -> None:
    from streamkit.features import SESSION
    from streamkit.run import SessionStop

    stop = SessionStop()
    services = Services()
    services.provide(SESSION, stop)
    runner = ActionRunner(DryRunObs(out=io.StringIO()), services=services)
    assert stop.running
    runner.run(binding(action="session_stop"))
    assert not stop.running and stop.reason == "gesture"
    runner.close()
