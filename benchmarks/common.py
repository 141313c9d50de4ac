"""Pieces the benchmarks share: percentiles, reading the 16 kHz mono sample recordings, where speech ends in
them, and a file source that knows when its audio started (spoken command → OBS latencies)."""

from __future__ import annotations

import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

SR = 16_000


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def read_wav(path: Path) -> np.ndarray:
    """A 16 kHz mono 16-bit WAV as float32 samples in [-1, 1]."""
    with wave.open(str(path)) as w:
        assert w.getframerate() == SR and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768


def speech_end(samples: np.ndarray, threshold_db: float = -40.0) -> float:
    """Seconds to the end of the last 10 ms frame louder than ``threshold_db`` dBFS."""
    frame = SR // 100
    n = len(samples) // frame
    rms = np.sqrt(np.mean(samples[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(20 * np.log10(rms) > threshold_db)
    return float((loud[-1] + 1) * frame / SR)


class TimedSource:
    """A FileAudioSource that remembers the wall-clock moment (``time.monotonic``) its audio time 0 was 'heard'."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.t0 = 0.0

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.t0 = time.monotonic()
        yield from self.inner

    def close(self) -> None:
        self.inner.close()


def spread(seconds: list[float]) -> dict[str, float | None]:
    """p50, p90, mean and max of latencies in seconds, rounded to ms (None for each when there are none)."""
    if not seconds:
        return {"p50_s": None, "p90_s": None, "mean_s": None, "max_s": None}
    return {"p50_s": round(percentile(seconds, 50), 3), "p90_s": round(percentile(seconds, 90), 3),
            "mean_s": round(sum(seconds) / len(seconds), 3), "max_s": round(max(seconds), 3)}
