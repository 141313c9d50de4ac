"""The product catalog: CSV, JSON or TOML, validated row by row, reloaded when the file changes.

Columns (English or Chinese headers): ``serial`` (序号), ``id`` (商品ID), ``name`` (名称), ``aliases``
(别名), ``price`` (价格), ``promo_price`` (活动价), ``image`` (图片), ``selling_points`` (卖点),
``stock`` (库存), ``link_code`` (链接码). ``serial``, ``id``, ``name`` and ``price`` are required; a
product without a picture (no ``image`` column, or an empty cell) is shown as a text card. Lists
(aliases, selling points) are separated by ``|`` in CSV and are arrays in JSON/TOML.
Every problem names the file, the row and the column; a catalog with any problem is not used.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import tomllib

from streamkit.commands import ProductNames
from streamkit.errors import StreamkitError

from .messages import catalog_problem

log = logging.getLogger(__name__)

REQUIRED = ("serial", "id", "name", "price")
OPTIONAL = ("image", "aliases", "promo_price", "selling_points", "stock", "link_code")
COLUMNS = REQUIRED + OPTIONAL

#: Header spellings accepted for each column (compared case-insensitively, spaces and '_' ignored).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "serial": ("serial", "no", "number", "序号", "编号", "链接序号", "链接号"),
    "id": ("id", "productid", "sku", "商品id", "商品编号", "商品编码", "货号", "sku编码"),
    "name": ("name", "productname", "名称", "商品名称", "商品名", "品名", "产品名称", "宝贝名称"),
    "aliases": ("aliases", "alias", "别名", "简称", "昵称"),
    "price": ("price", "价格", "原价", "售价", "零售价", "吊牌价"),
    "promo_price": ("promoprice", "promo", "saleprice", "活动价", "促销价", "优惠价", "到手价", "直播价", "券后价"),
    "image": ("image", "img", "picture", "photo", "图片", "主图", "商品图片", "图片文件"),
    "selling_points": ("sellingpoints", "points", "卖点", "商品卖点", "亮点"),
    "stock": ("stock", "inventory", "库存", "库存数量"),
    "link_code": ("linkcode", "link", "code", "链接码", "口令"),
}
LIST_SEPARATORS = ("|", "｜", ";", "；")
COLUMN_ZH = {"serial": "序号", "id": "商品ID", "name": "名称", "aliases": "别名", "price": "价格",
             "promo_price": "活动价", "image": "图片", "selling_points": "卖点", "stock": "库存", "link_code": "链接码"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog: what (``code`` of :data:`~.messages.CATALOG_PROBLEMS`) and where.

    ``row`` counts rows of the file from 1 (the header is row 1 of a sheet); ``column`` is the
    canonical column (for pointing at a field), ``header`` the column as the file writes it.
    """

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)
    row: int | None = None
    column: str = ""
    header: str = ""
    column_number: int | None = None  # given for header cells (an unknown column)
    place: str = ""  # the English place when it is not "row N", e.g. "row 3 (products[2])"

    def where(self, language: str) -> str:
        """``row 4, column 'price'`` / ``第 4 行「价格」列`` ('' for the whole file)."""
        zh = language.startswith("zh")
        if zh:
            text = f"第 {self.row} 行" if self.row else ""
            if self.header:
                text += f"第 {self.column_number} 列「{self.header}」" if self.column_number else f"「{self.header}」列"
            return text
        text = self.place or (f"row {self.row}" if self.row else "")
        if self.header:
            number = f"{self.column_number} " if self.column_number else ""
            text += f", column {number}'{self.header}'"
        return text

    def sentence(self, language: str = "en", path: Path | None = None) -> str:
        """One plain sentence: place, what is wrong, what to do."""
        where = self.where(language)
        what = catalog_problem(self.code, language, **self.values)
        colon = "：" if language.startswith("zh") else ": "
        text = f"{where}{colon}{what}" if where else what
        return f"{path}: {text}" if path is not None else text


