"""Real .xlsx files for the import tests, made with openpyxl the way sellers' sheets look."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

PRODUCTS_DIR = Path(__file__).resolve().parents[2] / "samples" / "products"

HEADER = ["序号", "名称", "原价", "到手价", "卖点", "图片", "别名", "备注"]
ROWS: list[list[Any]] = [
    [1, "保温杯", 89, "59.9", "316不锈钢内胆|12小时保温", "thermos-cup.png", "杯子|thermos", "爆款"],
    [2, "蓝牙耳机", 199, 149, "主动降噪", "earbuds.png", "耳机", ""],
    [3, "重庆小面", 29.9, 19.9, "麻辣鲜香", "", "小面", ""],  # no picture: a text card
]


def seller_workbook(path: Path, rows: list[list[Any]] | None = None, *, title: str = "双十一直播商品清单") -> Path:
    """A sheet as sellers keep it: a merged title row, then the header, products, an empty row, a note."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "商品"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    body = rows if rows is not None else ROWS
    for i, row in enumerate(body):
        ws.append(row)
        if i == 1:
            ws.append([None] * len(HEADER))  # an empty row in the middle
    wb.save(path)
    return path


def with_cached_results(path: Path, results: dict[str, str]) -> Path:
    """Give formula cells the results Excel saves with them (openpyxl writes formulas without any)."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, value in results.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/>', rf"\g<1><v>{value}</v>", text)
                content = text.encode()
            dst.writestr(item, content)
    path.write_bytes(out.getvalue())
    return path


def edit_cell(path: Path, ref: str, value: Any) -> Path:
    wb = openpyxl.load_workbook(path)
    wb.active[ref] = value
    wb.save(path)
    return path


def a_date() -> dt.datetime:
    return dt.datetime(2024, 11, 11)
