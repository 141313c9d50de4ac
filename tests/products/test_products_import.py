"""Importing the catalog from a real .xlsx (and CSV): header mapping, errors by row and column, nothing lost."""

from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sheets_helpers import PRODUCTS_DIR, a_date, edit_cell, seller_workbook, with_cached_results

from streamkit.plugins.products.catalog import CatalogError, load_catalog
from streamkit.plugins.products.sheets import MAX_IMPORT_BYTES, import_catalog
from streamkit.plugins.products.writer import write_catalog


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the sample pictures the sheets name."""
    for name in ("thermos-cup.png", "earbuds.png"):
        shutil.copy(PRODUCTS_DIR / name, tmp_path / name)
    return tmp_path


def imported(path: Path):
    return import_catalog(path.read_bytes(), path.name, base=path.parent)


def problems(path: Path, language: str = "zh-CN") -> list[str]:
    with pytest.raises(CatalogError) as err:
        imported(path)
    return err.value.sentences(language)


def test_a_sellers_sheet_imports_with_chinese_headers(folder: Path) -> None:
    result = imported(seller_workbook(folder / "商品.xlsx"))
    catalog = result.catalog
    assert catalog.serials == [1, 2, 3]
    cup = catalog.get(1)
    assert (cup.name, cup.price, cup.promo_price) == ("保温杯", Decimal("89"), Decimal("59.9"))  # 59.9 stored as text
    assert cup.selling_points == ("316不锈钢内胆", "12小时保温") and cup.aliases == ("杯子", "thermos")
    assert cup.image == (folder / "thermos-cup.png").resolve()
    assert catalog.get(3).image is None and catalog.get(3).price == Decimal("29.9")  # a text card
    assert cup.id == "1"  # no 商品ID column: the serial is the id
    assert (result.sheet, result.header_row) == ("商品", 2)  # under the merged title row
    assert result.recognised == {"serial": "序号", "name": "名称", "price": "原价", "promo_price": "到手价",
                                 "selling_points": "卖点", "image": "图片", "aliases": "别名"}
    assert result.ignored == ("备注",)
    summary = result.summary("zh-CN")
    assert "到手价 → 活动价" in summary and "没有用到：备注" in summary and "用序号当商品ID" in summary
    assert "promo_price" in result.summary("en")


def test_english_headers_and_a_number_column_of_floats(folder: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No.", "Product name", "Price", "Sale price", "Stock", "SKU"])
    ws.append([1.0, "Thermos", 89.0, 59.900000000000006, 12.0, 1001.0])  # float noise from a formula copy
    wb.save(folder / "en.xlsx")
    product = imported(folder / "en.xlsx").catalog.get(1)
    assert (product.price, product.promo_price, product.stock, product.id) == (Decimal("89"), Decimal("59.9"), 12, "1001")


def test_merged_cells_count_for_every_row_they_cover(folder: Path) -> None:
    path = seller_workbook(folder / "m.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["E3"] = "买一送一"
    ws.merge_cells("E3:E4")  # one selling point written once for products 1 and 2
    wb.save(path)
    catalog = imported(path).catalog
    assert catalog.get(1).selling_points == ("买一送一",) == catalog.get(2).selling_points


def test_formula_with_its_saved_result_imports_the_result(folder: Path) -> None:
    path = edit_cell(seller_workbook(folder / "f.xlsx"), "D3", "=C3*0.8")
    with_cached_results(path, {"D3": "71.2"})
    assert imported(path).catalog.get(1).promo_price == Decimal("71.2")


def test_formula_without_a_saved_result_is_one_sentence(folder: Path) -> None:
    path = edit_cell(seller_workbook(folder / "f.xlsx"), "D3", "=C3*0.8")
    assert problems(path) == ["第 3 行「到手价」列：公式 =C3*0.8 没有算好的结果 — 用 Excel 或 WPS 打开文件保存一次，再导入"]


def test_a_price_in_words_says_how_to_write_it(folder: Path) -> None:
    path = edit_cell(seller_workbook(folder / "p.xlsx"), "C4", "九块九")  # row 4: product 2
    assert problems(path) == ["第 4 行「原价」列：'九块九' 不是价格 — 写成 9.9"]
    assert problems(path, "en") == ["row 4, column '原价': '九块九' is not a price — write a number like 9.9"]


def test_a_date_in_the_price_column_is_a_wrong_type(folder: Path) -> None:
    path = edit_cell(seller_workbook(folder / "d.xlsx"), "C3", a_date())
    assert problems(path) == ["第 3 行「原价」列：日期 2024-11-11 不是价格 — 把这一格设成「常规」格式，写成 59.9"]


def test_every_problem_is_listed_in_row_order(folder: Path) -> None:
    path = seller_workbook(folder / "x.xlsx")
    edit_cell(path, "C6", "abc")
    edit_cell(path, "B3", None)
    edit_cell(path, "F4", "nope.png")
    lines = problems(path)
    assert [line.split("：")[0] for line in lines] == ["第 3 行「名称」列", "第 6 行「原价」列"]


def test_a_picture_that_is_not_found_imports_as_a_text_card(folder: Path) -> None:
    result = imported(edit_cell(seller_workbook(folder / "x.xlsx"), "F4", "pics/nope.png"))
    assert result.catalog.get(2).image is None and result.catalog.get(1).image is not None
    assert result.missing_pictures == ((4, "pics/nope.png"),)
    assert "找不到这些图片，先做成文字卡片（导入后可以在表格里上传）：第 4 行 pics/nope.png" in result.summary("zh-CN")


def test_duplicate_serials_name_both_rows(folder: Path) -> None:
    path = edit_cell(seller_workbook(folder / "dup.xlsx"), "A4", 1)
    assert problems(path) == ["第 4 行「序号」列：1 重复了（第 3 行已经用过）— 改成别的"]


def test_missing_required_column(folder: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "名称", "卖点"])
    wb.active.append([1, "保温杯", "保温"])
    wb.save(folder / "noprice.xlsx")
    assert problems(folder / "noprice.xlsx") == ["第 1 行「price」列：缺少这一列 — 在列名那一行加上「价格」"]


def test_a_sheet_without_headers(folder: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, 2])
    wb.save(folder / "h.xlsx")
    assert problems(folder / "h.xlsx") == ["前 10 行里找不到列名 — 在一行里写上列名（序号、名称、价格……）"]


def test_the_first_sheet_with_products_is_used(folder: Path) -> None:
    path = seller_workbook(folder / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("说明", 0)
    notes.append(["这个表格是给直播用的"])
    wb.active = 0
    wb.save(path)
    assert imported(path).sheet == "商品"


@pytest.mark.parametrize("name, data, expected", [
    ("商品.xlsx", "这不是表格".encode(), "不是 Excel 工作簿（.xlsx）— 在 Excel 或 WPS 里另存为 .xlsx 或「CSV UTF-8」再导入"),
    ("旧.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "这是旧版 Excel 97–2003 文件（.xls）— 另存为 .xlsx（文件 → 另存为 → Excel 工作簿）再导入"),
    ("伪装.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "这是旧版 Excel 97–2003 文件（.xls）— 另存为 .xlsx（文件 → 另存为 → Excel 工作簿）再导入"),
    ("图.png", (PRODUCTS_DIR / "earbuds.png").read_bytes(), "不认识的文件类型 '.png' — 用 .xlsx 或 .csv 文件"),
    ("大.xlsx", bytes(MAX_IMPORT_BYTES + 1), "文件有 5.0 MB，超过了 5.0 MB 的上限 — 请导入小一些的文件"),
])
def test_a_file_that_is_not_a_workbook(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert problems(path) == [expected]


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    assert problems(path, "en") == ["not an Excel workbook (.xlsx) — save it from Excel or WPS as .xlsx or CSV UTF-8"]


def test_csv_from_excel_in_gbk(folder: Path) -> None:
    text = "商品清单\n序号,名称,价格,活动价,图片\n1,保温杯,89,59.9,thermos-cup.png\n\n2,红糖,39,,\n"
    path = folder / "gbk.csv"
    path.write_bytes(text.encode("gb18030"))
    result = imported(path)
    assert [p.name for p in result.catalog.products] == ["保温杯", "红糖"] and result.header_row == 2


def test_an_imported_catalog_round_trips_through_every_format(folder: Path) -> None:
    catalog = imported(seller_workbook(folder / "商品.xlsx")).catalog
    for suffix in (".csv", ".json", ".toml"):
        path = write_catalog(catalog, folder / f"catalog{suffix}")
        again = load_catalog(path)
        assert again.products == tuple(p for p in catalog.products), suffix
    assert (folder / "catalog.csv").read_text(encoding="utf-8").startswith("序号,商品ID,名称,价格,活动价,卖点,图片,别名,库存,链接码\n")
    assert "thermos-cup.png" in (folder / "catalog.csv").read_text(encoding="utf-8")  # relative inside its folder
