"""Helpers of the products page tests: a home with a catalog, keyboard-only steps, shots for the brief."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from panel_helpers import shot, tab_to

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CATALOG = REPO / "samples" / "catalog.csv"
SHOTS = Path("/work/brief/shots/panel-products")


def home_with_catalog(home: Path) -> Path:
    """The sample catalog and pictures copied under ``home``, named by ``home``'s streamkit.toml."""
    folder = home / "shop"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_CATALOG, folder / "catalog.csv")
    shutil.copytree(SAMPLE_CATALOG.parent / "products", folder / "products", dirs_exist_ok=True)
    (home / "streamkit.toml").write_text('[products]\ncatalog = "shop/catalog.csv"\n', encoding="utf-8")
    return folder / "catalog.csv"


def open_products(page: Any, url: str) -> None:
    page.goto(url + "/products")
    page.wait_for_selector("body[data-products-ready='1']")


def press_on(page: Any, selector: str) -> int:
    """Tab to ``selector`` from where the focus is, then press Enter; returns the Tab presses."""
    n = tab_to(page, selector, limit=120)
    page.keyboard.press("Enter")
    return n


def open_chooser(page: Any, press: Any, attempts: int = 3) -> Any:
    """Press Space on the focused file input until Chromium opens its file chooser (a busy machine now
    and then loses the first press); returns the chooser."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                press("Space")
            return chooser.value
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def choose_file(page: Any, selector: str, path: Any) -> None:
    """Tab to the file input ``selector``, open its chooser with the keyboard, pick ``path``."""
    tab_to(page, selector, limit=120)
    open_chooser(page, page.keyboard.press).set_files(path)


def focused(page: Any) -> str:
    """The focused element's id, or its accessible text when it has none."""
    return page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()")


def announced(page: Any, text: str, timeout: float = 5000) -> None:
    """``text`` appears in one of the panel's live regions."""
    page.wait_for_function(
        "(t) => ['announce-polite', 'announce-urgent'].some((id) => (document.getElementById(id).textContent || '').includes(t))",
        arg=text, timeout=timeout)


def products_shot(page: Any, name: str, full_page: bool = True) -> Path:
    """A screenshot under .artifacts/panel and the brief's shots/panel-products folder."""
    return shot(page, f"products-{name}", full_page, shots=SHOTS)


def small_targets(page: Any) -> list[str]:
    """Visible buttons, links and inputs smaller than 44×44 CSS px (text links inside sentences excepted)."""
    return page.evaluate("""() => [...document.querySelectorAll('main button, main a.button, main input, main select, header a')]
      .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
      .map((el) => [el, el.getBoundingClientRect()])
      .filter(([el, r]) => r.width < 44 || r.height < 44)
      .map(([el, r]) => `${el.tagName}#${el.id}.${el.className} ${Math.round(r.width)}×${Math.round(r.height)}`)""")
