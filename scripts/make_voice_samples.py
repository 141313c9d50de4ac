"""Make the Mandarin voice-command recordings of samples/media/voice/ with the project's own speech engine.

Kokoro (whichever model `streamkit models` has: here the PyPI carrier with Japanese voices) speaks each
command; the clip is resampled to 16 kHz mono 16-bit with 0.5 s of silence before and 1.0 s after, as
the English espeak-ng recordings beside them. Prints what Whisper base hears in each (language zh).

Usage: ``python scripts/make_voice_samples.py [--voice jf_alpha]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "samples" / "media" / "voice"
COMMANDS = {"zh-switch-to-close-up": "切到近景。", "zh-start-recording": "开始录制。", "zh-confirm": "确认。",
            "zh-cancel": "取消。", "zh-status": "播报状态。", "zh-switch-to-game": "请切换场景到游戏。", "zh-mute": "关麦。"}


def padded_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """16 kHz, with 0.5 s of silence before and 1.0 s after."""
    from streamkit.plugins.captions.processor import to_16k

    return np.concatenate([np.zeros(8_000, np.float32), to_16k(samples, rate), np.zeros(16_000, np.float32)])


def main() -> int:
    from streamkit.plugins.captions.decoder import WhisperDecoder
    from streamkit.plugins.captions.textproc import SIMPLIFIED_PROMPT
    from streamkit.sources.audio import write_wav
    from streamkit.speech import SpeechEngine

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--voice", default=None, help="Kokoro voice (default: the engine's choice for Mandarin)")
    args = p.parse_args()
    engine = SpeechEngine(threads=2)
    decoder = WhisperDecoder("base")
    for name, text in COMMANDS.items():
        clip = engine.synthesize(text, voice=args.voice)
        audio = padded_16k(clip.samples, clip.sample_rate)
        write_wav(OUT / f"{name}.wav", audio, 16_000)
        segments, _ = decoder.transcribe_file(audio, language="zh", initial_prompt=SIMPLIFIED_PROMPT, vad_filter=False)
        heard = "".join(s.text for s in segments).strip()
        print(f"{name}.wav\t{clip.voice}\t{text}\theard: {heard}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
