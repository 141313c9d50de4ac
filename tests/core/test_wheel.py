"""streamkit installs and runs outside its source checkout: the wheel carries the model manifest and the
demo's samples, so a fresh venv in another folder verifies the models and runs the demo to a session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from streamkit.bundled import source_checkout

pytestmark = pytest.mark.slow

CHECKOUT = source_checkout()


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_wheel_runs_the_demo_from_a_fresh_venv_in_another_folder(tmp_path: Path) -> None:
    assert CHECKOUT is not None, "this test builds the wheel from the source checkout"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(CHECKOUT)], tmp_path)
    [wheel] = list((tmp_path / "dist").glob("streamkit-*.whl"))
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    run([str(venv / "bin/python"), "-m", "pip", "install", "-q", "-c", str(CHECKOUT / "constraints.txt"), str(wheel)],
        tmp_path)
    home = tmp_path / "home"
    env = {**os.environ, "STREAMKIT_HOME": str(home), "STREAMKIT_MODELS_DIR": str(CHECKOUT / "models")}
    env.pop("PYTHONPATH", None)
    where = run([str(venv / "bin/python"), "-c", "import streamkit, streamkit.bundled as b; "
                 "print(streamkit.__file__); print(b.manifest_path()); print(b.samples_dir())"], tmp_path, env)
    for line in where.split():
        assert str(venv) in line and not line.startswith(str(CHECKOUT)), line
    assert "verified" in run([str(venv / "bin/streamkit"), "models", "verify"], tmp_path, env)
    out = run([str(venv / "bin/streamkit"), "demo", "--no-obs", "--fast"], tmp_path, env)
    [session] = list((home / "sessions").iterdir())
    assert f"Session {session.name} written to {session}" in out
    events = [json.loads(line) for line in (session / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    types = {e["type"] for e in events}
    assert {"SessionStarted", "Caption", "Utterance", "ProductCardShown", "GestureTriggered", "SessionEnded"} <= types
    assert (session / "captions.srt").stat().st_size > 0
