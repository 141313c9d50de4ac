"""``streamkit products parse / check / hotwords / show / hide``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from products_helpers import REPO, SAMPLE_CATALOG, input_settings, item_enabled, products_config, set_up_card_sources

from streamkit.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streamkit", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=60)


@pytest.mark.parametrize("text, expected", [
    ("上链接3号", {"command": "show", "product": 3, "seconds": None, "confidence": 0.95}),
    ("flash sale sixty seconds", {"command": "flash_sale", "product": None, "seconds": 60, "confidence": 0.95}),
    ("3号已经卖完了", {"command": None, "product": None, "seconds": None, "confidence": 0.0}),
])
def test_parse_prints_json(capsys, text: str, expected: dict) -> None:
    assert main(["products", "parse", text, "--catalog", str(SAMPLE_CATALOG)]) == 0
    assert json.loads(capsys.readouterr().out) == expected


def test_parse_as_a_real_command_line() -> None:
    out = run_cli("products", "parse", "来看一下宝温背", "--catalog", "samples/catalog.csv")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"command": "show", "product": 1, "seconds": None, "confidence": 0.95}


def test_parse_with_a_wake_word(capsys) -> None:
    main(["products", "parse", "上链接3号", "--catalog", str(SAMPLE_CATALOG), "--wake-word", "小播"])
    assert json.loads(capsys.readouterr().out)["command"] is None
    main(["products", "parse", "小播，上链接3号", "--catalog", str(SAMPLE_CATALOG), "--wake-word", "小播"])
    assert json.loads(capsys.readouterr().out)["product"] == 3


def test_check_lists_products_or_every_problem(tmp_path: Path) -> None:
    ok = run_cli("products", "check", "samples/catalog.csv")
    assert ok.returncode == 0 and "8 products OK" in ok.stdout and "重庆小面" in ok.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("serial,id,name,price,image\n1,A,杯,9.999,nope.png\n1,B,碗,9,nope.png\n", encoding="utf-8")
    out = run_cli("products", "check", str(bad))
    assert out.returncode == 2
    lines = out.stderr.splitlines()
    assert f"streamkit: error: {bad}: row 2, column 'price': '9.999' is not a price — write a number like 59.9" in lines
    assert any("row 3, column 'image': image 'nope.png' not found" in line for line in lines)


def test_a_missing_catalog_is_a_one_line_error() -> None:
    out = run_cli("products", "parse", "上链接3号", "--catalog", "nope.csv")
    assert out.returncode == 2
    assert out.stderr.strip() == ("streamkit: error: nope.csv: catalog file not found — "
                                  "check [products] catalog in the config")


def test_hotwords(capsys) -> None:
    assert main(["products", "hotwords", str(SAMPLE_CATALOG)]) == 0
    words = capsys.readouterr().out.splitlines()
    assert words[0] == "保温杯" and "rice cooker" in words


@pytest.mark.obs
def test_show_and_hide_by_hand_in_obs(headless_obs, obs_client, capsys) -> None:
    set_up_card_sources(headless_obs.url, headless_obs.password, products_config())
    obs_args = ["--url", headless_obs.url, f"--password={headless_obs.password}"]  # a password may start with "-"
    assert main(["products", "show", "6", "--catalog", str(SAMPLE_CATALOG), *obs_args]) == 0
    assert "shown: 6号 红茶礼盒" in capsys.readouterr().out
    assert input_settings(obs_client, "商品卡-名称")["text"] == "6号 红茶礼盒"
    assert item_enabled(obs_client, "直播间", "商品卡-名称") and item_enabled(obs_client, "直播间", "商品卡-图片")
    assert main(["products", "hide", *obs_args]) == 0
    assert not item_enabled(obs_client, "直播间", "商品卡-名称")
    capsys.readouterr()
    assert main(["products", "show", "9", "--catalog", str(SAMPLE_CATALOG), *obs_args]) == 2
    assert "streamkit: error: no product 9 in" in capsys.readouterr().err
    assert not item_enabled(obs_client, "直播间", "商品卡-名称")


def test_show_without_obs_is_a_one_line_error() -> None:
    out = run_cli("products", "show", "3", "--catalog", "samples/catalog.csv", "--url", "ws://127.0.0.1:9")
    assert out.returncode == 2
    assert out.stderr.startswith("streamkit: error: cannot reach OBS at ws://127.0.0.1:9")
    assert len(out.stderr.strip().splitlines()) == 1
