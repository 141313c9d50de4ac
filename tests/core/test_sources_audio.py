"""Audio sources on real recordings: decoding, chunking, real-time pacing, and the errors people meet."""

from __future__ import annotations

import argparse
import sys
import time
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from streamkit.bus import EventBus
from streamkit.clock import SimulatedClock, WallClock
from streamkit.errors import SourceError
from streamkit.events import AudioChunk, Event, SourceEnded
from streamkit.pipeline import Pipeline
from streamkit.sources import audio
from streamkit.sources.audio import FileAudioSource, InputDevice, LoopbackSource, MicSource

REPO = Path(__file__).resolve().parents[2]
MEDIA = REPO / "samples" / "media"
EN_WAV = MEDIA / "speech" / "en" / "librivox-0870.wav"
ZH_WAV = MEDIA / "speech" / "zh" / "aishell1-BAC009S0764W0121.wav"
FACE_MP4 = MEDIA / "faces" / "single_face.mp4"


def remux(src: Path, dst: Path, kinds: tuple[str, ...] = ("audio", "video")) -> Path:
    """Copy the chosen streams of ``src`` into ``dst`` without re-encoding (container from the suffix)."""
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        chosen = [s for s in inp.streams if s.type in kinds]
        mapping = {s.index: out.add_stream_from_template(s) for s in chosen}
        for packet in inp.demux(chosen):
            if packet.dts is None:
                continue
            packet.stream = mapping[packet.stream.index]
            out.mux(packet)
    return dst


