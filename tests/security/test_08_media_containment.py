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


def test_overlay_static_files_do_not_follow_links_out(tmp_path: Path, secret: Path) -> None:
    """The overlay server serves product pictures from the catalog's folder: a link there leads nowhere."""
    import httpx

    from streamkit.overlay import OverlayServer

    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "tea.png").write_bytes(b"\x89PNG real picture")
    os.symlink(secret, pictures / "stolen.png")
    overlay = OverlayServer(port=0)
    overlay.add_static("/images", pictures)
    overlay.start()
    try:
        assert httpx.get(overlay.url("/images/tea.png")).status_code == 200
        stolen = httpx.get(overlay.url("/images/stolen.png"))
        assert stolen.status_code == 404 and SECRET not in stolen.content
    finally:
        overlay.stop()
