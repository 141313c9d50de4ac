"""The plugin's hooks and config section."""

from __future__ import annotations

import pytest

from streamkit.config import validate
from streamkit.errors import ConfigError
from streamkit.plugins import captions


def test_config_defaults_and_sources() -> None:
    cfg = validate({"captions": {"sources": [
        {"name": "mic", "kind": "mic", "speaker": "主播", "obs_input": "Mic/Aux"},
        {"name": "call", "kind": "desktop", "speaker": "嘉宾"},
    ]}}, "<test>")
    section = cfg.section("captions")
    assert section.model == "base" and section.language == "auto" and section.script == "simplified"
    assert [s.speaker for s in section.sources] == ["主播", "嘉宾"]
    assert captions.streamkit_obs_requirements(cfg) == [("input", "字幕"), ("input", "Mic/Aux")]
    assert captions.streamkit_obs_setup(cfg)[0]["name"] == "字幕"
    assert captions.streamkit_models(cfg) == ["whisper-base"]


@pytest.mark.parametrize(("section", "says"), [
    ({"language": "fr"}, "[captions] language"),
    ({"sources": [{"name": "a", "kind": "file"}]}, "kind = file needs path"),
    ({"sources": [{"name": "a"}, {"name": "a"}]}, "own name"),
    ({"overlay": {"color": "url(javascript:x)"}}, "CSS colour"),
    ({"modle": "base"}, "did you mean 'model'"),
])
def test_bad_config_is_reported_with_key_and_expectation(section: dict, says: str) -> None:
    with pytest.raises(ConfigError) as err:
        validate({"captions": section}, "streamkit.toml")
    assert says in str(err.value)


def test_disabled_plugin_needs_nothing() -> None:
    cfg = validate({"captions": {"enabled": False}}, "<test>")
    assert captions.streamkit_obs_requirements(cfg) == [] and captions.streamkit_models(cfg) == []
    cfg = validate({"captions": {"model": "tiny.en"}}, "<test>")
    assert captions.streamkit_models(cfg) == ["whisper-tiny.en"]


def test_streaming_options_follow_the_config() -> None:
    from streamkit.plugins.captions.live import streaming_options

    section = validate({"captions": {"language": "zh", "replace": {"上连接": "上链接"}, "profanity": ["笨蛋"],
                                     "hotwords": ["保温杯"], "script": "traditional-tw", "vad": {"min_silence": 0.8}}},
                       "<test>").section("captions")
    options = streaming_options(section, language="en")
    assert options.language == "en" and options.hotwords == ("保温杯",) and options.vad.min_silence == 0.8
    from streamkit.plugins.captions.textproc import convert_script

    # replaced and masked in Simplified, then shown in Taiwan Traditional
    assert options.style.render("上连接 笨蛋") == convert_script("上链接", "traditional-tw") + "，**"
