"""“Show on stream now” from the products page puts the card into a real headless OBS during a session."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from panel_helpers import PanelThread, check_axe
from products_panel_helpers import announced, home_with_catalog, open_products, press_on, products_shot

from streamkit.sources.audio import write_wav
from streamkit.testing.helpers import wait_until

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "products"))
from products_helpers import input_settings, item_enabled, products_config, set_up_card_sources  # noqa: E402

pytestmark = [pytest.mark.obs, pytest.mark.browser]


def test_show_on_stream_now_from_the_products_page(headless_obs, obs_client, page, home: Path) -> None:
    catalog = home_with_catalog(home)
    set_up_card_sources(headless_obs.url, headless_obs.password, products_config(catalog))
    quiet = write_wav(home / "quiet.wav", np.zeros(16_000 * 120, dtype=np.float32))  # keeps the session running
    (home / "streamkit.toml").write_text(
        f'[obs]\nurl = "{headless_obs.url}"\npassword = "{headless_obs.password}"\n'
        '[overlay]\nport = 0\n[gestures]\nenabled = false\n'
        f'[captions]\nmodel = "tiny.en"\nlanguage = "en"\nobs_text_source = ""\n'
        f'sources = [{{ name = "quiet", kind = "file", path = "{quiet}", speaker = "主播" }}]\n'
        '[products]\ncatalog = "shop/catalog.csv"\nmin_display_seconds = 0\n', encoding="utf-8")
    panel = PanelThread(home, home / "streamkit.toml").start()
    try:
        open_products(page, panel.url)
        assert page.get_attribute("#show-button", "aria-disabled") == "true"
        press_on(page, "#show-button")
        announced(page, "还没有开播")

        panel.host.controller.start(panel.host.config(), panel.host.obs())
        assert wait_until(lambda: panel.host.session() is not None, 30)
        open_products(page, panel.url)
        assert page.get_attribute("#show-button", "aria-disabled") is None
        press_on(page, "button[data-action='preview'][data-index='1']")
        announced(page, "正在预览：蓝牙耳机")
        press_on(page, "#show-button")
        announced(page, "已上屏：2号 蓝牙耳机")
        assert obs_client.flush()
        assert wait_until(lambda: input_settings(obs_client, "商品卡-名称")["text"] == "2号 蓝牙耳机", 5)
        assert item_enabled(obs_client, "直播间", "商品卡-名称")
        check_axe(page, "products: shown on stream during a session")
        products_shot(page, "shown-on-stream")
    finally:
        panel.stop()
