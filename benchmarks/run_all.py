"""Run every benchmark in this folder (each writes benchmarks/results/<name>.json and prints p50/p90)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["obs_actions", "captions", "captions_accuracy", "captions_hotwords", "captions_speakers", "gestures", "products",
         "products_import", "commands", "voice", "review", "speech", "panel", "org"]


def main() -> int:
    failed = []
    for name in ORDER:
        script = HERE / f"{name}.py"
        if not script.exists():
            continue
        print(f"=== benchmarks/{name}.py", flush=True)
        if subprocess.call([sys.executable, str(script)]) != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
