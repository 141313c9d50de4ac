"""The quick-phrase board's routes (``/phrases``): no session, speech unavailable, hostile input, CSRF,
and the config's phrases added, changed and removed with the file's comments kept."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from panel_helpers import PanelThread

from streamkit.plugins.commands.phrasepage import MAX_TEXT, new_phrase_id, text_problem
from streamkit.testing.helpers import wait_until

REPO = Path(__file__).resolve().parents[2]
COMMENTED = """# my streamkit settings
[session]
language = "zh-CN"  # 中文界面

[speech]
# quick phrases for the board
repeat_window = 3.0

[[speech.phrases]]
id = "welcome"   # bound to the smile
text = "欢迎来到直播间"
label = "欢迎"
"""


def write_config(home: Path, extra: str = "") -> Path:
    path = home / "streamkit.toml"
    path.write_text(COMMENTED + extra, encoding="utf-8")
    return path


def test_the_board_lists_config_and_catalog_phrases_with_keys(home: Path) -> None:
    write_config(home, f'\n[products]\ncatalog = "{REPO / "samples" / "catalog.csv"}"\n')
    panel = PanelThread(home, home / "streamkit.toml").start()
    try:
        state = panel.client().get("/phrases/api/state").json()
        board = state["board"]
        assert [b["key"] for b in board[:3]] == ["1", "2", "3"] and board[0]["id"] == "welcome"
        assert board[0]["source"] == "config" and board[1]["source"] == "catalog"
        assert "3号 重庆小面，到手价19.9元，点击下方小黄车" in [b["text"] for b in board]
        assert all(b["key"] == "" for b in board[9:])
        html = panel.client().get("/phrases").text
        assert 'aria-keyshortcuts="1"' in html and 'href="/products"' in html and "快捷话" in html
    finally:
        panel.stop()


def test_no_session_says_so_and_presses_are_refused(panel: PanelThread) -> None:
    client = panel.client()
    state = client.get("/phrases/api/state").json()
    assert not state["ready"] and state["reason"].startswith("还没有开播") and "开始本场" in state["reason"]
    answer = client.post("/phrases/api/say", json={"text": "大家好"})
    assert answer.status_code == 409 and answer.json()["message"] == state["reason"]
    html = client.get("/phrases").text
    assert 'aria-disabled="true" aria-describedby="voice-state"' in html


def test_a_session_without_obs_says_no_voice_reaches_the_stream(home: Path) -> None:
    """A real session (dry-run OBS): the board says in one sentence why, and what to do."""
    (home / "streamkit.toml").write_text('[obs]\nenabled = false\n[overlay]\nport = 0\n[captions]\nenabled = false\n'
                                         '[gestures]\nenabled = false\n', encoding="utf-8")
    panel = PanelThread(home, home / "streamkit.toml").start()
    try:
        panel.host.controller.start(panel.host.config(), panel.host.obs())
        assert wait_until(lambda: panel.host.session() is not None, 30)
        client = panel.client()
        state = client.get("/phrases/api/state").json()
        assert not state["ready"] and "[obs] enabled = false" in state["reason"], state
        answer = client.post("/phrases/api/say", json={"text": "大家好"})
        assert answer.status_code == 409 and "连上 OBS" in answer.json()["message"]
        en = client.get("/phrases/api/state", cookies={"sk_lang": "en"}).json()
        assert en["reason"].startswith("OBS is not connected")
    finally:
        panel.stop()


def test_writes_need_the_csrf_token(panel: PanelThread) -> None:
    client = panel.client()
    with httpx.Client(base_url=panel.url, cookies=client.cookies) as bare:
        assert bare.post("/phrases/api/say", json={"text": "hi"}).status_code == 403
        assert bare.post("/phrases/api/phrases", json={"action": "add", "text": "hi"}).status_code == 403


@pytest.mark.parametrize("words, expected", [
    ("", "是空的"), ("   ", "是空的"), ("好" * (MAX_TEXT + 1), "太长了（201 个字"),
    ("大家好\n点关注", "控制字符"), ("\x1b[31m大家好", "控制字符"), ("好\x00", "控制字符")])
def test_hostile_words_get_one_plain_sentence(panel: PanelThread, words: str, expected: str) -> None:
    answer = panel.client().post("/phrases/api/say", json={"text": words})
    assert answer.status_code == 422 and expected in answer.json()["message"] and answer.json()["field"] == "text"
    assert "\n" not in answer.json()["message"]
    added = panel.client().post("/phrases/api/phrases", json={"action": "add", "text": words})
    assert added.status_code == 422 and expected in added.json()["errors"]["text"]
    assert not (panel.host.config().path.exists() and "phrases" in panel.host.config().path.read_text(encoding="utf-8"))


def test_bad_bodies_are_refused(panel: PanelThread) -> None:
    client = panel.client()
    assert client.post("/phrases/api/say", content=b"[1,2]", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.post("/phrases/api/say", content=b"{", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.post("/phrases/api/say", json={"id": "no-such"}).status_code == 404
    assert client.post("/phrases/api/phrases", json={"action": "explode"}).status_code == 400
    assert text_problem("欢迎" * 11, "en", label=True).startswith("The button text is too long (22")


def test_add_change_remove_keep_the_files_comments(home: Path) -> None:
    path = write_config(home)
    panel = PanelThread(home, path).start()
    try:
        client = panel.client()
        added = client.post("/phrases/api/phrases", json={"action": "add", "text": " 喜欢的点个关注 ", "label": "关注"})
        assert added.status_code == 200 and added.json()["message"] == "已添加快捷话：关注"
        assert [p["id"] for p in added.json()["state"]["own"]] == ["welcome", "phrase-1"]
        changed = client.post("/phrases/api/phrases", json={"action": "change", "id": "welcome", "text": "欢迎新朋友",
                                                           "label": ""})
        assert changed.status_code == 200
        saved = path.read_text(encoding="utf-8")
        for comment in ("# my streamkit settings", "# 中文界面", "# quick phrases for the board"):
            assert comment in saved
        speech = panel.host.config().section("speech")
        assert [(p.id, p.text, p.label) for p in speech.phrases] == [("welcome", "欢迎新朋友", ""),
                                                                    ("phrase-1", "喜欢的点个关注", "关注")]
        long_label = client.post("/phrases/api/phrases", json={"action": "change", "id": "welcome", "text": "x",
                                                              "label": "很" * 21})
        assert long_label.status_code == 422 and "按钮上的字太长了" in long_label.json()["errors"]["label"]
        removed = client.post("/phrases/api/phrases", json={"action": "remove", "id": "welcome"})
        assert removed.json()["message"] == "已删除快捷话：欢迎新朋友"
        gone = client.post("/phrases/api/phrases", json={"action": "remove", "id": "welcome"})
        assert gone.status_code == 404 and "已经不在配置文件里" in gone.json()["message"]
        assert [p.id for p in panel.host.config().section("speech").phrases] == ["phrase-1"]
        assert "# my streamkit settings" in path.read_text(encoding="utf-8")
        client.post("/phrases/api/phrases", json={"action": "remove", "id": "phrase-1"})
        assert panel.host.config().section("speech").phrases == []
    finally:
        panel.stop()


def test_new_ids_fill_the_smallest_gap() -> None:
    assert new_phrase_id(["phrase-1", "phrase-3"]) == "phrase-2" and new_phrase_id([]) == "phrase-1"


def test_the_gesture_bindings_page_offers_quick_phrases(home: Path) -> None:
    """A smile bound to a quick phrase from the bindings page: the config's and the catalog's are offered."""
    write_config(home, f'\n[products]\ncatalog = "{REPO / "samples" / "catalog.csv"}"\n')
    panel = PanelThread(home, home / "streamkit.toml").start()
    try:
        client = panel.client()
        page = client.get("/gestures/bindings").text
        assert 'data-for="say_phrase"' in page and '<option value="say_phrase"' in page
        assert '<option value="welcome">欢迎</option>' in page and '<option value="product-3">3号 重庆小面</option>' in page
        missing = client.post("/gestures/bindings", data={"gesture": "smile", "action": "say_phrase", "phrase": ""})
        assert missing.status_code == 400 and "选一句快捷话。" in missing.text
        added = client.post("/gestures/bindings", data={"gesture": "smile", "action": "say_phrase", "phrase": "welcome"},
                            follow_redirects=False)
        assert added.status_code in (302, 303), added.text[:500]
        bindings = panel.host.config().section("gestures").bindings
        assert [(b.gestures, b.action, b.phrase) for b in bindings] == [(["smile"], "say_phrase", "welcome")]
        assert "# 中文界面" in (home / "streamkit.toml").read_text(encoding="utf-8")
    finally:
        panel.stop()
