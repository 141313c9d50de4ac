"""Threat 8 — a symlink in a session folder serves any file on disk.

A session folder can come from someone else (copied, shared, pushed). A link named ``clip.mp3``
inside it, or a ``media_path`` naming such a link, was followed to any file the server can read
and served as audio. Every served file is now resolved and must stay where it belongs — inside
the session folder, or exactly the file the session names, not a link leading away — fallbacks too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SECRET = b"TOP SECRET: the server's private key"


@pytest.fixture()
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "secret.mp3"
    path.parent.mkdir()
    path.write_bytes(SECRET)
    return path


def _only_link_as_media(home, secret: Path, media_path: str) -> None:
    for old in home.folder.iterdir():
        if old.suffix in (".webm", ".mp3", ".wav"):
            old.unlink()
    os.symlink(secret, home.folder / "clip.mp3")
    info = json.loads((home.folder / "session.json").read_text(encoding="utf-8"))
    info.update(media_path=media_path, recording_path="")
    (home.folder / "session.json").write_text(json.dumps(info), encoding="utf-8")
    events = (home.folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in events if '"Recording' not in line]
    (home.folder / "events.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")


@pytest.mark.parametrize("named", ["", "clip.mp3", "ABSOLUTE"])
def test_links_out_of_the_session_are_not_served(local, home, secret: Path, named: str) -> None:
    """The fallback scan (nothing named), a relative ``media_path`` and an absolute one all meet the link."""
    _only_link_as_media(home, secret, str(home.folder / "clip.mp3") if named == "ABSOLUTE" else named)
    r = local.get(f"/sessions/{home.sid}/media")
    assert r.status_code == 404 and SECRET not in r.content
    page = local.get(f"/sessions/{home.sid}")
    assert page.status_code == 200 and 'id="no-media"' in page.text


def test_the_sessions_own_recording_still_plays(local, home) -> None:
    """A recording named by its real path (an imported file, the OBS output folder) is not a link: it plays."""
    r = local.get(f"/sessions/{home.sid}/media", headers={"Range": "bytes=0-99"})
    assert r.status_code == 206 and len(r.content) == 100


def test_product_pictures_on_the_overlay_are_pictures(tmp_path: Path, secret: Path) -> None:
    """The overlay server shows a product's picture by serial: a catalog picture that is a link to
    something else (here an audio file outside the folder) is not served."""
    import httpx

    from streamkit.testing.web import PATIENT
    from streamkit.component import Tasks
    from streamkit.config import load
    from streamkit.overlay import OverlayServer
    from streamkit.plugins.products.service import service_from_config
    from streamkit.plugins.products.sinks import IMAGE_ROUTE

    (tmp_path / "tea.png").write_bytes(b"\x89PNG real picture")
    os.symlink(secret, tmp_path / "stolen.png")
    (tmp_path / "catalog.csv").write_text("serial,id,name,price,image\n1,tea,茶,10,tea.png\n2,x,偷,10,stolen.png\n",
                                          encoding="utf-8")
    (tmp_path / "streamkit.toml").write_text('[products]\ncatalog = "catalog.csv"\n', encoding="utf-8")
    overlay = OverlayServer(port=0).start()
    service = service_from_config(load(tmp_path / "streamkit.toml"), overlay=overlay)
    assert service is not None
    tasks = Tasks("products")
    service.start(tasks)
    try:
        assert httpx.get(overlay.url(f"{IMAGE_ROUTE}/1"), timeout=PATIENT).status_code == 200
        stolen = httpx.get(overlay.url(f"{IMAGE_ROUTE}/2"), timeout=PATIENT)
        assert stolen.status_code == 404 and SECRET not in stolen.content
    finally:
        tasks.stopping.set()
        service.stop()
        overlay.stop()
