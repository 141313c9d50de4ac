"""Captions benchmark: real recordings replayed in real time through the streaming pipeline.

English: the LibriVox clips of samples/media/speech/en, joined with pauses; their .json
alignments give the time each word ends. For every reference word: latency from its end in the
audio to its first appearance on screen (committed text + partial) and to its commit (a final
caption). Accuracy: committed WER against the reference, next to the WER of the same model run
offline on the whole file. Cost: real-time factor of decoding, CPU % of the process.
Mandarin: the AISHELL clip, committed CER vs offline CER.
``--soak MINUTES``: replay the English set in a loop that long and report lag drift (the lag of
each utterance's last commit, first five minutes vs last five).

    python benchmarks/captions.py [--model base] [--soak 30] [--out benchmarks/results/captions.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from streamkit.sources.audio import write_wav

REPO = Path(__file__).resolve().parent.parent
SPEECH = REPO / "samples" / "media" / "speech"
RESULTS = REPO / "benchmarks" / "results"
SR = 16_000


@dataclass
class RefWord:
    word: str
    end: float
    clip: int


def load_english(pause: float = 1.0, lead: float = 0.5, repeat: int = 1) -> tuple[np.ndarray, list[RefWord], list[str], list[tuple[float, float]]]:
    """Clips joined with ``pause`` s of silence: audio, reference words with end times, reference texts, clip spans."""
    from faster_whisper.audio import decode_audio

    clips = sorted((SPEECH / "en").glob("*.wav"))
    parts = [np.zeros(int(lead * SR), np.float32)]
    t = lead
    words: list[RefWord] = []
    texts: list[str] = []
    spans: list[tuple[float, float]] = []
    index = 0
    for _ in range(repeat):
        for clip in clips:
            audio = decode_audio(str(clip))
            align = json.loads(clip.with_suffix(".json").read_text())
            for w in align["w"]:
                token = re.sub(r"\(\d+\)$", "", w["t"])
                if token.startswith("<") or token in ("[noise]",):
                    continue
                words.append(RefWord(token.lower(), t + float(w["b"]) + float(w["d"]), index))
            texts.append(clip.with_suffix(".txt").read_text(encoding="utf-8").strip())
            spans.append((t, t + len(audio) / SR))
            parts += [audio, np.zeros(int(pause * SR), np.float32)]
            t += len(audio) / SR + pause
            index += 1
    return np.concatenate(parts), words, texts, spans


def replay(decoder, wav: Path, language: str, *, realtime: bool = True, options: dict | None = None):  # type: ignore[no-untyped-def]
    """Run FileAudioSource → CaptionProcessor on a bus; returns captions, processor, wall s, CPU s."""
    from streamkit.bus import EventBus
    from streamkit.pipeline import Pipeline
    from streamkit.events import Caption
    from streamkit.plugins.captions.processor import CaptionProcessor
    from streamkit.plugins.captions.streaming import StreamingOptions
    from streamkit.sources.audio import FileAudioSource

    bus = EventBus()
    captions: list[Caption] = []
    bus.subscribe(captions.append, Caption)
    source = FileAudioSource(wav, name="bench", chunk_seconds=0.1, realtime=realtime)
    processor = CaptionProcessor(decoder, StreamingOptions(language=language, **(options or {})), source="bench", speaker="主播",
                                 realtime=realtime)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    Pipeline(source, [processor], bus).run()
    wall = time.monotonic() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return captions, processor, wall, cpu


def _align(ref: list[str], hyp: list[str]) -> dict[int, int]:
    """Reference index → hypothesis index for words that match in a minimum-edit alignment."""
    from rapidfuzz.distance import Levenshtein

    matched: dict[int, int] = {}
    for op in Levenshtein.opcodes(ref, hyp):
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                matched[op.src_start + k] = op.dest_start + k
    return matched


def latencies(captions, words: list[RefWord], spans: list[tuple[float, float]]) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Per reference word: (first shown − word end), (committed − word end)."""
    from streamkit.plugins.captions.textproc import normalize_for_scoring

    by_clip: dict[int, list[int]] = {}
    for i, w in enumerate(words):
        by_clip.setdefault(w.clip, []).append(i)

    def clip_of(t: float) -> int:
        best = 0
        for k, (a, _end) in enumerate(spans):
            if t >= a - 0.6:
                best = k
        return best

    shown: dict[int, float] = {}
    committed: dict[int, float] = {}
    finals: dict[int, list[str]] = {}   # utterance → committed words
    utt_clip: dict[int, int] = {}
    for c in captions:
        utt_clip.setdefault(c.utterance, clip_of(c.audio_start))
        clip = utt_clip[c.utterance]
        ref_idx = by_clip.get(clip, [])
        ref = [words[i].word for i in ref_idx]
        # words of earlier utterances of the same clip count as already committed text
        done = [w for u, ws in finals.items() if utt_clip.get(u) == clip and u != c.utterance for w in ws]
        mine = finals.setdefault(c.utterance, [])
        new = normalize_for_scoring(c.text, "en").split()
        if c.kind == "final":
            mine += new
            for r, _ in _align(ref, done + mine).items():
                committed.setdefault(ref_idx[r], c.emitted_at)
                shown.setdefault(ref_idx[r], c.emitted_at)
        else:
            for r, _ in _align(ref, done + mine + new).items():
                shown.setdefault(ref_idx[r], c.emitted_at)
    first = [shown[i] - words[i].end for i in sorted(shown)]
    commit = [committed[i] - words[i].end for i in sorted(committed)]
    return first, commit


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return float(np.percentile(np.asarray(values), q))


