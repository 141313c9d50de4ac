"""Importing a catalog from where sellers keep it: an Excel workbook (.xlsx) or a CSV file.

The header row may sit under a title (searched in the first rows), headers may be Chinese or English
(序号/编号, 名称, 价格/原价, 到手价/活动价, 卖点, 图片, 别名…), columns streamkit does not use are
listed and left out, merged cells count for every cell they cover, and empty rows are skipped.
Rows are validated exactly as a catalog file is (:func:`~.catalog.catalog_from_rows`), so every
problem names its row and column in one sentence; a file with any problem imports nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import COLUMN_ZH, COLUMNS, Catalog, CatalogError, Problem, RawRow, catalog_from_rows, header_map, table_rows

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # a catalog of thousands of products is far smaller
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what an .xlsx may unpack to (a zip bomb is refused)
HEADER_SEARCH_ROWS = 10
SHEET_SUFFIXES = (".xlsx", ".xlsm")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and password-protected .xlsx)


@dataclass(frozen=True)
class ImportResult:
    """A catalog read from a sheet, and what was made of the sheet's columns."""

    catalog: Catalog
    rows: tuple[RawRow, ...]
    recognised: dict[str, str]  # canonical column → the header as the file writes it
    ignored: tuple[str, ...]  # headers streamkit does not use
    sheet: str  # the worksheet read ('' for CSV)
    header_row: int
    numbered: bool = False  # no serial column: rows numbered 1, 2, 3… in order
    ids_from_serials: bool = False  # no id column: the serial is the id
    missing_pictures: tuple[tuple[int, str], ...] = ()  # (row, picture named): not found, imported as text cards

    def summary(self, language: str) -> str:
        """One sentence: which columns were recognised, which were left out, what was filled in."""
        zh = language.startswith("zh")

        def say(chinese: str, english: str) -> str:
            return chinese if zh else english

        sep = say("、", ", ")
        pairs = sep.join(f"{header} → {COLUMN_ZH[col] if zh else col}" for col, header in self.recognised.items())
        where = say(f"工作表「{self.sheet}」", f"sheet '{self.sheet}' ") if self.sheet else ""
        parts = [say(f"{where}第 {self.header_row} 行是列名，认出了：{pairs}",
                     f"{where}row {self.header_row} holds the headers; recognised: {pairs}")]
        if self.ignored:
            parts.append(say("没有用到：", "not used: ") + sep.join(self.ignored))
        if self.numbered:
            parts.append(say("没有序号列，按行的顺序编号", "no serial column, rows numbered in order"))
        if self.ids_from_serials:
            parts.append(say("没有商品ID列，用序号当商品ID", "no id column, the serial is the id"))
        if self.missing_pictures:
            rows = sep.join(say(f"第 {row} 行 {name}", f"row {row} {name}") for row, name in self.missing_pictures)
            parts.append(say("找不到这些图片，先做成文字卡片（导入后可以在表格里上传）：",
                             "pictures not found, imported as text cards (add them in the table): ") + rows)
        return say("；", "; ").join(parts) + say("。", ".")


def import_catalog(data: bytes, filename: str, *, base: Path) -> ImportResult:
    """Read an .xlsx or .csv file's bytes into a validated catalog (pictures relative to ``base``).

    Raises :class:`CatalogError` with every problem (row and column), or with the one reason the
    file cannot be read at all; nothing is written."""
    if len(data) > MAX_IMPORT_BYTES:
        raise CatalogError([Problem("too_large", {"size": _size(len(data)), "limit": _size(MAX_IMPORT_BYTES)})])
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return _from_table(_csv_lines(data), sheet="", first_row=1, formulas={}, base=base)
    if suffix == ".xls" or data.startswith(OLE2_MAGIC):
        raise CatalogError([Problem("old_xls")])
    if suffix not in SHEET_SUFFIXES:
        raise CatalogError([Problem("unknown_format", {"suffix": suffix or "(none)"})])
    return _from_workbook(data, base)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


