"""Review sessions built from the real sample recordings (samples/media), for tests, benchmarks
and trying the app: real speech with its word alignment as captions, plus scene, product,
gesture and mark events around it.

The LibriVox clips carry word timings (``.json``); the AISHELL clip only a reference sentence,
which becomes one caption over the clip's speech.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from streamkit.bundled import samples_dir
from streamkit.session import Session, SessionStore

MEDIA = samples_dir() / "media"
EN_CLIPS = ["librivox-0870", "librivox-0880", "librivox-0890", "librivox-0920", "librivox-0930"]
ZH_CLIP = "aishell1-BAC009S0764W0121"
RATE = 16_000
# A caption a hostile or unlucky speech recogniser could produce: must always show as text.
XSS_CAPTION = "<script>window.__pwned = 1</script> & <b>not bold</b>"


@dataclass(frozen=True)
class Piece:
    """A clip (or silence, when ``clip`` is empty) placed at ``offset`` seconds in the built audio."""

    clip: str
    offset: float
    duration: float


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        if w.getframerate() != RATE or w.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16 kHz 16-bit PCM")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        return data.reshape(-1, w.getnchannels())[:, 0].copy()


def clip_path(clip: str) -> Path:
    lang = "zh" if clip.startswith("aishell") else "en"
    return MEDIA / "speech" / lang / f"{clip}.wav"


def build_audio(plan: list[str | float], out_wav: Path) -> list[Piece]:
    """Concatenate clips (names) and silences (seconds) into one 16 kHz wav."""
    parts: list[np.ndarray] = []
    pieces: list[Piece] = []
    offset = 0.0
    for item in plan:
        if isinstance(item, str):
            samples = _read_wav(clip_path(item))
            pieces.append(Piece(item, offset, len(samples) / RATE))
        else:
            samples = np.zeros(int(item * RATE), dtype=np.int16)
            pieces.append(Piece("", offset, float(item)))
        parts.append(samples)
        offset += len(samples) / RATE
    with wave.open(str(out_wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.concatenate(parts).tobytes())
    return pieces


def encode_video(audio_wav: Path, out: Path, *, video: Path | None = None, size: str = "320x180") -> Path:
    """Mux the audio with a looped real video (default: the Pexels face clip) into WebM (VP8 + Opus)."""
    if shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is needed to build sample media (apt-get install ffmpeg)")
    video = video or MEDIA / "faces" / "WolfgangLanger_Pexels.mp4"
    cmd = ["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", str(video), "-i", str(audio_wav),
           "-map", "0:v", "-map", "1:a", "-shortest", "-vf", f"scale={size.replace('x', ':')},fps=15",
           "-c:v", "libvpx", "-b:v", "250k", "-deadline", "realtime", "-cpu-used", "8", "-g", "30",
           "-c:a", "libopus", "-b:a", "48k", str(out)]
    subprocess.run(cmd, check=True)
    return out


def encode_audio(audio_wav: Path, out: Path, *, loops: int = 0, seconds: float | None = None) -> Path:
    """Opus audio (``.ogg``), optionally looping the wav to make a long recording."""
    cmd = ["ffmpeg", "-v", "error", "-y", "-stream_loop", str(loops), "-i", str(audio_wav)]
    if seconds:
        cmd += ["-t", f"{seconds:.3f}"]
    cmd += ["-c:a", "libopus", "-b:a", "16k", "-application", "voip", str(out)]
    subprocess.run(cmd, check=True)
    return out


def clip_lines(clip: str, offset: float, max_words: int = 8) -> list[tuple[float, float, str]]:
    """Caption lines of one clip: (start, end, text) on the built audio's time line."""
    align = MEDIA / "speech" / "en" / f"{clip}.json"
    if not align.exists():
        text = (MEDIA / "speech" / "zh" / f"{clip}.txt").read_text(encoding="utf-8").strip()
        return [(offset + 0.25, offset + 4.0, text)]
    words = json.loads(align.read_text(encoding="utf-8"))["w"]
    lines: list[tuple[float, float, str]] = []
    cur: list[dict[str, Any]] = []

    def close() -> None:
        if cur:
            text = " ".join(re.sub(r"\(\d+\)$", "", w["t"]) for w in cur)
            lines.append((offset + cur[0]["b"], offset + cur[-1]["b"] + cur[-1]["d"], text))
            cur.clear()

    for w in words:
        if w["t"] == "<sil>":
            if w["d"] >= 0.25:
                close()
            continue
        cur.append(w)
        if len(cur) >= max_words:
            close()
    close()
    return lines


