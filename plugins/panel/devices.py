"""Microphones, desktop audio and cameras for the wizard: the lists come from streamkit's own sources
code (what a session will open), and the level meter listens to the very source a session would.

Choices are strings in the forms: ``device:NAME`` (an audio input), ``camera:N``, ``obs:SOURCE``,
``sample`` (the bundled sample recordings, to try streamkit without devices) and ``none``.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from fastapi import Request
from fastapi.responses import StreamingResponse

from streamkit.bundled import samples_dir
from streamkit.errors import SourceError
from streamkit.events import AudioChunk
from streamkit.pipeline import Source
from streamkit.sources.audio import FileAudioSource, InputDevice, LoopbackSource, MicSource, list_cameras, list_input_devices

METER_SECONDS = 30.0
FLOOR_DB = -60.0


@dataclass(frozen=True)
class Samples:
    """The bundled sample media the wizard offers instead of devices."""

    host_voice: Path  # English voice commands (the streamer)
    guest_voice: Path  # a Mandarin speaker (a guest)
    face_video: Path  # a face that smiles

    @classmethod
    def bundled(cls) -> Samples:
        media = samples_dir() / "media"
        return cls(media / "commands" / "demo-commands.wav",
                   media / "speech" / "zh" / "aishell1-BAC009S0764W0121.wav",
                   media / "faces" / "single_face.mp4")


def audio_inputs() -> tuple[list[InputDevice], str]:
    """Every audio input, and why there are none ('' when the list could be read)."""
    try:
        return list_input_devices(), ""
    except SourceError as exc:
        return [], exc.one_line()


def cameras() -> dict[int, str]:
    """Cameras the system shows (index → device)."""
    return list_cameras()


def level_db(samples: np.ndarray) -> float:
    """Loudness of a block in dB of full scale, at least :data:`FLOOR_DB`."""
    if samples.size == 0:
        return FLOOR_DB
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return max(FLOOR_DB, 20 * math.log10(rms)) if rms > 0 else FLOOR_DB


def open_audio(choice: str, guest: bool, samples: Samples) -> Source:
    """The source a session would open for ``choice``; raises SourceError."""
    if choice == "sample":
        return FileAudioSource(samples.guest_voice if guest else samples.host_voice, realtime=True)
    if choice.startswith("device:"):
        device = choice.removeprefix("device:") or None
        return LoopbackSource(device) if guest else MicSource(device)
    raise SourceError(f"nothing to listen to for {choice!r}", "choose a microphone first")


async def level_stream(request: Request, choice: str, guest: bool, samples: Samples) -> StreamingResponse:
    """Server-Sent Events: ``{"db": -23.5}`` about ten times a second for :data:`METER_SECONDS`, or one
    ``{"error": …}`` when the source cannot be opened."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[dict[str, object] | None] = asyncio.Queue()
    stop = threading.Event()

    def listen() -> None:
        try:
            source = open_audio(choice, guest, samples)
        except SourceError as exc:
            loop.call_soon_threadsafe(queue.put_nowait, {"error": exc.one_line()})
            loop.call_soon_threadsafe(queue.put_nowait, None)
            return
        heard = 0.0
        try:
            for chunk in source:
                if stop.is_set() or not isinstance(chunk, AudioChunk):
                    break
                heard += len(chunk.samples) / chunk.sample_rate
                loop.call_soon_threadsafe(queue.put_nowait, {"db": round(level_db(chunk.samples), 1)})
                if heard >= METER_SECONDS:
                    break
        except SourceError as exc:
            loop.call_soon_threadsafe(queue.put_nowait, {"error": exc.one_line()})
        finally:
            source.close()
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=listen, name="panel-level", daemon=True).start()

    async def events() -> AsyncIterator[str]:
        try:
            while not await request.is_disconnected():
                item = await queue.get()
                if item is None:
                    yield "event: end\ndata: {}\n\n"
                    return
                yield f"data: {json.dumps(item)}\n\n"
        finally:
            stop.set()

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})
