"""Kokoro cut in three, so speech can start before the whole phrase is turned into audio.

One Kokoro ONNX graph does two things over the whole phrase: an encoder (phonemes → per-frame
features: durations, pitch F0, energy N, the text aligned to frames; a few per cent of the time) and a
decoder (features → 24 kHz audio, 600 samples per frame; nearly all of the time). Run whole, the first
sample waits for the last. :func:`streaming_graph` cuts the verified model file, once, into

- ``encoder.onnx``: ``tokens, style, speed`` → the features and each token's duration in frames;
- ``phase.onnx``: F0 → the running phase of the decoder's harmonic source (a sum over the phrase,
  so a span decoded alone still starts at the right phase);
- ``decoder.onnx``: features, ``style`` and phase → audio, for any span of frames.

No weight is changed (``onnx.utils.Extractor`` copies nodes as they are): the decoder run over all
frames gives the whole graph's audio bit for bit, which is checked on a probe phrase whenever the files
are made. They are made on first use (a few seconds, by the ``onnx`` package) into the models cache,
``<cache>/derived/kokoro-stream-v<DERIVATION>-<source sha256[:16]>/``, next to ``derivation.json``: the
source's sha256, :data:`DERIVATION`, each file's size and sha256. A file that changed since is hashed
again; a wrong or missing one is made again. For the PyPI carrier's model the sha256 of every file is
also recorded here (:data:`RECORDED`, what ``onnx`` 1.23 writes; tests hold the cut to it, and other
bytes from another ``onnx`` version are logged, the probe deciding). A model whose graph cannot be cut
this way (another export, no ``onnx``) gives None, and the engine runs it whole.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import models

__all__ = ["DERIVATION", "RECORDED", "StreamingGraph", "derive", "streaming_graph"]

log = logging.getLogger(__name__)

#: Version of the cut: bump it when :func:`derive` changes, so older files are made again.
DERIVATION = 1
STAMP = "derivation.json"
FILES = ("encoder.onnx", "phase.onnx", "decoder.onnx")
#: sha256 of the files cut from a known source (kokoro-ja's model.onnx, the official v1.0 int8 export).
RECORDED: dict[str, dict[str, str]] = {
    "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb": {
        "encoder.onnx": "0acdbb9df496ec7257c164d202e48af514501d4bc1566cf6e0c597a595d94241",
        "phase.onnx": "948102df19624957421cf6f276371b6ced0eaf7f3bd41f9f7cdff2265763cef9",
        "decoder.onnx": "f60895517ffff0fb97a2ba60f0ecb716b9157692e15361e53d12a066a8515e1f",
    },
}
#: Token ids of the probe phrase the cut is checked on (any ids of the vocabulary will do).
_PROBE_TOKENS = (50, 83, 156, 43, 102, 16, 56, 123, 68, 61, 16, 47, 69, 81, 54, 46, 156, 102, 83, 4)


class DerivationError(Exception):
    """A graph that cannot be cut into encoder, phase and decoder (its export differs)."""


@dataclass(frozen=True)
class StreamingGraph:
    """The three files and how to feed them: tensor names, samples per frame, curve values per frame."""

    folder: Path
    asr: str
    f0: str
    energy: str
    phase: str
    durations: str
    samples_per_frame: int
    curve_rate: int

    def path(self, name: str) -> Path:
        return self.folder / name


def streaming_graph(model: Path, source_sha256: str, cache: Path | None = None) -> StreamingGraph | None:
    """The cut of ``model`` (whose sha256 the caller verified), made now if missing or corrupt.

    None when the graph cannot be cut or the ``onnx`` package is missing (logged; speech still works,
    whole). ``cache``: the derived files' root (default ``<models cache>/derived``).
    """
    root = cache if cache is not None else models.models_dir() / "derived"
    folder = root / f"kokoro-stream-v{DERIVATION}-{source_sha256[:16]}"
    graph = _verified(folder, source_sha256)
    if graph is not None:
        return graph
    try:
        return derive(model, folder, source_sha256)
    except Exception as exc:  # noqa: BLE001 - any failure to cut (another export, no onnx, a full disk): run it whole
        log.warning("speech model %s cannot be streamed frame by frame (%s: %s): it runs whole",
                    model, type(exc).__name__, exc)
        return None


def _verified(folder: Path, source_sha256: str) -> StreamingGraph | None:
    """The graph in ``folder`` when its stamp matches the source and every file its sha256, else None."""
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stamp.get("derivation") != DERIVATION or stamp.get("source_sha256") != source_sha256:
        return None
    files: dict[str, list[Any]] = stamp.get("files", {})
    if set(files) != set(FILES):
        return None
    for name, (size, mtime_ns, sha) in files.items():
        path = folder / name
        try:
            st = path.stat()
        except OSError:
            return None
        if [st.st_size, st.st_mtime_ns] == [size, mtime_ns]:
            continue
        if st.st_size != size or models.sha256_file(path) != sha:
            log.warning("derived speech file %s is corrupt: making it again", path)
            return None
    return _graph(folder, stamp)


def _graph(folder: Path, stamp: dict[str, Any]) -> StreamingGraph:
    t = stamp["tensors"]
    return StreamingGraph(folder, t["asr"], t["f0"], t["energy"], t["phase"], t["durations"],
                          int(stamp["samples_per_frame"]), int(stamp["curve_rate"]))


def derive(model: Path, folder: Path, source_sha256: str) -> StreamingGraph:
    """Cut ``model`` into ``folder`` (replacing what is there), check it on the probe, stamp it."""
    import onnx
    from onnx.utils import Extractor

    proto = onnx.load(str(model))
    tensors = _cut_points(proto)
    inputs = {i.name for i in proto.graph.input}
    if not {"style", "speed"} <= inputs or proto.graph.output[0].name != "audio":
        raise DerivationError("inputs style/speed or output audio missing")
    tokens = next(i.name for i in proto.graph.input if i.name not in ("style", "speed"))
    features = [tensors["asr"], tensors["f0"], tensors["energy"]]
    extractor = Extractor(proto)
    parts = {
        "encoder.onnx": extractor.extract_model([tokens, "style", "speed"], [*features, tensors["durations"]]),
        "phase.onnx": extractor.extract_model([tensors["f0"]], [tensors["phase"]]),
        "decoder.onnx": extractor.extract_model([*features, "style", tensors["phase"]], ["audio"]),
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name, part in parts.items():
            onnx.save(part, str(tmp / name))
        del proto, parts, extractor
        stamp = {"derivation": DERIVATION, "source_sha256": source_sha256, "tensors": tensors}
        stamp.update(_probe(model, tmp, tensors))
        stamp["files"] = {name: _file_record(tmp / name) for name in FILES}
        _check_recorded(source_sha256, stamp["files"])
        (tmp / STAMP).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        try:
            os.replace(tmp, folder)  # a folder's rename keeps its files' mtimes: the stamp stays true
        except OSError:
            made = _verified(folder, source_sha256)  # another process made it meanwhile
            if made is None:
                raise
            return made
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("speech model %s cut for streaming into %s", model, folder)
    return _graph(folder, stamp)


def _file_record(path: Path) -> list[Any]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, models.sha256_file(path)]


def _check_recorded(source_sha256: str, files: dict[str, list[Any]]) -> None:
    recorded = RECORDED.get(source_sha256)
    if not recorded:
        return
    for name, (_size, _mtime, sha) in files.items():
        if recorded.get(name) and recorded[name] != sha:
            # the probe passed, so the cut is right; another onnx version may write other bytes
            log.warning("derived %s has sha256 %s…, recorded %s… (checked on the probe phrase instead)",
                        name, sha[:12], recorded[name][:12])


def _cut_points(proto: Any) -> dict[str, str]:
    """Tensor names where the encoder ends and the decoder's phase sum is (see the module docstring)."""
    nodes = list(proto.graph.node)
    produced = {out: node for node in nodes for out in node.output}
    crossing: list[str] = []
    for node in nodes:
        if not node.name.startswith("/decoder/"):
            continue
        for name in node.input:
            source = produced.get(name)
            if (source is not None and source.name.startswith("/encoder/") and name not in crossing
                    and source.op_type != "DynamicQuantizeLinear"):
                crossing.append(name)
    ranks = _ranks(proto, crossing)
    curves = [n for n in crossing if ranks.get(n) == 2]
    frames = [n for n in crossing if ranks.get(n) == 3]
    if len(curves) != 2 or len(frames) != 1:
        raise DerivationError(f"encoder → decoder tensors {crossing} are not asr + F0 + N")
    f0, energy = _f0_first(nodes, curves)
    phase = [n.output[0] for n in nodes if n.op_type == "CumSum" and n.name.startswith("/decoder/")]
    durations = [n.input[0] for n in nodes if n.op_type == "CumSum" and n.name.startswith("/encoder/")]
    if len(phase) != 1 or len(durations) != 1:
        raise DerivationError("no single phase sum in the decoder or duration sum in the encoder")
    return {"asr": frames[0], "f0": f0, "energy": energy, "phase": phase[0], "durations": durations[0]}


