"""The gestures pages' routes over the real panel host (no browser): real photos posted as the browser's
camera pictures, real models, the profile and config written where sessions read them."""

from __future__ import annotations

import base64
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest

from streamkit.bundled import samples_dir

from panel_helpers import PanelThread

pytestmark = pytest.mark.slow
HANDS = samples_dir() / "media" / "hands"


def data_url(path: Path) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode()


def photo(name: str) -> Path:
    return next(HANDS.glob(name + "*"))


def post(panel: PanelThread, path: str, body: dict[str, Any]) -> httpx.Response:
    return panel.client().post(path, json=body)


def test_every_page_answers_in_chinese_first(panel: PanelThread) -> None:
    for path in ("", "/enrol", "/rest", "/test", "/face", "/bindings"):
        page = httpx.get(f"{panel.url}/gestures{path}", timeout=30)
        assert page.status_code == 200, path
        assert '<html lang="zh-CN">' in page.text and "手势" in page.text
    english = httpx.get(f"{panel.url}/gestures/enrol?lang=en", timeout=30)
    assert '<html lang="en">' in english.text and "Name of the sign" in english.text


def test_a_name_that_cannot_be_used_is_said_at_once(panel: PanelThread) -> None:
    for name, words in (("", "请输入手势名称"), ("smile", "不能用"), ("two words", "不能用")):
        answer = post(panel, "/gestures/enrol/start", {"name": name})
        assert answer.status_code == 400 and words in answer.json()["message"] and answer.json()["field"] == "sign-name"


def test_samples_from_posted_pictures_become_a_sign_in_the_profile(panel: PanelThread, home: Path) -> None:
    rock = sorted(HANDS.glob("rock/*.jpg"))
    assert post(panel, "/gestures/enrol/start", {"name": "摇滚", "wanted": 3}).json()["ok"]
    dark = post(panel, "/gestures/enrol/sample", {"name": "摇滚", "wanted": 3, "image": data_url(photo("call/143f8b21"))}).json()
    assert dark["ok"] and not dark["taken"] and dark["problem"] == "too_dark" and "太暗" in dark["message"]
    for p in rock[:3]:
        answer = post(panel, "/gestures/enrol/sample", {"name": "摇滚", "wanted": 3, "image": data_url(p)}).json()
        assert answer["taken"], answer["message"]
    assert answer["done"] and answer["count"] == 3
    saved = post(panel, "/gestures/enrol/save", {"name": "摇滚"}).json()
    assert saved["ok"] and saved["message"].startswith("已保存手势 摇滚（3 个样本）")
    from streamkit.plugins.gestures.profile import SignProfile

    assert len(SignProfile.load(home / "gestures" / "profile.json").signs["摇滚"]) == 3
    seen = post(panel, "/gestures/see", {"image": data_url(rock[3])}).json()["seen"]
    assert seen["sign"] == "摇滚" and "认出 摇滚" in seen["text"]


def test_no_picture_is_one_sentence(panel: PanelThread) -> None:
    answer = post(panel, "/gestures/see", {"image": "data:image/jpeg;base64,bm90IGFuIGltYWdl"})
    assert answer.status_code == 400 and answer.json()["message"].startswith("没有收到摄像头的画面")
    obs = post(panel, "/gestures/see", {"source": "obs"})
    assert obs.status_code == 400 and "OBS" in obs.json()["message"]


def test_a_binding_is_written_to_the_config_keeping_its_comments(panel: PanelThread, home: Path) -> None:
    config = home / "streamkit.toml"
    config.write_text("# my own notes\n[gestures]\n# the camera OBS holds\nsource = \"camera\"\n", encoding="utf-8")
    answer = panel.client().post("/gestures/bindings", data={"gesture": "smile", "action": "scene", "scene": "商品特写"},
                        timeout=30, follow_redirects=False)
    assert answer.status_code == 303
    text = config.read_text(encoding="utf-8")
    assert "# my own notes" in text and "# the camera OBS holds" in text
    bindings = tomllib.loads(text)["gestures"]["bindings"]
    assert bindings == [{"gestures": ["smile"], "action": "scene", "scene": "商品特写"}]
    taken = panel.client().post("/gestures/bindings", data={"gesture": "smile", "action": "product_next"}, timeout=30)
    assert taken.status_code == 400 and "微笑 已经用于" in taken.text
    missing = panel.client().post("/gestures/bindings", data={"gesture": "fist", "action": "mute"}, timeout=30)
    assert missing.status_code == 400 and "请选择要静音的声音来源" in missing.text and 'href="#audio"' in missing.text


def test_the_enrol_page_is_a_wizard_step_that_sends_the_person_on(panel: PanelThread) -> None:
    step = [page for page in panel.host.pages if page.path == "/gestures"][0]
    assert step.wizard_step == "enrol" and "session_start" in step.hands_free
    page = httpx.get(f"{panel.url}/gestures/enrol", params={"next": "/setup/more?i=1"}, timeout=30)
    assert 'id="gx-next" href="/setup/more?i=1"' in page.text
    for elsewhere in ("//example.com/x", "https://example.com/", "javascript:alert(1)"):
        page = httpx.get(f"{panel.url}/gestures/enrol", params={"next": elsewhere}, timeout=30)
        assert 'id="gx-next"' not in page.text, elsewhere
    (panel.host.config().path).write_text("[gestures]\nenabled = false\n", encoding="utf-8")
    skipped = httpx.get(f"{panel.url}/gestures/enrol", params={"next": "/setup/more?i=1"}, timeout=30, follow_redirects=False)
    assert skipped.status_code == 303 and skipped.headers["location"] == "/setup/more?i=1"  # no camera chosen: no step
