"""Product pictures added in the panel (upload or paste), checked and kept under STREAMKIT_HOME.

A picture is accepted only when Pillow reads it as a PNG, JPEG, WebP, GIF or BMP within the size
limits; it is stored under its content hash (``products/pictures/<sha256>.<ext>``), so the same
picture added twice is one file and no name sent by a browser ever becomes a path.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from streamkit.errors import StreamkitError

MAX_PICTURE_BYTES = 8 * 1024 * 1024
MAX_PICTURE_SIDE = 8000
MAX_PICTURE_PIXELS = 40_000_000
FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp", "GIF": ".gif", "BMP": ".bmp"}
PICTURES_DIR = Path("products") / "pictures"


class PictureError(StreamkitError):
    """A picture that was not stored; ``code`` names the reason for the page's sentence."""

    def __init__(self, code: str, problem: str, **values: object) -> None:
        self.code = code
        self.values = values
        super().__init__(problem)


@dataclass(frozen=True)
class Picture:
    """A stored picture."""

    path: Path
    width: int
    height: int
    format: str


def pictures_dir(home: Path) -> Path:
    return home / PICTURES_DIR


def check_picture(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) of an image Pillow can read; raises :class:`PictureError` otherwise."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise PictureError("empty", "the picture is empty")
    if len(data) > MAX_PICTURE_BYTES:
        raise PictureError("too_large", f"the picture is {len(data) / 1e6:.1f} MB; the limit is "
                           f"{MAX_PICTURE_BYTES / 1e6:.0f} MB", size=f"{len(data) / 1e6:.1f} MB",
                           limit=f"{MAX_PICTURE_BYTES / 1e6:.0f} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt, (width, height) = probe.format or "", probe.size
                probe.verify()
            with Image.open(io.BytesIO(data)) as full:  # verify() does not decode the pixels: load them too
                full.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError("not_image", "the file is not a picture") from None
    except (OSError, SyntaxError, ValueError):
        raise PictureError("broken", "the picture is damaged") from None
    if fmt not in FORMATS:
        raise PictureError("format", f"{fmt} pictures are not shown by OBS", format=fmt)
    if max(width, height) > MAX_PICTURE_SIDE or width * height > MAX_PICTURE_PIXELS:
        raise PictureError("too_big", f"the picture is {width}×{height} pixels; the limit is {MAX_PICTURE_SIDE} "
                           "pixels a side", width=width, height=height, limit=MAX_PICTURE_SIDE)
    return fmt, width, height


def store_picture(data: bytes, home: Path) -> Picture:
    """Check ``data`` and keep it under ``home`` (its content hash is its name)."""
    fmt, width, height = check_picture(data)
    folder = pictures_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:32]}{FORMATS[fmt]}"
    if not path.is_file():
        fd, tmp = tempfile.mkstemp(prefix=".picture-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    return Picture(path, width, height, fmt)
