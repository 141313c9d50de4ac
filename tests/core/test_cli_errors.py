"""Bad input at the command line: one line that names the problem and the fix, and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streamkit.overlay import free_port


def streamkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streamkit", *args], capture_output=True, text=True, timeout=120,
                          env=env)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_closed_port_is_one_line_with_the_fix() -> None:
    out = streamkit("obs", "doctor", "--url", f"ws://127.0.0.1:{free_port()}")
    assert out.returncode == 1
    [line] = lines(out.stdout + out.stderr)
    assert "cannot reach OBS" in line and "Enable WebSocket server" in line


def test_unknown_config_key_via_run(tmp_path: Path) -> None:
    cfg = tmp_path / "streamkit.toml"
    cfg.write_text('[obs]\npasword = "x"\n', encoding="utf-8")
    out = streamkit("run", "--config", str(cfg))
    assert out.returncode == 2
    [line] = lines(out.stderr)
    assert line.startswith("streamkit: error: ") and "[obs] pasword: unknown key" in line and "'password'" in line


def test_wrong_type_via_run(tmp_path: Path) -> None:
    cfg = tmp_path / "streamkit.toml"
    cfg.write_text("[overlay]\nport = \"eighty\"\n", encoding="utf-8")
    out = streamkit("run", "--config", str(cfg))
    assert out.returncode == 2
    [line] = lines(out.stderr)
    assert "[overlay] port: expected a whole number, got 'eighty'" in line


def test_missing_config_file() -> None:
    out = streamkit("run", "--config", "/nonexistent/streamkit.toml")
    assert out.returncode == 2
    [line] = lines(out.stderr)
    assert "config file not found" in line and "--config" in line


def test_unknown_model_name() -> None:
    out = streamkit("models", "fetch", "whisper-gigantic")
    assert out.returncode == 1
    [line] = lines(out.stdout + out.stderr)
    assert "unknown model 'whisper-gigantic'" in line and "whisper-base" in line
