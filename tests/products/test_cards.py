"""The card controller: minimum display, auto-hide, re-show gap, next/previous, flash sale, rejections."""

from __future__ import annotations

from streamkit.plugins.products.catalog import Catalog
from streamkit.plugins.products.parser import CommandParser


def test_show_then_hide_after_the_minimum_display_time(cards, clock) -> None:
    ctl, sink, rec = cards
    assert ctl.show(3, trigger="上链接3号")
    assert sink.calls == [("show", 3)]
    shown = rec.of("ProductCardShown")
    assert [(e.serial, e.product_id, e.name, e.trigger) for e in shown] == [(3, "SKU-1003", "重庆小面", "上链接3号")]
    clock.advance(1)
    assert ctl.hide(reason="spoken")
    assert sink.calls == [("show", 3)]  # too soon: waits until 3 s after showing
    clock.advance(1.9)
    ctl.tick()
    assert sink.calls == [("show", 3)]
    clock.advance(0.2)
    ctl.tick()
    assert sink.calls == [("show", 3), ("hide", None)]
    assert [(e.serial, e.reason) for e in rec.of("ProductCardHidden")] == [(3, "spoken")]


def test_auto_hide(cards, clock) -> None:
    ctl, sink, rec = cards
    ctl.show(1)
    clock.advance(29.9)
    ctl.tick()
    assert ctl.visible_serial == 1
    clock.advance(0.2)
    ctl.tick()
    assert ctl.visible_serial is None
    assert rec.of("ProductCardHidden")[0].reason == "auto-hide"


def test_showing_the_same_card_again_restarts_its_timer_without_flicker(cards, clock) -> None:
    ctl, sink, rec = cards
    ctl.show(2, trigger="a")
    clock.advance(20)
    ctl.show(2, trigger="b")
    clock.advance(20)
    ctl.tick()
    assert ctl.visible_serial == 2
    assert sink.calls == [("show", 2)] and len(rec.of("ProductCardShown")) == 1


def test_switching_cards_waits_for_the_minimum_display_time_and_reports_replaced(cards, clock) -> None:
    ctl, sink, rec = cards
    ctl.show(1, trigger="x")
    clock.advance(1)
    ctl.show(2, trigger="y")
    assert ctl.visible_serial == 1
    clock.advance(2)
    ctl.tick()
    assert ctl.visible_serial == 2
    assert sink.calls == [("show", 1), ("show", 2)]
    assert [(e.serial, e.reason) for e in rec.of("ProductCardHidden")] == [(1, "replaced")]


def test_the_card_just_hidden_is_not_reshown_within_the_gap(cards, clock) -> None:
    ctl, sink, rec = cards
    ctl.show(4, trigger="上链接4号")
    clock.advance(5)
    ctl.hide(reason="spoken")
    clock.advance(3)
    assert not ctl.show(4, trigger="上链接4号")
    assert ctl.visible_serial is None
    rejected = rec.of("ProductCommandRejected")
    assert rejected and "less than 10 s ago" in rejected[-1].reason
    assert rec.notices[-1][0] == "warning" and "4 号刚刚展示过" in rec.notices[-1][1]
    assert ctl.show(4, trigger="manual")  # the streamer's explicit manual command always works
    clock.advance(5)
    ctl.hide()
    clock.advance(10.5)
    assert ctl.show(4, trigger="gesture")


def test_unknown_serial_shows_nothing_and_tells_the_streamer(cards) -> None:
    ctl, sink, rec = cards
    assert not ctl.show(9, trigger="上链接9号", language="zh-CN")
    assert sink.calls == []
    assert [(e.text, e.reason) for e in rec.of("ProductCommandRejected")] == [("上链接9号", "no product 9 in the catalog")]
    assert rec.notices == [("warning", "没有 9 号商品（目录里有 1–7、12 号），卡片没有上屏", "zh-CN")]
    ctl.show(99, trigger="show product 99", language="en")
    assert rec.notices[-1][1] == "There is no product 99 (the catalog has 1–7, 12); nothing was shown"


def test_next_and_previous_walk_the_catalog(cards, clock) -> None:
    ctl, sink, rec = cards
    assert ctl.next()  # nothing shown yet: the first product
    for _ in range(7):
        clock.advance(3)
        ctl.next()
    assert [s for k, s in sink.calls if k == "show"] == [1, 2, 3, 4, 5, 6, 7, 12]
    clock.advance(3)
    assert not ctl.next()
    assert rec.notices[-1][1] == "已经是最后一个商品了"
    assert ctl.previous()
    assert ctl.visible_serial == 7
    clock.advance(5)
    ctl.hide()
    clock.advance(11)
    ctl.tick()
    assert ctl.next()  # from the last card shown, even after it was hidden
    assert ctl.visible_serial == 12


def test_flash_sale_counts_down_and_keeps_the_card_up(cards, clock) -> None:
    ctl, sink, rec = cards
    assert not ctl.flash_sale(60)  # no card yet
    assert rec.notices[-1][1] == "先上链接，再开秒杀"
    ctl.show(3)
    clock.advance(3)
    assert ctl.flash_sale(45)
    assert [(e.serial, e.seconds) for e in rec.of("FlashSaleStarted")] == [(3, 45)]
    ctl.tick()
    clock.advance(1)
    ctl.tick()
    clock.advance(1)
    ctl.tick()
    assert [v for k, v in sink.calls if k == "countdown"] == [45, 44, 43]
    clock.advance(43)
    ctl.tick()
    assert ("countdown", 0) in sink.calls and ctl.visible_serial == 3
    clock.advance(4)
    ctl.tick()
    assert ctl.visible_serial is None  # 45 s + 3 s linger; longer than a 30 s auto-hide


def test_flash_sale_on_a_named_product_shows_it(cards) -> None:
    ctl, sink, rec = cards
    assert ctl.flash_sale(30, serial=6)
    assert ctl.visible_serial == 6 and ctl.current.flash_seconds == 30


def test_execute_spoken_commands(cards, catalog, clock) -> None:
    ctl, sink, rec = cards
    parser = CommandParser(catalog)
    for text in ["上链接3号", "下一个链接", "previous product", "hide the card"]:
        ctl.execute(parser.parse(text), text)
        clock.advance(4)
        ctl.tick()
    assert [c for c in sink.calls] == [("show", 3), ("show", 4), ("show", 3), ("hide", None)]
    assert [e.trigger for e in rec.of("ProductCardShown")] == ["上链接3号", "下一个链接", "previous product"]


def test_a_catalog_change_redraws_or_hides_the_card(catalog, cards) -> None:
    ctl, sink, rec = cards
    ctl.show(3)
    current = {"c": catalog}
    ctl._catalog = lambda: current["c"]
    renamed = tuple(p if p.serial != 3 else p.__class__(**{**p.__dict__, "name": "麻辣小面"}) for p in catalog.products)
    current["c"] = Catalog(catalog.path, renamed)
    ctl.catalog_changed()
    assert ctl.current.product.name == "麻辣小面" and sink.calls[-1] == ("show", 3)
    current["c"] = Catalog(catalog.path, tuple(p for p in catalog.products if p.serial != 3))
    ctl.catalog_changed()
    assert ctl.visible_serial is None and rec.of("ProductCardHidden")[-1].reason == "catalog"
