"""The dashboard against a real headless OBS: the one-click repair of missing OBS sources, a running
session with the pause-all-triggers switch, OBS lost and back announced in the live regions, and the
sessions page opening the coach review."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from streamkit.testing.helpers import wait_until

from panel_helpers import PanelThread, check_axe, shot

pytestmark = [pytest.mark.obs, pytest.mark.browser]


def set_up_for(panel: PanelThread, obs: SimpleNamespace, **gestures: object) -> None:
    panel.host.write_config("obs", {"url": obs.url, "password": obs.password})
    panel.host.write_config("overlay", {"port": 0})  # 8765 may be taken by another program on a shared machine
    panel.host.write_config("captions", {"enabled": False})
    if gestures:
        panel.host.write_config("gestures", gestures)


def open_dashboard(page: Any, panel: PanelThread) -> None:
    page.goto(panel.url + "/")
    page.wait_for_selector("body[data-live='1']", state="attached", timeout=15_000)


def test_missing_obs_sources_are_created_with_one_button(panel: PanelThread, obs: SimpleNamespace, page: Any) -> None:
    set_up_for(panel, obs)
    panel.host.write_config("captions", {"enabled": True, "obs_text_source": "字幕-面板测试", "obs_scene": "面板测试"})
    open_dashboard(page, panel)
    page.wait_for_selector("[data-tile='obs'].tile--ok", timeout=15_000)
    repair = page.locator("[data-tile='problems'] button[data-key='repair-obs-setup']")
    repair.wait_for(timeout=15_000)
    assert "字幕-面板测试" in page.inner_text("[data-tile='problems']")
    check_axe(page, "dashboard, OBS connected, sources missing (repair offered)")
    shot(page, "dashboard-repair")
    repair.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-tile='problems']:not(.problems--some)", timeout=15_000)
    names = {i["inputName"] for i in obs.client.request("GetInputList")["inputs"]}
    assert "字幕-面板测试" in names
    assert "面板测试" in {s["sceneName"] for s in obs.client.request("GetSceneList")["scenes"]}


def test_pause_switch_and_obs_lost_are_announced(panel: PanelThread, obs: SimpleNamespace, page: Any) -> None:
    """A real session (gestures reading OBS's own picture, which never ends) paused from the switch; then
    OBS dies and comes back, and the screen reader hears each once."""
    set_up_for(panel, obs, enabled=True, source="obs", obs_source="商品图", fps=5.0,
               bindings=[{"gestures": ["smile"], "action": "scene", "scene": "暂停"}])
    open_dashboard(page, panel)
    page.wait_for_selector("[data-tile='obs'].tile--ok", timeout=15_000)
    page.focus("[data-key='session-toggle']")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-tile='session'].session--running", timeout=60_000)
    page.wait_for_selector("[data-tile='f-gestures']", timeout=15_000)
    switch = page.locator("#pause-switch")
    switch.wait_for()
    assert switch.get_attribute("aria-checked") == "false" and switch.get_attribute("aria-disabled") is None
    switch.focus()
    page.keyboard.press("Space")
    page.wait_for_selector("#pause-switch[aria-checked='true']", timeout=10_000)
    assert page.evaluate("document.activeElement.id") == "pause-switch"  # the swap kept the focus
    page.wait_for_function("document.getElementById('announce-polite').textContent.includes('暂停')", timeout=10_000)
    runtime = panel.host.session()
    assert runtime is not None
    from streamkit.features import GESTURES

    assert runtime.services.get(GESTURES).paused
    check_axe(page, "dashboard, session running, triggers paused")
    shot(page, "dashboard-paused")

    obs.headless.kill()
    page.wait_for_function("document.getElementById('announce-urgent').textContent.includes('OBS')", timeout=15_000)
    page.wait_for_selector("[data-tile='obs']:not(.tile--ok)", timeout=15_000)
    check_axe(page, "dashboard, OBS lost during a session")
    shot(page, "dashboard-obs-lost")
    obs.headless.start()
    page.wait_for_function("document.getElementById('announce-polite').textContent.includes('已连接 OBS')", timeout=30_000)
    page.wait_for_selector("[data-tile='obs'].tile--ok", timeout=15_000)

    page.focus("[data-key='session-toggle']")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-tile='session'].session--idle", timeout=60_000)
    assert wait_until(lambda: not panel.host.controller.running, 10)
    assert panel.host.controller.state.end_reason == "stopped from the panel"


def test_sessions_page_opens_the_coach_review(panel: PanelThread, page: Any, home: Path, tmp_path: Path) -> None:
    from streamkit.plugins.review import samples
    from streamkit.session import SessionStore

    store = SessionStore(home)
    try:
        session = samples.mandarin_session(store, tmp_path)
    finally:
        store.close()
    panel.host.write_config("session", {"language": "zh-CN"})
    page.goto(panel.url + "/sessions")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    row = page.locator("tbody tr", has_text=session.info.name)
    assert row.count() == 1
    check_axe(page, "sessions, one recorded")
    shot(page, "sessions")
    row.locator("button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sessions/{session.id}", timeout=30_000)
    assert page.url.startswith("http://127.0.0.1:") and panel.url not in page.url
    page.wait_for_selector("#lines .line", timeout=30_000)  # the review app's transcript


def test_wizard_pages_with_obs_running_are_accessible(panel: PanelThread, obs: SimpleNamespace, page: Any) -> None:
    """The states only a running OBS shows: found (needs a password), the camera list read from OBS with its
    live picture, the OBS step's table of what is missing, and the summary at the end."""
    panel.host.write_config("obs", {"url": obs.url})
    for name, path in [("setup-obs-found", "/setup/obs"), ("setup-password-needed", "/setup/password")]:
        page.goto(panel.url + path)
        page.wait_for_selector("body[data-ready='1']", state="attached")
        check_axe(page, name)
        shot(page, name)
    assert page.locator("#obs-found").count() == 0  # the password page
    panel.host.write_config("obs", {"password": obs.password})
    page.goto(panel.url + "/setup/camera")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    page.check("input[value=obs]")
    page.select_option("#obs_source", "商品图")
    page.wait_for_function("document.getElementById('preview-obs').naturalWidth > 0", timeout=15_000)
    check_axe(page, "setup-camera-obs-preview")
    shot(page, "setup-camera-obs-preview")
    panel.host.write_config("captions", {"obs_text_source": "字幕-向导测试", "obs_scene": "向导测试"})
    page.goto(panel.url + "/setup/scenes")
    page.wait_for_selector("#create-button")
    check_axe(page, "setup-scenes-missing")
    shot(page, "setup-scenes-missing")
