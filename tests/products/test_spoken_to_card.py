"""A spoken command in a real audio file → the right card in a real headless OBS and in Chromium.

The chain is the real one: the WAV file → FileAudioSource → the captions plugin's CaptionProcessor
(faster-whisper tiny.en, streaming) → Caption events on the bus → the products plugin → ObsClient
(native text + image sources) and the overlay server (browser-source page over SSE).
"""

from __future__ import annotations

import numpy as np
import pytest
from products_helpers import (
    ARTIFACTS,
    COMMANDS,
    SAMPLE_CATALOG,
    input_settings,
    item_enabled,
    products_config,
    save_viewable,
    screenshot,
    set_up_card_sources,
    wait_until,
)

from streamkit.bus import EventBus
from streamkit.events import Event
from streamkit.pipeline import Pipeline
from streamkit.plugins.products.service import ProductsService
from streamkit.component import Tasks
from streamkit.sources.audio import FileAudioSource

pytestmark = [pytest.mark.obs, pytest.mark.browser, pytest.mark.slow]

SCENE = "直播间"
TITLE, DETAILS, IMAGE, COUNTDOWN = "商品卡-名称", "商品卡-详情", "商品卡-图片", "商品卡-倒计时"


def speak(path, decoder, bus: EventBus, service: ProductsService) -> None:
    """Replay ``path`` through streaming recognition onto ``bus`` (as fast as the CPU allows; on a clock
    that does not move, so a pass every step of audio however busy the machine is)."""
    from streamkit.clock import SimulatedClock
    from streamkit.plugins.captions.processor import CaptionProcessor
    from streamkit.plugins.captions.streaming import StreamingOptions

    captions = CaptionProcessor(decoder, StreamingOptions(language="en"), source="mic", speaker="主播",
                                clock=SimulatedClock(), realtime=False, hotwords=lambda: service.hotwords("en"))
    Pipeline(FileAudioSource(path, name="mic"), [captions], bus).run()


def title_glyphs_differ(shot: np.ndarray, text: str) -> None:
    """The title's Chinese characters were drawn as distinct glyphs (missing glyphs are identical boxes)."""
    region = shot[45:115, 360:830]  # the title line, left of the scene's own picture at x=840
    ink = (region[..., 3] > 128) & (region[..., :3].min(axis=2) > 200)  # white text
    cols = np.flatnonzero(ink.any(axis=0))
    assert len(cols) > 100, "the title area is blank: OBS drew no text"
    name = text.split(" ", 1)[1]
    gaps = np.diff(cols)
    name_cols = cols[int(np.argmax(gaps)) + 1:]  # after the widest gap: the space before the name
    cell = (name_cols[-1] - name_cols[0] + 1) // len(name)
    assert 0.8 * 56 < cell < 1.25 * 56, f"a glyph of the 56 px title is {cell} px wide"
    cells = [ink[:, name_cols[0] + i * cell: name_cols[0] + (i + 1) * cell - 2] for i in range(len(name))]
    for i in range(len(cells)):
        for j in range(i + 1, len(cells)):
            assert (cells[i] != cells[j]).mean() > 0.05, f"glyphs {name[i]} and {name[j]} look the same (boxes?)"


