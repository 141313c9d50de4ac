"""The catalog: formats, validation errors with row and column, reload without restart, hotwords."""

from __future__ import annotations

import json
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest

from streamkit.plugins.products.catalog import CatalogError, CatalogWatcher, load_catalog


def test_sample_catalog_loads(catalog) -> None:
    assert catalog.serials == [1, 2, 3, 4, 5, 6, 7, 12]
    cup = catalog.get(1)
    assert cup.name == "保温杯" and cup.price == Decimal("89") and cup.promo_price == Decimal("59.9")
    assert cup.aliases == ("不锈钢保温杯", "杯子", "thermos", "vacuum flask")
    assert cup.selling_points[1] == "12小时保温"
    assert cup.image.is_file() and cup.image.name == "thermos-cup.png"
    assert catalog.get(5).sold_out and not catalog.get(1).sold_out
    assert catalog.get(7).promo_price is None


def test_hotwords_are_names_and_aliases_in_serial_order(catalog) -> None:
    words = catalog.hotwords()
    assert words[:4] == ["保温杯", "不锈钢保温杯", "杯子", "thermos"]
    assert "电饭煲" in words and "rice cooker" in words
    assert len(words) == len(set(words))


def test_neighbours_follow_serial_order(catalog) -> None:
    assert catalog.neighbour(7, +1).serial == 12
    assert catalog.neighbour(12, +1) is None
    assert catalog.neighbour(1, -1) is None
    assert catalog.neighbour(None, +1).serial == 1
    assert catalog.neighbour(9, +1).serial == 12  # a serial gone after a reload: nearest in that direction
    assert catalog.neighbour(9, -1).serial == 7


def test_json_and_toml_and_chinese_headers_give_the_same_products(catalog, catalog_dir: Path) -> None:
    records = [{k: v for k, v in p.to_dict().items() if k != "sold_out"} | {"image": f"products/{p.image.name}"}
               for p in catalog.products]
    (catalog_dir / "c.json").write_text(json.dumps({"products": records}, ensure_ascii=False), encoding="utf-8")
    toml_lines = []
    for r in records:
        toml_lines.append("[[products]]")
        toml_lines += [f"serial = {r['serial']}", f"id = \"{r['id']}\"", f"name = \"{r['name']}\"",
                       f"aliases = {json.dumps(r['aliases'], ensure_ascii=False)}", f"price = {r['price']}",
                       f"image = \"{r['image']}\"", f"selling_points = {json.dumps(r['selling_points'], ensure_ascii=False)}"]
        if r["promo_price"]:
            toml_lines.append(f"promo_price = {r['promo_price']}")
    (catalog_dir / "c.toml").write_text("\n".join(toml_lines), encoding="utf-8")
    zh = ("序号,商品ID,名称,别名,价格,活动价,图片,卖点,库存,链接码\n"
          "1,SKU-1,保温杯,杯子|thermos,¥89,59.9元,products/thermos-cup.png,保温|好看,3,AB\n")
    (catalog_dir / "zh.csv").write_text(zh, encoding="utf-8-sig")  # Excel writes a BOM
    for name in ("c.json", "c.toml"):
        other = load_catalog(catalog_dir / name)
        assert [(p.serial, p.name, p.price, p.promo_price, p.aliases) for p in other.products] == \
               [(p.serial, p.name, p.price, p.promo_price, p.aliases) for p in catalog.products]
    one = load_catalog(catalog_dir / "zh.csv").get(1)
    assert (one.price, one.promo_price, one.aliases, one.stock) == (Decimal("89"), Decimal("59.9"), ("杯子", "thermos"), 3)


def _write(dir_: Path, text: str, name: str = "bad.csv") -> Path:
    path = dir_ / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "serial,id,name,aliases,price,promo_price,image,selling_points,stock,link_code\n"
ROW1 = "1,A,保温杯,,89,59.9,products/thermos-cup.png,,,\n"


