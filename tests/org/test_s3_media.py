"""Recordings of an organisation's server in an S3-compatible store: moto's S3 server (a real HTTP server
speaking the S3 protocol, from PyPI) stands in for MinIO or AWS. The store keeps whole files, serves
byte ranges, and a pushed recording plays through the review server from it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from streamkit.overlay import free_port
from streamkit.plugins.review.mediastore import S3MediaStore, open_media_store
from streamkit.plugins.review.pushclient import ReviewClient, plan_push, push
from streamkit.plugins.review.testing import ReviewServer, login

from conftest import PASSWORDS

BUCKET = "streamkit-media"


@pytest.fixture()
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """moto's S3 server on a free port, with a bucket; its endpoint URL."""
    from moto.server import ThreadedMotoServer

    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        import boto3

        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def test_s3_store_keeps_files_and_serves_ranges(s3: str, tmp_path: Path) -> None:
    store = open_media_store(f"s3://{BUCKET}/org", tmp_path / "unused", s3_endpoint=s3)
    assert isinstance(store, S3MediaStore)
    data = os.urandom(700_000)
    source = tmp_path / "clip.webm"
    source.write_bytes(data)
    store.put("sessions/s1/media/clip.webm", source)
    assert store.size("sessions/s1/media/clip.webm") == len(data) and store.local_path("sessions/s1/media/clip.webm") is None
    assert b"".join(store.read("sessions/s1/media/clip.webm", 1000, 1999)) == data[1000:2000]
    assert b"".join(store.read("sessions/s1/media/clip.webm")) == data
    copy = store.fetch("sessions/s1/media/clip.webm", tmp_path / "copy.webm")
    assert copy.read_bytes() == data
    assert store.size("sessions/s1/nothing") is None
    with pytest.raises(ValueError):
        store.put("../outside", source)


def test_pushed_recording_plays_from_s3(s3: str, org_database: str, homes: tuple[Path, Path], tmp_path: Path) -> None:
    server_home, pc_home = homes
    config = tmp_path / "server.toml"
    config.write_text(f'[review]\nmedia = "s3://{BUCKET}/org"\ns3_endpoint = "{s3}"\n', encoding="utf-8")
    recording = tmp_path / "evening.webm"
    recording.write_bytes(os.urandom(3_000_000))
    server = ReviewServer(server_home, "--database", org_database, "--config", str(config)).start()
    try:
        assert f"s3://{BUCKET}/org" in server.first_line
        client = ReviewClient(server.url, "anna", home=pc_home, password=lambda: PASSWORDS["anna"])
        try:
            plan = plan_push(recording)
            assert push(client, plan)["complete"]
        finally:
            client.close()
        assert not (server_home / "org-media").exists(), "nothing kept on the server's disk"
        assert not any((server_home / "org-uploads").rglob("*.part")), "the staged upload went to the store"
        with httpx.Client(base_url=server.url, timeout=30) as chen:
            login(chen, "chen", PASSWORDS["chen"])
            part = chen.get(f"/sessions/{plan.session_id}/media", headers={"Range": "bytes=100-1099"})
            assert part.status_code == 206 and part.content == recording.read_bytes()[100:1100]
            assert part.headers["content-range"] == f"bytes 100-1099/{recording.stat().st_size}"
            whole = chen.get(f"/sessions/{plan.session_id}/media")
            assert hashlib.sha256(whole.content).hexdigest() == plan.files[0].sha256
    finally:
        server.stop()
