"""Helpers of the review tests (importable from test modules, unlike conftest.py)."""

from __future__ import annotations

from pathlib import Path

from streamkit.plugins.review.testing import ReviewServer

ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts"

__all__ = ["ARTIFACTS", "ReviewServer"]
