"""The README's plugin guide is a test: its example plugin, loaded as written, runs in a session."""

from __future__ import annotations

import io
import re
import sys
import types
from pathlib import Path

from streamkit.config import CORE_SECTIONS, validate
from streamkit.events import CORE_EVENT_TYPES, Caption, EventTypes, Utterance
from streamkit.features import PRODUCTS
from streamkit.hooks import Plugins
from streamkit.obs.dryrun import DryRunObs
from streamkit.runtime import finish_session, start_session
from streamkit.session import SessionStore, read_events
from streamkit.testing import test_runtime
from streamkit.text import UtteranceAssembler

README = Path(__file__).resolve().parents[2] / "README.md"


def guide_plugin() -> types.ModuleType:
    text = README.read_text(encoding="utf-8")
    guide = text[text.index("### Writing a feature as a plugin"):]
    code = re.findall(r"```python\n(.*?)```", guide, re.S)[0]
    module = types.ModuleType("applause_guide")
    sys.modules[module.__name__] = module  # dataclasses look their module up while the class is made
    exec(compile(code, "README.md (plugin guide)", "exec"), module.__dict__)  # noqa: S102 - our own README
    return module


class ShownProducts:
    """Stands in for the products feature: records what was shown."""

    def __init__(self) -> None:
        self.shown: list[tuple[int, str]] = []

    def show(self, serial: int, trigger: str = "gesture") -> bool:
        self.shown.append((serial, trigger))
        return True


def test_the_guide_plugin_runs_in_a_session(tmp_path: Path) -> None:
    applause = guide_plugin()
    plugins = Plugins.of(applause)
    config = validate({"overlay": {"enabled": False}, "applause": {"word": "谢谢"}}, "test.toml",
                      {**CORE_SECTIONS, **plugins.config_sections()}, plugins=plugins)
    runtime = start_session(config, DryRunObs(out=io.StringIO()), plugins, store=SessionStore(tmp_path))
    products = ShownProducts()
    runtime.services.provide(PRODUCTS, products)  # type: ignore[arg-type]  # only show() is used
    assembler = UtteranceAssembler()  # what the captions feature does with its caption pieces
    for n, (text, end) in enumerate([("谢谢大家", False), ("的支持。", True), ("下一个。", True)], start=1):
        piece = Caption(kind="final", text=text, source="mic", speaker="", audio_start=n, audio_end=n + 1,
                        emitted_at=n + 1.5, language="zh", utterance=1 if n < 3 else 2, utterance_end=end)
        for utterance in assembler.add(piece):
            runtime.bus.publish(utterance)
    [status] = runtime.statuses()
    session = finish_session(runtime)
    assert products.shown == [(1, "applause")]
    assert status.name == "applause" and status.figures == {"thanked": 1}
    events, problems = read_events(session.events_path, plugins.event_types())
    assert not problems
    assert [e.text for e in events if e.type == "Thanked"] == ["谢谢大家的支持。"]  # type: ignore[attr-defined]


def test_the_shipped_harness_runs_one_component(tmp_path: Path) -> None:
    applause = guide_plugin()
    config = validate({"overlay": {"enabled": False}, "applause": {}}, "test.toml",
                      {**CORE_SECTIONS, "applause": applause.ApplauseConfig})
    runtime = test_runtime(config, DryRunObs(out=io.StringIO()), home=tmp_path)
    component = applause.Applause(runtime, config.section("applause"))
    runtime.start_component(component)
    runtime.bus.publish(Utterance(text="谢谢", source="mic", speaker="", language="zh", audio_start=0, audio_end=1))
    runtime.stop_components()
    assert component.count == 1
    assert "Thanked" not in EventTypes(CORE_EVENT_TYPES)
