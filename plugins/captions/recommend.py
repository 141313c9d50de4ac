"""``streamkit models recommend``: the most accurate Whisper size this machine can caption with live.

Each size of the manifest's ``[[whisper]]`` table that suits the language (an English-only size never
for ``zh`` or ``auto``) and is here (carried offline, or downloaded earlier) captions a bundled real
recording in that language through the live streaming path — :class:`StreamingTranscriber` with the
config's options, fed as fast as it goes, so its recognition passes fall exactly where they would
live. Its real-time factor (RTF) is that wall time over the recording's length. The recommendation is
the most accurate size (the table's order) whose RTF is at most the headroom — 0.5 by default: half
the machine stays free for OBS, the stream encoder, and a second voice sharing the model. Sizes that
would have to be downloaded are listed as such and never fetched; once a size is over the headroom,
larger ones are not measured.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from streamkit.bundled import samples_dir
from streamkit.errors import ConfigError, ModelError
from streamkit.models import RECOMMEND_HEADROOM
from streamkit.whisper_sizes import WhisperSize, hub_present, whisper_sizes

SPEECH = samples_dir() / "media" / "speech"
SR = 16_000
CHUNK = 1600  # 0.1 s, as a live source delivers audio
Status = Literal["measured", "unsuitable", "unavailable", "skipped", "failed"]


@dataclass
class Candidate:
    """One Whisper size and what became of it here."""

    model: str
    accuracy: int
    download_mb: int
    english_only: bool
    status: Status = "measured"
    reason: str = ""
    rtf: float | None = None
    pass_seconds: float | None = None
    passes: int = 0
    error_rate: float | None = None
    text: str = ""


@dataclass
class Recording:
    """The bundled speech a size is measured on, and what is said in it ('' when not scored)."""

    audio: np.ndarray
    paths: list[Path]
    reference: str

    @property
    def seconds(self) -> float:
        return len(self.audio) / SR


@dataclass
class Recommendation:
    language: str
    headroom: float
    step: float
    cpu_threads: int
    recording: list[str]
    audio_seconds: float
    recommended: str | None
    paragraph: str = ""
    candidates: list[Candidate] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def recording(language: str) -> Recording:
    """Mandarin: the AISHELL clip; English: three LibriVox sentences; auto: both, one after the other."""
    from faster_whisper.audio import decode_audio

    zh = sorted((SPEECH / "zh").glob("*.wav"))[:1]
    en = sorted((SPEECH / "en").glob("*.wav"))[:3]
    paths = {"zh": zh, "en": en, "auto": zh + en[:2]}[language]
    if not paths:
        raise ConfigError(f"no bundled recording in {SPEECH}", "reinstall streamkit (pip install --force-reinstall streamkit)")
    pause = np.zeros(SR // 2, np.float32)
    audio = np.concatenate([pause] + [part for p in paths for part in (decode_audio(str(p)), pause)])
    reference = "" if language == "auto" else " ".join(p.with_suffix(".txt").read_text(encoding="utf-8").strip() for p in paths)
    return Recording(audio, paths, reference)


def candidates(language: str, only: list[str] | None = None) -> list[Candidate]:
    """Every size of the table (or of ``only``), least accurate first, marked unsuitable or unavailable."""
    out = []
    for size in whisper_sizes():
        if only and size.name not in only:
            continue
        c = Candidate(size.name, size.accuracy, size.download_mb, size.english_only)
        if size.english_only and language != "en":
            c.status, c.reason = "unsuitable", "English only: cannot caption Mandarin"
        elif not _here(size):
            c.status, c.reason = "unavailable", size.needs_internet()
        out.append(c)
    return out


def _here(size: WhisperSize) -> bool:
    """Carried offline by a manifest entry (resolved from its PyPI carrier), or downloaded earlier."""
    return bool(size.carried_by) or hub_present(size)


def measure(c: Candidate, rec: Recording, cfg: object, language: str) -> None:
    """Caption the recording with size ``c`` through the live streaming path; fills RTF and text."""
    from streamkit.models import resolve

    from .decoder import WhisperDecoder
    from .live import streaming_options
    from .streaming import StreamingTranscriber
    from streamkit.text import join_caption

    try:
        decoder = WhisperDecoder(str(resolve(c.model)), cpu_threads=cfg.cpu_threads)  # type: ignore[attr-defined]
    except ModelError as exc:
        c.status, c.reason = "failed", exc.one_line()
        return
    decoder.decode(decoder.encode(rec.audio[:SR]), language="en" if language == "auto" else language)  # warm up
    transcriber = StreamingTranscriber(decoder, streaming_options(cfg, language))  # type: ignore[arg-type]
    start = time.perf_counter()
    updates = [u for i in range(0, len(rec.audio), CHUNK) for u in transcriber.feed(rec.audio[i:i + CHUNK])]
    updates += transcriber.finish()
    c.rtf = round((time.perf_counter() - start) / rec.seconds, 3)
    c.passes = transcriber.stats.steps
    c.pass_seconds = round(transcriber.stats.decode_seconds / max(1, transcriber.stats.steps), 3)
    for u in updates:
        if u.kind == "final":
            c.text = join_caption(c.text, u.text)
    if rec.reference:
        c.error_rate = round(_error_rate(rec.reference, c.text, language), 3)


def _error_rate(reference: str, hypothesis: str, language: str) -> float:
    import jiwer

    from .textproc import normalize_for_scoring

    return float(jiwer.wer(normalize_for_scoring(reference, language), normalize_for_scoring(hypothesis, language) or "∅"))


def choose(cands: list[Candidate], headroom: float) -> Candidate | None:
    """The most accurate measured size whose RTF is at most ``headroom`` (None when none is)."""
    fits = [c for c in cands if c.status == "measured" and c.rtf is not None and c.rtf <= headroom]
    return max(fits, key=lambda c: c.accuracy, default=None)


def recommend(cfg: object, language: str, headroom: float = RECOMMEND_HEADROOM, only: list[str] | None = None,
              progress: object = None) -> Recommendation:
    """Measure every size that is here and suits ``language``; pick and explain."""
    rec = recording(language)
    cands = candidates(language, only)
    too_slow: Candidate | None = None
    for c in cands:
        if c.status != "measured":
            continue
        if too_slow is not None and c.download_mb >= too_slow.download_mb:
            c.status, c.reason = "skipped", f"not measured: {too_slow.model} is already over the headroom and this size is no smaller"
            continue
        if callable(progress):
            progress(f"measuring {c.model} on {rec.seconds:.1f} s of speech …")
        measure(c, rec, cfg, language)
        if c.status == "measured" and c.rtf is not None and c.rtf > headroom:
            too_slow = too_slow or c
    best = choose(cands, headroom)
    result = Recommendation(language, headroom, cfg.step, cfg.cpu_threads,  # type: ignore[attr-defined]
                            [str(p) for p in rec.paths], round(rec.seconds, 2), best.model if best else None,
                            candidates=cands)
    result.paragraph = explain(result)
    return result


LANGUAGE_NAMES = {"zh": "Mandarin", "en": "English", "auto": "Mandarin and English"}


def explain(r: Recommendation) -> str:
    """One plain paragraph: what to use, the measured reason, and what else there is."""
    speech = LANGUAGE_NAMES[r.language]
    measured = [c for c in r.candidates if c.status == "measured" and c.rtf is not None]
    best = next((c for c in measured if c.model == r.recommended), None)
    if best is not None:
        text = (f"Use {best.model} (in your config: [captions] model = \"{best.model}\"). On this machine, with "
                f"{r.cpu_threads} CPU threads, it captioned {r.audio_seconds:.1f} s of {speech} through the live path in "
                f"{best.rtf * r.audio_seconds:.1f} s — a real-time factor of {best.rtf:.2f}, within the headroom of "
                f"{r.headroom:.2f} that leaves room for OBS, the stream encoder and a second voice — and it is the "
                "most accurate size here that does.")
    else:
        fastest = min(measured, key=lambda c: c.rtf or 0.0, default=None)
        text = f"No Whisper size here keeps within the headroom of {r.headroom:.2f} on this machine."
        if fastest is not None:
            text += (f" The fastest, {fastest.model}, needed a real-time factor of {fastest.rtf:.2f} on "
                     f"{r.audio_seconds:.1f} s of {speech} (one recognition pass took {fastest.pass_seconds:.2f} s, "
                     f"the step is {r.step:.1f} s): live captions would fall behind, more so with two voices.")
        text += " Close other programs, caption one voice only, or use a faster computer."
    return " ".join([text, *_others(r, best or min(measured, key=lambda c: c.rtf or 0.0, default=None))])


def _others(r: Recommendation, anchor: Candidate | None) -> list[str]:
    """Sentences about the other sizes, relative to the chosen (or fastest) one."""
    rank = anchor.accuracy if anchor else -1
    size = anchor.download_mb if anchor else 10**9
    out = [f"{c.model} is more accurate but needed {c.rtf:.2f}, over the headroom." for c in r.candidates
           if c.status == "measured" and c.rtf is not None and c.rtf > r.headroom and c is not anchor]
    missing = [c for c in r.candidates if c.status == "unavailable"]
    more = [c for c in missing if c.accuracy > rank]
    faster = [c for c in missing if c.download_mb < size and c.accuracy < rank]
    if more and r.recommended is not None:
        out.append("More accurate sizes are not here (they need internet): " + ", ".join(f"{c.model} (~{c.download_mb} MB)" for c in more)
                   + f"; fetch one with `streamkit models fetch {more[0].model}` while online, then run this again to measure it.")
    if faster and r.recommended is None:
        out.append("Smaller, faster sizes are not here either: " + ", ".join(f"{c.model} (~{c.download_mb} MB)" for c in faster) + ".")
    english = [c.model for c in r.candidates if c.status == "unsuitable"]
    if english:
        out.append(f"English-only sizes ({', '.join(english)}) cannot caption Mandarin.")
    out += [f"{c.model}: {c.reason}." for c in r.candidates if c.status in ("skipped", "failed")]
    return out


# ---------------------------------------------------------------- CLI


def run_recommend(args: argparse.Namespace) -> int:
    """``streamkit models recommend``: exit 0 with a recommendation, 1 when no size keeps up."""
    from rich.console import Console

    from streamkit.config import load

    if not 0 < args.headroom <= 1:
        raise ConfigError(f"--headroom {args.headroom} is out of range", "give a real-time factor above 0 and at most 1, e.g. 0.5")
    cfg = load(args.config).section("captions")
    only = [m.strip() for m in args.models.split(",") if m.strip()] if args.models else None
    unknown = [m for m in only or [] if m not in {s.name for s in whisper_sizes()}]
    if unknown:
        raise ConfigError(f"--models names unknown sizes: {', '.join(unknown)}", f"use {', '.join(s.name for s in whisper_sizes())}")
    err = Console(stderr=True)
    result = recommend(cfg, args.language or cfg.language, args.headroom, only, progress=lambda m: err.print(m, soft_wrap=True))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        _print(result)
    return 0 if result.recommended else 1


NOTES = {"unsuitable": "English only", "unavailable": "needs internet", "skipped": "not measured", "failed": "failed"}


def _print(r: Recommendation) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Whisper sizes for {LANGUAGE_NAMES[r.language]}, headroom: RTF ≤ {r.headroom:.2f}")
    for col in ("size", "download", "RTF", "one pass", "error rate", "here"):
        table.add_column(col, justify="left" if col in ("size", "here") else "right", no_wrap=True)
    for c in r.candidates:
        if c.status == "measured":
            note = "★ recommended" if c.model == r.recommended else ("over headroom" if (c.rtf or 0) > r.headroom else "fits")
        else:
            note = NOTES[c.status]
        table.add_row(c.model, f"~{c.download_mb} MB", f"{c.rtf:.2f}" if c.rtf is not None else "—",
                      f"{c.pass_seconds:.2f} s" if c.pass_seconds is not None else "—",
                      f"{c.error_rate:.1%}" if c.error_rate is not None else "—", note)
    console = Console()
    console.print(r.paragraph, soft_wrap=True)
    console.print(table)