# --- CSV ------------------------------------------------------------------------------------
def _csv_lines(data: bytes) -> list[list[Any]]:
    """Rows of CSV bytes in UTF-8 (with or without BOM) or GB18030 (what Excel in China saves)."""
    import csv

    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CatalogError([Problem("not_text")])
    try:
        dialect: Any = csv.Sniffer().sniff(text[:2048], delimiters=",\t;") if text.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


# --- xlsx -----------------------------------------------------------------------------------
def _open_workbook(data: bytes, *, data_only: bool) -> Any:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED_BYTES:
                raise CatalogError([Problem("too_large", {"size": "> 100 MB", "limit": "100 MB"})])
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)
    except CatalogError:
        raise
    except Exception:  # noqa: BLE001 - a zip that is not a workbook fails in many ways inside openpyxl
        raise CatalogError([Problem("not_xlsx")]) from None


def _from_workbook(data: bytes, base: Path) -> ImportResult:
    values_book = _open_workbook(data, data_only=True)
    formulas_book = _open_workbook(data, data_only=False) if _has_formulas(data) else None
    sheets = [values_book.active, *(ws for ws in values_book.worksheets if ws is not values_book.active)]
    first_error: CatalogError | None = None
    for ws in sheets:
        lines = _sheet_grid(ws)
        try:
            return _from_table(lines, sheet=ws.title, first_row=ws.min_row,
                               formulas=_formulas(formulas_book[ws.title], ws.min_row) if formulas_book else {},
                               base=base)
        except CatalogError as exc:
            if not _no_header(exc):
                raise
            first_error = first_error or exc
    raise first_error or CatalogError([Problem("empty_file", row=1)])


