"""The product catalog: CSV, JSON or TOML, validated row by row, reloaded when the file changes.

Columns (English or Chinese headers): ``serial`` (序号), ``id`` (商品ID), ``name`` (名称), ``aliases``
(别名), ``price`` (价格), ``promo_price`` (活动价), ``image`` (图片), ``selling_points`` (卖点),
``stock`` (库存), ``link_code`` (链接码). ``serial``, ``id``, ``name`` and ``price`` are required; a
product without a picture (no ``image`` column, or an empty cell) is shown as a text card. Lists (aliases, selling points) are separated by ``|`` in CSV and are arrays in JSON/TOML.
Every problem names the file, the row and the column; a catalog with any problem is not used.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import tomllib

from streamkit.commands import ProductNames
from streamkit.errors import StreamkitError

log = logging.getLogger(__name__)

REQUIRED = ("serial", "id", "name", "price")
OPTIONAL = ("image", "aliases", "promo_price", "selling_points", "stock", "link_code")
COLUMNS = REQUIRED + OPTIONAL

#: Header spellings accepted for each column (compared case-insensitively, spaces and '_' ignored).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "serial": ("serial", "no", "number", "序号", "编号", "链接序号"),
    "id": ("id", "productid", "sku", "商品id", "商品编号", "货号"),
    "name": ("name", "名称", "商品名称", "品名"),
    "aliases": ("aliases", "alias", "别名", "简称"),
    "price": ("price", "价格", "原价", "售价"),
    "promo_price": ("promoprice", "promo", "saleprice", "活动价", "促销价", "优惠价", "到手价"),
    "image": ("image", "img", "picture", "图片", "主图"),
    "selling_points": ("sellingpoints", "points", "卖点", "商品卖点"),
    "stock": ("stock", "inventory", "库存"),
    "link_code": ("linkcode", "link", "code", "链接码", "口令"),
}
LIST_SEPARATORS = ("|", "｜", ";", "；")
COLUMN_ZH = {"serial": "序号", "id": "商品ID", "name": "名称", "aliases": "别名", "price": "价格",
             "promo_price": "活动价", "image": "图片", "selling_points": "卖点", "stock": "库存", "link_code": "链接码"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}


class CatalogError(StreamkitError):
    """A catalog that cannot be used; ``problems`` lists every problem, one line each."""

    def __init__(self, problems: list[str], fix: str = "") -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more, fix or "fix the catalog, then run: streamkit products check FILE")


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


def _header_map(headers: Iterable[str]) -> dict[str, str]:
    """Raw header → canonical column for the headers we know."""
    lookup = {alias: col for col, aliases in HEADER_ALIASES.items() for alias in aliases}
    return {h: lookup[_norm_header(h)] for h in headers if _norm_header(h) in lookup}


@dataclass
class _Row:
    """One raw record and how to name its place in the file."""

    where: str  # e.g. "row 4" or "row 3 (products[2])"
    values: dict[str, Any]
    columns: dict[str, str]  # canonical column → header as written in the file


def _read_rows(path: Path, text: str) -> tuple[list[_Row], list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, text)
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError([f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]) from None
        return _read_records(path, data)
    if suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError([f"{path}: not valid TOML: {exc}"]) from None
        return _read_records(path, data)
    raise CatalogError([f"{path}: unknown catalog format '{suffix or '(none)'}'"],
                       "use a .csv, .json or .toml file (sample: samples/catalog.csv)")


def _read_csv(path: Path, text: str) -> tuple[list[_Row], list[str]]:
    sample = text[:2048]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    lines = list(reader)
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise CatalogError([f"{path}: row 1: the catalog is empty — expected a header row naming the columns"])
    headers = [h.strip() for h in lines[0]]
    mapping = _header_map(headers)
    problems = [f"{path}: row 1 (header), column {i + 1} '{h}': unknown column — known: {', '.join(COLUMNS)}"
                for i, h in enumerate(headers) if h and h not in mapping]
    rows = []
    for n, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values: dict[str, Any] = {}
        for i, h in enumerate(headers):
            if h in mapping:
                values[mapping[h]] = cells[i] if i < len(cells) else ""
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
            problems.append(f"{path}: row {n}: {len(cells)} cells but the header has {len(headers)} columns")
        rows.append(_Row(f"row {n}", values, {col: h for h, col in mapping.items()}))
    return rows, problems + _missing_columns(path, set(mapping.values()), "row 1 (header)")


def _read_records(path: Path, data: Any) -> tuple[list[_Row], list[str]]:
    records = data.get("products") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise CatalogError([f"{path}: expected a list of products (a top-level 'products' list)"],
                           "see samples/catalog.csv for the columns")
    rows: list[_Row] = []
    problems: list[str] = []
    seen_columns: set[str] = set()
    for i, record in enumerate(records):
        where = f"row {i + 1} (products[{i}])"
        if not isinstance(record, dict):
            problems.append(f"{path}: {where}: expected a table of columns, got {type(record).__name__}")
            continue
        mapping = _header_map(record)
        for key in record:
            if key not in mapping:
                problems.append(f"{path}: {where}, column '{key}': unknown column — known: {', '.join(COLUMNS)}")
        values = {mapping[k]: v for k, v in record.items() if k in mapping}
        seen_columns |= set(values)
        missing = [c for c in REQUIRED if c not in values]
        problems.extend(f"{path}: {where}, column '{c}': missing column" for c in missing)
        rows.append(_Row(where, values, {col: k for k, col in mapping.items()}))
    return rows, problems


def _missing_columns(path: Path, present: set[str], where: str) -> list[str]:
    return [f"{path}: {where}, column '{c}': missing column ({COLUMN_ZH[c]}) — add it to the header"
            for c in REQUIRED if c not in present]


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
    text = _text(value).replace(",", "").replace("，", "")
    text = text.removeprefix("¥").removeprefix("￥").removeprefix("RMB").removesuffix("元").strip()
    try:
        price = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not price.is_finite() or price < 0 or price != price.quantize(Decimal("0.01")):
        raise ValueError
    return price


def _validate_row(path: Path, row: _Row, problems: list[str]) -> Product | None:
    base = path.parent
    before = len(problems)

    def where(col: str) -> str:
        header = row.columns.get(col, col)
        return f"{path}: {row.where}, column '{header}'"

    v = row.values
    serial: int | None = None
    raw_serial = _text(v.get("serial"))
    try:
        serial = int(raw_serial.removesuffix("号"))
        if serial <= 0 or isinstance(v.get("serial"), bool) or isinstance(v.get("serial"), float):
            raise ValueError
    except ValueError:
        problems.append(f"{where('serial')}: '{raw_serial}' is not a serial number — write a whole number from 1 up")
    pid = _text(v.get("id"))
    if "id" in v and not pid:
        problems.append(f"{where('id')}: empty — every product needs an id (SKU)")
    name = _text(v.get("name"))
    if "name" in v and not name:
        problems.append(f"{where('name')}: empty — every product needs a name")
    price: Decimal | None = None
    if "price" in v:
        try:
            price = parse_price(v["price"])
        except ValueError:
            problems.append(f"{where('price')}: '{_text(v['price'])}' is not a price — write a number like 59.9")
    promo: Decimal | None = None
    if _text(v.get("promo_price")):
        try:
            promo = parse_price(v["promo_price"])
        except ValueError:
            problems.append(f"{where('promo_price')}: '{_text(v['promo_price'])}' is not a price — write a number like 39.9, or leave it empty")
        else:
            if price is not None and promo > price:
                problems.append(f"{where('promo_price')}: promo price {format_price(promo)} is above the price {format_price(price)}")
    image: Path | None = None
    raw_image = _text(v.get("image"))
    if raw_image:  # no picture: a text card
        image = Path(raw_image).expanduser()
        if not image.is_absolute():
            image = base / image
        if not image.is_file():
            problems.append(f"{where('image')}: image '{raw_image}' not found at {image}")
        elif image.suffix.lower() not in IMAGE_SUFFIXES:
            problems.append(f"{where('image')}: '{raw_image}' is not a picture file ({', '.join(sorted(IMAGE_SUFFIXES))})")
    stock: int | None = None
    raw_stock = _text(v.get("stock"))
    if raw_stock:
        try:
            stock = int(raw_stock)
            if stock < 0:
                raise ValueError
        except ValueError:
            problems.append(f"{where('stock')}: '{raw_stock}' is not a stock count — write a whole number, or leave it empty")
    if len(problems) > before or serial is None or price is None:
        return None
    return Product(serial=serial, id=pid, name=name, price=price, image=image.resolve() if image else None,
                   aliases=_split_list(v.get("aliases")), promo_price=promo,
                   selling_points=_split_list(v.get("selling_points")), stock=stock,
                   link_code=_text(v.get("link_code")))


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate a catalog file; raises :class:`CatalogError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError([f"{path}: catalog file not found"], "check [products] catalog in the config") from None
    except UnicodeDecodeError:
        raise CatalogError([f"{path}: not UTF-8 text"], "save the catalog as UTF-8 (Excel: CSV UTF-8)") from None
    rows, problems = _read_rows(path, text)
    products: list[Product] = []
    first_seen: dict[tuple[str, Any], str] = {}
    for row in rows:
        product = _validate_row(path, row, problems)
        if product is None:
            continue
        for col, value in (("serial", product.serial), ("id", product.id)):
            key = (col, value)
            if key in first_seen:
                header = row.columns.get(col, col)
                problems.append(f"{path}: {row.where}, column '{header}': duplicate {col} {value} (already used in {first_seen[key]})")
            else:
                first_seen[key] = row.where
        products.append(product)
    if not rows and not problems:
        problems.append(f"{path}: no products — add at least one row under the header")
    if problems:
        raise CatalogError(problems)
    products.sort(key=lambda p: p.serial)
    return Catalog(path, tuple(products))


# --- reloading -------------------------------------------------------------------------------
class CatalogWatcher:
    """Holds the catalog in use and reloads it when the file changes (polling its mtime and size).

    A reload that fails keeps the previous catalog and reports the error through ``on_error``.
    """

    def __init__(self, path: str | Path, *, on_load: Callable[[Catalog], None] | None = None,
                 on_error: Callable[[CatalogError], None] | None = None) -> None:
        self.path = Path(path)
        self.on_load = on_load
        self.on_error = on_error
        self._catalog = EMPTY_CATALOG
        self._stamp: tuple[int, int] | None = None
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
            if stamp == self._stamp and self._stamp is not None:
                return False
            self._stamp = stamp
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