def committed_text(captions) -> str:  # type: ignore[no-untyped-def]
    from streamkit.text import join_caption

    text = ""
    for c in captions:
        if c.kind == "final":
            text = join_caption(text, c.text)
    return text


def error_rate(reference: str, hypothesis: str, language: str) -> float:
    import jiwer

    from streamkit.plugins.captions.textproc import normalize_for_scoring

    ref = normalize_for_scoring(reference, language)
    hyp = normalize_for_scoring(hypothesis, language)
    return float(jiwer.wer(ref, hyp)) if ref else 0.0


def offline_text(decoder, audio: np.ndarray, language: str) -> str:  # type: ignore[no-untyped-def]
    from streamkit.plugins.captions.textproc import SIMPLIFIED_PROMPT

    prompt = SIMPLIFIED_PROMPT if language == "zh" else None
    segments, _ = decoder.transcribe_file(audio, language=language, initial_prompt=prompt, vad_filter=False)
    return "".join(s.text for s in segments)


def bench_english(decoder, args) -> dict:  # type: ignore[no-untyped-def]
    audio, words, texts, spans = load_english(pause=args.pause)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "en.wav"
        write_wav(wav, audio)
        captions, processor, wall, cpu = replay(decoder, wav, "en", options=args.options)
    first, commit = latencies(captions, words, spans)
    reference = " ".join(texts)
    hyp = committed_text(captions)
    offline = offline_text(decoder, audio, "en")
    duration = len(audio) / SR
    stats = processor.transcriber.stats
    return {
        "audio_seconds": round(duration, 2),
        "words": len(words),
        "words_shown": len(first),
        "words_committed": len(commit),
        "partial_latency_p50": round(pct(first, 50), 3),
        "partial_latency_p90": round(pct(first, 90), 3),
        "committed_latency_p50": round(pct(commit, 50), 3),
        "committed_latency_p90": round(pct(commit, 90), 3),
        "committed_wer": round(error_rate(reference, hyp, "en"), 4),
        "offline_wer": round(error_rate(reference, offline, "en"), 4),
        "real_time_factor": round(stats.decode_seconds / duration, 3),
        "cpu_percent_of_one_core": round(100 * cpu / wall, 1),
        "cpu_percent_of_machine": round(100 * cpu / wall / (os.cpu_count() or 1), 1),
        "decode_steps": stats.steps,
        "committed_text": hyp,
        "offline_text": offline.strip(),
        "partials": sum(1 for c in captions if c.kind == "partial"),
        "finals": sum(1 for c in captions if c.kind == "final"),
    }


