"""Strict JSON for request bodies: what our database and renderers can hold, or a 400.

Refused: ``NaN``/``Infinity`` and numbers that overflow to infinity (``1e999``), lone surrogates
(``"\\ud800"``, which cannot be stored as UTF-8), nesting deeper than :data:`MAX_DEPTH`, and
integers outside SQLite's 64-bit range. Parsing is pydantic-core's (jiter), which already refuses
lone surrogates and runaway nesting; the walk afterwards checks numbers and our tighter depth.
"""

from __future__ import annotations

import math
from typing import Any

import pydantic_core
from starlette.requests import Request

MAX_DEPTH = 32
INT_MAX = 2**63 - 1


class BadJson(ValueError):
    """A request body that is not JSON we accept; ``str()`` says what is wrong, in one line."""


def parse_json(raw: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``raw`` strictly (see the module docstring); raises :class:`BadJson`."""
    try:
        data = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        raise BadJson(f"the request body is not valid JSON ({exc})") from None
    _check(data, max_depth)
    return data


def _check(data: Any, max_depth: int) -> None:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > max_depth:
                raise BadJson(f"the request body is nested deeper than {max_depth} levels")
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
        elif isinstance(value, float) and not math.isfinite(value):
            raise BadJson("the request body has a number too large to use (write an ordinary number)")
        elif isinstance(value, int) and not isinstance(value, bool) and not -INT_MAX - 1 <= value <= INT_MAX:
            raise BadJson(f"the request body has an integer outside ±{INT_MAX}")


async def read_json_object(request: Request, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """The request body as a JSON object (an empty body is ``{}``); raises :class:`BadJson`."""
    raw = await request.body()
    data = parse_json(raw, max_depth=max_depth) if raw.strip() else {}
    if not isinstance(data, dict):
        raise BadJson("the request body must be a JSON object")
    return data
