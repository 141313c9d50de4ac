"""Data that ships inside the streamkit package: the model manifest and the sample media.

In the source tree they live in ``models/`` and ``samples/`` at the top of the checkout; a wheel
carries the same files as ``streamkit/bundled/models`` and ``streamkit/bundled/samples``
(``pyproject.toml`` maps them), so an installed streamkit finds them without the checkout.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def source_checkout() -> Path | None:
    """The top of the source checkout this streamkit runs from, or None when it is installed from a wheel."""
    top = HERE.parents[1]
    return top if (top / "pyproject.toml").is_file() and (top / "streamkit" / "bundled").is_dir() else None


def _bundled(name: str) -> Path:
    installed = HERE / name
    if installed.is_dir():
        return installed
    top = source_checkout()
    return (top / name) if top is not None else installed


def manifest_path() -> Path:
    """``models/manifest.toml``: every model with its files, sha256 and sources."""
    return _bundled("models") / "manifest.toml"


def samples_dir() -> Path:
    """``samples/``: the demo config, the sample catalog and the sample media (see its PROVENANCE)."""
    return _bundled("samples")
