"""A catalog imported from a real .xlsx shows in a real headless OBS: the picture card and the text card."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from products_helpers import (ARTIFACTS, input_settings, item_enabled, products_config, save_viewable, screenshot,
                              set_up_card_sources, wait_until)
from sheets_helpers import PRODUCTS_DIR, seller_workbook

from streamkit.bus import EventBus
from streamkit.component import running
from streamkit.plugins.products.service import ProductsService
from streamkit.plugins.products.sheets import import_catalog
from streamkit.plugins.products.writer import replace_catalog

pytestmark = pytest.mark.obs
SCENE, TITLE, DETAILS, IMAGE = "直播间", "商品卡-名称", "商品卡-详情", "商品卡-图片"


def test_a_card_imported_from_xlsx_shows_in_obs(headless_obs, obs_client, tmp_path: Path) -> None:
    for name in ("thermos-cup.png", "earbuds.png"):
        shutil.copy(PRODUCTS_DIR / name, tmp_path / name)
    sheet = seller_workbook(tmp_path / "双十一商品.xlsx")
    result = import_catalog(sheet.read_bytes(), sheet.name, base=tmp_path)
    catalog_path = tmp_path / "shop" / "catalog.csv"
    replace_catalog(result.catalog, catalog_path)

    config = products_config(catalog_path, min_display_seconds=0, reshow_gap_seconds=0)
    set_up_card_sources(headless_obs.url, headless_obs.password, config)
    service = ProductsService(config.section("products"), catalog_path=catalog_path, bus=EventBus(), obs=obs_client)
    with running(service):
        assert service.show(1, trigger="manual")
        assert obs_client.flush()
        assert input_settings(obs_client, TITLE)["text"] == "1号 保温杯"
        assert input_settings(obs_client, DETAILS)["text"] == "到手价 ¥59.9   原价 ¥89\n316不锈钢内胆 · 12小时保温"
        assert Path(input_settings(obs_client, IMAGE)["file"]) == (tmp_path / "thermos-cup.png").resolve()
        assert item_enabled(obs_client, SCENE, IMAGE) and item_enabled(obs_client, SCENE, TITLE)
        # the thermos picture (blue) is drawn where the image source sits
        assert wait_until(lambda: (screenshot(obs_client, SCENE)[60:300, 60:300, 2] > 150).mean() > 0.3, 5)
        save_viewable(screenshot(obs_client, SCENE), ARTIFACTS / "products-obs-xlsx-card.png")

        assert service.show(3, trigger="manual")  # 重庆小面 has no picture in the sheet: a text card
        assert obs_client.flush()
        assert input_settings(obs_client, TITLE)["text"] == "3号 重庆小面"
        assert not item_enabled(obs_client, SCENE, IMAGE)
