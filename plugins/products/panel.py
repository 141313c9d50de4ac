"""The products page of the control panel (``/products``): import, edit, pictures, card preview.

Everything is saved to the catalog file the config names (one is made under STREAMKIT_HOME and set
as ``[products] catalog`` when there is none); a running session's catalog watcher picks the file up.
The table is validated exactly as the file is (:func:`~.catalog.catalog_from_rows`), so a problem
has the same sentence wherever it comes from, and a save with a problem changes nothing.
The page reaches a running session only through ``PRODUCTS`` (:class:`~streamkit.features.ProductsApi`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from streamkit.errors import ConfigError, StreamkitError
from streamkit.features import PRODUCTS
from streamkit.web import INLINE_CSP, read_json_object

from .cards import CardView
from .catalog import COLUMN_ZH, CatalogError, Problem, RawRow, catalog_from_rows, read_catalog_rows, validate_row
from .config import ProductsConfig
from .messages import picture_problem
from .panel_text import all_text, text
from .pictures import PictureError, pictures_dir, store_picture
from .sheets import import_catalog
from .sinks import card_message
from .writer import default_catalog_path, picture_path, replace_catalog, write_catalog

if TYPE_CHECKING:
    from streamkit.panel import PanelHost

HERE = Path(__file__).parent
FIELDS = ("serial", "id", "name", "price", "promo_price", "selling_points", "image", "aliases", "stock", "link_code")
FIELD_EN = {"serial": "serial", "id": "product ID", "name": "name", "price": "price", "promo_price": "promo price",
            "selling_points": "selling points", "image": "picture", "aliases": "aliases", "stock": "stock",
            "link_code": "link code"}
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(png|jpg|webp|gif|bmp)")


class ProductsPage:
    """The routes of ``/products``; every one asks the host for the config, so hand edits count at once."""

    def __init__(self, host: "PanelHost") -> None:
        self.host = host

    # the catalog file -------------------------------------------------------------------------------
    def catalog_file(self) -> tuple[Path, bool]:
        """The catalog file to read and write, and whether the config names it already."""
        config = self.host.config()
        cfg: ProductsConfig = config.section("products")
        if cfg.catalog:
            return config.resolve_path(cfg.catalog), True
        return default_catalog_path(self.host.home()), False

    def card_language(self) -> str:
        config = self.host.config()
        return config.section("products").language or config.session.language

    def state(self, lang: str) -> dict[str, Any]:
        """What the page draws: the rows as the file writes them, its problems, and its version."""
        path, configured = self.catalog_file()
        rows: list[RawRow] = []
        problems: list[Problem] = []
        if path.is_file():
            try:
                rows, problems = read_catalog_rows(path)
                catalog_from_rows(rows, problems, base=path.parent, path=path)
            except CatalogError as exc:
                problems = exc.items
        return {"path": str(path), "exists": path.is_file(), "configured": configured, "version": file_version(path),
                "rows": [self.row_json(r) for r in rows],
                "problems": [problem_json(p, lang, rows) for p in problems], "session": self.session_state()}

    def row_json(self, row: RawRow) -> dict[str, str]:
        values = {f: cell_text(row.values.get(f)) for f in FIELDS}
        values["image_url"] = picture_url(values["image"])
        return values

    def session_state(self) -> str:
        """``off`` (no session), ``no_products`` (a session without product cards) or ``on``."""
        runtime = self.host.session()
        if runtime is None:
            return "off"
        return "on" if runtime.services.find(PRODUCTS) is not None else "no_products"

    # routes -------------------------------------------------------------------------------------------
    def router(self) -> APIRouter:
        r = APIRouter()
        r.add_api_route("", self.page, methods=["GET"], response_class=HTMLResponse)
        r.add_api_route("/", self.page, methods=["GET"], response_class=HTMLResponse, include_in_schema=False)
        r.add_api_route("/static/{name}", self.static, methods=["GET"])
        r.add_api_route("/card-preview", self.card_preview, methods=["GET"], response_class=HTMLResponse)
        r.add_api_route("/picture", self.picture, methods=["GET"])
        r.add_api_route("/api/catalog", self.get_catalog, methods=["GET"])
        r.add_api_route("/api/catalog", self.save_catalog, methods=["POST"])
        r.add_api_route("/api/import", self.import_file, methods=["POST"])
        r.add_api_route("/api/picture", self.add_picture, methods=["POST"])
        r.add_api_route("/api/preview", self.preview, methods=["POST"])
        r.add_api_route("/api/show", self.show, methods=["POST"])
        return r

    async def page(self, request: Request) -> HTMLResponse:
        lang = self.host.language(request)
        nxt = request.query_params.get("next", "")
        nxt = nxt if nxt.startswith("/") and not nxt.startswith("//") else ""
        return self.host.render(request, "products/page.html", {
            "s": lambda key, **v: text(key, lang, **v), "state": self.state(lang), "strings": all_text(lang),
            "next_url": nxt, "default_path": str(default_catalog_path(self.host.home()))}, title=text("title", lang))

    async def static(self, name: str) -> Response:
        if name not in ("products-panel.js", "products-panel.css"):
            return Response(status_code=404)
        media = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(HERE / "static" / name, media_type=media, headers={"Cache-Control": "no-cache"})

    async def card_preview(self) -> HTMLResponse:
        """The overlay's own card page (``card.html``), drawing what the panel page sends it."""
        # the overlay page carries its script inline and is framed by the products page: its own policy
        return HTMLResponse((HERE / "card.html").read_text(encoding="utf-8"),
                            headers={"Cache-Control": "no-store", "Content-Security-Policy": INLINE_CSP})

    async def picture(self, path: str) -> Response:
        """A picture of the catalog, or one added in the panel — no other file."""
        found = self.allowed_picture(path)
        if found is None:
            return Response(status_code=404)
        return FileResponse(found, headers={"Cache-Control": "no-cache"})

    def allowed_picture(self, raw: str) -> Path | None:
        catalog_path, _ = self.catalog_file()
        candidate = Path(raw).expanduser()
        if not candidate.is_absolute():
            candidate = catalog_path.parent / candidate
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if real.parent == pictures_dir(self.host.home()).resolve() and STORED_NAME.fullmatch(real.name):
            return real if real.is_file() else None
        try:
            rows, _ = read_catalog_rows(catalog_path)
        except CatalogError:
            return None
        images = {(catalog_path.parent / cell_text(r.values.get("image"))).resolve() for r in rows
                  if cell_text(r.values.get("image"))}
        return real if real in images and real.is_file() else None

    async def get_catalog(self, request: Request) -> JSONResponse:
        return JSONResponse(self.state(self.host.language(request)))

    async def save_catalog(self, request: Request) -> JSONResponse:
        """Write the rows sent (the whole table) when they are valid and the file is as the page saw it."""
        lang = self.host.language(request)
        body = await read_json_object(request)
        path, configured = self.catalog_file()
        if str(body.get("version", "")) != file_version(path):
            return JSONResponse({"ok": False, "message": text("conflict", lang), "state": self.state(lang)}, 409)
        rows = [table_row(i, values, lang) for i, values in enumerate(body.get("rows") or [])]
        try:
            catalog = catalog_from_rows(rows, [], base=path.parent, path=path)
        except CatalogError as exc:
            return JSONResponse({"ok": False, "problems": [problem_json(p, lang, rows) for p in exc.items]}, 422)
        try:
            write_catalog(catalog, path)
            self.name_catalog_in_config(path, configured)
        except (OSError, ConfigError) as exc:
            return JSONResponse({"ok": False, "message": text("not_saved", lang, reason=_reason(exc))}, 500)
        return JSONResponse({"ok": True, "state": self.state(lang)})

    def name_catalog_in_config(self, path: Path, configured: bool) -> None:
        if not configured:
            self.host.write_config("products", {"catalog": str(path)})

    async def import_file(self, request: Request) -> JSONResponse:
        """Import the .xlsx/.csv sent as the body: all of it, or nothing and every problem."""
        lang = self.host.language(request)
        name = unquote(request.headers.get("x-file-name", "")) or "catalog.xlsx"
        data = await request.body()  # bounded by the panel's body limit; import_catalog refuses > 5 MB
        path, configured = self.catalog_file()
        try:
            result = import_catalog(data, name, base=path.parent)
        except CatalogError as exc:
            return JSONResponse({"ok": False, "message": text("import_problems", lang, file=name, count=len(exc.items)),
                                 "problems": exc.sentences(lang)}, 422)
        try:
            replace_catalog(result.catalog, path)
            self.name_catalog_in_config(path, configured)
        except (OSError, CatalogError, ConfigError) as exc:
            return JSONResponse({"ok": False, "message": text("not_saved", lang, reason=_reason(exc)), "problems": []}, 500)
        return JSONResponse({"ok": True, "message": text("import_done", lang, count=len(result.catalog.products)),
                             "summary": result.summary(lang), "state": self.state(lang)})

    async def add_picture(self, request: Request) -> JSONResponse:
        """Keep the picture sent as the body, when it is one; the row's form then names it."""
        lang = self.host.language(request)
        try:
            picture = store_picture(await request.body(), self.host.home())
        except PictureError as exc:
            return JSONResponse({"ok": False, "message": picture_problem(exc.code, lang, **exc.values)}, 422)
        catalog_path, _ = self.catalog_file()
        image = picture_path(picture.path, catalog_path.parent)
        return JSONResponse({"ok": True, "image": image, "image_url": picture_url(image),
                             "message": text("picture_added", lang, width=picture.width, height=picture.height)})

    async def preview(self, request: Request) -> JSONResponse:
        """The card the overlay page would draw for the row sent (saved or not)."""
        lang = self.host.language(request)
        body = await read_json_object(request)
        path, _ = self.catalog_file()
        row = table_row(0, body.get("row") or {}, lang)
        problems: list[Problem] = []
        product = validate_row(row, path.parent, problems)
        if product is None:
            return JSONResponse({"ok": False, "problems": [problem_json(p, lang, [row]) for p in problems]}, 422)
        card = card_message(CardView(product), self.card_language())
        card["image"] = picture_url(cell_text(row.values.get("image"))) or None
        return JSONResponse({"ok": True, "card": card, "message": text("preview_of", lang, name=product.name)})

    async def show(self, request: Request) -> JSONResponse:
        """Put product ``serial`` on stream now, through the running session's ``PRODUCTS``."""
        lang = self.host.language(request)
        body = await read_json_object(request)
        runtime = self.host.session()
        if runtime is None:
            return JSONResponse({"ok": False, "message": text("no_session", lang)}, 409)
        products = runtime.services.find(PRODUCTS)
        if products is None:
            return JSONResponse({"ok": False, "message": text("products_off", lang)}, 409)
        serial = int(body["serial"]) if str(body.get("serial", "")).isdigit() else 0
        name = str(body.get("name") or serial)
        if not products.show(serial, trigger="panel"):
            return JSONResponse({"ok": False, "message": text("show_failed", lang, name=name)}, 409)
        return JSONResponse({"ok": True, "message": text("shown", lang, name=name)})