class EventWriter:
    """Writes a live-style session: session.json via SessionStore, events.jsonl line by line."""

    def __init__(self, store: SessionStore, name: str, media: Path | None, t0: float) -> None:
        self.session: Session = store.create(name=name, media_path=str(media) if media else "")
        self.session.info.started = t0
        self.store = store
        self.t0 = t0
        self._file = open(self.session.events_path, "w", encoding="utf-8")

    def event(self, type_: str, at: float, **data: Any) -> None:
        self._file.write(json.dumps({"type": type_, "ts": self.t0 + at, **data}, ensure_ascii=False) + "\n")

    def caption(self, start: float, end: float, text: str, language: str, latency: float = 0.8,
                speaker: str = "主播") -> None:
        self.event("Caption", end + latency, kind="final", text=text, source="mic", speaker=speaker,
                   audio_start=start, audio_end=end, emitted_at=end + latency, language=language)

    def close(self, duration: float) -> Session:
        self.event("SessionEnded", duration, session_id=self.session.id)
        self._file.close()
        self.session.info.ended = self.t0 + duration
        self.store.update(self.session)
        return self.session


def english_session(store: SessionStore, workdir: Path, *, name: str = "LibriVox reading",
                    extra_caption: str | None = None, t0: float | None = None) -> Session:
    """~30 s English session: the five LibriVox sentences (a 4 s pause after the second), a video,
    scenes, a product card, a gesture and a marked moment."""
    plan: list[str | float] = [0.5, EN_CLIPS[0], 0.4, EN_CLIPS[1], 4.0, EN_CLIPS[2], 0.4, EN_CLIPS[3], 0.4, EN_CLIPS[4], 1.0]
    wav = workdir / f"{name.replace(' ', '_')}.wav"
    pieces = build_audio(plan, wav)
    media = encode_video(wav, workdir / f"{wav.stem}.webm")
    duration = pieces[-1].offset + pieces[-1].duration
    t0 = t0 if t0 is not None else time.time() - 3600
    w = EventWriter(store, name, media, t0)
    w.event("SessionStarted", 0.0, session_id=w.session.id)
    w.event("RecordingStarted", 0.0, output_path=str(media))
    w.event("SceneChanged", 0.2, scene="Main")
    for p in pieces:
        if p.clip:
            for a, b, text in clip_lines(p.clip, p.offset):
                w.caption(a, b, text, "en", speaker="streamer")
    if extra_caption is not None:
        w.caption(duration - 0.9, duration - 0.2, extra_caption, "en", speaker="guest")
    w.event("ProductCardShown", 8.0, serial=3, product_id="mug-3", name="Thermos mug", trigger="show product three")
    w.event("SceneChanged", 8.1, scene="Close-up")
    w.event("ProductCardHidden", 16.0, serial=3, reason="voice")
    w.event("SceneChanged", 16.1, scene="Main")
    w.event("ProductCommandRejected", 18.0, text="show product nine", reason="no product 9")
    w.event("GestureTriggered", 20.0, gesture="call", modality="hand", action="mark", target="", score=0.91)
    w.event("MomentMarked", 20.0, label="good answer", source="gesture")
    w.event("RecordingStopped", duration, output_path=str(media))
    return w.close(duration)


