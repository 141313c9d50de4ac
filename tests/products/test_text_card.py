"""A product without a picture is a text card: in a real headless OBS and on the overlay page in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from products_helpers import (ARTIFACTS, SAMPLE_CATALOG, input_settings, item_enabled, products_config,
                              save_viewable, screenshot, set_up_card_sources, wait_until)

from streamkit.bus import EventBus
from streamkit.component import running
from streamkit.plugins.products.service import ProductsService

pytestmark = [pytest.mark.obs, pytest.mark.browser]

SCENE = "直播间"
TITLE, DETAILS, IMAGE = "商品卡-名称", "商品卡-详情", "商品卡-图片"


def mixed_catalog(folder: Path) -> Path:
    """Serial 1 with the sample picture, serial 2 without any."""
    path = folder / "catalog.csv"
    picture = (SAMPLE_CATALOG.parent / "products" / "thermos-cup.png").resolve()
    path.write_text(f"序号,商品ID,名称,价格,活动价,图片,卖点\n1,A-1,保温杯,89,59.9,{picture},12小时保温\n"
                    "2,A-2,手工红糖,39,,,古法熬制|500克\n", encoding="utf-8")
    return path


def test_text_card_in_obs_and_on_the_page(headless_obs, obs_client, chromium, overlay, tmp_path: Path) -> None:
    config = products_config(mixed_catalog(tmp_path), min_display_seconds=0, reshow_gap_seconds=0)
    set_up_card_sources(headless_obs.url, headless_obs.password, config)
    cfg = config.section("products")
    service = ProductsService(cfg, catalog_path=mixed_catalog(tmp_path), bus=EventBus(), obs=obs_client,
                              overlay=overlay, language="zh-CN")
    page = chromium.new_page(viewport={"width": 1280, "height": 720})
    try:
        with running(service):
            page.goto(overlay.url("/products/card"))
            page.wait_for_function("typeof events !== 'undefined' && events.readyState === 1", timeout=10_000)
            assert service.show(1, trigger="manual")  # a picture card first: the text card must not keep its picture
            assert obs_client.flush() and item_enabled(obs_client, SCENE, IMAGE)

            assert service.show(2, trigger="manual")
            assert obs_client.flush()
            assert input_settings(obs_client, TITLE)["text"] == "2号 手工红糖"
            assert input_settings(obs_client, DETAILS)["text"] == "¥39\n古法熬制 · 500克"
            assert input_settings(obs_client, IMAGE)["file"] == ""
            assert item_enabled(obs_client, SCENE, TITLE) and item_enabled(obs_client, SCENE, DETAILS)
            assert not item_enabled(obs_client, SCENE, IMAGE)
            assert wait_until(lambda: (screenshot(obs_client, SCENE)[40:400, 40:330, 3] > 128).mean() < 0.05, 3)
            save_viewable(screenshot(obs_client, SCENE), ARTIFACTS / "products-obs-text-card.png")

            page.wait_for_selector('#card.on[data-serial="2"]', timeout=5_000)
            assert page.inner_text("#name") == "手工红糖" and page.inner_text("#price") == "39"
            assert page.locator("#image").is_hidden()
            assert page.evaluate("document.getElementById('image').getAttribute('src')") is None
            page.wait_for_timeout(600)
            page.screenshot(path=str(ARTIFACTS / "products-overlay-text-card.png"))
    finally:
        page.close()
