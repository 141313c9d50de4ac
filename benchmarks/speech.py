"""Speech output (TTS): text → first audio, real-time factor, cached quick phrases, intelligibility.

1. ``first_audio``: for each 20-character phrase (Mandarin and English, none seen before), the
   wall time from ``SpeechEngine.stream(text)`` to its first audio chunk, on the warmed engine with
   the phrase cache off (so every phrase is synthesised). Target p50 ≤ 0.4 s on 2 cores. Also the
   process CPU seconds it took (steadier than wall time on a shared machine) and how long that first
   chunk plays. The engine decodes the model cut for streaming (``streaming: true``: a short first
   window of frames); ``--whole`` measures the model run whole instead (the first clause cut after a
   few words), for comparison in the same conditions.
2. ``gaps_s``: played from the moment the first chunk is ready, the seconds a listener waits for later
   chunks (per phrase). ``rtf``: synthesis time / audio duration over the whole phrases.
3. ``cached``: first audio of a quick phrase made ahead of time (``SpeechEngine.prepare``).
4. ``intelligibility`` (``--voices``): every voice of the model speaks the reference phrases and
   Whisper base transcribes them back: WER (English) and CER (Mandarin, digits read as numerals).

Usage: ``python benchmarks/speech.py [--threads 2] [--reps 2] [--voices] [--whole]``; writes
benchmarks/results/speech.json (``--whole``: speech-whole.json) and prints p50/p90. Run twice: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "speech.json"
sys.path.insert(0, str(REPO / "tests" / "core"))

#: 20-character phrases a streamer's tools say: quick phrases, confirmations, read-backs.
MANDARIN = [
    "欢迎来到直播间，喜欢的宝宝记得点个关注吧！",
    "三号新疆蜂蜜，今天直播间到手价四十九块九。",
    "已经切换到近景特写，录制也正在进行当中。",
    "库存只剩下最后十件了，拍下以后尽快付款哦。",
    "点击屏幕下方的小黄车，就可以直接下单了。",
    "闪购倒计时只剩三十秒，喜欢的宝宝抓紧时间。",
    "今天全场商品都包邮，并且支持七天无理由退换。",
    "这款围巾是纯羊毛的，冬天戴着特别暖和舒服。",
]
ENGLISH = [
    "Recording has started.",
    "Switched to close-up.",
    "Product three is shown.",
    "Thanks for the follow!",
    "Flash sale: 30 seconds.",
    "Microphone is muted.",
    "Free shipping today!",
    "Only ten items left.",
]
REFERENCES = {"en": "Thanks for watching, please click the yellow cart below.",
              "zh": "欢迎来到直播间，三号新疆蜂蜜，到手价四十九块九。"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float], digits: int = 3) -> dict[str, float]:
    return {"p50": round(statistics.median(values), digits), "p90": round(pct(values, 0.9), digits),
            "min": round(min(values), digits), "max": round(max(values), digits), "n": len(values)}


def bench_phrases(engine: Any, phrases: list[str], reps: int) -> dict[str, Any]:
    """First-audio latency (wall and CPU seconds), gaps while playing, and RTF of uncached phrases.

    CPU seconds (all threads of this process) do not grow when other programs load the machine: on an
    idle machine with one ONNX Runtime thread the wall time equals them. Gaps: played from the moment
    the first chunk is ready, how long the listener waits for later chunks (silence that is not a pause).
    """
    first, first_cpu, first_audio, gaps, synth, synth_cpu, audio = [], [], [], [], 0.0, 0.0, 0.0
    for _ in range(reps):
        for text in phrases:
            started, cpu = time.perf_counter(), time.process_time()
            got_first = None
            seconds, played_until, waited = 0.0, 0.0, 0.0
            for chunk in engine.stream(text):
                now = time.perf_counter() - started
                if got_first is None:
                    got_first = now
                    first_cpu.append(time.process_time() - cpu)
                    first_audio.append(chunk.duration)
                    played_until = now
                waited += max(0.0, now - played_until)
                played_until = max(now, played_until) + chunk.duration
                seconds += chunk.duration
            synth += time.perf_counter() - started
            synth_cpu += time.process_time() - cpu
            audio += seconds
            first.append(got_first or 0.0)
            gaps.append(waited)
    return {"first_audio": summary(first), "first_audio_cpu": summary(first_cpu),
            "first_chunk_seconds": summary(first_audio), "gaps_s": summary(gaps), "rtf": round(synth / audio, 3),
            "rtf_cpu": round(synth_cpu / audio, 3), "chars": [len(p) for p in phrases]}


def bench_cached(engine: Any, phrases: list[str]) -> dict[str, float]:
    engine.prepare(phrases)
    first = []
    for text in phrases:
        started = time.perf_counter()
        next(iter(engine.stream(text)))
        first.append(time.perf_counter() - started)
    return summary(first, digits=6)


def bench_voices(engine: Any) -> dict[str, dict[str, Any]]:
    from speech_helpers import error_rate, heard

    from streamkit.plugins.captions.decoder import WhisperDecoder

    decoder = WhisperDecoder("base")
    out: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for voice in engine.voices:
            row: dict[str, Any] = {}
            for language, text in REFERENCES.items():
                clip = engine.synthesize(text, voice=voice)
                hyp = heard(decoder, clip.samples, clip.sample_rate, language, Path(tmp))
                row[language] = {"error": round(error_rate(text, hyp, language), 3), "heard": hyp}
            out[voice.name] = row
            print(f"  {voice.name}: English WER {100 * row['en']['error']:.1f} %  Mandarin CER "
                  f"{100 * row['zh']['error']:.1f} %  ({row['zh']['heard']})", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="ONNX Runtime threads (default 2)")
    parser.add_argument("--reps", type=int, default=2, help="times each phrase is synthesised")
    parser.add_argument("--model", help="speech model from the manifest (default: the engine's choice)")
    parser.add_argument("--voices", action="store_true", help="also score every voice with Whisper base")
    parser.add_argument("--whole", action="store_true", help="run the model whole, not cut for streaming")
    args = parser.parse_args(argv)

    from streamkit.speech import SpeechEngine

    started = time.perf_counter()
    engine = SpeechEngine(args.model, threads=args.threads, cache_phrases=0, frames=not args.whole)
    load = time.perf_counter() - started
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_avg": os.getloadavg()},
        "model": engine.model_name, "streaming": engine.streaming, "threads": args.threads,
        "load_and_warm_s": round(load, 2),
        "voices": {"zh": engine.voice_for(MANDARIN[0]).name, "en": engine.voice_for(ENGLISH[0]).name},
        "zh": bench_phrases(engine, MANDARIN, args.reps),
        "en": bench_phrases(engine, ENGLISH, args.reps),
    }
    cached = SpeechEngine(args.model, threads=args.threads, frames=not args.whole)
    results["cached"] = bench_cached(cached, MANDARIN[:3] + ENGLISH[:3])
    if args.voices:
        results["intelligibility"] = bench_voices(cached)
    results["machine"]["load_avg_end"] = os.getloadavg()
    out = RESULTS.with_name("speech-whole.json") if args.whole else RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"speech ({engine.model_name}, {'cut for streaming' if engine.streaming else 'run whole'}, "
          f"{args.threads} threads; load+warm {load:.1f} s; "
          f"load average {results['machine']['load_avg'][0]:.1f})")
    for language in ("zh", "en"):
        r = results[language]
        print(f"  {language}: text → first audio p50 {r['first_audio']['p50']:.3f} s, p90 {r['first_audio']['p90']:.3f} s "
              f"(target p50 ≤ 0.4 s); CPU for it p50 {r['first_audio_cpu']['p50']:.3f} s, p90 "
              f"{r['first_audio_cpu']['p90']:.3f} s; first chunk {r['first_chunk_seconds']['p50']:.2f} s of speech; "
              f"gaps while playing p50 {r['gaps_s']['p50']:.2f} s, p90 {r['gaps_s']['p90']:.2f} s; "
              f"RTF {r['rtf']:.2f} (CPU {r['rtf_cpu']:.2f})")
    print(f"  cached quick phrase → first audio p50 {1000 * results['cached']['p50']:.3f} ms")
    print(f"  results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
