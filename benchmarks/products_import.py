"""How long importing a seller's sheet takes: .xlsx and CSV of 200 and 2,000 products (with and without
a formula column), import to a validated catalog, then writing the catalog file.

Writes benchmarks/results/products_import.json and prints p50/p90.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile  # noqa: E402

from streamkit.plugins.products.sheets import import_catalog  # noqa: E402
from streamkit.plugins.products.writer import write_catalog  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "products_import.json"
HEADER = ["序号", "名称", "原价", "到手价", "卖点", "别名", "备注"]


def sheet(folder: Path, rows: int, formulas: bool) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["直播商品清单"])
    ws.append(HEADER)
    for i in range(1, rows + 1):
        promo = f"=C{i + 2}*0.8" if formulas else "59.9"
        ws.append([i, f"商品{i}", 99.9, promo, "卖点一|卖点二|卖点三", f"别名{i}|alias {i}", "备注"])
    path = folder / f"sheet-{rows}-{'f' if formulas else 'v'}.xlsx"
    wb.save(path)
    return path


def csv_sheet(folder: Path, rows: int) -> Path:
    lines = [",".join(HEADER)] + [f"{i},商品{i},99.9,59.9,卖点一|卖点二,别名{i},备注" for i in range(1, rows + 1)]
    path = folder / f"sheet-{rows}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def timed(path: Path, folder: Path, reps: int) -> dict[str, Any]:
    data = path.read_bytes()
    imports, writes, rejected = [], [], 0
    for _ in range(reps):
        t0 = time.perf_counter()
        try:
            result = import_catalog(data, path.name, base=folder)
        except Exception:  # noqa: BLE001 - a formula without a saved result is refused: time the refusal
            rejected += 1
            imports.append(time.perf_counter() - t0)
            continue
        imports.append(time.perf_counter() - t0)
        t1 = time.perf_counter()
        write_catalog(result.catalog, folder / "catalog.csv")
        writes.append(time.perf_counter() - t1)
    out = {"bytes": len(data), "import_p50": percentile(imports, 50), "import_p90": percentile(imports, 90),
           "rejected": rejected}
    if writes:
        out |= {"write_p50": percentile(writes, 50), "write_p90": percentile(writes, 90)}
    return out


def main() -> int:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    results: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
                               "reps": reps, "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for rows in (200, 2000):
            results["cases"][f"xlsx {rows}"] = timed(sheet(folder, rows, False), folder, reps)
            results["cases"][f"xlsx {rows} with formulas"] = timed(sheet(folder, rows, True), folder, reps)
            results["cases"][f"csv {rows}"] = timed(csv_sheet(folder, rows), folder, reps)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    for name, case in results["cases"].items():
        write = f", write p50 {case['write_p50'] * 1000:.0f} ms" if "write_p50" in case else " (refused)"
        print(f"{name:28s} import p50 {case['import_p50'] * 1000:6.0f} ms, p90 {case['import_p90'] * 1000:6.0f} ms{write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
