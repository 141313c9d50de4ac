"""Every page and state of the panel in Chromium: axe-core (WCAG 2.2 AA) finds nothing, in Chinese and
English, at dock width (360 px), at 200 % zoom and in forced colours; targets are at least 44×44 px;
the focus is visible; nothing depends on colour alone. Screenshots of each page go to .artifacts/panel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from panel_helpers import PanelThread, check_axe, shot

pytestmark = pytest.mark.browser

Prepare = Callable[[Any, str], None]


def submit(page: Any) -> None:
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_selector("body[data-ready='1']", state="attached")


def uncheck_all(page: Any) -> None:
    page.evaluate("document.querySelectorAll('input[type=radio], input[type=checkbox]').forEach(i => i.checked = false)")


def bad_address(page: Any, url: str) -> None:
    page.fill("#url", "obs on my desk")
    submit(page)


def no_answer(page: Any, url: str) -> None:
    uncheck_all(page)
    submit(page)


def meter_running(page: Any, url: str) -> None:
    page.check("input[value=sample]")
    page.click("#meter-button")
    page.wait_for_function("Number(document.getElementById('meter').dataset.db || -60) > -45", timeout=20_000)


def obs_chosen(page: Any, url: str) -> None:
    page.check("input[value=obs]")
    page.wait_for_selector("#obs-reveal:not([hidden])")


def wrong_password(page: Any, url: str) -> None:
    page.fill("#password", "wrong")
    submit(page)


# (name, path, what to do on the page first)
STATES: list[tuple[str, str, Prepare | None]] = [
    ("setup-start", "/setup", None),
    ("setup-language", "/setup/language", None),
    ("setup-language-error", "/setup/language", no_answer),
    ("setup-obs-not-found", "/setup/obs", None),
    ("setup-obs-bad-address", "/setup/obs", bad_address),
    ("setup-password", "/setup/password", None),
    ("setup-password-error", "/setup/password", wrong_password),
    ("setup-features", "/setup/features", None),
    ("setup-features-error", "/setup/features", no_answer),
    ("setup-microphone", "/setup/microphone", None),
    ("setup-microphone-error", "/setup/microphone", no_answer),
    ("setup-microphone-meter", "/setup/microphone", meter_running),
    ("setup-guest", "/setup/guest", None),
    ("setup-camera", "/setup/camera", None),
    ("setup-camera-obs", "/setup/camera", obs_chosen),
    ("setup-camera-error", "/setup/camera", no_answer),
    ("setup-scenes-no-obs", "/setup/scenes", None),
    ("setup-done", "/setup/done", None),
    ("sessions-empty", "/sessions", None),
    ("dashboard-idle", "/", None),
]


def open_state(page: Any, panel: PanelThread, path: str, prepare: Prepare | None) -> None:
    page.goto(panel.url + path)
    page.wait_for_selector("body[data-ready='1']", state="attached")
    if path == "/":
        page.wait_for_selector("body[data-live='1']", state="attached", timeout=15_000)
    if prepare is not None:
        prepare(page, panel.url)


@pytest.fixture()
def set_up(panel: PanelThread) -> PanelThread:
    """A panel whose config exists (so the dashboard shows), pointing at a port where no OBS runs."""
    panel.host.write_config("obs", {"url": "ws://127.0.0.1:9"})
    return panel


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_page_and_state_has_no_axe_violations(set_up: PanelThread, browser: Any, lang: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang, bypass_csp=True)
    context.add_cookies([{"name": "sk_lang", "value": lang, "url": set_up.url}])
    page = context.new_page()
    try:
        for name, path, prepare in STATES:
            open_state(page, set_up, path, prepare)
            assert page.get_attribute("html", "lang") == lang
            if name.endswith("-error") or name == "setup-obs-bad-address":
                assert page.locator(".error-summary a").count() >= 1, name
                assert page.evaluate("document.activeElement.classList.contains('error-summary')"), name
            check_axe(page, f"{name} [{lang}]")
            if lang == "zh-CN":
                shot(page, name)
    finally:
        context.close()


def test_dock_width_zoom_and_forced_colours(set_up: PanelThread, browser: Any) -> None:
    """360 px (an OBS dock), 200 % zoom (a 640 px wide viewport at twice the pixels) and Windows high
    contrast: nothing scrolls sideways, axe still finds nothing, the focus ring still shows."""
    views = [("dock", {"width": 360, "height": 640}, 1, None),
             ("zoom200", {"width": 640, "height": 450}, 2, None),
             ("forced", {"width": 1280, "height": 900}, 1, "active")]
    for label, viewport, scale, forced in views:
        context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        try:
            if forced:
                page.emulate_media(forced_colors=forced)
            for name, path, prepare in [("dashboard", "/", None), ("setup-obs", "/setup/obs", None),
                                        ("setup-camera", "/setup/camera", obs_chosen), ("sessions", "/sessions", None)]:
                open_state(page, set_up, path, prepare)
                wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert wide <= 1, f"{name} at {label} scrolls sideways by {wide}px"
                check_axe(page, f"{name} [{label}]")
                page.keyboard.press("Tab")
                page.keyboard.press("Tab")
                ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert ring != "none", f"{name} at {label}: no focus ring"
                if name in ("dashboard", "setup-obs"):
                    shot(page, f"{name}-{label}")
        finally:
            context.close()


INTERACTIVE = "a[href], button, input:not([type=hidden]), select, textarea, [role=switch], [tabindex='0']"


def small_targets(page: Any) -> list[str]:
    """Interactive elements smaller than 44×44 px (links inside running text are exempt, as WCAG 2.5.8 says)."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].filter(el => {
        if (el.closest('p, li, dd, figcaption') && el.tagName === 'A' && !el.className) return false;
        if (el.closest('[hidden]') || el.offsetParent === null) return false;
        const r = el.getBoundingClientRect();
        return r.width < 44 || r.height < 44;
      }).map(el => el.outerHTML.slice(0, 80))""", INTERACTIVE)


def test_targets_are_at_least_44_px(set_up: PanelThread, page: Any) -> None:
    for name, path, prepare in STATES:
        open_state(page, set_up, path, prepare)
        assert small_targets(page) == [], name


def test_the_language_switch_works_from_the_keyboard(set_up: PanelThread, page: Any) -> None:
    page.goto(set_up.url + "/setup/features")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    assert page.inner_text("h1").endswith("要用哪些功能？")
    page.focus(".lang-switch a")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang='en']")
    assert page.inner_text("h1").endswith("Which features do you want?")
    page.goto(set_up.url + "/")  # the choice is kept for the next page (a cookie)
    assert page.get_attribute("html", "lang") == "en"


def test_drafts_survive_a_reload(set_up: PanelThread, page: Any) -> None:
    page.goto(set_up.url + "/setup/obs")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    page.fill("#url", "ws://192.168.1.20:4455")
    page.reload()
    page.wait_for_selector("body[data-ready='1']", state="attached")
    assert page.input_value("#url") == "ws://192.168.1.20:4455"


def test_state_is_never_told_by_colour_alone(set_up: PanelThread, page: Any) -> None:
    """Every tile and problem says its state in words (and a symbol), not only by its colour."""
    open_state(page, set_up, "/", None)
    for tile in page.locator("[data-tile]").all():
        text = tile.inner_text().strip()
        assert text, tile.get_attribute("data-tile")
    assert "连不上" in page.inner_text("[data-tile='obs']")
    assert page.locator("[data-tile='problems'] .problem-what").count() >= 1


@pytest.mark.parametrize("error, words", [("NotFoundError", "没有找到摄像头"), ("NotReadableError", "正被别的程序占用"),
                                          ("NotAllowedError", "允许")])
def test_camera_problems_are_one_sentence_with_the_way_out(set_up: PanelThread, page: Any, error: str, words: str) -> None:
    """No camera, a camera another program holds (usually OBS), a camera the browser refused: the browser's
    error becomes one sentence that says what to do (here the browser is made to fail that way)."""
    page.add_init_script(f"""navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('test', '{error}'));""")
    open_state(page, set_up, "/setup/camera", None)
    page.focus("#preview-button")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('preview-status').textContent.length > 0")
    status = page.inner_text("#preview-status")
    assert words in status and status.endswith("。")
    assert page.get_attribute("#preview-status", "role") == "status"
    check_axe(page, f"setup-camera-{error}")
    if error == "NotReadableError":
        shot(page, "setup-camera-busy")
