"""Writing catalogs (round trip, atomic, backups), storing pictures, and `streamkit products import`."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from products_helpers import SAMPLE_CATALOG
from sheets_helpers import PRODUCTS_DIR, edit_cell, seller_workbook

from streamkit.plugins.products.catalog import CatalogError, load_catalog
from streamkit.plugins.products.pictures import MAX_PICTURE_BYTES, PictureError, check_picture, store_picture
from streamkit.plugins.products.writer import catalog_text, replace_catalog, write_catalog


def test_the_sample_catalog_round_trips_in_every_format(tmp_path: Path) -> None:
    sample = load_catalog(SAMPLE_CATALOG)
    for suffix in (".csv", ".json", ".toml"):
        again = load_catalog(write_catalog(sample, tmp_path / f"c{suffix}"))
        assert again.products == sample.products, suffix  # pictures outside the folder: absolute paths
    inside = load_catalog(write_catalog(sample, SAMPLE_CATALOG.parent / ".roundtrip-test.csv"))
    try:
        assert inside.products == sample.products
        assert "products/thermos-cup.png" in (SAMPLE_CATALOG.parent / ".roundtrip-test.csv").read_text(encoding="utf-8")
    finally:
        (SAMPLE_CATALOG.parent / ".roundtrip-test.csv").unlink()


def test_replacing_keeps_the_previous_file_and_refuses_an_unknown_format(tmp_path: Path) -> None:
    sample = load_catalog(SAMPLE_CATALOG)
    path = tmp_path / "catalog.csv"
    path.write_text("old", encoding="utf-8")
    backup = replace_catalog(sample, path)
    assert backup is not None and backup.read_text(encoding="utf-8") == "old"
    assert load_catalog(path).serials == sample.serials
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind
    with pytest.raises(CatalogError, match="unknown catalog format '.xlsx'"):
        replace_catalog(sample, tmp_path / "c.xlsx")
    assert not (tmp_path / "c.xlsx").exists()
    with pytest.raises(CatalogError):
        catalog_text(sample, tmp_path / "c.txt")


def png_bytes(size: tuple[int, int] = (40, 30), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, fmt)
    return out.getvalue()


def test_a_picture_is_checked_and_stored_by_its_content(tmp_path: Path) -> None:
    data = png_bytes()
    first = store_picture(data, tmp_path)
    again = store_picture(data, tmp_path)
    assert first.path == again.path and first.path.read_bytes() == data
    assert first.path.parent == tmp_path / "products" / "pictures" and first.path.suffix == ".png"
    assert (first.width, first.height, first.format) == (40, 30, "PNG")
    assert store_picture(png_bytes(fmt="JPEG"), tmp_path).path.suffix == ".jpg"


@pytest.mark.parametrize("data, code", [
    (b"", "empty"),
    ("这不是图片".encode(), "not_image"),
    (png_bytes()[:60], "broken"),  # a cut-off PNG
    (bytes(MAX_PICTURE_BYTES + 1), "too_large"),
    (png_bytes((9000, 10)), "too_big"),
])
def test_what_is_not_a_usable_picture(tmp_path: Path, data: bytes, code: str) -> None:
    with pytest.raises(PictureError) as err:
        store_picture(data, tmp_path)
    assert err.value.code == code
    assert not (tmp_path / "products" / "pictures").exists() or not any((tmp_path / "products" / "pictures").iterdir())


def test_a_tiff_is_a_picture_obs_cannot_show() -> None:
    with pytest.raises(PictureError) as err:
        check_picture(png_bytes(fmt="TIFF"))
    assert err.value.code == "format"


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STREAMKIT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "streamkit", "products", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_cli_imports_into_the_configured_catalog(tmp_path: Path) -> None:
    for name in ("thermos-cup.png", "earbuds.png"):
        shutil.copy(PRODUCTS_DIR / name, tmp_path / name)
    sheet = seller_workbook(tmp_path / "商品.xlsx")
    shutil.copy(SAMPLE_CATALOG, tmp_path / "catalog.csv")
    config = tmp_path / "streamkit.toml"
    config.write_text('[products]\ncatalog = "catalog.csv"\n', encoding="utf-8")
    done = run_cli("import", str(sheet), "--config", str(config), home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    assert "认出了：序号 → 序号、名称 → 名称、原价 → 价格、到手价 → 活动价" in done.stdout
    assert "已导入 3 个商品" in done.stdout and "catalog.csv.bak" in done.stdout
    assert [p.name for p in load_catalog(tmp_path / "catalog.csv").products] == ["保温杯", "蓝牙耳机", "重庆小面"]
    assert (tmp_path / "catalog.csv.bak").read_bytes() == SAMPLE_CATALOG.read_bytes()


def test_cli_rejects_a_broken_sheet_and_changes_nothing(tmp_path: Path) -> None:
    sheet = edit_cell(seller_workbook(tmp_path / "坏.xlsx"), "C4", "九块九")
    shutil.copy(SAMPLE_CATALOG, tmp_path / "catalog.csv")
    done = run_cli("import", str(sheet), "--to", str(tmp_path / "catalog.csv"), "--language", "en", home=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0] == "坏.xlsx has 1 problem(s); nothing was imported and the catalog is unchanged:"
    assert "  row 4, column '原价': '九块九' is not a price — write a number like 9.9" in lines
    assert (tmp_path / "catalog.csv").read_bytes() == SAMPLE_CATALOG.read_bytes()


def test_cli_without_a_configured_catalog_writes_under_home(tmp_path: Path) -> None:
    sheet = seller_workbook(tmp_path / "商品.xlsx", rows=[[1, "红糖", 39, "", "古法熬制", "", "", ""]])
    done = run_cli("import", str(sheet), home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    target = tmp_path / "home" / "products" / "catalog.csv"
    assert load_catalog(target).get(1).name == "红糖"
    assert f'在 [products] 里写上 catalog = "{target}"' in done.stdout
    checked = run_cli("import", str(sheet), "--check", home=tmp_path / "other")
    assert checked.returncode == 0 and "只检查，没有写入" in checked.stdout
    assert not (tmp_path / "other" / "products").exists()
