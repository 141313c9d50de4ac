"""The products page of the panel in Chromium, keyboard only: import .xlsx, edit, pictures, preview, dock width.

Every state is checked with axe-core (WCAG 2.2 AA) and looked at in a screenshot (zh-CN first).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from panel_helpers import ARTIFACTS, check_axe, tab_to
from PIL import Image
from products_panel_helpers import (announced, choose_file, focused, home_with_catalog, open_products, press_on, products_shot,
                                    small_targets)

from streamkit.plugins.products.catalog import load_catalog

pytestmark = pytest.mark.browser
SHEETS = Path(__file__).resolve().parents[1] / "products"


def seller_sheet(folder: Path, broken: bool = False) -> Path:
    """A real .xlsx as sellers keep it (made by the import tests' helper)."""
    import sys

    sys.path.insert(0, str(SHEETS))
    from sheets_helpers import edit_cell, seller_workbook

    path = seller_workbook(folder / ("坏表格.xlsx" if broken else "双十一商品.xlsx"))
    for name in ("thermos-cup.png", "earbuds.png"):
        (folder / name).write_bytes((SHEETS.parents[1] / "samples" / "products" / name).read_bytes())
    if broken:
        edit_cell(path, "C4", "九块九")
        edit_cell(path, "B6", None)
    return path


def png(colour: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, "PNG")
    return out.getvalue()


def test_import_xlsx_by_keyboard_then_a_broken_one_changes_nothing(panel, page, home: Path, tmp_path: Path) -> None:
    catalog = home_with_catalog(home)
    open_products(page, panel.url)
    check_axe(page, "products: the sample catalog")
    products_shot(page, "table")

    choose_file(page, "#import-file", seller_sheet(tmp_path))
    press_on(page, "#import-button")
    page.wait_for_selector("#import-done")
    announced(page, "已导入 3 个商品并保存")
    assert focused(page) == "import-result"
    assert "认出了：序号 → 序号、名称 → 名称、原价 → 价格、到手价 → 活动价" in page.inner_text("#import-done")
    assert [p.name for p in load_catalog(catalog).products] == ["保温杯", "蓝牙耳机", "重庆小面"]
    assert page.inner_text("#products-caption") == "商品目录：3 个商品"
    check_axe(page, "products: imported")
    products_shot(page, "import-done")

    before = catalog.read_bytes()
    choose_file(page, "#import-file", seller_sheet(tmp_path, broken=True))
    press_on(page, "#import-button")
    page.wait_for_selector("#import-errors")
    lines = page.locator("#import-errors li").all_inner_texts()
    assert "第 4 行「原价」列：'九块九' 不是价格 — 写成 9.9" in lines
    assert "第 6 行「名称」列：是空的 — 每个商品都要有名称" in lines
    announced(page, "「坏表格.xlsx」有 2 处问题，什么都没有导入，原来的商品目录没有改动")
    assert catalog.read_bytes() == before and page.inner_text("#products-caption") == "商品目录：3 个商品"
    check_axe(page, "products: import rejected")
    products_shot(page, "import-rejected")

    not_a_sheet = tmp_path / "照片.xlsx"
    not_a_sheet.write_bytes(png())
    choose_file(page, "#import-file", not_a_sheet)
    press_on(page, "#import-button")
    page.wait_for_function("document.querySelector('#import-errors li')?.textContent.includes('不是 Excel 工作簿')")
    assert catalog.read_bytes() == before


def test_import_creates_a_catalog_and_names_it_in_the_config(panel, page, home: Path, tmp_path: Path) -> None:
    open_products(page, panel.url)
    assert "还没有商品目录" in page.inner_text("#catalog-file")
    check_axe(page, "products: no catalog yet")
    choose_file(page, "#import-file", seller_sheet(tmp_path))
    press_on(page, "#import-button")
    page.wait_for_selector("#import-done")
    target = home / "products" / "catalog.csv"
    assert load_catalog(target).serials == [1, 2, 3]
    assert page.inner_text("#catalog-file") == f"商品目录文件：{target}"
    assert panel.host.config().section("products").catalog == str(target)


def test_edit_add_delete_undo_and_move_by_keyboard(panel, page, home: Path) -> None:
    catalog = home_with_catalog(home)
    open_products(page, panel.url)
    press_on(page, "button[data-action='edit'][data-index='0']")
    assert focused(page) == "editor-heading" and page.inner_text("#editor-heading") == "编辑 1号 保温杯"
    tab_to(page, "#f-price")
    page.keyboard.press("Control+A")
    page.keyboard.type("八十九块")
    press_on(page, "#save-button")
    page.wait_for_selector("#form-errors:not([hidden])")
    assert focused(page) == "form-errors"
    assert page.inner_text("#f-price-error") == "第 1 行「价格」列：'八十九块' 不是价格 — 写成 89"
    assert page.get_attribute("#f-price", "aria-invalid") == "true"
    assert "f-price-error" in page.get_attribute("#f-price", "aria-describedby")
    check_axe(page, "products: a row with an error")
    products_shot(page, "edit-error")
    page.keyboard.press("Tab")  # the summary's link takes the focus to the field
    page.keyboard.press("Enter")
    assert focused(page) == "f-price"
    page.keyboard.press("Control+A")
    page.keyboard.type("79")
    press_on(page, "#save-button")
    announced(page, "已保存 1号 保温杯")
    assert load_catalog(catalog).get(1).price == 79
    assert page.evaluate("document.activeElement.dataset.action") == "edit"

    press_on(page, "#add-button")
    assert page.input_value("#f-serial") == "13"
    for field, value in (("#f-name", "手工红糖"), ("#f-price", "39"), ("#f-selling_points", "古法熬制|500克")):
        tab_to(page, field)
        page.keyboard.type(value)
    press_on(page, "#save-button")
    announced(page, "已保存 13号 手工红糖")
    added = load_catalog(catalog).get(13)
    assert added.name == "手工红糖" and added.image is None and added.id == "13"  # a text card

    press_on(page, "button[data-action='delete'][data-index='1']")
    announced(page, "已删除 2号 蓝牙耳机")
    assert focused(page) == "undo-button" and 2 not in load_catalog(catalog).serials
    check_axe(page, "products: deleted, undo offered")
    products_shot(page, "deleted-undo")
    page.keyboard.press("Enter")
    announced(page, "已恢复 2号 蓝牙耳机")
    assert load_catalog(catalog).get(2).name == "蓝牙耳机"

    page.focus("button[data-action='down'][data-index='0']")
    page.keyboard.press("Enter")
    announced(page, "保温杯 现在是 2 号")
    moved = load_catalog(catalog)
    assert (moved.get(1).name, moved.get(2).name) == ("蓝牙耳机", "保温杯")


def test_what_is_typed_survives_a_reload(panel, page, home: Path) -> None:
    catalog = home_with_catalog(home)
    before = catalog.read_bytes()
    open_products(page, panel.url)
    press_on(page, "button[data-action='edit'][data-index='2']")
    tab_to(page, "#f-name")
    page.keyboard.press("Control+A")
    page.keyboard.type("重庆小面（麻辣）")
    page.reload()
    page.wait_for_selector("body[data-products-ready='1']")
    announced(page, "已恢复上次没保存的修改")
    assert page.input_value("#f-name") == "重庆小面（麻辣）" and catalog.read_bytes() == before
    check_axe(page, "products: a draft restored")
    products_shot(page, "draft-restored")
    press_on(page, "#save-button")
    announced(page, "已保存 3号 重庆小面（麻辣）")
    assert load_catalog(catalog).get(3).name == "重庆小面（麻辣）"
    page.reload()
    page.wait_for_selector("body[data-products-ready='1']")
    assert page.is_hidden("#editor")  # a saved draft is gone


def test_a_picture_by_upload_and_by_paste_and_one_that_is_not_a_picture(panel, page, home: Path, tmp_path: Path) -> None:
    catalog = home_with_catalog(home)
    open_products(page, panel.url)
    press_on(page, "button[data-action='edit'][data-index='6']")  # 7号 土蜂蜜
    fake = tmp_path / "不是图片.png"
    fake.write_text("这只是文字", encoding="utf-8")
    tab_to(page, "#f-name")
    page.keyboard.press("End")  # tabbing into a field selects its text
    page.keyboard.type("（新）")
    choose_file(page, "#picture-file", fake)
    page.wait_for_selector("#f-image-error:not([hidden])")
    assert page.inner_text("#f-image-error") == "这个文件不是图片 — 选一张 PNG 或 JPG 图片"
    assert page.input_value("#f-name") == "土蜂蜜（新）"  # nothing typed is lost
    check_axe(page, "products: a file that is not a picture")
    products_shot(page, "picture-rejected")

    upload = tmp_path / "蜂蜜.png"
    upload.write_bytes(png((230, 180, 20)))
    choose_file(page, "#picture-file", upload)
    announced(page, "图片已加上（120×90），保存后生效")
    press_on(page, "#save-button")
    announced(page, "已保存 7号 土蜂蜜（新）")
    honey = load_catalog(catalog).get(7)
    assert honey.image is not None and honey.image.parent == (home / "products" / "pictures").resolve()
    assert honey.image.read_bytes() == upload.read_bytes()

    press_on(page, "button[data-action='edit'][data-index='0']")
    press_on(page, "#paste-button")
    announced(page, "现在按 Ctrl+V 粘贴图片")
    pasted = png((10, 160, 90))
    page.evaluate("""(bytes) => {
        const file = new File([new Uint8Array(bytes)], "clipboard.png", { type: "image/png" });
        const data = new DataTransfer();
        data.items.add(file);
        document.activeElement.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }""", list(pasted))
    announced(page, "图片已加上（120×90）")
    page.wait_for_function("document.getElementById('picture-thumb').complete && document.getElementById('picture-thumb').naturalWidth === 120")
    products_shot(page, "picture-pasted")
    press_on(page, "#save-button")
    announced(page, "已保存 1号 保温杯")
    assert load_catalog(catalog).get(1).image.read_bytes() == pasted


def test_dock_width_200_percent_zoom_and_forced_colours(panel, browser, home: Path) -> None:
    home_with_catalog(home)
    for name, viewport, scale in (("dock-360", {"width": 360, "height": 700}, 1), ("zoom-200", {"width": 640, "height": 450}, 2),
                                  ("forced-colours", {"width": 1280, "height": 900}, 1)):
        context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="zh-CN")
        page = context.new_page()
        try:
            if name == "forced-colours":
                page.emulate_media(forced_colors="active")
            open_products(page, panel.url)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
            stacked = page.evaluate("getComputedStyle(document.querySelector('#products-body tr')).display") == "block"
            assert stacked == (viewport["width"] < 700), name  # one labelled card per product below 40rem
            assert not small_targets(page), small_targets(page)
            check_axe(page, f"products: {name}")
            products_shot(page, name)
            press_on(page, "button[data-action='edit'][data-index='0']")
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid", name  # the heading's ring
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
            check_axe(page, f"products: {name}, editing")
            products_shot(page, f"{name}-editing")
        finally:
            context.close()