def test_spoken_commands_drive_the_obs_card_and_the_overlay(headless_obs, obs_client, tiny_en, chromium,
                                                             overlay) -> None:
    config = products_config(min_display_seconds=0, auto_hide_seconds=0, reshow_gap_seconds=0)
    set_up_card_sources(headless_obs.url, headless_obs.password, config)
    assert not item_enabled(obs_client, SCENE, TITLE)  # created hidden

    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    cfg = config.section("products")
    service = ProductsService(cfg, catalog_path=config.resolve_path(cfg.catalog), bus=bus, obs=obs_client,
                              overlay=overlay, language="zh-CN")
    tasks = Tasks(service.name)
    service.start(tasks)
    page = chromium.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(overlay.url("/products/card"))
        page.wait_for_function("typeof events !== 'undefined' && events.readyState === 1", timeout=10_000)
        before = screenshot(obs_client, SCENE)

        # 1. "Show product three." → card 3 (重庆小面) in OBS and on the page
        speak(COMMANDS / "show-product-three.wav", tiny_en, bus, service)
        assert obs_client.flush()
        captions = [e for e in seen if e.type == "Caption"]
        heard = " ".join(c.text for c in captions if c.kind == "final")
        shown = [e for e in seen if e.type == "ProductCardShown"]
        assert [(e.serial, e.product_id, e.name) for e in shown] == [(3, "SKU-1003", "重庆小面")], heard
        assert "product" in shown[0].trigger.lower() and "3" in shown[0].trigger
        assert input_settings(obs_client, TITLE)["text"] == "3号 重庆小面"
        assert input_settings(obs_client, DETAILS)["text"] == "到手价 ¥19.9   原价 ¥29.9\n麻辣鲜香 · 5人份 · 非油炸面饼"
        assert input_settings(obs_client, IMAGE)["file"] == str((SAMPLE_CATALOG.parent / "products/noodles.png").resolve())
        assert all(item_enabled(obs_client, SCENE, s) for s in (TITLE, DETAILS, IMAGE))
        assert not item_enabled(obs_client, SCENE, COUNTDOWN)
        assert wait_until(lambda: (screenshot(obs_client, SCENE)[40:230, 360:830, 3] > 128).sum() > 3000, 3)
        # OBS's image source decodes its file on a thread of its own: the picture may come a frame later
        assert wait_until(lambda: (screenshot(obs_client, SCENE)[40:330, 40:330, 3] > 128).mean() > 0.9, 3)
        shot = screenshot(obs_client, SCENE)
        save_viewable(shot, ARTIFACTS / "products-obs-card.png")
        assert (before[40:230, 360:830, 3] > 128).sum() == 0  # nothing there while the card was hidden
        assert (shot[40:330, 40:330, 3] > 128).mean() > 0.9  # the product picture
        title_glyphs_differ(shot, "3号 重庆小面")

        page.wait_for_selector('#card.on[data-serial="3"]', timeout=5_000)
        assert page.inner_text("#name") == "重庆小面"
        assert page.inner_text("#promo") == "19.9" and page.inner_text("#price") == "29.9"
        assert page.locator("#points li").all_inner_texts() == ["麻辣鲜香", "5人份", "非油炸面饼"]
        assert page.evaluate("document.getElementById('image').naturalWidth") == 480
        page.wait_for_timeout(600)  # let the slide-in animation finish
        page.screenshot(path=str(ARTIFACTS / "products-overlay-card.png"))

        # 2. "Flash sale sixty seconds." → a countdown on the same card
        speak(COMMANDS / "flash-sale-sixty-seconds.wav", tiny_en, bus, service)
        assert obs_client.flush()
        assert [(e.serial, e.seconds) for e in seen if e.type == "FlashSaleStarted"] == [(3, 60)]
        assert item_enabled(obs_client, SCENE, COUNTDOWN)
        assert input_settings(obs_client, COUNTDOWN)["text"].startswith("秒杀倒计时 0")
        page.wait_for_selector("#flash.on", timeout=5_000)
        assert page.inner_text("#flash").startswith("秒杀 00:5") or page.inner_text("#flash") == "秒杀 01:00"
        page.screenshot(path=str(ARTIFACTS / "products-overlay-flash-sale.png"))

        # 3. "Hide the card." → every card source hidden, the page slides the card out
        speak(COMMANDS / "hide-the-card.wav", tiny_en, bus, service)
        assert obs_client.flush()
        assert [(e.serial, e.reason) for e in seen if e.type == "ProductCardHidden"] == [(3, "spoken")]
        assert not any(item_enabled(obs_client, SCENE, s) for s in (TITLE, DETAILS, IMAGE, COUNTDOWN))
        page.wait_for_selector("#card:not(.on)", timeout=5_000)

        # 4. "Show product twelve." → the card of serial 12 (not the 12th row)
        speak(COMMANDS / "show-product-twelve.wav", tiny_en, bus, service)
        assert obs_client.flush()
        assert [e.serial for e in seen if e.type == "ProductCardShown"] == [3, 12]
        assert input_settings(obs_client, TITLE)["text"] == "12号 电饭煲"
        page.wait_for_selector('#card.on[data-serial="12"]', timeout=5_000)
        assert not [e for e in seen if e.type == "ProductCommandRejected"]
    finally:
        page.close()
        tasks.stop()
        service.stop()


def test_an_unknown_serial_shows_nothing_and_tells_the_streamer(headless_obs, obs_client, chromium, overlay) -> None:
    from streamkit.events import Caption

    config = products_config()
    set_up_card_sources(headless_obs.url, headless_obs.password, config)
    bus = EventBus()
    rejected: list[Event] = []
    bus.subscribe(rejected.append)
    cfg = config.section("products")
    service = ProductsService(cfg, catalog_path=SAMPLE_CATALOG, bus=bus, obs=obs_client, overlay=overlay,
                              language="zh-CN")
    tasks = Tasks(service.name)
    service.start(tasks)
    monitor = chromium.new_page()
    card = chromium.new_page()
    try:
        monitor.goto(overlay.url("/products/monitor"))
        card.goto(overlay.url("/products/card"))
        monitor.wait_for_function("events.readyState === 1", timeout=10_000)
        for kind, text in (("partial", "上链接9号"), ("final", "上链接9号。")):
            bus.publish(Caption(kind=kind, text=text, source="mic", speaker="主播", audio_start=0.0, audio_end=1.2,
                                emitted_at=1.5, language="zh", utterance=1, utterance_end=kind == "final"))
        assert obs_client.flush()
        assert [(e.text, e.reason) for e in rejected if e.type == "ProductCommandRejected"] == \
               [("上链接9号", "no product 9 in the catalog")]
        assert not [e for e in rejected if e.type == "ProductCardShown"]
        assert not any(item_enabled(obs_client, SCENE, s) for s in (TITLE, DETAILS, IMAGE))
        monitor.wait_for_selector("#notices li.warning", timeout=5_000)
        notice = monitor.inner_text("#notices li.warning")
        assert "没有 9 号商品" in notice and "1–7、12" in notice
        monitor.screenshot(path=str(ARTIFACTS / "products-monitor-unknown-serial.png"))
        assert card.get_attribute("#card", "data-serial") == "" and card.locator("#card.on").count() == 0
    finally:
        monitor.close()
        card.close()
        tasks.stop()
        service.stop()