@pytest.mark.parametrize("body, expected", [
    ("serial,id,name,image\n1,A,保温杯,products/thermos-cup.png\n", "row 1 (header), column 'price': missing column"),
    (HEADER + ROW1 + "1,B,耳机,,199,,products/earbuds.png,,,\n", "row 3, column 'serial': duplicate serial 1 (already used in row 2)"),
    (HEADER + ROW1 + "2,B,耳机,,19九,,products/earbuds.png,,,\n", "row 3, column 'price': '19九' is not a price"),
    (HEADER + ROW1 + "2,B,耳机,,199,,products/nope.png,,,\n", "row 3, column 'image': image 'products/nope.png' not found"),
    (HEADER + "x,A,保温杯,,89,,products/thermos-cup.png,,,\n", "row 2, column 'serial': 'x' is not a serial number"),
    (HEADER + "1,A,保温杯,,89,99,products/thermos-cup.png,,,\n", "row 2, column 'promo_price': promo price 99 is above the price 89"),
    (HEADER + "1,A,保温杯,,-5,,products/thermos-cup.png,,,\n", "row 2, column 'price': '-5' is not a price"),
    (HEADER + "1,A,保温杯,,89,,products/thermos-cup.png,,很多,\n", "row 2, column 'stock': '很多' is not a stock count"),
    ("serial,id,name,price,image,colour\n1,A,杯,9,products/thermos-cup.png,red\n", "row 1 (header), column 6 'colour': unknown column"),
    (HEADER, "no products"),
])
def test_errors_name_row_and_column(catalog_dir: Path, body: str, expected: str) -> None:
    path = _write(catalog_dir, body)
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    line = str(err.value)
    assert "\n" not in line
    assert line.startswith(str(path))
    assert any(expected in p for p in err.value.problems), err.value.problems


def test_json_errors_name_the_record(catalog_dir: Path) -> None:
    path = _write(catalog_dir, json.dumps({"products": [
        {"serial": 1, "id": "A", "name": "杯", "price": 9, "image": "products/thermos-cup.png"},
        {"serial": 2, "id": "B", "name": "耳机", "image": "products/earbuds.png"},
    ]}, ensure_ascii=False), "bad.json")
    with pytest.raises(CatalogError, match=r"row 2 \(products\[1\]\), column 'price': missing column"):
        load_catalog(path)


def test_every_problem_is_listed(catalog_dir: Path) -> None:
    path = _write(catalog_dir, HEADER + "1,A,杯,,abc,,x.png,,,\n1,B,耳机,,9,,products/earbuds.png,,,\n")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert len(err.value.problems) == 2  # bad price + missing image on row 2 (row 3 is fine)
    assert "(and 1 more)" in str(err.value)


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="unknown catalog format '.xlsx'"):
        load_catalog(_write(tmp_path, "x", "c.xlsx"))
    with pytest.raises(CatalogError, match="catalog file not found"):
        load_catalog(tmp_path / "none.csv")


def _touch_later(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))  # a visibly newer mtime


def test_watcher_reloads_on_change_and_keeps_the_previous_catalog_on_error(catalog_dir: Path) -> None:
    path = catalog_dir / "catalog.csv"
    loaded, errors = [], []
    watcher = CatalogWatcher(path, on_load=loaded.append, on_error=errors.append)
    assert watcher.check() and len(watcher.catalog.products) == 8
    assert not watcher.check()  # unchanged: no reload

    original = path.read_text(encoding="utf-8")
    _touch_later(path, original.replace("保温杯,不锈钢", "真空保温杯,不锈钢"))
    assert watcher.check()
    assert watcher.catalog.get(1).name == "真空保温杯"

    _touch_later(path, original.replace(",89,59.9,", ",八十九,59.9,"))
    assert not watcher.check()
    assert watcher.catalog.get(1).name == "真空保温杯"  # previous catalog still in use
    assert errors and "row 2, column 'price'" in str(errors[-1])
    assert len(loaded) == 2


def test_watcher_thread_picks_up_a_change(catalog_dir: Path) -> None:
    path = catalog_dir / "catalog.csv"
    watcher = CatalogWatcher(path)
    watcher.check()
    watcher.start(interval=0.05)
    try:
        _touch_later(path, path.read_text(encoding="utf-8") + "20,SKU-20,竹筷子,筷子,19,,products/soap.png,,,\n")
        deadline = time.monotonic() + 3
        while watcher.catalog.get(20) is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert watcher.catalog.get(20).name == "竹筷子"
    finally:
        watcher.stop()


@pytest.mark.parametrize("text, name", [
    ("serial,id,name,price\n1,A,土蜂蜜,68\n", "catalog.csv"),                      # no image column at all
    (HEADER + "1,A,土蜂蜜,蜂蜜,68,,,,,\n", "catalog.csv"),                            # an empty image cell
    (json.dumps({"products": [{"serial": 1, "id": "A", "name": "土蜂蜜", "price": 68}]}), "catalog.json"),
])
def test_a_product_without_a_picture_is_a_text_card(catalog_dir: Path, text: str, name: str) -> None:
    product = load_catalog(_write(catalog_dir, text, name)).get(1)
    assert product is not None and product.image is None
    assert product.to_dict()["image"] is None
