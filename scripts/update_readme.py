"""Regenerate the configuration reference in README.md from the config models (the single source of defaults)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from streamkit.config import defaults_toml

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"


def rendered() -> str:
    return f"{START}\n```toml\n{defaults_toml().rstrip()}\n```\n{END}"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: rendered(), text, flags=re.S)
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
