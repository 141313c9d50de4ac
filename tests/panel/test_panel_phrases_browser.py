"""The quick-phrase board in Chromium, no session running: big buttons with their keys, axe-core clean,
keyboard only with a visible focus, the refusal announced, phrases added and removed from the page; at dock
width (360 px) and 200 % zoom nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from panel_helpers import PanelThread, check_axe, shot, tab_to
from products_panel_helpers import announced

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path("/work/brief/shots")
TARGETS = "button:not([hidden]), a.button, select, input:not([type=hidden]), textarea, .lang-switch a, .nav a"


def phrases_shot(page: Any, name: str) -> None:
    shot(page, f"phrases-{name}", shots=SHOTS)


@pytest.fixture()
def board(home: Path) -> PanelThread:
    (home / "streamkit.toml").write_text(
        '# the seller\'s settings\n[speech]\n[[speech.phrases]]\nid = "welcome"\ntext = "欢迎来到直播间，喜欢的点个关注"\n'
        f'label = "欢迎"\n\n[products]\ncatalog = "{REPO / "samples" / "catalog.csv"}"\n', encoding="utf-8")
    panel = PanelThread(home, home / "streamkit.toml").start()
    yield panel
    panel.stop()


def open_board(page: Any, panel: PanelThread) -> None:
    page.goto(panel.url + "/phrases")
    page.wait_for_selector("body[data-phrases='1']", state="attached")


def test_the_board_has_big_buttons_with_keys_and_says_why_it_cannot_play(board: PanelThread, page: Any) -> None:
    open_board(page, board)
    buttons = page.locator(".phrase-button")
    assert buttons.count() >= 9
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    keys = [buttons.nth(i).locator("kbd").inner_text() for i in range(9)]
    assert keys == list("123456789") and buttons.nth(0).locator("kbd").is_visible()
    assert buttons.nth(0).get_attribute("aria-disabled") == "true"
    assert page.inner_text("#voice-state").startswith("还没有开播")
    check_axe(page, "phrases: board, no session")
    phrases_shot(page, "no-session")
    page.keyboard.press("2")  # a key outside any text box presses phrase 2
    announced(page, "现在不能播放：还没有开播")
    assert page.evaluate("document.activeElement.dataset.id") == "product-1"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.focus("#type-text")
    page.keyboard.type("1号链接马上开抢")  # a digit typed into the box is typed, it presses nothing
    page.keyboard.press("Enter")
    announced(page, "现在不能播放：还没有开播")
    assert page.input_value("#type-text") == "1号链接马上开抢"  # refused: nothing typed is lost
    assert page.is_hidden("#type-text-error")  # not the words' fault



def test_keyboard_only_adds_changes_and_removes_a_phrase(board: PanelThread, page: Any) -> None:
    open_board(page, board)
    tab_to(page, "#edit-text")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # to Save with nothing typed: the error summary takes the focus
    assert page.evaluate("document.activeElement.id") == "edit-save"
    page.keyboard.press("Enter")
    page.wait_for_selector("#edit-errors:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "edit-errors"
    assert "要说的话是空的：在「要说的话」里写一句，再按「保存」。" in page.inner_text("#edit-errors")
    check_axe(page, "phrases: add with nothing typed")
    phrases_shot(page, "error")
    tab_to(page, "#edit-errors a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "edit-text"
    page.keyboard.type("谢谢大家的支持")
    page.keyboard.press("Tab")
    page.keyboard.type("谢谢")
    page.keyboard.press("Enter")
    announced(page, "已添加快捷话：谢谢")
    page.wait_for_selector(".phrase-button[data-id='phrase-1']")
    assert page.get_attribute(".phrase-button[data-id='phrase-1']", "aria-keyshortcuts") == "2"
    saved = board.host.config().path.read_text(encoding="utf-8")
    assert "# the seller's settings" in saved and "谢谢大家的支持" in saved
    tab_to(page, "button[data-action='remove'][data-id='welcome']")
    page.keyboard.press("Enter")
    announced(page, "已删除快捷话：欢迎")
    assert page.evaluate("document.activeElement.id") == "own-heading"
    page.wait_for_selector(".phrase-button[data-id='welcome']", state="detached")
    assert [p.id for p in board.host.config().section("speech").phrases] == ["phrase-1"]
    check_axe(page, "phrases: after add and remove")


@pytest.mark.parametrize("label, viewport, scale", [("dock", {"width": 360, "height": 740}, 1),
                                                    ("zoom200", {"width": 640, "height": 450}, 2),
                                                    ("forced", {"width": 1280, "height": 900}, 1)])
def test_dock_width_200_percent_zoom_and_forced_colours(board: PanelThread, browser: Any, label: str,
                                                        viewport: dict[str, int], scale: int) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    try:
        if label == "forced":
            page.emulate_media(forced_colors="active")
        open_board(page, board)
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 1, f"phrases at {label} scrolls sideways by {wide}px"
        small = page.evaluate(f"""[...document.querySelectorAll('{TARGETS}')].filter((el) => el.offsetParent)
            .map((el) => [el.id || el.textContent.trim().slice(0, 20), el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 44 || r.height < 44).map(([n, r]) => `${{n}} ${{Math.round(r.width)}}×${{Math.round(r.height)}}`)""")
        assert not small, f"phrases at {label}: targets under 44 px: {small}"
        box = page.locator(".phrase-button").first.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 250, box  # one column in the dock, two at 200 %
        check_axe(page, f"phrases [{label}]")
        tab_to(page, ".phrase-button")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        phrases_shot(page, label)
    finally:
        context.close()


def test_english(board: PanelThread, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en", bypass_csp=True)
    context.add_cookies([{"name": "sk_lang", "value": "en", "url": board.url}])
    page = context.new_page()
    try:
        open_board(page, board)
        assert page.get_attribute("html", "lang") == "en"
        assert page.inner_text("#voice-state").startswith("No session is running")
        check_axe(page, "phrases [en]")
    finally:
        context.close()
