"""Where an organisation's server keeps recordings and session files: its own disk or an S3-compatible store.

A small interface (:class:`MediaStore`) with two implementations. Keys are relative names such
as ``sessions/<id>/media/live.mkv``; a key that would lead outside the store is refused. Uploads
are staged on the server's disk first (resumable, checksummed) and handed to the store whole.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from streamkit.errors import StreamkitError
from streamkit.home import private_dir
from streamkit.web.files import contained_file

CHUNK = 256 * 1024
_KEY = re.compile(r"^(?:[A-Za-z0-9._\-]+/)*[A-Za-z0-9._\-]+$")


class MediaStoreError(StreamkitError):
    """The media store cannot be used as configured."""


def checked_key(key: str) -> str:
    """``key`` when it is a plain relative name (no ``..``, no absolute path, no odd characters); else ValueError."""
    if not _KEY.match(key) or any(part in (".", "..") for part in key.split("/")):
        raise ValueError(f"{key!r} is not a usable name in the media store")
    return key


class MediaStore(Protocol):
    """Whole files in, byte ranges out."""

    def put(self, key: str, source: Path) -> None:
        """Take the complete local file ``source`` as ``key`` (``source`` may be moved away)."""

    def size(self, key: str) -> int | None:
        """The stored size in bytes, or None when ``key`` is not there."""

    def local_path(self, key: str) -> Path | None:
        """A file on this computer holding ``key`` (disk store), else None (served through :meth:`read`)."""

    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Bytes ``start``..``end`` (inclusive; None = to the end) of ``key``."""

    def fetch(self, key: str, dest: Path) -> Path:
        """A copy of ``key`` at ``dest`` (for a worker that needs a file)."""

    def delete(self, key: str) -> None: ...


class DiskMediaStore:
    """Files under one folder of the server (owner-only), found again only inside it."""

    def __init__(self, root: Path) -> None:
        self.root = private_dir(root)

    def _path(self, key: str) -> Path:
        return self.root / checked_key(key)

    def put(self, key: str, source: Path) -> None:
        dest = self._path(key)
        private_dir(dest.parent)
        try:
            os.replace(source, dest)  # same file system: a rename, whole or not at all
        except OSError:
            tmp = dest.with_name(dest.name + ".part")
            shutil.copyfile(source, tmp)
            _fsync(tmp)
            os.replace(tmp, dest)
        _fsync_dir(dest.parent)

    def size(self, key: str) -> int | None:
        path = self.local_path(key)
        return path.stat().st_size if path else None

    def local_path(self, key: str) -> Path | None:
        return contained_file(self._path(key), self.root)

    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        path = self.local_path(key)
        if path is None:
            raise FileNotFoundError(key)
        with open(path, "rb") as f:
            f.seek(start)
            left = None if end is None else end - start + 1
            while left is None or left > 0:
                block = f.read(CHUNK if left is None else min(CHUNK, left))
                if not block:
                    return
                if left is not None:
                    left -= len(block)
                yield block

    def fetch(self, key: str, dest: Path) -> Path:
        path = self.local_path(key)
        if path is None:
            raise FileNotFoundError(key)
        shutil.copyfile(path, dest)
        return dest

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3MediaStore:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph, …) through boto3; credentials from the usual
    ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` environment or boto3's configuration."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str = "", region: str = "") -> None:
        try:
            import boto3
        except ImportError:
            raise MediaStoreError("an S3 media store needs boto3, which is not installed",
                                  "pip install 'streamkit[s3]'") from None
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{checked_key(key)}" if self.prefix else checked_key(key)

    def put(self, key: str, source: Path) -> None:
        self.client.upload_file(str(source), self.bucket, self._key(key))
        source.unlink(missing_ok=True)  # the staged copy has done its job

    def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"])
        except ClientError:
            return None

    def local_path(self, key: str) -> Path | None:
        return None

    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        wanted = f"bytes={start}-{'' if end is None else end}"
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(key), Range=wanted)["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def fetch(self, key: str, dest: Path) -> Path:
        self.client.download_file(self.bucket, self._key(key), str(dest))
        return dest

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def open_media_store(spec: str, default_root: Path, s3_endpoint: str = "", s3_region: str = "") -> MediaStore:
    """``s3://BUCKET/PREFIX`` → :class:`S3MediaStore`; a folder (or '' = ``default_root``) → :class:`DiskMediaStore`."""
    if spec.startswith("s3://"):
        parts = urlsplit(spec)
        if not parts.netloc:
            raise MediaStoreError(f"media store {spec!r} names no bucket", "write it as s3://BUCKET/PREFIX")
        return S3MediaStore(parts.netloc, parts.path, s3_endpoint, s3_region)
    return DiskMediaStore(Path(spec).expanduser() if spec else default_root)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name != "nt":
        _fsync(path)
