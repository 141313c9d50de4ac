"""``streamkit commands parse`` as a real command line, and the ``[commands]`` section behind it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from commands_helpers import REPO

from streamkit.cli import main
from streamkit.commands import CommandAction
from streamkit.commands.config import CommandsConfig, commands_config
from streamkit.config import load, validate
from streamkit.errors import ConfigError

FIELDS = ["action", "target", "product", "seconds", "confidence"]
SCENES = "直播间,近景特写,全景"
SOURCES = "麦克风/Aux,背景音乐,二维码"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streamkit", "commands", "parse", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120)


def parsed(*args: str) -> dict:
    out = run_cli(*args)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 1, out.stdout
    data = json.loads(lines[0])
    assert list(data) == FIELDS
    return data


@pytest.mark.parametrize("text, action, target, product, seconds", [
    ("切到近景", "scene", "近景特写", None, None),
    ("关麦", "mute", "麦克风/Aux", None, None),
    ("把背景音乐关掉", "mute", "背景音乐", None, None),
    ("显示二维码", "show_source", "二维码", None, None),
    ("开始录制", "record_start", None, None, None),
    ("确认", "confirm", None, None, None),
    ("把蜂蜜放上来", "show", None, 7, None),
    ("3号秒杀30秒", "flash_sale", None, 3, 30),
    ("你们可以切到近景看看", None, None, None, None),
])
def test_parse_prints_one_json_line(capsys, text: str, action: str | None, target: str | None, product: int | None,
                                    seconds: int | None) -> None:
    assert main(["commands", "parse", text, "--scenes", SCENES, "--sources", SOURCES, "--catalog",
                 str(REPO / "samples" / "catalog.csv")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert list(data) == FIELDS
    assert (data["action"], data["target"], data["product"], data["seconds"]) == (action, target, product, seconds)
    assert (data["confidence"] >= 0.75) if action else data["confidence"] == 0.0


def test_aliases_wake_word_and_switches_come_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "streamkit.toml"
    config.write_text('[commands]\nwake_word = "小播"\nrecording = false\n'
                      '[commands.aliases]\n"主画面" = "直播间"\n"QR code" = "二维码"\n', encoding="utf-8")
    assert parsed("切到主画面", "--scenes", SCENES, "--config", str(config))["action"] is None  # no wake word
    assert parsed("小播，切到主画面", "--scenes", SCENES, "--config", str(config))["target"] == "直播间"
    assert parsed("小播 show the QR code", "--sources", SOURCES, "--config", str(config))["target"] == "二维码"
    assert parsed("小播，开始录制", "--config", str(config))["action"] is None  # recording = false


def test_the_products_wake_word_and_catalog_apply_without_a_commands_section(tmp_path: Path) -> None:
    config = tmp_path / "streamkit.toml"
    config.write_text(f'[products]\ncatalog = "{REPO / "samples" / "catalog.csv"}"\nwake_word = "小播"\n',
                      encoding="utf-8")
    assert parsed("小播，把蜂蜜挂上来", "--config", str(config))["product"] == 7
    assert parsed("把蜂蜜挂上来", "--config", str(config))["action"] is None


def test_a_catalog_without_pictures_is_a_text_card_everywhere(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("序号,商品ID,名称,别名,价格\n1,A-1,土蜂蜜,蜂蜜|honey,68\n2,A-2,保温杯,,89\n", encoding="utf-8")
    assert parsed("把蜂蜜挂上来", "--catalog", str(catalog))["product"] == 1
    products = subprocess.run([sys.executable, "-m", "streamkit", "products", "parse", "pin the honey", "--catalog",
                               str(catalog)], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert products.returncode == 0, products.stderr
    assert json.loads(products.stdout) == {"command": "show", "product": 1, "seconds": None, "confidence": 0.95}
    check = subprocess.run([sys.executable, "-m", "streamkit", "products", "check", str(catalog)],
                           capture_output=True, text=True, cwd=REPO, timeout=120)
    assert check.returncode == 0 and "2 products OK" in check.stdout, check.stderr


def test_bad_input_is_one_line_with_the_fix(tmp_path: Path) -> None:
    missing = run_cli("上链接3号", "--catalog", "nope.csv")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "streamkit: error: nope.csv: catalog file not found — check [products] catalog in the config"
    config = tmp_path / "bad.toml"
    config.write_text('[commands]\nconfirm_second = 5\n', encoding="utf-8")
    bad = run_cli("切到近景", "--config", str(config))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "[commands] confirm_second: unknown key — did you mean 'confirm_seconds'?" in bad.stderr


def test_help_lists_the_actions() -> None:
    out = subprocess.run([sys.executable, "-m", "streamkit", "commands", "parse", "--help"], capture_output=True,
                         text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0
    for action in CommandAction:
        assert action.value in out.stdout


# --- the [commands] section -------------------------------------------------------------------------
def test_section_defaults_and_documentation() -> None:
    cfg = commands_config(load(None))
    assert (cfg.enabled, cfg.wake_word, cfg.aliases, cfg.confirm_seconds) == (True, "", {}, 5.0)
    assert cfg.actions() == frozenset(CommandAction)
    for field in CommandsConfig.model_fields.values():
        assert field.description, "every key is documented (the README's reference is generated from them)"


def test_switches_decide_the_actions() -> None:
    A = CommandAction
    off = validate({"commands": {"enabled": False}}).section("commands")
    assert off.actions() == {A.SHOW, A.HIDE, A.NEXT, A.PREVIOUS, A.FLASH_SALE}
    cfg = validate({"commands": {"recording": False, "streaming": False, "audio": False}}).section("commands")
    assert not cfg.actions() & {A.RECORD_START, A.STREAM_STOP, A.MUTE, A.CONFIRM, A.CANCEL}
    assert {A.SCENE, A.SHOW_SOURCE, A.STATUS, A.PAUSE_TRIGGERS} <= cfg.actions()


def test_vocabulary_from_the_section() -> None:
    cfg = validate({"commands": {"aliases": {"近景": "近景特写"}, "microphone": "耳麦"}}).section("commands")
    v = cfg.vocabulary(["直播间", "近景特写"], ["耳麦", "二维码"], audio_sources=["耳麦"])
    assert (v.scenes, v.sources, v.audio_sources, v.microphone_source()) == (
        ("直播间", "近景特写"), ("耳麦", "二维码"), ("耳麦",), "耳麦")
    assert v.aliases_for("scene") == {"近景": "近景特写"} and v.aliases_for("source") == {}
    only_scenes = cfg.vocabulary(["直播间", "近景特写"], [])  # sources unknown: a scene alias is still no source
    assert only_scenes.aliases_for("source") == {}


def test_an_empty_alias_is_reported_with_the_key() -> None:
    with pytest.raises(ConfigError) as err:
        validate({"commands": {"aliases": {"近景": ""}}}, "my.toml")
    assert "my.toml: [commands] aliases: " in str(err.value) and "'近景'" in str(err.value)
