"""Audio sources: any audio/video file (PyAV), a microphone, desktop audio (PyAudio).

Every source yields :class:`~streamkit.events.AudioChunk` of 16 kHz mono float32 samples with
``start`` in seconds into the source. A source that cannot be opened raises
:class:`~streamkit.errors.SourceError` at construction; one that fails while running raises
``SourceError`` from its iterator, which :class:`~streamkit.pipeline.Pipeline` turns into
``SourceEnded(reason="error")``.

Desktop audio (a guest's voice in a call, a co-host) is read from a *loopback* input device:

- Linux (PulseAudio / PipeWire): the default output's ``.monitor`` source. PortAudio sees it
  either as a device whose name contains "monitor", or through the ``pulse`` device, which
  :class:`LoopbackSource` points at the monitor (``PULSE_SOURCE``, found with ``pactl``).
- Windows: enable "Stereo Mix" (Sound settings → Recording) or install VB-Audio Virtual Cable and
  pass its "CABLE Output" device.
- macOS: install BlackHole and send the call's output to it (a Multi-Output Device keeps it audible).

Microphone and desktop audio need the optional ``pyaudio``:
``pip install pyaudio==0.2.14`` (Debian/Ubuntu: ``apt-get install portaudio19-dev`` first).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np

from ..clock import Clock, WallClock
from ..errors import SourceError
from ..events import AudioChunk
from ..pipeline import Source
from ._media import av_reason, open_stream, stream_duration, truncated

__all__ = [
    "SAMPLE_RATE",
    "FileAudioSource",
    "InputDevice",
    "LoopbackSource",
    "MicSource",
    "list_cameras",
    "list_input_devices",
    "run_devices",
]

SAMPLE_RATE = 16_000
PYAUDIO_FIX = "pip install pyaudio==0.2.14 (on Debian/Ubuntu run `apt-get install portaudio19-dev` first)"
LOOPBACK_WORDS = ("monitor", "stereo mix", "loopback", "blackhole", "cable output", "what u hear")


class _Resampled:
    """Turns decoded frames into 16 kHz mono float32 blocks.

    Channels are averaged (not summed, as FFmpeg's downmix does, which is 3 dB louder and can clip).
    """

    def __init__(self) -> None:
        self._resampler = av.AudioResampler(format="fltp", layout=None, rate=SAMPLE_RATE)

    def push(self, frame: av.AudioFrame | None) -> list[np.ndarray]:
        out = []
        for f in self._resampler.resample(frame):
            planes = f.to_ndarray()  # (channels, samples), float32
            out.append(planes[0].copy() if planes.shape[0] == 1 else planes.mean(axis=0, dtype=np.float32))
        return out


class _Chunker:
    """Cuts a stream of sample blocks into chunks of exactly ``size`` samples (the last may be shorter)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._parts: list[np.ndarray] = []
        self._held = 0

    def push(self, block: np.ndarray) -> Iterator[np.ndarray]:
        self._parts.append(block)
        self._held += len(block)
        while self._held >= self.size:
            data = np.concatenate(self._parts)
            yield data[: self.size].copy()
            rest = data[self.size :]
            self._parts = [rest] if len(rest) else []
            self._held = len(rest)

    def rest(self) -> np.ndarray | None:
        if not self._held:
            return None
        data = np.concatenate(self._parts)
        self._parts, self._held = [], 0
        return data


class FileAudioSource(Source):
    """Decode any audio or video file PyAV can read into 16 kHz mono chunks.

    ``realtime=True`` releases each chunk when its last sample would have been heard live
    (``clock`` time of the first chunk + chunk end), so a replay has a live microphone's timing;
    with a :class:`~streamkit.clock.SimulatedClock` the replay runs as fast as the CPU allows.
    A file that ends well before its declared duration (truncated) raises ``SourceError``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        name: str = "file",
        chunk_seconds: float = 0.1,
        realtime: bool = False,
        clock: Clock | None = None,
    ) -> None:
        if chunk_seconds <= 0:
            raise ValueError("chunk_seconds must be > 0")
        self.path = Path(path)
        self.name = name
        self.chunk_seconds = chunk_seconds
        self.chunk_samples = max(1, round(chunk_seconds * SAMPLE_RATE))
        self.realtime = realtime
        self.clock = clock or WallClock()
        self._closed = threading.Event()
        with self._open() as (_container, stream):
            self.declared_duration = stream_duration(stream)

    def _open(self) -> Any:
        return open_stream(self.path, "audio")

    def __iter__(self) -> Iterator[AudioChunk]:
        self._closed.clear()
        chunker = _Chunker(self.chunk_samples)
        resampled = _Resampled()
        emitted = 0
        offset: float | None = None
        t0 = self.clock.now()

        def emit(samples: np.ndarray) -> AudioChunk:
            nonlocal emitted
            start = (offset or 0.0) + emitted / SAMPLE_RATE
            emitted += len(samples)
            if self.realtime:
                self.clock.sleep_until(t0 + emitted / SAMPLE_RATE)
            return AudioChunk(source=self.name, samples=samples, sample_rate=SAMPLE_RATE, start=start)

        with self._open() as (container, stream):
            try:
                for frame in container.decode(stream):
                    if self._closed.is_set():
                        return
                    if offset is None:
                        offset = max(0.0, float(frame.time or 0.0))
                    for block in resampled.push(frame):
                        for samples in chunker.push(block):
                            yield emit(samples)
                for block in resampled.push(None):
                    for samples in chunker.push(block):
                        yield emit(samples)
            except av.error.FFmpegError as exc:
                at = (offset or 0.0) + emitted / SAMPLE_RATE
                raise SourceError(f"{self.path}: decoding failed at {at:.1f} s ({av_reason(exc)})", "the file is damaged; re-export it") from None
        rest = chunker.rest()
        if rest is not None:
            yield emit(rest)
        decoded = emitted / SAMPLE_RATE
        if not self._closed.is_set() and truncated(decoded, self.declared_duration):
            raise SourceError(f"{self.path}: audio ends at {decoded:.1f} s of {self.declared_duration:.1f} s", "the file is truncated; copy or export it again")

    def close(self) -> None:
        self._closed.set()


# ---------------------------------------------------------------- devices (PyAudio)


@dataclass(frozen=True)
class InputDevice:
    """An audio input PortAudio can open."""

    index: int
    name: str
    channels: int
    default_sample_rate: float
    host_api: str
    is_default: bool
    looks_like_loopback: bool


def _import_pyaudio() -> Any:
    try:
        import pyaudio
    except ImportError:
        raise SourceError("pyaudio is not installed (needed for microphone and desktop audio)", PYAUDIO_FIX) from None
    return pyaudio


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence the C-level ALSA/JACK chatter PortAudio prints while it probes devices."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    try:
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def _portaudio() -> Any:
    pyaudio = _import_pyaudio()
    with _quiet_stderr():
        return pyaudio.PyAudio()


def _devices(pa: Any) -> list[InputDevice]:
    try:
        default = pa.get_default_input_device_info()["index"]
    except OSError:
        default = -1
    out = []
    for i in range(pa.get_device_count()):
        info = pa.get_device_info_by_index(i)
        if info.get("maxInputChannels", 0) < 1:
            continue
        name = str(info["name"])
        out.append(
            InputDevice(
                index=i,
                name=name,
                channels=int(info["maxInputChannels"]),
                default_sample_rate=float(info["defaultSampleRate"]),
                host_api=str(pa.get_host_api_info_by_index(info["hostApi"])["name"]),
                is_default=i == default,
                looks_like_loopback=any(w in name.lower() for w in LOOPBACK_WORDS),
            )
        )
    return out


def list_input_devices() -> list[InputDevice]:
    """Every audio input device (microphones and loopback devices); needs pyaudio."""
    pa = _portaudio()
    try:
        return _devices(pa)
    finally:
        pa.terminate()


def _pick(devices: list[InputDevice], device: int | str | None) -> InputDevice:
    if not devices:
        raise SourceError("no audio input device found", "plug in a microphone or pass --input FILE")
    if device is None:
        for d in devices:
            if d.is_default:
                return d
        return devices[0]
    if isinstance(device, int) or (isinstance(device, str) and device.isdigit()):
        for d in devices:
            if d.index == int(device):
                return d
        raise SourceError(f"audio input device {device} does not exist", f"use one of: {_names(devices)} (see `streamkit devices`)")
    matches = [d for d in devices if device.lower() in d.name.lower()]
    if not matches:
        raise SourceError(f"no audio input device named {device!r}", f"use one of: {_names(devices)} (see `streamkit devices`)")
    return matches[0]


def _names(devices: list[InputDevice]) -> str:
    return ", ".join(f"{d.index}: {d.name}" for d in devices)


class PcmToMono16k:
    """Interleaved float32 PCM bytes from a device (any rate, 1–2 channels) → 16 kHz mono blocks."""

    def __init__(self, rate: int, channels: int) -> None:
        self.rate = rate
        self.channels = channels
        self._layout = "mono" if channels == 1 else "stereo"
        self._resampler = None if rate == SAMPLE_RATE and channels == 1 else _Resampled()

    def push(self, raw: bytes) -> list[np.ndarray]:
        data = np.frombuffer(raw, dtype=np.float32)
        if self._resampler is None:
            return [data.copy()] if len(data) else []
        frame = av.AudioFrame.from_ndarray(data.reshape(1, -1), format="flt", layout=self._layout)
        frame.sample_rate = self.rate
        return [b for b in self._resampler.push(frame) if len(b)]


class MicSource(Source):
    """Live audio from an input device (default: the system's default input), as 16 kHz mono chunks.

    ``device`` is ``None``, a device index, or part of a device name (see ``streamkit devices``).
    The device is opened at its own rate and converted to 16 kHz.
    """

    def __init__(self, device: int | str | None = None, name: str = "mic", chunk_seconds: float = 0.1) -> None:
        self.name = name
        self.chunk_seconds = chunk_seconds
        self._closed = threading.Event()
        self._reading = threading.Lock()
        self._pa = _portaudio()
        try:
            self.device = _pick(_devices(self._pa), device)
            self._stream, self._rate, self._channels = self._open_stream()
        except BaseException:
            self._pa.terminate()
            raise

    def _open_stream(self) -> tuple[Any, int, int]:
        pyaudio = _import_pyaudio()
        channels = min(2, self.device.channels)
        rate = SAMPLE_RATE
        try:
            self._pa.is_format_supported(rate, input_device=self.device.index, input_channels=channels, input_format=pyaudio.paFloat32)
        except ValueError:
            rate = int(self.device.default_sample_rate)
        try:
            with _quiet_stderr():
                stream = self._pa.open(
                    format=pyaudio.paFloat32,
                    channels=channels,
                    rate=rate,
                    input=True,
                    input_device_index=self.device.index,
                    frames_per_buffer=max(1, round(rate * self.chunk_seconds)),
                )
        except OSError as exc:
            raise SourceError(f"audio input {self.device.name!r} could not be opened ({exc})", "close other apps using it or pick another device with --device") from None
        return stream, rate, channels

    def __iter__(self) -> Iterator[AudioChunk]:
        self._closed.clear()
        frames = max(1, round(self._rate * self.chunk_seconds))
        convert = PcmToMono16k(self._rate, self._channels)
        chunker = _Chunker(max(1, round(self.chunk_seconds * SAMPLE_RATE)))
        emitted = 0
        with self._reading:
            try:
                while not self._closed.is_set():
                    try:
                        raw = self._stream.read(frames, exception_on_overflow=False)
                    except OSError as exc:
                        if self._closed.is_set():
                            return
                        raise SourceError(f"audio input {self.device.name!r} stopped ({exc})", "check the device is still plugged in") from None
                    for block in convert.push(raw):
                        for samples in chunker.push(block):
                            yield AudioChunk(source=self.name, samples=samples, sample_rate=SAMPLE_RATE, start=emitted / SAMPLE_RATE)
                            emitted += len(samples)
            finally:
                if self._closed.is_set():
                    self._release()

    def close(self) -> None:
        """Stop; the device is released now, or by the reading thread as soon as its read returns."""
        self._closed.set()
        if self._reading.acquire(blocking=False):
            try:
                self._release()
            finally:
                self._reading.release()

    def _release(self) -> None:
        if self._pa is None:
            return
        try:
            self._stream.stop_stream()
            self._stream.close()
        except OSError:
            pass
        self._pa.terminate()
        self._pa = None


def _pulse_monitor() -> str | None:
    """The PulseAudio/PipeWire monitor of the default output (``…​.monitor``), via ``pactl``."""
    pactl = shutil.which("pactl")
    if not pactl:
        return None
    try:
        sink = subprocess.run([pactl, "get-default-sink"], capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (subprocess.SubprocessError, OSError):
        return None
    return f"{sink}.monitor" if sink else None


class LoopbackSource(MicSource):
    """Desktop audio (what the computer plays: a call, a co-host) from a loopback input device.

    ``device`` names the device ("monitor", "Stereo Mix", "BlackHole", "CABLE Output"); ``None``
    picks the first device that looks like a loopback, or on Linux the ``pulse`` device pointed
    at the default output's monitor. See the module docstring for each platform's set-up.
    """

    def __init__(self, device: int | str | None = None, name: str = "desktop", chunk_seconds: float = 0.1) -> None:
        self._pulse_source: str | None = None
        if device is None:
            pa = _portaudio()
            try:
                devices = _devices(pa)
            finally:
                pa.terminate()
            device = self._choose(devices)
        previous = os.environ.get("PULSE_SOURCE")
        if self._pulse_source:
            os.environ["PULSE_SOURCE"] = self._pulse_source
        try:
            super().__init__(device=device, name=name, chunk_seconds=chunk_seconds)
        finally:
            if self._pulse_source:
                if previous is None:
                    os.environ.pop("PULSE_SOURCE", None)
                else:
                    os.environ["PULSE_SOURCE"] = previous

    def _choose(self, devices: list[InputDevice]) -> int:
        for d in devices:
            if d.looks_like_loopback:
                return d.index
        pulse = [d for d in devices if d.name in ("pulse", "pipewire")]
        monitor = _pulse_monitor() if pulse else None
        if pulse and monitor:
            self._pulse_source = monitor
            return pulse[0].index
        raise SourceError("no desktop-audio loopback device found", _LOOPBACK_FIX.get(sys.platform, _LOOPBACK_FIX["linux"]))


_LOOPBACK_FIX = {
    "linux": "on PulseAudio/PipeWire install pactl (pulseaudio-utils) or pass --device NAME of a '.monitor' source",
    "win32": "enable 'Stereo Mix' in Sound settings → Recording, or install VB-Audio Virtual Cable and pass --device 'CABLE Output'",
    "darwin": "install BlackHole, route the call's output to it and pass --device BlackHole",
}


# ---------------------------------------------------------------- `streamkit devices`


def list_cameras() -> dict[int, str]:
    """Video capture devices ``{opencv index: device}`` by a cheap look at the system (nothing is opened)."""
    if not sys.platform.startswith("linux"):
        return {}
    found = {}
    for dev in Path("/dev").glob("video*"):
        suffix = dev.name.removeprefix("video")
        if suffix.isdigit():
            found[int(suffix)] = str(dev)
    return dict(sorted(found.items()))


def add_devices_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> argparse.ArgumentParser:
    """Add ``streamkit devices`` to a CLI."""
    parser = subparsers.add_parser("devices", help="list microphones, desktop-audio (loopback) devices and cameras")
    parser.set_defaults(func=run_devices)
    return parser


def run_devices(args: argparse.Namespace) -> int:
    """``streamkit devices``: a table of audio inputs; exit 1 when audio input is unavailable."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    status = 0
    try:
        devices = list_input_devices()
    except SourceError as exc:
        console.print(f"[red]✗[/red] {escape(str(exc))}", soft_wrap=True)
        devices, status = [], 1
    if devices:
        table = Table(title="audio inputs (use the index or part of the name with --device)")
        for col in ("index", "name", "channels", "rate", "host API", "default", "loopback?"):
            table.add_column(col)
        for d in devices:
            table.add_row(str(d.index), d.name, str(d.channels), f"{d.default_sample_rate:.0f}", d.host_api, "✓" if d.is_default else "", "✓" if d.looks_like_loopback else "")
        console.print(table)
    elif status == 0:
        console.print("no audio input device found — plug in a microphone, or use --input FILE to caption a recording", soft_wrap=True)
    cams = list_cameras()
    if cams:
        console.print("cameras (index: device): " + ", ".join(f"{i}: {c}" for i, c in cams.items()), soft_wrap=True)
    elif sys.platform.startswith("linux"):
        console.print("cameras: none found (/dev/video*) — plug in a webcam, or let streamkit read the camera source OBS already shows", soft_wrap=True)
    return status


def write_wav(path: str | Path, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> Path:
    """Write mono float samples in [-1, 1] as a 16-bit PCM WAV file (what the sources read back).

    Whole or not at all: written under a temporary name, then renamed, so a reader (OBS playing a
    phrase, a test waiting for the file) never finds half of it."""
    import wave

    path = Path(path)
    partial = path.with_name(f".{path.name}.part")
    with wave.open(str(partial), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    partial.replace(path)
    return path