def _has_formulas(data: bytes) -> bool:
    """Whether any sheet holds a formula (then the workbook is read a second time, for the formulas' text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = (z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        return any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def _no_header(error: CatalogError) -> bool:
    return len(error.items) == 1 and error.items[0].code in ("no_header", "empty_file")


def _sheet_grid(ws: Any) -> list[list[Any]]:
    """The sheet's values by row (from its first used row); a merged cell's value fills the whole range."""
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    top, left = ws.min_row, ws.min_column
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                i, j = r - top, c - left
                if 0 <= i < len(grid) and 0 <= j < len(grid[i]):
                    grid[i][j] = value
    return grid


def _formulas(ws: Any, top: int) -> dict[tuple[int, int], str]:
    """(sheet row, column index) → formula text, for every formula cell."""
    out: dict[tuple[int, int], str] = {}
    for r, row in enumerate(ws.iter_rows(min_row=top), start=top):
        for j, cell in enumerate(row):
            value = cell.value
            text = getattr(value, "text", value)  # ArrayFormula keeps its text in .text
            if cell.data_type == "f" or (isinstance(text, str) and text.startswith("=")):
                out[(r, j)] = str(text)
    return out


# --- both -----------------------------------------------------------------------------------
def _find_header(lines: list[list[Any]]) -> int:
    """Index of the first row (among the first few) naming at least two known columns."""
    for i, cells in enumerate(lines[:HEADER_SEARCH_ROWS]):
        if len(set(header_map(_header_cells(cells)).values())) >= 2:
            return i
    raise CatalogError([Problem("no_header", {"rows": HEADER_SEARCH_ROWS})])


def _header_cells(cells: list[Any]) -> list[str]:
    return ["" if c is None else str(c).strip() for c in cells]


def _from_table(lines: list[list[Any]], *, sheet: str, first_row: int, formulas: dict[tuple[int, int], str],
                base: Path) -> ImportResult:
    if not any(any(_cell_text(c) for c in cells) for cells in lines):
        raise CatalogError([Problem("empty_file", row=first_row)])
    h = _find_header(lines)
    header_row = first_row + h
    headers = _header_cells(lines[h])
    table = [headers] + [[_cell_text(c) for c in cells] for cells in lines[h + 1:]]
    problems = list(_cell_problems(lines[h + 1:], headers, header_row, formulas))
    rows, read_problems = table_rows(table, header_row)
    ignored = tuple(p.header for p in read_problems if p.code == "unknown_column")
    read_problems = [p for p in read_problems if p.code != "unknown_column"]
    recognised = dict(rows[0].columns) if rows else {c: h for h, c in header_map(headers).items()}
    numbered = "serial" not in recognised
    ids_from_serials = "id" not in recognised
    read_problems = [p for p in read_problems
                     if not (p.code == "missing_column_header" and p.column in ("serial", "id"))]
    for n, row in enumerate(rows, start=1):
        if numbered:
            row.values["serial"] = str(n)
        if ids_from_serials:
            row.values["id"] = str(row.values.get("serial", ""))
    missing = _drop_missing_pictures(rows, base)
    bad_cells = {(p.row, p.column) for p in problems}  # reported once, as what they are (a formula, a date)
    try:
        catalog: Catalog | None = catalog_from_rows(rows, read_problems, base=base)
        later: list[Problem] = []
    except CatalogError as exc:
        catalog, later = None, [p for p in exc.items if (p.row, p.column) not in bad_cells]
    if problems or later or catalog is None:
        raise CatalogError(sorted(problems + later, key=lambda p: (p.row or 0, _order(p.column))))
    return ImportResult(catalog, tuple(rows), recognised, ignored, sheet, header_row, numbered, ids_from_serials,
                        missing)


def _drop_missing_pictures(rows: list[RawRow], base: Path) -> tuple[tuple[int, str], ...]:
    """Empty the picture cells naming no file (relative to ``base``): those products come in as text cards."""
    missing = []
    for row in rows:
        raw = _cell_text(row.values.get("image"))
        path = Path(raw).expanduser() if raw else None
        if path is not None and not (path if path.is_absolute() else base / path).is_file():
            missing.append((row.row, raw))
            row.values["image"] = ""
    return tuple(missing)


def _order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else -1


def _cell_problems(lines: list[list[Any]], headers: list[str], header_row: int,
                   formulas: dict[tuple[int, int], str]) -> Iterator[Problem]:
    """Formulas without a saved result, and dates or true/false where a number belongs."""
    mapping = header_map(headers)
    for r, cells in enumerate(lines, start=header_row + 1):
        for j, value in enumerate(cells):
            col = mapping.get(headers[j]) if j < len(headers) else None
            if col is None:
                continue
            if value is None and (r, j) in formulas:
                yield Problem("formula", {"formula": formulas[(r, j)]}, row=r, column=col, header=headers[j])
            elif col in NUMERIC and isinstance(value, (dt.date, dt.time, dt.timedelta, bool)):
                yield _wrong_type(value, col, r, headers[j])


NUMERIC = {"serial": ("a serial number", "序号", "3"), "price": ("a price", "价格", "59.9"),
           "promo_price": ("a price", "价格", "39.9"), "stock": ("a stock count", "库存数", "120")}


def _wrong_type(value: Any, col: str, row: int, header: str) -> Problem:
    if isinstance(value, bool):
        kind, kind_zh = f"the true/false value {str(value).upper()}", f"真假值 {str(value).upper()} "
    elif isinstance(value, (dt.datetime, dt.date)):
        kind, kind_zh = f"the date {value:%Y-%m-%d}", f"日期 {value:%Y-%m-%d} "
    else:
        kind, kind_zh = f"the time {value}", f"时间 {value} "
    expected, expected_zh, example = NUMERIC[col]
    return Problem("wrong_type", {"kind": kind, "kind_zh": kind_zh, "expected": expected, "expected_zh": expected_zh,
                                  "example": example}, row=row, column=col, header=header)


def _cell_text(value: Any) -> str:
    """A cell as the catalog reads it: numbers without float noise (``59.900000000000006`` → ``59.9``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        rounded = round(value, 2)
        return repr(rounded) if abs(value - rounded) < 1e-9 else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()
