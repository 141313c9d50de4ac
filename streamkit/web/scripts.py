"""Data for a page's scripts: JSON that is safe inside ``<script type="application/json">`` (no inline
script runs under the CSP; a page's own script reads the data block)."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup


def json_script(data: Any) -> Markup:
    """JSON safe to put inside ``<script type="application/json">`` (``<``, ``>`` and ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
