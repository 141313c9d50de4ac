"""``streamkit captions`` (live captions of a file or device, as JSON lines) and ``streamkit transcribe`` (a whole recording)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import IO, Any

from streamkit.errors import SourceError, StreamkitError
from streamkit.text import join_caption

LANGUAGES = ("zh", "en", "auto")
SCRIPTS = ("simplified", "traditional", "traditional-tw", "traditional-hk")


def add_parsers(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = subparsers.add_parser("captions", help="live captions of a file, microphone or desktop audio, as JSON lines",
                              description="Caption audio as it plays. Writes one JSON object per caption event: "
                                          '{"type": "partial"|"final"|"revision", "text", "source", "audio_start", "audio_end", "emitted_at", "utterance"}; '
                                          "a revision's text replaces what its utterance committed (a slower pass heard it better); "
                                          "emitted_at is wall-clock seconds since the first audio sample was read.")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--input", metavar="FILE", help="an audio or video file")
    src.add_argument("--mic", action="store_true", help="a microphone (the default input, or --device)")
    src.add_argument("--desktop", action="store_true", help="desktop audio: a call or co-host (a loopback device, or --device)")
    p.add_argument("--device", metavar="DEV", help="input device index or part of its name (see `streamkit devices`); alone it means --mic")
    p.add_argument("--realtime", action="store_true", help="play the file at its real speed (as a live microphone would)")
    p.add_argument("--language", choices=LANGUAGES, default=None, help="zh, en or auto (default: config, else auto)")
    p.add_argument("--model", default=None, help="base or tiny.en, or a model folder (default: config, else base)")
    p.add_argument("--script", choices=SCRIPTS, default=None, help="Chinese characters (default: simplified)")
    p.add_argument("--speaker", default=None, help="speaker label (default: 主播)")
    p.add_argument("--jsonl", metavar="OUT", default="-", help="where to write the JSON lines (default: standard output)")
    p.add_argument("--srt", metavar="OUT", type=Path, help="also write an SRT file")
    p.add_argument("--vtt", metavar="OUT", type=Path, help="also write a WebVTT file")
    p.add_argument("--config", metavar="FILE", help="streamkit.toml whose [captions] section to use (hotwords, replace, …)")
    p.set_defaults(func=run_captions)

    t = subparsers.add_parser("transcribe", help="transcribe a whole recording into SRT / WebVTT / JSON",
                              description="Transcribe a recording (audio or video) with a progress bar.")
    t.add_argument("file", help="an audio or video file")
    t.add_argument("--srt", metavar="OUT", type=Path, help="write SRT subtitles")
    t.add_argument("--vtt", metavar="OUT", type=Path, help="write WebVTT subtitles")
    t.add_argument("--json", metavar="OUT", type=Path, help="write segments as JSON")
    t.add_argument("--language", choices=LANGUAGES, default=None, help="zh, en or auto (default: config, else auto)")
    t.add_argument("--model", default=None, help="base or tiny.en, or a model folder (default: config, else base)")
    t.add_argument("--script", choices=SCRIPTS, default=None, help="Chinese characters (default: simplified)")
    t.add_argument("--beam", type=int, default=5, help="beam size (default 5)")
    t.add_argument("--config", metavar="FILE", help="streamkit.toml whose [captions] section to use")
    t.set_defaults(func=run_transcribe)


def _section(args: argparse.Namespace) -> Any:
    from streamkit.config import load

    from .config import CaptionsConfig

    cfg = load(args.config).section("captions") if args.config else CaptionsConfig()
    updates: dict[str, Any] = {}
    for key in ("language", "model", "script"):
        if getattr(args, key, None):
            updates[key] = getattr(args, key)
    return cfg.model_copy(update=updates)


def _open_output(path: str) -> IO[str]:
    if path == "-":
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise StreamkitError(f"cannot write {path} ({exc.strerror})", "pick a writable path for --jsonl") from None


def _live_source(args: argparse.Namespace, clock: Any) -> tuple[Any, Any, bool]:
    """The source ``streamkit captions`` reads: (its config, the opened source, real time or not)."""
    from .config import AudioSourceConfig
    from .live import open_source

    if not (args.input or args.mic or args.desktop or args.device):
        raise StreamkitError("nothing to caption", "pass --input FILE, --mic, --desktop or --device DEV")
    if args.input and args.device:
        raise StreamkitError("--device goes with --mic or --desktop, not --input", "drop one of them")
    if args.input:
        sc = AudioSourceConfig(name=Path(args.input).stem or "file", kind="file", path=args.input, speaker=args.speaker or "主播")
        realtime = bool(args.realtime)
    else:
        kind = "desktop" if args.desktop else "mic"
        sc = AudioSourceConfig(name=kind, kind=kind, device=args.device or "", speaker=args.speaker or ("嘉宾" if args.desktop else "主播"))
        realtime = True
    return sc, open_source(sc, realtime=realtime, clock=clock), realtime  # bad file / missing device → SourceError


class _CaptionWriter:
    """Writes each caption as one JSON line (and to --srt / --vtt), echoing finals on the terminal."""

    FIELDS = ("type", "text", "source", "audio_start", "audio_end", "emitted_at", "utterance")

    def __init__(self, args: argparse.Namespace) -> None:
        from .files import CaptionFiles

        self.args = args
        self.out = _open_output(args.jsonl)
        self.echo = self.out is not sys.stdout
        self._line = ""  # the utterance echoed so far on the terminal
        self.files = None
        if args.srt or args.vtt:
            folder = (args.srt or args.vtt).parent
            self.files = CaptionFiles(folder, [f for f, p in (("srt", args.srt), ("vtt", args.vtt)) if p], stem="_captions_tmp")

    def __call__(self, c: Any) -> None:
        from .files import caption_record

        if c.kind == "final" and not c.text:
            self._echo_end(c)
            return
        record = caption_record(c)
        self.out.write(json.dumps({k: record[k] for k in self.FIELDS}, ensure_ascii=False) + "\n")
        self.out.flush()
        if self.files is not None:
            self.files.write(c)
        if self.echo and c.kind == "final":
            line = join_caption(self._line, c.text)  # no space inside Chinese, one between English words
            print(line[len(self._line):] if line.startswith(self._line) else " " + c.text, end="", flush=True)
            self._line = line
            self._echo_end(c)

    def _echo_end(self, c: Any) -> None:
        """The echoed line ends with its utterance."""
        if self.echo and c.utterance_end and self._line:
            print(flush=True)
            self._line = ""

    def close(self) -> None:
        if self.out is not sys.stdout:
            self.out.close()
        if self.files is not None:
            self.files.close()
            for fmt, target in (("srt", self.args.srt), ("vtt", self.args.vtt)):
                if target is not None:
                    self.files.paths[fmt].replace(target)
        if self.echo and self._line:
            print()


def run_captions(args: argparse.Namespace) -> int:
    """``streamkit captions``: stream captions of one source; exit 2 on a bad file, device or model.

    One source and no session: the core's pipeline and event bus, without the runtime's session
    folder and OBS (``streamkit run`` is the live session)."""
    from streamkit.bus import EventBus
    from streamkit.clock import WallClock
    from streamkit.events import Caption, SourceEnded
    from streamkit.pipeline import Pipeline

    from .decoder import WhisperDecoder
    from .live import streaming_options
    from .processor import CaptionProcessor

    cfg = _section(args)
    clock = WallClock()
    sc, source, realtime = _live_source(args, clock)
    decoder = WhisperDecoder(cfg.model, cpu_threads=cfg.cpu_threads)  # unresolvable model → ModelError
    processor = CaptionProcessor(decoder, streaming_options(cfg), source=sc.name, speaker=sc.speaker, clock=clock, realtime=realtime)
    writer = _CaptionWriter(args)
    bus = EventBus()
    failures: list[str] = []
    bus.subscribe(writer, Caption)
    bus.subscribe(lambda e: failures.append(e.error or e.reason) if e.reason == "error" else None, SourceEnded)
    pipeline = Pipeline(source, [processor], bus)
    try:
        pipeline.run()
    except KeyboardInterrupt:
        pipeline.stop()
    finally:
        writer.close()
    if failures:
        raise SourceError(failures[0])
    return 0


def run_transcribe(args: argparse.Namespace) -> int:
    """``streamkit transcribe``: the whole file, piece by piece between pauses (:mod:`.offline`)."""
    import numpy as np
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from streamkit.sources.audio import FileAudioSource

    from .decoder import WhisperDecoder
    from .files import Cue, write_cues
    from .live import streaming_options
    from .offline import transcribe

    cfg = _section(args)
    path = Path(args.file)
    source = FileAudioSource(path, name=path.stem, realtime=False, chunk_seconds=1.0)
    decoder = WhisperDecoder(cfg.model, cpu_threads=cfg.cpu_threads)
    audio = np.concatenate([c.samples for c in source] or [np.zeros(0, np.float32)])
    duration = len(audio) / 16000
    if duration < 0.1:
        raise SourceError(f"{path}: no audio in the file", "pass a recording with sound")
    options = streaming_options(cfg)
    cues: list[Cue] = []
    started = time.monotonic()
    with Progress(TextColumn("[bold]transcribing[/] {task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeRemainingColumn(), transient=not sys.stderr.isatty()) as progress:
        task = progress.add_task(path.name, total=duration)
        for cue in transcribe(decoder, audio, options, beam_size=args.beam, max_cue_width=cfg.layout.chars_per_line * cfg.layout.lines,
                              progress=lambda done: progress.update(task, completed=min(duration, done))):
            cues.append(cue)
        progress.update(task, completed=duration)
    write_cues(cues, args.srt, args.vtt)
    if args.json:
        args.json.write_text(json.dumps({
            "file": str(path), "model": cfg.model, "language": cfg.language, "duration": round(duration, 3),
            "text": _joined(c.text for c in cues),
            "segments": [{"start": c.start, "end": c.end, "text": c.text} for c in cues],
        }, ensure_ascii=False, indent=2), encoding="utf-8")
    if not (args.srt or args.vtt or args.json):
        for c in cues:
            print(c.text)
    print(f"{path.name}: {len(cues)} cues, {duration:.1f} s of audio in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


def _joined(texts: Any) -> str:
    out = ""
    for t in texts:
        out = join_caption(out, t)
    return out
