"""Speech output: one offline TTS engine (Kokoro-82M) for every feature that speaks.

- :class:`SpeechEngine` — text → speech chunks (Mandarin and English, streamed clause by clause, cached);
- :class:`Speaker` — plays phrases on one output, in order, never twice by accident, and publishes
  :class:`~streamkit.events.SpokenPhrase`;
- outputs: :class:`DeviceOutput` (the streamer's headphones), :class:`ObsVoiceOutput` (the stream,
  through an OBS media source), :class:`WavFileOutput`.
"""

from .engine import DEFAULT_MODELS, SpeechChunk, SpeechClip, SpeechEngine, resolve_speech_model
from .gate import PhraseGate
from .output import (
    VOICE_INPUT,
    AudioOutput,
    DeviceOutput,
    Destination,
    ObsVoiceOutput,
    OutputDevice,
    WavFileOutput,
    list_output_devices,
    voice_input_spec,
)
from .speaker import Speaker
from .text import Language, dominant_language, language_runs, split_clauses
from .voices import SpeechError, Voice, choose_voice

__all__ = [
    "DEFAULT_MODELS", "VOICE_INPUT", "AudioOutput", "DeviceOutput", "Destination", "Language", "ObsVoiceOutput",
    "OutputDevice", "PhraseGate", "Speaker", "SpeechChunk", "SpeechClip", "SpeechEngine", "SpeechError", "Voice",
    "WavFileOutput", "choose_voice", "dominant_language", "language_runs", "list_output_devices",
    "resolve_speech_model", "split_clauses", "voice_input_spec",
]
