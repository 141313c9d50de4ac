"""The README's configuration reference is generated from the config models: it must not drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_config_reference_in_readme_is_current() -> None:
    spec = importlib.util.spec_from_file_location("update_readme", REPO / "scripts" / "update_readme.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert mod.rendered() in readme, "run: .venv/bin/python scripts/update_readme.py"


def test_readme_leads_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.index("make demo") < readme.index("## Configuration reference")
    assert "make test" in readme