class CatalogError(StreamkitError):
    """A catalog that cannot be used: every :class:`Problem` (``problems``: one English line each)."""

    def __init__(self, items: list[Problem], path: Path | None = None, fix: str = "") -> None:
        self.items = items
        self.path = path
        self.problems = [p.sentence("en", path) for p in items]
        more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
        super().__init__(self.problems[0] + more, fix or "fix the catalog, then run: streamkit products check FILE")

    def sentences(self, language: str) -> list[str]:
        """Every problem in ``language``, without the file's path (the page names the file)."""
        return [p.sentence(language) for p in self.items]


@dataclass(frozen=True)
class Product:
    """One product card: what the streamer sells under a serial number (序号)."""

    serial: int
    id: str
    name: str
    price: Decimal
    image: Path | None = None  # None: no picture, a text card
    aliases: tuple[str, ...] = ()
    promo_price: Decimal | None = None
    selling_points: tuple[str, ...] = ()
    stock: int | None = None
    link_code: str = ""

    @property
    def sold_out(self) -> bool:
        return self.stock == 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (prices as strings without trailing zeros, image as a path string)."""
        return {
            "serial": self.serial, "id": self.id, "name": self.name, "aliases": list(self.aliases),
            "price": format_price(self.price),
            "promo_price": format_price(self.promo_price) if self.promo_price is not None else None,
            "image": str(self.image) if self.image else None, "selling_points": list(self.selling_points), "stock": self.stock,
            "link_code": self.link_code, "sold_out": self.sold_out,
        }


def format_price(value: Decimal) -> str:
    """``Decimal('59.90')`` → ``'59.9'``, ``Decimal('89.00')`` → ``'89'``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class Catalog:
    """A validated catalog: products ordered by serial."""

    path: Path | None
    products: tuple[Product, ...]
    _by_serial: dict[int, Product] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_serial.update({p.serial: p for p in self.products})

    def get(self, serial: int) -> Product | None:
        return self._by_serial.get(serial)

    @property
    def serials(self) -> list[int]:
        return [p.serial for p in self.products]

    def neighbour(self, serial: int | None, step: int) -> Product | None:
        """The product ``step`` places after (or before, if negative) ``serial``; the first/last when ``serial`` is None."""
        if not self.products:
            return None
        serials = self.serials
        if serial is None:
            return self.products[0] if step > 0 else self.products[-1]
        if serial in self._by_serial:
            i = serials.index(serial) + step
        else:  # a serial removed by a reload: go to the nearest one in that direction
            i = sum(1 for s in serials if s < serial) + (step if step < 0 else step - 1)
        return self.products[i] if 0 <= i < len(self.products) else None

    def product_names(self) -> tuple[ProductNames, ...]:
        """Serials, names and aliases, as the voice-command grammar matches them."""
        return tuple(ProductNames(p.serial, (p.name, *p.aliases)) for p in self.products)

    def hotwords(self, language: str | None = None) -> list[str]:
        """Names and aliases, for biasing speech recognition (deduplicated, in serial order).

        ``language`` "en" keeps words without Chinese characters, "zh" words with them; None keeps all."""
        seen: dict[str, None] = {}
        for p in self.products:
            for word in (p.name, *p.aliases):
                word = word.strip()
                chinese = any("\u4e00" <= ch <= "\u9fff" for ch in word)
                if word and (language is None or chinese == language.startswith("zh")):
                    seen.setdefault(word, None)
        return list(seen)


EMPTY_CATALOG = Catalog(None, ())


# --- reading ---------------------------------------------------------------------------------
def _norm_header(text: str) -> str:
    return "".join(ch for ch in str(text).strip().lower() if ch not in " _-\ufeff")


def header_map(headers: Iterable[str]) -> dict[str, str]:
    """Raw header → canonical column, for the headers we know."""
    lookup = {alias: col for col, aliases in HEADER_ALIASES.items() for alias in aliases}
    return {h: lookup[_norm_header(h)] for h in headers if _norm_header(h) in lookup}


