"""Captions accuracy and latency on varied real speech: live vs the same model offline, in one run.

Mandarin: every clip of ``shared/data/speech/zh-more`` (20 clips, 3.4 min: read, conversational, fast
broadcast, accented, podcast turns; read where it is, never copied) and the AISHELL clip of
samples/media, each played as it is (speech may start at its first sample). English: the five
LibriVox sentences as four streams — 0.5 s of silence first; no leading silence; speech starting
mid-step (0.23 s lead, 0.77 s pauses); back to back without pauses.

For each stream: committed CER/WER (jiwer) of the live path (FileAudioSource → CaptionProcessor, real
time), next to the same model offline over the whole file (faster-whisper base int8, beam 5, language
given, the Simplified prompt for Mandarin, OpenCC t2s) computed in the same run; and per reference
unit (word; character) the latency from its end in the audio to its first appearance on screen and to
its commit (English word ends from the recordings' alignments, Mandarin character ends aligned by the
model). ``--clock simulated`` replays on a simulated clock with fixed decode costs: the same text on
every run: README's latency figures (this machine unloaded) and experiments; ``--clock real`` measures
the machine as loaded now. ``--speed 2`` charges half those costs: what a machine twice as fast would get
(is a target out of reach for the CPU or for the model?).

    python benchmarks/captions_accuracy.py [--clock real|simulated] [--speed X] [--only zh|en] [--options JSON]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from captions_replay import (RESULTS, SPEECH, Errors, Latency, Stream, aligned_ends, english_stream,  # noqa: E402
                             errors, latency, offline_text, replay)

ENGLISH_STREAMS = {  # name: (lead, pause) in seconds
    "lead_silence": (0.5, 1.0),
    "no_leading_silence": (0.0, 1.0),
    "mid_step_start": (0.23, 0.77),
    "back_to_back": (0.0, 0.0),
}


def mandarin_streams(decoder: Any) -> list[Stream]:
    from faster_whisper.audio import decode_audio

    from streamkit.testing.data import speech_clips, zh_more_clips

    clips = zh_more_clips()
    if not clips:
        print("  (shared/data/speech/zh-more not found: set STREAMKIT_DATA; only the AISHELL clip is measured)")
    clips = [*clips, *speech_clips(SPEECH / "zh")]
    streams = []
    for clip in clips:
        audio = decode_audio(str(clip.wav))
        streams.append(Stream(clip.name, audio, clip.reference, "zh", aligned_ends(decoder, audio, clip.reference, "zh")))
    return streams


def measure(decoder: Any, stream: Stream, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """One stream live and offline: text, error counts, latency."""
    from streamkit.sources.audio import write_wav

    wav = write_wav(folder / f"{stream.name}.wav", stream.audio)
    run = replay(decoder, wav, stream.language, clock=args.clock, options=args.options, speed=args.speed)
    offline = offline_text(decoder, stream.audio, stream.language)
    live, first_pass = run.text(), run.text(revisions=False)
    lat = latency(run.captions, _ref_units(stream), stream.unit_ends, stream.language)
    return {"name": stream.name, "seconds": round(stream.seconds, 2), "live": live, "first_pass": first_pass,
            "offline": offline, "reference": stream.reference,
            "live_errors": errors(stream.reference, live, stream.language),
            "first_pass_errors": errors(stream.reference, first_pass, stream.language),
            "offline_errors": errors(stream.reference, offline, stream.language),
            "latency": lat, "revisions": run.revisions, "decode_seconds": run.decode_seconds,
            "cpu": run.cpu, "wall": run.wall}


def _ref_units(stream: Stream) -> list[str]:
    from captions_replay import units

    return units(stream.reference, stream.language)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    live, first, off, lat = Errors(), Errors(), Errors(), Latency()
    for r in rows:
        live, first, off = live + r["live_errors"], first + r["first_pass_errors"], off + r["offline_errors"]
        lat.extend(r["latency"])
    seconds = sum(r["seconds"] for r in rows)
    return {"streams": len(rows), "audio_seconds": round(seconds, 1), "units": live.length,
            "live_error_rate": round(live.rate, 4), "first_pass_error_rate": round(first.rate, 4),
            "offline_error_rate": round(off.rate, 4), "gap_points": round(100 * (live.rate - off.rate), 2),
            "revisions": sum(r["revisions"] for r in rows),
            "real_time_factor": round(sum(r["decode_seconds"] for r in rows) / seconds, 3),
            "cpu_percent_of_machine": round(100 * sum(r["cpu"] for r in rows) / max(1e-9, sum(r["wall"] for r in rows)) / (os.cpu_count() or 1), 1),
            **lat.summary()}


def row_json(r: dict[str, Any]) -> dict[str, Any]:
    return {**{k: v for k, v in r.items() if k not in ("live_errors", "first_pass_errors", "offline_errors", "latency", "cpu", "wall")},
            "live_error_rate": round(r["live_errors"].rate, 4), "first_pass_error_rate": round(r["first_pass_errors"].rate, 4),
            "offline_error_rate": round(r["offline_errors"].rate, 4), **r["latency"].summary()}


def print_summary(label: str, s: dict[str, Any], metric: str) -> None:
    print(f"  {label:22s} {metric} live {100 * s['live_error_rate']:5.1f} %  offline {100 * s['offline_error_rate']:5.1f} %"
          f"  (gap {s['gap_points']:+.1f} pts; first pass {100 * s['first_pass_error_rate']:.1f} %, {s['revisions']} revisions)"
          f"  committed p50 {s['committed_p50']} s p90 {s['committed_p90']} s  first shown p50 {s['first_shown_p50']} s p90 {s['first_shown_p90']} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="base")
    parser.add_argument("--clock", choices=("real", "simulated"), default="real")
    parser.add_argument("--only", choices=("zh", "en"), default=None)
    parser.add_argument("--options", type=json.loads, default={}, help="StreamingOptions fields as JSON, for experiments")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="with --clock simulated: a machine this many times faster than this one (model calls cost 1/speed)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.speed != 1.0 and args.clock != "simulated":
        parser.error("--speed needs --clock simulated")
    out = args.out or RESULTS / ("captions_accuracy.json" if args.clock == "real" else "captions_accuracy_simulated.json")

    from streamkit.plugins.captions.decoder import WhisperDecoder

    started = time.monotonic()
    decoder = WhisperDecoder(args.model)
    result: dict[str, Any] = {"model": args.model, "clock": args.clock, "speed": args.speed, "options": args.options,
                              "cpu_count": os.cpu_count(),
                              "targets": {"zh_gap_points": 2.0, "en_gap_points": 0.5, "committed_p50": 1.2,
                                          "committed_p90": 2.0, "first_shown_p50": 0.5}}
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "zh"):
            rows = [measure(decoder, s, args, Path(tmp)) for s in mandarin_streams(decoder)]
            zh_more = [r for r in rows if not r["name"].startswith("aishell")]
            result["mandarin"] = {"zh_more": summarise(zh_more) if zh_more else None,
                                  "aishell": summarise([r for r in rows if r["name"].startswith("aishell")]),
                                  "clips": [row_json(r) for r in rows]}
            print(f"Mandarin ({args.clock} clock), committed CER vs the same model offline:")
            for r in rows:
                print(f"  {r['name'][:40]:40s} live {100 * r['live_errors'].rate:5.1f} %  offline {100 * r['offline_errors'].rate:5.1f} %  | {r['live']}")
            if zh_more:
                print_summary("zh-more overall", result["mandarin"]["zh_more"], "CER")
            print_summary("AISHELL clip", result["mandarin"]["aishell"], "CER")
        if args.only in (None, "en"):
            result["english"] = {}
            print(f"English ({args.clock} clock), committed WER vs the same model offline:")
            for name, (lead, pause) in ENGLISH_STREAMS.items():
                r = measure(decoder, english_stream(name, lead=lead, pause=pause), args, Path(tmp))
                result["english"][name] = {**summarise([r]), "live": r["live"], "offline": r["offline"]}
                print_summary(name, result["english"][name], "WER")
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {out} ({result['wall_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