def test_english_and_visible_focus(panel, page, home: Path) -> None:
    home_with_catalog(home)
    page.goto(panel.url + "/products?lang=en")
    page.wait_for_selector("body[data-products-ready='1']")
    assert page.inner_text("h1") == "Products" and page.inner_text("#products-caption") == "Catalog: 8 products"
    check_axe(page, "products: English")
    tab_to(page, "button[data-action='edit'][data-index='0']", limit=120)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px")
    products_shot(page, "english-focus", full_page=False)


def overlay_card_shot(browser, product) -> bytes:
    """The card as the session's overlay page draws it (OBS browser source), for ``product``."""
    from fastapi.responses import FileResponse

    from streamkit.overlay import OverlayServer
    from streamkit.plugins.products.cards import CardView
    from streamkit.plugins.products.service import PAGES_DIR
    from streamkit.plugins.products.sinks import CARD_PAGE, IMAGE_ROUTE, OverlayCardSink

    overlay = OverlayServer().start()
    overlay.add_page(CARD_PAGE, (PAGES_DIR / "card.html").read_text(encoding="utf-8"))

    async def image(serial: int) -> FileResponse:
        return FileResponse(product.image)

    overlay.app.add_api_route(IMAGE_ROUTE + "/{serial}", image, methods=["GET"])
    stream = browser.new_page(viewport={"width": 720, "height": 400}, bypass_csp=True)  # the test's own wait predicates need eval
    try:
        stream.goto(overlay.url(CARD_PAGE))
        stream.wait_for_function("typeof events !== 'undefined' && events.readyState === 1")
        OverlayCardSink(overlay, "zh-CN").show(CardView(product))
        stream.wait_for_selector('#card.on[data-serial="1"]')
        stream.wait_for_function("document.getElementById('image').complete")
        stream.wait_for_timeout(600)  # the slide-in
        stream.evaluate("document.documentElement.style.background = '#fff'")  # the same backdrop as below
        return stream.locator("#card").screenshot()
    finally:
        stream.close()
        overlay.stop()


