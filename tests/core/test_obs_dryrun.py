"""DryRunObs: one printed line per action, recorded calls, same protocol as ObsClient."""

from __future__ import annotations

import io

from streamkit.bus import EventBus
from streamkit.events import Event, SceneChanged, SourceVisibilityChanged
from streamkit.obs import DryRunObs, ObsClient, ObsSink


def public_methods(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")}


def test_dry_run_prints_one_line_per_action() -> None:
    out = io.StringIO()
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    obs = DryRunObs(bus=bus, out=out)
    assert isinstance(obs, ObsSink)
    obs.set_scene("直播间")
    obs.set_item_visible("商品特写", "商品卡", True)
    obs.set_text("字幕", "大家好")
    obs.set_input_settings("商品图", {"file": "/tmp/3.png"})
    assert obs.request("GetCurrentProgramScene") == {}
    assert obs.request("SendStreamCaption", {"captionText": "hi"}) == {}
    obs.start_record()
    assert obs.stop_record() == ""
    assert out.getvalue().splitlines() == [
        "[OBS dry run] scene → 直播间",
        "[OBS dry run] show 商品卡 in 商品特写",
        "[OBS dry run] 字幕 text → 大家好",
        "[OBS dry run] 商品图 settings → file='/tmp/3.png'",
        "[OBS dry run] SendStreamCaption {'captionText': 'hi'}",
        "[OBS dry run] start recording",
        "[OBS dry run] stop recording",
    ]
    assert [c[0] for c in obs.calls] == ["SetCurrentProgramScene", "SetSceneItemEnabled", "SetInputSettings",
                                         "SetInputSettings", "GetCurrentProgramScene", "SendStreamCaption",
                                         "StartRecord", "StopRecord"]
    assert [type(e) for e in seen][:2] == [SceneChanged, SourceVisibilityChanged]
    assert not obs.connected and obs.flush()


def test_dry_run_offers_every_method_of_the_protocol() -> None:
    protocol = {"connected", "set_scene", "set_item_visible", "set_text", "set_input_settings", "set_input_muted", "request",
                "start_record", "stop_record", "on_event", "flush", "close"}
    assert protocol <= public_methods(DryRunObs)
    assert protocol <= public_methods(ObsClient)
