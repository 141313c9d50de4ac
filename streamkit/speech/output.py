"""Where speech goes: the streamer's headphones, the stream itself (through OBS), or a WAV file.

Every output has ``destination`` and ``play(chunks, on_start) -> seconds``, which returns once
the audio has been heard (or written) and calls ``on_start()`` as the first audio goes out.

- :class:`DeviceOutput` — an output device (headphones) through PortAudio: feedback that only the
  streamer hears, never the stream. Chunks play as they are made, the next made while one plays
  (:func:`made_ahead`).
- :class:`ObsVoiceOutput` — a media source (``ffmpeg_source``) streamkit creates in OBS: the words
  are in OBS's mix, so in the stream and its recording. OBS must run on this computer (it reads
  the phrase's WAV file). Each phrase is written whole, then played from its start.
- :class:`WavFileOutput` — a WAV file (``streamkit say --out``).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from ..obs.base import ObsEvent, ObsSink
from ..obs.errors import ObsError, ObsRequestError
from ..sources.audio import _import_pyaudio, _portaudio, _quiet_stderr, write_wav
from .engine import SAMPLE_RATE, SpeechChunk
from .voices import SpeechError

__all__ = [
    "VOICE_INPUT",
    "AudioOutput",
    "DeviceOutput",
    "Destination",
    "ObsVoiceOutput",
    "OutputDevice",
    "WavFileOutput",
    "list_output_devices",
    "made_ahead",
    "voice_input_spec",
]

log = logging.getLogger(__name__)

Destination = Literal["headphones", "stream", "file"]
#: The OBS media source a seller's words play through.
VOICE_INPUT = "streamkit 语音"
NO_DEVICE_FIX = "write the speech to a file instead with --out FILE.wav, or plug in headphones or speakers"


class AudioOutput(Protocol):
    """A place speech can be played."""

    destination: Destination

    def play(self, chunks: Iterable[SpeechChunk], on_start: Callable[[], None]) -> float:
        """Play ``chunks`` in order; call ``on_start`` as the first goes out; return seconds played."""
        ...

    def close(self) -> None: ...


def _joined(chunks: Iterable[SpeechChunk]) -> np.ndarray:
    parts = [c.samples for c in chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


class WavFileOutput:
    """Writes each phrase to ``path`` (24 kHz mono 16-bit WAV), replacing what was there."""

    destination: Destination = "file"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise SpeechError(f"cannot write {self.path}: folder {self.path.parent} does not exist",
                              "create the folder or choose another --out path")

    def play(self, chunks: Iterable[SpeechChunk], on_start: Callable[[], None]) -> float:
        samples = _joined(chunks)
        on_start()
        write_wav(self.path, samples, SAMPLE_RATE)  # whole or not at all: a reader never finds half a phrase
        return len(samples) / SAMPLE_RATE

    def close(self) -> None:
        """Nothing to close."""


# ---------------------------------------------------------------- headphones (PortAudio)


@dataclass(frozen=True)
class OutputDevice:
    """An audio output PortAudio can open."""

    index: int
    name: str
    channels: int
    default_sample_rate: float
    is_default: bool


def _output_devices(pa: Any) -> list[OutputDevice]:
    try:
        default = pa.get_default_output_device_info()["index"]
    except OSError:
        default = -1
    out = []
    for i in range(pa.get_device_count()):
        info = pa.get_device_info_by_index(i)
        if info.get("maxOutputChannels", 0) < 1:
            continue
        out.append(OutputDevice(i, str(info["name"]), int(info["maxOutputChannels"]),
                                float(info["defaultSampleRate"]), i == default))
    return out


def list_output_devices() -> list[OutputDevice]:
    """Every audio output device (headphones, speakers, virtual cables); needs pyaudio."""
    pa = _portaudio()
    try:
        return _output_devices(pa)
    finally:
        pa.terminate()


def _pick_output(devices: list[OutputDevice], device: int | str | None) -> OutputDevice:
    if not devices:
        raise SpeechError("no audio output device found on this computer", NO_DEVICE_FIX)
    if device is None:
        return next((d for d in devices if d.is_default), devices[0])
    names = ", ".join(f"{d.index}: {d.name}" for d in devices)
    for d in devices:
        if (isinstance(device, int) or str(device).isdigit()) and d.index == int(device):
            return d
        if isinstance(device, str) and not device.isdigit() and device.lower() in d.name.lower():
            return d
    raise SpeechError(f"no audio output device {device!r}", f"use one of: {names}")


class DeviceOutput:
    """Plays speech on an output device (default: the system's default output), chunk by chunk."""

    destination: Destination = "headphones"

    def __init__(self, device: int | str | None = None) -> None:
        self._pa = _portaudio()
        try:
            self.device = _pick_output(_output_devices(self._pa), device)
        except BaseException:
            self._pa.terminate()
            raise

    def _open(self) -> tuple[Any, int]:
        pyaudio = _import_pyaudio()
        for rate in (SAMPLE_RATE, int(self.device.default_sample_rate)):
            try:
                with _quiet_stderr():
                    stream = self._pa.open(format=pyaudio.paFloat32, channels=1, rate=rate, output=True,
                                           output_device_index=self.device.index)
                return stream, rate
            except (OSError, ValueError) as exc:
                problem = exc
        raise SpeechError(f"audio output {self.device.name!r} could not be opened ({problem})", NO_DEVICE_FIX)

    def play(self, chunks: Iterable[SpeechChunk], on_start: Callable[[], None]) -> float:
        stream, rate = self._open()
        played = 0.0
        try:
            for chunk in made_ahead(chunks):
                if played == 0.0:
                    on_start()
                samples = _resample(chunk.samples, chunk.sample_rate, rate)
                stream.write(samples.astype(np.float32).tobytes())
                played += chunk.duration
        finally:
            stream.stop_stream()
            stream.close()
        return played

    def close(self) -> None:
        if self._pa is not None:
            self._pa.terminate()
            self._pa = None


def made_ahead(chunks: Iterable[SpeechChunk], depth: int = 16) -> Iterator[SpeechChunk]:
    """``chunks``, made on a thread of their own while the ones before play.

    A blocking device write returns only when its chunk has nearly played, so pulling the next chunk
    after it would put each chunk's making (a window of the model's decoder) between the two as silence.
    The maker stops when the player does; what went wrong while making is raised here, in order.
    """
    made: queue.Queue[tuple[SpeechChunk | None, BaseException | None]] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: tuple[SpeechChunk | None, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                made.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for chunk in chunks:
                if not put((chunk, None)):
                    return
            put((None, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the player, which raises it
            put((None, exc))

    maker = threading.Thread(target=make, name="streamkit-speech-ahead", daemon=True)
    maker.start()
    try:
        while True:
            chunk, error = made.get()
            if error is not None:
                raise error
            if chunk is None:
                return
            yield chunk
    finally:
        stop.set()
        maker.join(5.0)


def _resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Linear resampling (speech feedback only; the stream path leaves resampling to OBS)."""
    if rate == target or not len(samples):
        return samples
    n = round(len(samples) * target / rate)
    return np.interp(np.linspace(0, len(samples) - 1, n), np.arange(len(samples)), samples).astype(np.float32)


# ---------------------------------------------------------------- the stream (OBS media source)


def voice_input_spec(scene: str, name: str = VOICE_INPUT) -> dict[str, Any]:
    """The media source to create (``streamkit obs setup`` / :func:`~streamkit.obs.setup.setup` form).

    Never restarts by itself when its scene comes back (a phrase must not replay on a scene switch),
    and shows nothing.
    """
    return {"scene": scene, "name": name, "kind": "ffmpeg_source",
            "settings": {"is_local_file": True, "local_file": "", "looping": False, "restart_on_activate": False,
                         "close_when_inactive": False, "clear_on_media_end": True}}


class ObsVoiceOutput:
    """Plays each phrase through the OBS media source ``input_name``, in the current program scene.

    The phrase's WAV is written to ``folder`` (default: a temporary folder), named by its content, so
    a repeated phrase reuses its file. :meth:`ensure` creates the source when OBS lacks it.
    """

    destination: Destination = "stream"

    def __init__(self, obs: ObsSink, folder: str | Path | None = None, *, input_name: str = VOICE_INPUT,
                 end_margin: float = 2.0) -> None:
        self.obs = obs
        self.input_name = input_name
        self.end_margin = end_margin
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="streamkit-speech-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self._scenes_with_item: set[str] = set()

    def ensure(self) -> None:
        """Create the media source in the current program scene when OBS does not have it yet."""
        from ..obs.setup import setup

        scene = self._program_scene()
        if not scene:
            return
        result = setup(self.obs, [], [voice_input_spec(scene, self.input_name)])
        if not result.ok:
            raise SpeechError(f"OBS media source {self.input_name!r} could not be created ({'; '.join(result.failed)})",
                              "check OBS, or create a Media Source with that name by hand")
        self._scenes_with_item.add(scene)

    def _program_scene(self) -> str:
        return str(self.obs.request("GetCurrentProgramScene").get("currentProgramSceneName", ""))

    def _in_program_scene(self) -> None:
        """OBS mixes a source's audio only while it is in the program scene: put it there when missing."""
        scene = self._program_scene()
        if not scene or scene in self._scenes_with_item:
            return
        try:
            self.obs.request("GetSceneItemId", {"sceneName": scene, "sourceName": self.input_name})
        except ObsRequestError as exc:
            if exc.code != 600:
                raise
            self.obs.request("CreateSceneItem", {"sceneName": scene, "sourceName": self.input_name})
        self._scenes_with_item.add(scene)

    def clip_path(self, samples: np.ndarray) -> Path:
        """Where the WAV of ``samples`` is (written when it is not there yet)."""
        digest = hashlib.sha1(samples.tobytes()).hexdigest()[:16]
        path = self.folder / f"phrase-{digest}.wav"
        if not path.exists():
            write_wav(path, samples, SAMPLE_RATE)
        return path

    def play(self, chunks: Iterable[SpeechChunk], on_start: Callable[[], None]) -> float:
        samples = _joined(chunks)
        duration = len(samples) / SAMPLE_RATE
        if not duration:
            return 0.0
        path = self.clip_path(samples)
        ended = threading.Event()

        def on_end(event: ObsEvent) -> None:
            if event.data.get("inputName") == self.input_name:
                ended.set()

        unsubscribe = self.obs.on_event(on_end, "MediaInputPlaybackEnded")
        try:
            self._in_program_scene()
            self.obs.play_media(self.input_name, str(path))
            on_start()
            if not ended.wait(duration + self.end_margin):
                log.debug("no MediaInputPlaybackEnded for %s (dry run or old OBS)", path.name)
        except ObsError as exc:
            raise SpeechError(f"OBS could not play the phrase ({exc.problem})", "check that OBS is running and connected") from None
        finally:
            unsubscribe()
        return duration

    def close(self) -> None:
        """The media source stays in OBS for the next session."""