def mandarin_session(store: SessionStore, workdir: Path, *, name: str = "直播样例 · 保温杯",
                     t0: float | None = None) -> Session:
    """~20 s Mandarin session from the AISHELL clip (three times, a 5 s dead-air gap), with product
    讲解, scenes, a gesture and a coach mark."""
    plan: list[str | float] = [0.5, ZH_CLIP, 0.6, ZH_CLIP, 5.0, ZH_CLIP, 1.0]
    wav = workdir / "mandarin.wav"
    pieces = build_audio(plan, wav)
    media = encode_video(wav, workdir / "mandarin.webm")
    duration = pieces[-1].offset + pieces[-1].duration
    t0 = t0 if t0 is not None else time.time() - 7200
    w = EventWriter(store, name, media, t0)
    w.event("SessionStarted", 0.0, session_id=w.session.id)
    w.event("RecordingStarted", 0.0, output_path=str(media))
    w.event("SceneChanged", 0.1, scene="主画面")
    fillers = ["嗯，", "那个", "就是说"]
    for i, p in enumerate(q for q in pieces if q.clip):
        for a, b, text in clip_lines(p.clip, p.offset):
            w.caption(a, b, fillers[i % 3] + text, "zh")
    w.event("ProductCardShown", 5.0, serial=3, product_id="cup-3", name="316 不锈钢保温杯", trigger="上链接 3号")
    w.event("SceneChanged", 5.1, scene="商品特写")
    w.event("ProductCardHidden", 12.0, serial=3, reason="下一个")
    w.event("ProductCardShown", 12.0, serial=4, product_id="tea-4", name="明前龙井 250g", trigger="下一个")
    w.event("SceneChanged", 14.0, scene="主画面")
    w.event("GestureTriggered", 14.0, gesture="smile", modality="face", action="scene", target="主画面", score=0.88)
    w.event("MomentMarked", 15.0, label="这里停顿太久", source="gesture")
    w.event("ProductCardHidden", duration - 0.5, serial=4, reason="hide")
    w.event("RecordingStopped", duration, output_path=str(media))
    return w.close(duration)


def long_session(store: SessionStore, workdir: Path, *, hours: float = 2.0, words_per_line: int = 10,
                 t0: float | None = None) -> Session:
    """A long session (default 2 h) made by looping the five LibriVox sentences: ≈20,000 words in
    ≈2,000 captions plus scenes, product segments, gestures and marks every few minutes."""
    plan: list[str | float] = [EN_CLIPS[0], 0.4, EN_CLIPS[1], 0.4, EN_CLIPS[2], 0.4, EN_CLIPS[3], 0.4, EN_CLIPS[4], 0.4]
    wav = workdir / "loop.wav"
    pieces = build_audio(plan, wav)
    loop = pieces[-1].offset + pieces[-1].duration
    total = hours * 3600
    media = encode_audio(wav, workdir / "long.ogg", loops=int(total // loop) + 1, seconds=total)
    t0 = t0 if t0 is not None else time.time() - 86400
    w = EventWriter(store, f"{hours:g} h session (LibriVox loop)", media, t0)
    w.event("SessionStarted", 0.0, session_id=w.session.id)
    w.event("RecordingStarted", 0.0, output_path=str(media))
    base = 0.0
    n = 0
    while base + loop <= total:
        for p in pieces:
            if p.clip:
                for a, b, text in clip_lines(p.clip, base + p.offset, max_words=words_per_line):
                    w.caption(a, b, text, "en")
        base += loop
        n += 1
        if n % 8 == 0:
            w.event("SceneChanged", base, scene=f"Scene {n // 8 % 3 + 1}")
        if n % 12 == 0:
            w.event("ProductCardShown", base, serial=n // 12, product_id=f"p{n // 12 % 9}", name=f"Product {n // 12 % 9}",
                    trigger=f"show product {n // 12 % 9}")
            w.event("ProductCardHidden", base + 90, serial=n // 12, reason="voice")
        if n % 10 == 0:
            w.event("GestureTriggered", base + 3, gesture="call", modality="hand", action="mark", target="", score=0.9)
            w.event("MomentMarked", base + 3, label=f"mark {n}", source="gesture")
    w.event("RecordingStopped", total, output_path=str(media))
    return w.close(total)