def _ranks(proto: Any, names: list[str]) -> dict[str, int]:
    import onnx

    inferred = onnx.shape_inference.infer_shapes(proto)
    infos = [*inferred.graph.value_info, *inferred.graph.output]
    return {i.name: len(i.type.tensor_type.shape.dim) for i in infos if i.name in names}


def _f0_first(nodes: list[Any], curves: list[str]) -> tuple[str, str]:
    """``(F0, N)``: F0 is the curve the harmonic source reads (its path reaches the phase sum)."""
    consumers: dict[str, list[Any]] = {}
    for node in nodes:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    def reaches_cumsum(name: str) -> bool:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            for node in consumers.get(current, []):
                if node.op_type == "CumSum":
                    return True
                for out in node.output:
                    if out not in seen:
                        seen.add(out)
                        todo.append(out)
        return False

    hits = [c for c in curves if reaches_cumsum(c)]
    if len(hits) != 1:
        raise DerivationError("cannot tell F0 from N")
    return hits[0], next(c for c in curves if c != hits[0])


def _probe(model: Path, folder: Path, tensors: dict[str, str]) -> dict[str, int]:
    """Run the whole model and the three files on the probe phrase: same audio, or DerivationError."""
    import onnxruntime as ort

    def session(path: Path) -> Any:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])

    whole, encoder = session(model), session(folder / "encoder.onnx")
    phase, decoder = session(folder / "phase.onnx"), session(folder / "decoder.onnx")
    feeds = _probe_feeds(whole)
    expected = np.asarray(whole.run(None, feeds)[0]).ravel()
    asr, f0, energy, durations = encoder.run(None, {i.name: feeds[i.name] for i in encoder.get_inputs()})
    running = phase.run(None, {tensors["f0"]: f0})[0]
    audio = np.asarray(decoder.run(None, {tensors["asr"]: asr, tensors["f0"]: f0, tensors["energy"]: energy,
                                          "style": feeds["style"], tensors["phase"]: running})[0]).ravel()
    frames = int(asr.shape[-1])
    durations = np.asarray(durations).ravel()
    if (audio.shape != expected.shape or not np.array_equal(audio, expected) or frames == 0
            or len(audio) % frames or f0.shape[-1] % frames or int(durations.sum()) != frames
            or len(durations) != len(_PROBE_TOKENS) + 2):
        raise DerivationError("the cut graph does not reproduce the whole model on the probe phrase")
    return {"samples_per_frame": len(audio) // frames, "curve_rate": int(f0.shape[-1]) // frames}


def _probe_feeds(session: Any) -> dict[str, np.ndarray]:
    from kokoro_onnx.session import input_dtypes

    dtypes = input_dtypes(session)
    tokens = next(name for name in dtypes if name not in ("style", "speed"))
    return {tokens: np.array([[0, *_PROBE_TOKENS, 0]], dtype=dtypes[tokens]),
            "style": np.linspace(-0.3, 0.3, 256, dtype=dtypes["style"]).reshape(1, 256),
            "speed": np.array([1], dtype=dtypes["speed"])}