def test_preview_is_the_overlay_card(panel, page, browser, home: Path) -> None:
    """The panel's preview draws the overlay page's card: the same pixels for the same product."""
    catalog = home_with_catalog(home)
    open_products(page, panel.url)
    press_on(page, "button[data-action='preview'][data-index='0']")
    announced(page, "正在预览：保温杯")
    frame = page.frame_locator("#preview-frame")
    frame.locator('#card.on[data-serial="1"]').wait_for()
    page.wait_for_function("document.getElementById('preview-frame').contentDocument.getElementById('image').complete")
    page.wait_for_timeout(600)  # the slide-in
    check_axe(page, "products: a card previewed")
    products_shot(page, "preview")
    card = page.evaluate("""async () => (await (await fetch('/products/api/preview', {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': window.streamkitPanel.csrf},
        body: JSON.stringify({row: {serial: '1', id: 'SKU-1001', name: '保温杯', price: '89', promo_price: '59.9',
          selling_points: '316不锈钢内胆|12小时保温|一键开盖', image: 'products/thermos-cup.png'}})})).json()).card""")
    alone = browser.new_page(viewport={"width": 720, "height": 400}, bypass_csp=True)  # the preview page at the overlay's size (the test's own wait predicates need eval)
    try:
        alone.goto(panel.url + "/products/card-preview?preview=1")
        alone.evaluate("(card) => window.postMessage(card, location.origin)", card)
        alone.wait_for_selector('#card.on[data-serial="1"]')
        alone.wait_for_function("document.getElementById('image').complete")
        alone.wait_for_timeout(600)
        alone.evaluate("document.documentElement.style.background = '#fff'")
        in_panel = Image.open(io.BytesIO(alone.locator("#card").screenshot())).convert("RGB")
    finally:
        alone.close()
    on_stream = Image.open(io.BytesIO(overlay_card_shot(browser, load_catalog(catalog).get(1)))).convert("RGB")
    assert all(abs(a - b) <= 1 for a, b in zip(in_panel.size, on_stream.size)), (in_panel.size, on_stream.size)
    box = (0, 0, min(in_panel.width, on_stream.width), min(in_panel.height, on_stream.height))  # a sub-pixel edge apart
    in_panel, on_stream = in_panel.crop(box), on_stream.crop(box)
    in_panel.save(ARTIFACTS / "products-preview-card.png")
    on_stream.save(ARTIFACTS / "products-overlay-card.png")
    diff = sum(abs(x - y) for p, q in zip(in_panel.getdata(), on_stream.getdata()) for x, y in zip(p, q))
    mean = diff / (in_panel.size[0] * in_panel.size[1] * 3)
    assert mean < 2.0, f"the preview differs from the overlay card by {mean:.2f} per channel"
