"""The products page's routes over HTTP: saves that refuse, conflicts, pictures served from nowhere else."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from products_panel_helpers import home_with_catalog

from streamkit.hooks import Plugins
from streamkit.plugins.panel.app import create_panel_app
from streamkit.plugins.panel.host import Host
from streamkit.plugins.products.catalog import load_catalog
from streamkit.testing.web import csrf_of


@pytest.fixture()
def client(home: Path) -> Iterator[TestClient]:
    host = Host(home / "streamkit.toml", Plugins.installed(), home)
    with TestClient(create_panel_app(host)) as c:
        c.headers["X-CSRF-Token"] = csrf_of(c.get("/setup/language").text)  # what panel.js sends with every write
        yield c
    host.close()
    assert host.feed is not None
    host.feed.close()


def test_a_save_with_a_problem_changes_nothing_and_names_row_and_field(client: TestClient, home: Path) -> None:
    catalog = home_with_catalog(home)
    before = catalog.read_bytes()
    state = client.get("/products/api/catalog").json()
    rows = state["rows"]
    rows[1]["price"] = "一百块"
    rows[2]["serial"] = rows[0]["serial"]
    answer = client.post("/products/api/catalog", json={"version": state["version"], "rows": rows})
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        {"row": 1, "column": "price", "text": "第 2 行「价格」列：'一百块' 不是价格 — 写成 100"},
        {"row": 2, "column": "serial", "text": "第 3 行「序号」列：1 重复了（第 1 行已经用过）— 改成别的"}]
    assert catalog.read_bytes() == before


def test_a_save_based_on_an_old_file_is_refused_and_gives_the_new_one(client: TestClient, home: Path) -> None:
    catalog = home_with_catalog(home)
    state = client.get("/products/api/catalog").json()
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("保温杯", "真空保温杯", 1), encoding="utf-8")
    answer = client.post("/products/api/catalog", json={"version": state["version"], "rows": state["rows"][:2]})
    assert answer.status_code == 409 and "刚被别处改过" in answer.json()["message"]
    assert answer.json()["state"]["rows"][0]["name"] == "真空保温杯" and len(load_catalog(catalog).products) == 8


def test_bad_bodies_get_sentences_not_errors(client: TestClient, home: Path) -> None:
    home_with_catalog(home)
    headers = {"Content-Type": "application/json"}
    answer = client.post("/products/api/catalog", content=b"{not json", headers=headers)
    assert answer.status_code == 400 and answer.json()["message"]  # not JSON: one sentence, nothing saved
    answer = client.post("/products/api/preview", content=b"[1, 2]", headers=headers)
    assert answer.status_code == 400 and "JSON object" in answer.json()["message"]
    answer = client.post("/products/api/preview", json={"row": {"serial": "abc"}})
    assert answer.status_code == 422 and "不是序号" in answer.json()["problems"][0]["text"]
    answer = client.post("/products/api/show", json={"serial": "abc"})
    assert answer.status_code == 409 and "还没有开播" in answer.json()["message"]
    answer = client.post("/products/api/picture", content=b"GIF89a but not really")
    assert answer.status_code == 422 and answer.json()["message"] == "这个文件不是图片 — 选一张 PNG 或 JPG 图片"


def test_only_catalog_and_panel_pictures_are_served(client: TestClient, home: Path, tmp_path: Path) -> None:
    home_with_catalog(home)
    assert client.get("/products/picture", params={"path": "products/thermos-cup.png"}).status_code == 200
    secret = tmp_path / "secret.png"
    Image.new("RGB", (4, 4)).save(secret)
    for path in (str(secret), "../../secret.png", "../streamkit.toml", "/etc/passwd", "products/../catalog.csv"):
        assert client.get("/products/picture", params={"path": path}).status_code == 404, path
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (1, 2, 3)).save(out, "PNG")
    added = client.post("/products/api/picture", content=out.getvalue(), headers={"Content-Type": "image/png"}).json()
    assert added["ok"] and client.get(added["image_url"]).content == out.getvalue()
    assert client.get("/products/static/../panel.py").status_code == 404