def truncated_copy(src: Path, dst: Path, keep: float = 0.5) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def wav_samples(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0, w.getframerate()  # type: ignore[return-value]


def test_wav_decodes_to_the_same_samples_in_contiguous_chunks() -> None:
    expected, rate = wav_samples(EN_WAV)
    assert rate == 16_000  # so decoding must not change a single sample beyond int16 → float
    chunks = list(FileAudioSource(EN_WAV, name="guest", chunk_seconds=0.1))
    assert all(isinstance(c, AudioChunk) and c.source == "guest" and c.sample_rate == 16_000 for c in chunks)
    assert all(c.samples.dtype == np.float32 and c.samples.ndim == 1 for c in chunks)
    assert all(len(c.samples) == 1600 for c in chunks[:-1]) and 0 < len(chunks[-1].samples) <= 1600
    assert [c.start for c in chunks] == pytest.approx([i * 0.1 for i in range(len(chunks))])
    decoded = np.concatenate([c.samples for c in chunks])
    assert len(decoded) == len(expected)
    np.testing.assert_allclose(decoded, expected, atol=1e-6)


def native_rms(path: Path) -> float:
    """RMS of the file's own decoded audio (its own rate, channels averaged), without our resampling."""
    parts = []
    with av.open(str(path)) as c:
        for frame in c.decode(c.streams.audio[0]):
            data = frame.to_ndarray().astype(np.float64)
            if np.issubdtype(frame.to_ndarray().dtype, np.integer):
                data /= 32768.0
            channels = len(frame.layout.channels)
            parts.append(data.mean(axis=0) if frame.format.is_planar else data.reshape(-1, channels).mean(axis=1))
    mono = np.concatenate(parts)
    return float(np.sqrt(np.mean(mono**2)))


@pytest.mark.parametrize("path", [ZH_WAV, FACE_MP4, MEDIA / "faces" / "noface_face.mov"], ids=["aishell-wav", "mp4-mp3-stereo-44k", "mov-aac"])
def test_any_file_with_sound_becomes_16k_mono_of_its_duration(path: Path) -> None:
    with av.open(str(path)) as c:
        stream = c.streams.audio[0]
        declared = float(stream.duration * stream.time_base)
    chunks = list(FileAudioSource(path, chunk_seconds=0.25))
    samples = np.concatenate([c.samples for c in chunks]).astype(np.float64)
    assert len(samples) / 16_000 == pytest.approx(declared, abs=0.05)
    assert np.abs(samples).max() <= 1.0
    rms = float(np.sqrt(np.mean(samples**2)))
    assert rms > 0
    assert rms == pytest.approx(native_rms(path), rel=0.15)  # same loudness after mixing down and resampling


def test_realtime_releases_each_chunk_when_it_would_have_been_heard() -> None:
    source = FileAudioSource(FACE_MP4, chunk_seconds=0.5, realtime=True, clock=WallClock())
    t0 = time.monotonic()
    arrivals = [(time.monotonic() - t0, c) for c in source]
    for at, chunk in arrivals:
        chunk_end = chunk.start + len(chunk.samples) / 16_000
        assert at >= chunk_end - 0.02, (at, chunk_end)
    assert arrivals[-1][0] == pytest.approx(2.42, abs=0.3)


def test_realtime_with_a_simulated_clock_is_instant_but_keeps_time() -> None:
    clock = SimulatedClock()
    t0 = time.monotonic()
    chunks = list(FileAudioSource(EN_WAV, realtime=True, clock=clock))
    assert time.monotonic() - t0 < 2.0
    assert clock.now() == pytest.approx(7.1, abs=0.01)
    assert chunks[-1].start == pytest.approx(7.0, abs=0.01)


def test_not_audio_is_a_one_line_error_naming_the_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("上链接 3号\n")
    with pytest.raises(SourceError) as err:
        FileAudioSource(text)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{text}: not an audio or video file PyAV can decode (")
    assert message.endswith("pass a .wav/.mp3/.mp4 file")

    with pytest.raises(SourceError, match="no such file"):
        FileAudioSource(tmp_path / "missing.wav")
    with pytest.raises(SourceError, match="still image"):
        FileAudioSource(next((MEDIA / "hands" / "call").glob("*.jpg")))
    with pytest.raises(SourceError, match="has no audio stream"):
        FileAudioSource(remux(FACE_MP4, tmp_path / "silent.mkv", kinds=("video",)))
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(b"\x00" * 4096)
    with pytest.raises(SourceError, match="damaged or incomplete"):
        FileAudioSource(damaged)


def test_truncated_file_ends_its_pipeline_with_source_ended_error(tmp_path: Path) -> None:
    cut = truncated_copy(remux(FACE_MP4, tmp_path / "whole.mkv"), tmp_path / "cut.mkv")
    source = FileAudioSource(cut, name="cut")  # opens fine: the damage is further in
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    Pipeline(source, [], bus).run()  # returns: the failure is reported, not raised in this thread
    chunks = [e for e in seen if isinstance(e, AudioChunk)]
    ended = [e for e in seen if isinstance(e, SourceEnded)]
    assert chunks, "the part before the cut is still delivered"
    assert len(ended) == 1 and ended[0].source == "cut" and ended[0].reason == "error"
    assert "truncated" in ended[0].error and str(cut) in ended[0].error


def test_close_stops_a_realtime_file_early() -> None:
    source = FileAudioSource(EN_WAV, chunk_seconds=0.1, realtime=True)
    got = []
    for chunk in source:
        got.append(chunk)
        if len(got) == 3:
            source.close()
    assert len(got) == 3


# ---------------------------------------------------------------- microphones


def test_mic_without_a_device_or_with_one_behaves(capsys: pytest.CaptureFixture[str]) -> None:
    devices = audio.list_input_devices()
    if not devices:  # this machine: no sound card
        with pytest.raises(SourceError) as err:
            MicSource()
        assert str(err.value) == "no audio input device found — plug in a microphone or pass --input FILE"
        with pytest.raises(SourceError, match="no desktop-audio loopback device found"):
            LoopbackSource()
    else:  # a machine with a microphone: it must deliver sound chunks
        mic = MicSource()
        try:
            chunk = next(iter(mic))
        finally:
            mic.close()
        assert chunk.sample_rate == 16_000 and chunk.samples.dtype == np.float32 and len(chunk.samples) > 0
    assert audio.run_devices(argparse.Namespace()) == 0
    out = capsys.readouterr().out
    assert ("no audio input device found" in out) if not devices else (devices[0].name in out)


def test_missing_pyaudio_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "pyaudio", None)  # import pyaudio → ImportError
    with pytest.raises(SourceError) as err:
        MicSource()
    assert "pip install pyaudio==0.2.14" in str(err.value) and "portaudio19-dev" in str(err.value)
    assert audio.run_devices(argparse.Namespace()) == 1
    assert "pip install pyaudio==0.2.14" in capsys.readouterr().out


def _dev(index: int, name: str, default: bool = False) -> InputDevice:
    return InputDevice(index, name, 2, 48000.0, "ALSA", default, any(w in name.lower() for w in audio.LOOPBACK_WORDS))


def test_device_choice_by_default_index_or_name() -> None:
    devices = [_dev(0, "HDA Intel PCH: ALC257 Analog"), _dev(3, "USB Audio Mic", default=True), _dev(5, "Monitor of Built-in Audio")]
    assert audio._pick(devices, None).index == 3
    assert audio._pick(devices, 0).index == 0
    assert audio._pick(devices, "5").index == 5
    assert audio._pick(devices, "usb audio").index == 3
    assert devices[2].looks_like_loopback and not devices[1].looks_like_loopback
    with pytest.raises(SourceError) as err:
        audio._pick(devices, "Blue Yeti")
    assert "'Blue Yeti'" in str(err.value) and "3: USB Audio Mic" in str(err.value)
    with pytest.raises(SourceError, match="device 7 does not exist"):
        audio._pick(devices, 7)
    with pytest.raises(SourceError, match="no audio input device found"):
        audio._pick([], None)


def test_device_pcm_at_48k_stereo_becomes_16k_mono_at_the_same_pitch() -> None:
    rate, seconds, pitch = 48_000, 1.0, 440.0
    t = np.arange(int(rate * seconds)) / rate
    left = 0.5 * np.sin(2 * np.pi * pitch * t)
    stereo = np.stack([left, left], axis=1).astype(np.float32)  # interleaved L R L R …
    convert = audio.PcmToMono16k(rate, 2)
    blocks = []
    for start in range(0, len(stereo), 4800):  # 0.1 s device reads
        blocks += convert.push(stereo[start : start + 4800].tobytes())
    mono = np.concatenate(blocks)
    assert abs(len(mono) - 16_000) <= 64  # the resampler may hold back a few samples
    spectrum = np.abs(np.fft.rfft(mono[:8000]))
    assert np.argmax(spectrum) * 16_000 / 8000 == pytest.approx(pitch, abs=2)
    assert float(np.abs(mono[1000:-1000]).max()) == pytest.approx(0.5, abs=0.02)  # averaged, not summed


def test_loopback_choice_prefers_a_monitor_device_then_the_pulse_monitor(monkeypatch: pytest.MonkeyPatch) -> None:
    chooser = LoopbackSource.__new__(LoopbackSource)  # only the choosing logic, no device opened
    chooser._pulse_source = None
    assert chooser._choose([_dev(0, "USB Mic", default=True), _dev(4, "Stereo Mix (Realtek Audio)")]) == 4
    monkeypatch.setattr(audio, "_pulse_monitor", lambda: "alsa_output.pci-0000_00_1f.3.analog-stereo.monitor")
    assert chooser._choose([_dev(0, "USB Mic"), _dev(7, "pulse")]) == 7
    assert chooser._pulse_source == "alsa_output.pci-0000_00_1f.3.analog-stereo.monitor"
    monkeypatch.setattr(audio, "_pulse_monitor", lambda: None)
    chooser._pulse_source = None
    with pytest.raises(SourceError, match="no desktop-audio loopback device found"):
        chooser._choose([_dev(0, "USB Mic"), _dev(7, "pulse")])
