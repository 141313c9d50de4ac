"""Helpers of the security tests (importable from test modules, unlike conftest.py)."""

from __future__ import annotations

import re


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html) or re.search(r'"csrf": "([0-9a-f]{64})"', html)
    assert match, "page carries a CSRF token"
    return match.group(1)