def bench_mandarin(decoder, args) -> dict:  # type: ignore[no-untyped-def]
    from faster_whisper.audio import decode_audio

    clip = next((SPEECH / "zh").glob("*.wav"))
    reference = clip.with_suffix(".txt").read_text(encoding="utf-8").strip()
    speech = decode_audio(str(clip))
    audio = np.concatenate([np.zeros(SR // 2, np.float32), speech, np.zeros(SR, np.float32)])
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "zh.wav"
        write_wav(wav, audio)
        captions, processor, wall, cpu = replay(decoder, wav, "zh", options=args.options)
    hyp = committed_text(captions)
    offline = offline_text(decoder, audio, "zh")
    speech_end = 0.5 + len(speech) / SR
    finals = [c for c in captions if c.kind == "final"]
    return {
        "reference": reference,
        "committed_text": hyp,
        "offline_text": offline.strip(),
        "committed_cer": round(error_rate(reference, hyp, "zh"), 4),
        "offline_cer": round(error_rate(reference, offline, "zh"), 4),
        "first_partial_after_speech_start": round(min((c.emitted_at for c in captions), default=float("nan")) - 0.5, 3),
        "last_commit_after_speech_end": round((finals[-1].emitted_at - speech_end) if finals else float("nan"), 3),
    }


def bench_soak(decoder, minutes: float, args) -> dict:  # type: ignore[no-untyped-def]
    one, _, _, _ = load_english(pause=args.pause, lead=0.0)
    repeat = max(1, int(np.ceil(minutes * 60 / (len(one) / SR))))
    audio, words, texts, spans = load_english(pause=args.pause, repeat=repeat)
    audio = audio[: int(minutes * 60 * SR)]
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "soak.wav"
        write_wav(wav, audio)
        captions, processor, wall, cpu = replay(decoder, wav, "en", options=args.options)
    # lag of each utterance's last commit: emitted_at − end of the last reference word before it
    ends = np.array([w.end for w in words])
    lags: list[tuple[float, float]] = []
    for c in captions:
        if c.kind == "final" and c.utterance_end:
            i = np.searchsorted(ends, c.audio_end + 0.3) - 1
            if i >= 0:
                lags.append((float(ends[i]), c.emitted_at - float(ends[i])))
    total = len(audio) / SR
    head = [lag for t, lag in lags if t < 300]
    tail = [lag for t, lag in lags if t > total - 300]
    return {
        "minutes": round(total / 60, 2),
        "utterances": len(lags),
        "lag_first_5min_median": round(statistics.median(head), 3) if head else None,
        "lag_last_5min_median": round(statistics.median(tail), 3) if tail else None,
        "lag_drift": round(statistics.median(tail) - statistics.median(head), 3) if head and tail else None,
        "lag_max": round(max(lag for _, lag in lags), 3) if lags else None,
        "wall_seconds": round(wall, 1),
        "cpu_percent_of_machine": round(100 * cpu / wall / (os.cpu_count() or 1), 1),
        "trims": processor.transcriber.stats.trims,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="base", help="base (default) or tiny.en")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds of silence between the clips")
    parser.add_argument("--soak", type=float, default=0.0, metavar="MINUTES", help="also replay this long and report lag drift")
    parser.add_argument("--no-mandarin", action="store_true")
    parser.add_argument("--beam", type=int, default=None, help="beam size of the streaming steps (default: the plugin's)")
    parser.add_argument("--step", type=float, default=None, help="seconds of audio between decode steps (default: the plugin's)")
    parser.add_argument("--out", type=Path, default=RESULTS / "captions.json")
    args = parser.parse_args(argv)
    args.options = {k: v for k, v in (("beam_size", args.beam), ("step", args.step)) if v is not None}

    sys.path.insert(0, str(REPO))
    from streamkit.plugins.captions.decoder import WhisperDecoder

    decoder = WhisperDecoder(args.model)
    result: dict = {"model": args.model, "compute_type": "int8", "cpu_threads": 2, "cpu_count": os.cpu_count(),
                    "targets": {"partial_latency_p50": 0.8, "committed_latency_p90": 2.0, "wer_over_offline_points": 1.5,
                                "lag_drift": 1.0}}
    result["english"] = bench_english(decoder, args)
    if decoder.multilingual and not args.no_mandarin:
        result["mandarin"] = bench_mandarin(decoder, args)
    if args.soak:
        result["soak"] = bench_soak(decoder, args.soak, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    en = result["english"]
    print(f"model {args.model}: {en['audio_seconds']} s of English, {en['words']} words")
    print(f"  first shown   p50 {en['partial_latency_p50']:.2f} s  p90 {en['partial_latency_p90']:.2f} s   (target p50 ≤ 0.8)")
    print(f"  committed     p50 {en['committed_latency_p50']:.2f} s  p90 {en['committed_latency_p90']:.2f} s   (target p90 ≤ 2.0)")
    print(f"  committed WER {100 * en['committed_wer']:.1f} %  offline WER {100 * en['offline_wer']:.1f} %")
    print(f"  real-time factor {en['real_time_factor']:.2f}  CPU {en['cpu_percent_of_machine']:.0f} % of the machine")
    if "mandarin" in result:
        zh = result["mandarin"]
        print(f"  Mandarin committed CER {100 * zh['committed_cer']:.1f} %  offline CER {100 * zh['offline_cer']:.1f} %  ({zh['committed_text']})")
    if "soak" in result:
        s = result["soak"]
        print(f"  soak {s['minutes']} min: lag first 5 min {s['lag_first_5min_median']} s, last 5 min {s['lag_last_5min_median']} s, drift {s['lag_drift']} s")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
