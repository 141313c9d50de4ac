"""Writing a catalog file: what the panel's table and ``streamkit products import`` save.

The file's suffix picks the format (.csv with Chinese headers, .json, .toml); the result reads back
into the same catalog (:func:`~.catalog.load_catalog`). Pictures are written relative to the
catalog's folder when they are inside it. The new file replaces the old one in one step, so the
catalog watcher of a running session never reads half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .catalog import COLUMN_ZH, Catalog, CatalogError, Problem, Product, format_price

WRITABLE = (".csv", ".json", ".toml")
#: The columns of a written file, in the order a seller reads them.
ORDER = ("serial", "id", "name", "price", "promo_price", "selling_points", "image", "aliases", "stock", "link_code")


def product_record(product: Product, folder: Path) -> dict[str, Any]:
    """One product as a catalog file writes it (lists as lists, prices as text, the picture relative)."""
    return {
        "serial": product.serial, "id": product.id, "name": product.name, "aliases": list(product.aliases),
        "price": format_price(product.price),
        "promo_price": format_price(product.promo_price) if product.promo_price is not None else "",
        "image": picture_path(product.image, folder), "selling_points": list(product.selling_points),
        "stock": "" if product.stock is None else product.stock, "link_code": product.link_code,
    }


def picture_path(image: Path | None, folder: Path) -> str:
    """``image`` relative to ``folder`` when inside it (forward slashes), else absolute; '' for none."""
    if image is None:
        return ""
    try:
        return image.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(image.resolve())


def catalog_text(catalog: Catalog, path: Path) -> str:
    """The file ``path`` would hold for ``catalog`` (its suffix picks the format)."""
    records = [product_record(p, path.parent) for p in catalog.products]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv(records)
    if suffix == ".json":
        return json.dumps({"products": [_compact(r) for r in records]}, ensure_ascii=False, indent=2) + "\n"
    if suffix == ".toml":
        import tomlkit

        doc = tomlkit.document()
        doc.add("products", tomlkit.aot())
        for record in records:
            doc["products"].append(tomlkit.item(_compact(record)))  # type: ignore[union-attr]
        return tomlkit.dumps(doc)
    raise _unwritable(path)


def _unwritable(path: Path) -> CatalogError:
    return CatalogError([Problem("unknown_format", {"suffix": path.suffix.lower() or "(none)"})], path,
                        "name the catalog file .csv, .json or .toml")


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([COLUMN_ZH[c] for c in ORDER])
    for r in records:
        writer.writerow(["|".join(v) if isinstance(v, list) else v for v in (r[c] for c in ORDER)])
    return out.getvalue()


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """A JSON/TOML record: empty optional fields left out."""
    return {k: v for k, v in record.items() if v not in ("", [], None)}


def write_catalog(catalog: Catalog, path: Path) -> Path:
    """Write ``catalog`` to ``path`` in one step (a temporary file in the same folder, then a rename)."""
    text = catalog_text(catalog, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def default_catalog_path(home: Path) -> Path:
    """Where a catalog made in the panel or by ``products import`` goes when the config names none."""
    return home / "products" / "catalog.csv"


def replace_catalog(catalog: Catalog, path: Path) -> Path | None:
    """Write ``catalog`` over ``path``, keeping the file it replaces as ``<name>.bak``; returns that copy."""
    if path.suffix.lower() not in WRITABLE:
        raise _unwritable(path)
    backup = None
    if path.is_file():
        backup = path.with_name(path.name + ".bak")
        backup.write_bytes(path.read_bytes())
    write_catalog(catalog, path)
    return backup