@dataclass
class RawRow:
    """One record as the file writes it, and its place in the file."""

    row: int  # 1-based row of the file (a JSON/TOML record: its position)
    values: dict[str, Any]  # canonical column → the cell as written
    columns: dict[str, str]  # canonical column → header as written in the file
    place: str = ""  # the English place when it is not "row N"


def _read_rows(path: Path, text: str) -> tuple[list[RawRow], list[Problem]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_rows(text)
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError([Problem("bad_json", {"line": exc.lineno, "column": exc.colno, "reason": exc.msg})],
                               path) from None
        return _read_records(path, data)
    if suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError([Problem("bad_toml", {"reason": str(exc)})], path) from None
        return _read_records(path, data)
    raise CatalogError([Problem("unknown_format", {"suffix": suffix or "(none)"})], path,
                       "use a .csv, .json or .toml file (sample: samples/catalog.csv)")


def read_csv_rows(text: str) -> tuple[list[RawRow], list[Problem]]:
    """The rows of CSV text (comma, tab or semicolon separated) under its header row."""
    sample = text[:2048]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    return table_rows(list(csv.reader(io.StringIO(text), dialect)))


def table_rows(lines: list[list[Any]], header_row: int = 1) -> tuple[list[RawRow], list[Problem]]:
    """Rows of a table whose header is ``lines[0]``, at row ``header_row`` of the file (CSV or a sheet)."""
    if not lines or not any(_text(cell) for cell in lines[0]):
        raise CatalogError([Problem("empty_file", row=header_row)])
    headers = [_text(h) for h in lines[0]]
    mapping = header_map(headers)
    known = ", ".join(COLUMNS)
    problems = [Problem("unknown_column", {"known": known}, row=header_row, header=h, column_number=i + 1,
                        place=f"row {header_row} (header)")
                for i, h in enumerate(headers) if h and h not in mapping]
    columns = {col: h for h, col in mapping.items()}
    rows = []
    for n, cells in enumerate(lines[1:], start=header_row + 1):
        if not any(_text(c) for c in cells):
            continue
        values = {mapping[h]: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h in mapping}
        if len(cells) > len(headers) and any(_text(c) for c in cells[len(headers):]):
            problems.append(Problem("extra_cells", {"cells": len(cells), "columns": len(headers)}, row=n))
        rows.append(RawRow(n, values, columns))
    missing = [Problem("missing_column_header", {"zh": COLUMN_ZH[c]}, row=header_row, column=c, header=c,
                       place=f"row {header_row} (header)") for c in REQUIRED if c not in columns]
    return rows, problems + missing


def _read_records(path: Path, data: Any) -> tuple[list[RawRow], list[Problem]]:
    records = data.get("products") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise CatalogError([Problem("not_a_list")], path, "see samples/catalog.csv for the columns")
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for i, record in enumerate(records):
        place = f"row {i + 1} (products[{i}])"
        if not isinstance(record, dict):
            problems.append(Problem("not_a_table", {"kind": type(record).__name__}, row=i + 1, place=place))
            continue
        mapping = header_map(record)
        problems.extend(Problem("unknown_column", {"known": ", ".join(COLUMNS)}, row=i + 1, header=key, place=place)
                        for key in record if key not in mapping)
        values = {mapping[k]: v for k, v in record.items() if k in mapping}
        problems.extend(Problem("missing_column", row=i + 1, column=c, header=c, place=place)
                        for c in REQUIRED if c not in values)
        rows.append(RawRow(i + 1, values, {col: k for k, col in mapping.items()}, place))
    return rows, problems


# --- validating ------------------------------------------------------------------------------
def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _split_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(s for s in (_text(v) for v in value) if s)
    text = _text(value)
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return tuple(s.strip() for s in text.split(LIST_SEPARATORS[0]) if s.strip())


def parse_price(value: Any) -> Decimal:
    """``59.9``, ``"¥59.90"``, ``"59.9元"`` → ``Decimal``; raises ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError
    text = unicodedata.normalize("NFKC", _text(value)).replace(",", "").replace("，", "")
    text = text.removeprefix("¥").removeprefix("￥").removeprefix("RMB").removesuffix("元").strip()
    try:
        price = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not price.is_finite() or price < 0 or price != price.quantize(Decimal("0.01")):
        raise ValueError
    return price


_MONEY = re.compile(r"^\s*[¥￥]?\s*([0-9零〇一二两三四五六七八九十百千]+)\s*[块元圆](?:\s*([0-9零一二两三四五六七八九])\s*[角毛]?)?\s*$")


def price_example(raw: str, fallback: str = "59.9") -> str:
    """How ``raw`` is written as a price when it is a spoken amount (``九块九`` → ``9.9``), else ``fallback``."""
    import cn2an

    m = _MONEY.match(raw)
    if not m:
        return fallback
    try:
        yuan = int(cn2an.cn2an(m.group(1), "smart"))
        jiao = int(cn2an.cn2an(m.group(2), "smart")) if m.group(2) else 0
    except ValueError:
        return fallback
    return format_price(Decimal(yuan) + Decimal(jiao) / 10) if jiao < 10 else fallback


def _whole_number(value: Any) -> int:
    """A whole number from a cell: ``3``, ``"3"``, ``"3号"``, ``3.0`` (a sheet's number); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    return int(_text(value).removesuffix("号"))


def validate_row(row: RawRow, base: Path, problems: list[Problem]) -> Product | None:
    """The product of ``row`` (pictures relative to ``base``), or None after adding its problems."""
    before = len(problems)
    v = row.values

    def problem(code: str, column: str, **values: Any) -> None:
        problems.append(Problem(code, values, row=row.row, column=column, header=row.columns.get(column, column),
                                place=row.place))

    serial: int | None = None
    try:
        serial = _whole_number(v.get("serial"))
        if serial <= 0:
            raise ValueError
    except ValueError:
        serial = None
        problem("bad_serial", "serial", value=_text(v.get("serial")))
    pid, name = _text(v.get("id")), _text(v.get("name"))
    if "id" in v and not pid:
        problem("empty_id", "id")
    if "name" in v and not name:
        problem("empty_name", "name")
    price = promo = None
    if "price" in v:
        try:
            price = parse_price(v["price"])
        except ValueError:
            problem("bad_price", "price", value=_text(v["price"]), example=price_example(_text(v["price"])))
    if _text(v.get("promo_price")):
        try:
            promo = parse_price(v["promo_price"])
        except ValueError:
            raw = _text(v["promo_price"])
            problem("bad_promo", "promo_price", value=raw, example=price_example(raw, "39.9"))
        else:
            if price is not None and promo > price:
                problem("promo_above", "promo_price", promo=format_price(promo), price=format_price(price))
    image = _validate_image(_text(v.get("image")), base, lambda code, **kw: problem(code, "image", **kw))
    stock: int | None = None
    if _text(v.get("stock")):
        try:
            stock = _whole_number(v["stock"])
            if stock < 0:
                raise ValueError
        except ValueError:
            problem("bad_stock", "stock", value=_text(v["stock"]))
    if len(problems) > before or serial is None or price is None:
        return None
    return Product(serial=serial, id=pid, name=name, price=price, image=image, aliases=_split_list(v.get("aliases")),
                   promo_price=promo, selling_points=_split_list(v.get("selling_points")), stock=stock,
                   link_code=_text(v.get("link_code")))


def _validate_image(raw: str, base: Path, problem: Callable[..., None]) -> Path | None:
    """The picture ``raw`` names (relative to ``base``), resolved; None for a text card or after a problem."""
    if not raw:  # no picture: a text card
        return None
    image = Path(raw).expanduser()
    if not image.is_absolute():
        image = base / image
    if not image.is_file():
        problem("image_missing", value=raw, path=str(image))
        return None
    if image.suffix.lower() not in IMAGE_SUFFIXES:
        problem("image_not_picture", value=raw, suffixes=", ".join(sorted(IMAGE_SUFFIXES)))
        return None
    return image.resolve()


def catalog_from_rows(rows: list[RawRow], problems: list[Problem], *, base: Path,
                      path: Path | None = None) -> Catalog:
    """Validate ``rows`` (after the reading ``problems``); raises :class:`CatalogError` listing every problem."""
    problems = list(problems)
    products: list[Product] = []
    first_seen: dict[tuple[str, Any], RawRow] = {}
    for row in rows:
        product = validate_row(row, base, problems)
        if product is None:
            continue
        for col, value in (("serial", product.serial), ("id", product.id)):
            first = first_seen.setdefault((col, value), row)
            if first is not row:  # one duplicate a row: a copied row repeats its id too
                problems.append(Problem("duplicate", {"column": col, "value": value, "first": first.place or f"row {first.row}",
                                                      "first_zh": f"第 {first.row} 行"},
                                        row=row.row, column=col, header=row.columns.get(col, col), place=row.place))
                break
        products.append(product)
    if not rows and not problems:
        problems.append(Problem("no_products"))
    if problems:
        raise CatalogError(problems, path)
    products.sort(key=lambda p: p.serial)
    return Catalog(path, tuple(products))


def read_catalog_rows(path: Path) -> tuple[list[RawRow], list[Problem]]:
    """The raw rows of a catalog file and the problems found reading them (raises when nothing can be read)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError([Problem("not_found")], path, "check [products] catalog in the config") from None
    except UnicodeDecodeError:
        raise CatalogError([Problem("not_utf8")], path, "save the catalog as UTF-8 (Excel: CSV UTF-8)") from None
    return _read_rows(path, text)


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate a catalog file; raises :class:`CatalogError` listing every problem."""
    path = Path(path)
    rows, problems = read_catalog_rows(path)
    return catalog_from_rows(rows, problems, base=path.parent, path=path)


# --- reloading -------------------------------------------------------------------------------
class CatalogWatcher:
    """Holds the catalog in use and reloads it when the file changes (polling its mtime and size).

    A reload that fails keeps the previous catalog and reports the error through ``on_error`` —
    once: a file that stays missing or broken is reported again only when it changes.
    """

    def __init__(self, path: str | Path, *, on_load: Callable[[Catalog], None] | None = None,
                 on_error: Callable[[CatalogError], None] | None = None) -> None:
        self.path = Path(path)
        self.on_load = on_load
        self.on_error = on_error
        self._catalog = EMPTY_CATALOG
        self._stamp: tuple[int, int] | None = None
        self._checked = False
        self.last_error: CatalogError | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def check(self) -> bool:
        """Reload if the file changed since the last look; returns True when a new catalog is in use."""
        with self._lock:
            stamp = self._file_stamp()
            if stamp == self._stamp and self._checked:  # unchanged (a missing file too): reported once already
                return False
            self._stamp, self._checked = stamp, True
            try:
                catalog = load_catalog(self.path)
            except CatalogError as exc:
                self.last_error = exc
                log.warning("catalog not reloaded, previous one stays in use: %s", exc)
                if self.on_error:
                    self.on_error(exc)
                return False
            self._catalog = catalog
            self.last_error = None
        if self.on_load:
            self.on_load(catalog)
        return True

    def run(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Look for changes every ``interval`` seconds until ``stop`` is set."""
        while not stop.wait(interval):
            try:
                self.check()
            except Exception:  # noqa: BLE001 - never let the watcher die
                log.exception("catalog watcher failed")

    def start(self, interval: float = 1.0) -> CatalogWatcher:
        """Poll every ``interval`` seconds in a daemon thread of its own (outside a session)."""
        self._thread = threading.Thread(target=self.run, args=(self._stop, interval), name="products-catalog-watcher",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
