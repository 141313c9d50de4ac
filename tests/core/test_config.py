"""Config: defaults, validation messages that name file, key and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamkit import config
from streamkit.cli import main
from streamkit.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "streamkit.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_load_without_a_file() -> None:
    cfg = config.load(None)
    assert cfg.obs.url == "ws://127.0.0.1:4455"
    assert cfg.overlay.port == 8765


def test_sample_config_is_valid() -> None:
    cfg = config.load(REPO / "samples" / "streamkit.toml")
    assert cfg.path is not None


def test_unknown_key_names_file_section_key_and_suggestion(tmp_path: Path) -> None:
    p = write(tmp_path, '[obs]\npasswrd = "x"\n')
    with pytest.raises(ConfigError) as err:
        config.load(p)
    msg = str(err.value)
    assert str(p) in msg and "[obs] passwrd" in msg and "did you mean 'password'" in msg
    assert "\n" not in msg


def test_wrong_type_says_what_was_expected(tmp_path: Path) -> None:
    p = write(tmp_path, '[obs]\ntimeout = "fast"\n')
    with pytest.raises(ConfigError, match=r"\[obs\] timeout: expected a number, got 'fast'"):
        config.load(p)


def test_bad_url_and_unknown_section(tmp_path: Path) -> None:
    p = write(tmp_path, '[obs]\nurl = "http://x"\n[captoins]\n')
    with pytest.raises(ConfigError) as err:
        config.load(p)
    problems = err.value.problems  # type: ignore[attr-defined]
    assert any("[captoins]: unknown section — did you mean [captions]?" in p for p in problems)
    assert any("[obs] url: expected a ws://HOST:PORT address" in p for p in problems)


def test_toml_syntax_error_is_one_line(tmp_path: Path) -> None:
    p = write(tmp_path, "[obs\nurl=1\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        config.load(tmp_path / "nope.toml")


def test_password_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    p = write(tmp_path, '[obs]\npassword = "from-file"\n')
    cfg = config.load(p)
    assert cfg.obs.resolved_password() == "from-file"
    monkeypatch.setenv("STREAMKIT_OBS_PASSWORD", "from-env")
    assert cfg.obs.resolved_password() == "from-env"


def test_config_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, '[obs]\nurl = "ws://127.0.0.1:4455"\n')
    assert main(["config", "check", str(good)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[obs]\ntimeout = -1\nrecord = "maybe"\n', encoding="utf-8")
    assert main(["config", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "[obs] timeout: expected greater than 0, got -1" in err
    assert "[obs] record: expected true or false, got 'maybe'" in err


def test_every_key_has_a_description() -> None:
    for name, model in config.all_section_models().items():
        for key, field in model.model_fields.items():
            assert field.description, f"[{name}] {key} has no description"
