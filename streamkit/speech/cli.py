"""``streamkit say TEXT [--voice V] [--out F.wav]``: speak to the default output device, or write a WAV."""

from __future__ import annotations

import argparse
import sys

from .engine import DEFAULT_MODELS

__all__ = ["add_say_parser", "run_say"]


def add_say_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> argparse.ArgumentParser:
    """Add ``streamkit say`` to a CLI."""
    p = subparsers.add_parser("say", help="speak text (Mandarin and/or English) aloud, or write it to a WAV file")
    p.add_argument("text", nargs="?", help="what to say, e.g. \"欢迎来到直播间\" or \"Thanks for watching\"")
    p.add_argument("--voice", help="voice name (see --list-voices); default: one for the text's language")
    p.add_argument("--out", metavar="F.wav", help="write a WAV file (24 kHz mono) instead of playing it")
    p.add_argument("--device", help="output device: index or part of its name (default: the system's default output)")
    p.add_argument("--model", help=f"speech model from `streamkit models list` (default: {' or '.join(DEFAULT_MODELS)})")
    p.add_argument("--list-voices", action="store_true", help="print the model's voices and exit")
    p.set_defaults(func=run_say)
    return p


def run_say(args: argparse.Namespace) -> int:
    """Speak ``args.text``; errors (no device, no model, unknown voice) are one line, exit 2."""
    from .engine import SpeechEngine
    from .output import AudioOutput, DeviceOutput, WavFileOutput

    if not args.list_voices and not (args.text or "").strip():
        print("streamkit: error: nothing to say — give the text, e.g. streamkit say \"欢迎来到直播间\"", file=sys.stderr)
        return 2
    output: AudioOutput | None = None
    where = f"wrote {args.out}"
    if args.list_voices:
        pass
    elif args.out:
        output = WavFileOutput(args.out)
    else:  # find the device before loading the model: no sound card fails at once
        device = DeviceOutput(args.device)
        output, where = device, f"played on {device.device.name}"
    engine = SpeechEngine(args.model, warm=False)
    if output is None:
        for voice in engine.voices:
            print(f"{voice.name}\t{voice.language or '?'}\t{voice.gender or '?'}")
        return 0
    try:
        voice = engine.voice_for(args.text, args.voice)
        seconds = output.play(engine.stream(args.text, voice=voice), lambda: None)
    finally:
        output.close()
    print(f"{where}: {seconds:.1f} s, voice {voice.name} ({engine.model_name})")
    return 0