# helpers ------------------------------------------------------------------------------------------------
def _reason(exc: Exception) -> str:
    return exc.one_line() if isinstance(exc, StreamkitError) else (getattr(exc, "strerror", "") or str(exc))


def file_version(path: Path) -> str:
    """What the page saw of the file ('' when there is none): saves refuse when it changed since."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def cell_text(value: Any) -> str:
    """A cell of the catalog file as the table shows it (lists joined with |)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "|".join(str(v).strip() for v in value)
    return str(value).strip()


def column_labels(lang: str) -> dict[str, str]:
    return dict(COLUMN_ZH) if lang != "en" else dict(FIELD_EN)


def table_row(index: int, values: Any, lang: str) -> RawRow:
    """Row ``index`` of the page's table as the catalog validates it (an empty product ID: the serial)."""
    values = values if isinstance(values, dict) else {}
    cells = {f: cell_text(values.get(f)) for f in FIELDS}
    cells["id"] = cells["id"] or cells["serial"]
    return RawRow(index + 1, cells, column_labels(lang))


def problem_json(problem: Problem, lang: str, rows: list[RawRow]) -> dict[str, Any]:
    """A problem for the page: its sentence, the table row (0-based, None for the whole file), the field."""
    index = next((i for i, r in enumerate(rows) if problem.row is not None and r.row == problem.row), None)
    return {"row": index, "column": problem.column, "text": problem.sentence(lang)}


def picture_url(image: str) -> str:
    """Where the page loads the picture a row names ('' for none)."""
    return f"/products/picture?path={quote(image, safe='')}" if image else ""
