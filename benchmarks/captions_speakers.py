"""Two speakers at once: the streamer (Mandarin) and a guest (English) talking over each other, two
sources in one captions session (CaptionsSession, as `streamkit run` starts it), played in real time.

Both streams start together and talk almost without pause for about a minute: the streamer is a run of
zh-more clips (shared/data, read where it is; the AISHELL clip of samples/media when absent), the guest
the five LibriVox sentences twice. Measured per source: committed and first-shown latency (reference
unit end → on screen) and committed CER/WER; for the session: CPU and peak memory. The same streams
captioned one at a time (one source per session) are the reference in the same run.

    python benchmarks/captions_speakers.py
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from captions_replay import (RESULTS, SPEECH, Stream, aligned_ends, english_stream, errors, joined, latency,  # noqa: E402
                             rss_mb, units, utterance_text)

STREAMER_CLIPS = 6  # zh-more clips of 4–14 s, in name order, make the streamer's minute


def _seconds(wav: Path) -> float:
    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def streamer_stream(decoder: Any) -> Stream:
    from faster_whisper.audio import decode_audio

    from streamkit.testing.data import speech_clips, zh_more_clips

    clips = [c for c in zh_more_clips() if 4.0 <= _seconds(c.wav) <= 14.0][:STREAMER_CLIPS] or speech_clips(SPEECH / "zh")
    streams = []
    for c in clips:
        audio = decode_audio(str(c.wav))
        streams.append(Stream(c.name, audio, c.reference, "zh", aligned_ends(decoder, audio, c.reference, "zh")))
    return joined("streamer", streams)


def guest_stream() -> Stream:
    once = english_stream("guest", lead=0.0, pause=1.0)
    return joined("guest", [once, once], gap=0.0)


def run_session(decoder: Any, streams: list[tuple[Stream, str, Path]], home: Path) -> tuple[list[Any], float, float]:
    """One captions session with a file source per stream, in real time; captions, wall s, CPU s."""
    from streamkit.config import validate
    from streamkit.events import Caption
    from streamkit.obs.dryrun import DryRunObs
    from streamkit.plugins.captions.live import CaptionsSession
    from streamkit.testing import test_runtime

    cfg = validate({"captions": {"files": [], "obs_text_source": "", "sources": [
        {"name": s.name, "kind": "file", "path": str(wav), "speaker": speaker, "language": s.language}
        for s, speaker, wav in streams]}}, "<bench>")
    runtime = test_runtime(cfg, DryRunObs(out=io.StringIO()), home=home, realtime=True)
    captions: list[Caption] = []
    runtime.bus.subscribe(captions.append, Caption)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    runtime.start_component(CaptionsSession(runtime, cfg.section("captions"), decoder=decoder))
    while runtime.input_running:  # until every source has played to its end
        runtime.wait_input(1.0)
    runtime.stop_components()
    wall = time.monotonic() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    return captions, wall, (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)


def scored(captions: list[Any], stream: Stream) -> dict[str, Any]:
    mine = [c for c in captions if c.source == stream.name]
    text = utterance_text(mine)
    lat = latency(mine, units(stream.reference, stream.language), stream.unit_ends, stream.language)
    return {"error_rate": round(errors(stream.reference, text, stream.language).rate, 4), **lat.summary(), "text": text}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="base")
    parser.add_argument("--out", type=Path, default=RESULTS / "captions_speakers.json")
    args = parser.parse_args(argv)

    from streamkit.plugins.captions.decoder import WhisperDecoder
    from streamkit.sources.audio import write_wav

    started = time.monotonic()
    decoder = WhisperDecoder(args.model)
    streamer, guest = streamer_stream(decoder), guest_stream()
    result: dict[str, Any] = {"model": args.model, "cpu_count": os.cpu_count(),
                              "streamer_seconds": round(streamer.seconds, 1), "guest_seconds": round(guest.seconds, 1),
                              "targets": {"committed_p90_two_speakers": 2.5}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pairs = [(streamer, "主播", write_wav(folder / "streamer.wav", streamer.audio)),
                 (guest, "嘉宾", write_wav(folder / "guest.wav", guest.audio))]
        for label, group in (("alone", [[p] for p in pairs]), ("together", [pairs])):
            result[label] = {}
            for streams in group:
                captions, wall, cpu = run_session(decoder, streams, folder / "home")
                for stream, _, _ in streams:
                    result[label][stream.name] = scored(captions, stream)
                result[label]["cpu_percent_of_machine" + ("" if len(streams) > 1 else f"_{streams[0][0].name}")] = \
                    round(100 * cpu / wall / (os.cpu_count() or 1), 1)
    result["peak_memory_mb"] = round(rss_mb(), 0)
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"two speakers talking over each other ({streamer.seconds:.0f} s Mandarin + {guest.seconds:.0f} s English), model {args.model}:")
    for label in ("alone", "together"):
        for name, metric in (("streamer", "CER"), ("guest", "WER")):
            r = result[label][name]
            print(f"  {label:8s} {name:8s} committed p50 {r['committed_p50']} s p90 {r['committed_p90']} s  "
                  f"first shown p50 {r['first_shown_p50']} s  {metric} {100 * r['error_rate']:.1f} %")
    print(f"  CPU together {result['together']['cpu_percent_of_machine']} % of the machine, peak memory {result['peak_memory_mb']:.0f} MB"
          f"  (target: together committed p90 ≤ 2.5 s)")
    print(f"wrote {args.out} ({result['wall_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
