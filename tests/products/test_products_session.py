"""The plugin in a session: hooks, the PRODUCTS service, events in the session log, products.json."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest

from products_helpers import SAMPLE_CATALOG

from streamkit.config import load
from streamkit.component import running
from streamkit.features import PRODUCTS, FeatureOff, ProductsApi
from streamkit.obs.dryrun import DryRunObs
from streamkit.plugins import products
from streamkit.runtime import finish_session, start_session
from streamkit.session import SessionStore, read_events


def write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "streamkit.toml"
    path.write_text(f"""
[obs]
enabled = false
[overlay]
port = 0
[products]
catalog = "{SAMPLE_CATALOG}"
min_display_seconds = 0
{extra}
""", encoding="utf-8")
    return path


def test_hooks_describe_config_obs_sources_and_models(tmp_path: Path) -> None:
    config = load(write_config(tmp_path))
    assert products.streamkit_obs_requirements(config) == [
        ("scene", "直播间"), ("input", "商品卡-名称"), ("input", "商品卡-详情"), ("input", "商品卡-图片"),
        ("input", "商品卡-倒计时")]
    specs = products.streamkit_obs_setup(config)
    assert [(s["name"], s["kind"], s["visible"]) for s in specs] == [
        ("商品卡-名称", "text", False), ("商品卡-详情", "text", False), ("商品卡-图片", "image", False),
        ("商品卡-倒计时", "text", False)]
    assert products.streamkit_models(config) == []
    assert config.section("products").auto_hide_seconds == 30.0
    for field in type(config.section("products")).model_fields.values():
        assert field.description, "every key is documented (the README's reference is generated from them)"


def test_a_session_registers_the_service_and_records_the_card(tmp_path: Path) -> None:
    from streamkit.events import Caption

    config = load(write_config(tmp_path))
    store = SessionStore(tmp_path / "home")
    printed = io.StringIO()
    runtime = start_session(config, DryRunObs(out=printed), store=store)
    try:
        service: ProductsApi = runtime.services.get(PRODUCTS)
        assert "重庆小面" in service.hotwords() and "noodles" in service.hotwords("en")
        runtime.bus.publish(Caption(kind="final", text="上链接3号。", source="mic", speaker="主播", audio_start=1.0,
                                    audio_end=2.0, emitted_at=2.6, language="zh", utterance=1, utterance_end=True))
        assert service.on_screen() is not None and service.on_screen().serial == 3
        assert service.next(trigger="gesture")  # the gestures plugin's call
        assert service.on_screen().serial == 4 and service.on_screen().name == "羊毛围巾"
        [status] = [s for s in runtime.statuses() if s.name == "products"]
        assert status.state == "running" and status.figures["on_screen"] == "4 羊毛围巾"
    finally:
        session = finish_session(runtime)
        store.close()
    events, problems = read_events(session.events_path)
    assert not problems
    cards = [(e.type, getattr(e, "serial", None)) for e in events if e.type.startswith("ProductCard")]
    assert cards == [("ProductCardShown", 3), ("ProductCardHidden", 3), ("ProductCardShown", 4),
                     ("ProductCardHidden", 4)]
    assert [e.trigger for e in events if e.type == "ProductCardShown"] == ["上链接3号。", "gesture"]
    assert [e.reason for e in events if e.type == "ProductCardHidden"] == ["replaced", "session end"]
    summary = json.loads((session.dir / "products.json").read_text(encoding="utf-8"))
    assert [(s["serial"], s["reason"]) for s in summary["segments"]] == [(3, "replaced"), (4, "session end")]
    assert all(s["hidden"] >= s["shown"] for s in summary["segments"])
    assert "商品卡-名称 text → 3号 重庆小面" in printed.getvalue()


def test_no_catalog_means_no_product_cards(tmp_path: Path) -> None:
    path = tmp_path / "streamkit.toml"
    path.write_text("[obs]\nenabled = false\n[overlay]\nenabled = false\n", encoding="utf-8")
    store = SessionStore(tmp_path / "home")
    runtime = start_session(load(path), DryRunObs(out=io.StringIO()), store=store)
    try:
        assert runtime.services.find(PRODUCTS) is None
        with pytest.raises(FeatureOff, match=r"product cards is off in this session — set \[products\] catalog"):
            runtime.services.get(PRODUCTS)
    finally:
        finish_session(runtime)
        store.close()


def test_a_bad_catalog_at_start_is_reported_and_the_session_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("serial,id,name,price,image\n1,A,杯,nine,x.png\n", encoding="utf-8")
    path = tmp_path / "streamkit.toml"
    path.write_text(f'[obs]\nenabled = false\n[overlay]\nport = 0\n[products]\ncatalog = "{bad}"\n', encoding="utf-8")
    store = SessionStore(tmp_path / "home")
    runtime = start_session(load(path), DryRunObs(out=io.StringIO()), store=store)
    try:
        assert not runtime.services.get(PRODUCTS).show(1, trigger="manual")
    finally:
        session = finish_session(runtime)
        store.close()
    events, _ = read_events(session.events_path)
    rejected = [e for e in events if e.type == "ProductCatalogRejected"]
    assert rejected and "row 2, column 'price': 'nine' is not a price" in rejected[0].error


def test_an_edited_catalog_is_used_without_a_restart(catalog_dir: Path) -> None:
    from streamkit.bus import EventBus
    from streamkit.plugins.products.service import ProductsService

    cfg = load(write_config(catalog_dir, "reload_seconds = 0.05")).section("products")
    bus = EventBus()
    seen = []
    bus.subscribe(seen.append)
    service = ProductsService(cfg, catalog_path=catalog_dir / "catalog.csv", bus=bus)
    with running(service):
        assert service.parse("给大家上一下竹筷子").action is None
        path = catalog_dir / "catalog.csv"
        path.write_text(path.read_text(encoding="utf-8") + "20,SKU-20,竹筷子,筷子|chopsticks,19,,products/soap.png,,,\n",
                        encoding="utf-8")
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
        deadline = time.monotonic() + 3
        while service.catalog.get(20) is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert service.parse("给大家上一下竹筷子").product == 20
        assert "chopsticks" in service.hotwords("en")
        assert [e.products for e in seen if e.type == "ProductCatalogLoaded"] == [8, 9]
