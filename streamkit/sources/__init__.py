"""Where audio and video come from: files, microphones, desktop audio, webcams, OBS sources.

Audio sources yield 16 kHz mono float32 :class:`~streamkit.events.AudioChunk`; video sources
yield BGR :class:`~streamkit.events.VideoFrame`. Opening problems are
:class:`~streamkit.errors.SourceError` with a one-line fix. Names are imported lazily, so
``import streamkit.sources`` costs nothing until a source is used.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "FileAudioSource": "audio",
    "MicSource": "audio",
    "LoopbackSource": "audio",
    "InputDevice": "audio",
    "list_input_devices": "audio",
    "run_devices": "audio",
    "add_devices_parser": "audio",
    "SAMPLE_RATE": "audio",
    "VideoFileSource": "video",
    "CameraSource": "video",
    "ObsScreenshotSource": "video",
    "decode_image_data": "video",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'streamkit.sources' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
