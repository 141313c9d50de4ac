"""Video sources on real clips, a real (absent) camera, and screenshots of a real headless OBS."""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
import pytest

from streamkit.bus import EventBus
from streamkit.clock import SimulatedClock, WallClock
from streamkit.errors import SourceError
from streamkit.events import Event, SourceEnded, VideoFrame
from streamkit.obs.errors import ObsRequestError, ObsUnavailable
from streamkit.pipeline import Pipeline
from streamkit.sources.video import CameraSource, ObsScreenshotSource, VideoFileSource, decode_image_data

REPO = Path(__file__).resolve().parents[2]
FACES = sorted((REPO / "samples" / "media" / "faces").glob("*.m[op][4v]"))
SINGLE_FACE = REPO / "samples" / "media" / "faces" / "single_face.mp4"


def remux(src: Path, dst: Path, **options: str) -> Path:
    """Copy every stream of ``src`` into ``dst`` without re-encoding (container from the suffix)."""
    with av.open(str(src)) as inp, av.open(str(dst), "w", options=options) as out:
        mapping = {s.index: out.add_stream_from_template(s) for s in inp.streams if s.type in ("audio", "video")}
        for packet in inp.demux(list(inp.streams)):
            if packet.dts is None or packet.stream.index not in mapping:
                continue
            packet.stream = mapping[packet.stream.index]
            out.mux(packet)
    return dst


def opencv_facts(path: Path) -> tuple[int, int, float, int]:
    """(width, height, fps, frames actually read) by OpenCV — a decoder independent of ours."""
    cap = cv2.VideoCapture(str(path))
    width, height, fps = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)), cap.get(cv2.CAP_PROP_FPS)
    count = 0
    while cap.grab():
        count += 1
    cap.release()
    return width, height, fps, count


def test_samples_are_there() -> None:
    assert {p.name for p in FACES} == {"single_face.mp4", "WolfgangLanger_Pexels.mp4", "noface_face.mov"}


@pytest.mark.parametrize("path", FACES, ids=lambda p: p.name)
def test_video_file_frames_match_an_independent_decoder(path: Path) -> None:
    width, height, fps, count = opencv_facts(path)
    source = VideoFileSource(path, name="clip")
    assert (source.width, source.height) == (width, height)
    assert source.fps == pytest.approx(fps, rel=0.02)
    frames = list(source)
    assert len(frames) == count
    assert source.frame_count in (None, count)
    first = frames[0]
    assert isinstance(first, VideoFrame) and first.source == "clip"
    assert first.image.shape == (height, width, 3) and first.image.dtype == np.uint8
    times = [f.t for f in frames]
    assert all(b > a for a, b in zip(times, times[1:]))
    assert times[-1] == pytest.approx(source.duration, abs=2.5 / source.fps)


def test_frames_are_bgr_like_opencv_reads_them() -> None:
    cap = cv2.VideoCapture(str(SINGLE_FACE))
    ok, reference = cap.read()
    cap.release()
    assert ok
    ours = next(iter(VideoFileSource(SINGLE_FACE))).image
    assert float(np.mean(np.abs(ours.astype(int) - reference.astype(int)))) < 3.0  # same frame, same channel order
    swapped = ours[:, :, ::-1]
    assert float(np.mean(np.abs(swapped.astype(int) - reference.astype(int)))) > float(np.mean(np.abs(ours.astype(int) - reference.astype(int))))


def test_fps_limit_keeps_evenly_spaced_frames() -> None:
    source = VideoFileSource(REPO / "samples" / "media" / "faces" / "WolfgangLanger_Pexels.mp4", fps=5)
    frames = list(source)
    assert len(frames) == pytest.approx(source.duration * 5, abs=2)
    gaps = np.diff([f.t for f in frames])
    assert gaps.min() >= 0.2 - 1.0 / source.fps and gaps.max() <= 0.2 + 1.0 / source.fps


def test_realtime_paces_frames_on_the_clock() -> None:
    clock = SimulatedClock()
    frames = list(VideoFileSource(SINGLE_FACE, realtime=True, clock=clock))
    assert clock.now() == pytest.approx(frames[-1].t - frames[0].t, abs=1e-6)

    t0 = time.monotonic()
    arrivals = [(time.monotonic() - t0, f.t) for f in VideoFileSource(SINGLE_FACE, realtime=True, clock=WallClock(), fps=10)]
    assert all(at >= t - 0.02 for at, t in arrivals)
    assert arrivals[-1][0] == pytest.approx(arrivals[-1][1], abs=0.3)


def test_corrupt_or_wrong_files_are_one_line_errors(tmp_path: Path) -> None:
    cut = tmp_path / "cut.mp4"  # moov atom at the end: half a file cannot even be opened
    cut.write_bytes(SINGLE_FACE.read_bytes()[: SINGLE_FACE.stat().st_size // 2])
    with pytest.raises(SourceError) as err:
        VideoFileSource(cut)
    assert "\n" not in str(err.value) and str(cut) in str(err.value) and "damaged or incomplete" in str(err.value)

    notes = tmp_path / "notes.txt"
    notes.write_text("下一个\n")
    with pytest.raises(SourceError, match="not an audio or video file PyAV can decode"):
        VideoFileSource(notes)
    with pytest.raises(SourceError, match="has no video stream"):
        VideoFileSource(REPO / "samples" / "media" / "speech" / "en" / "librivox-0870.wav")
    with pytest.raises(SourceError, match="no such file"):
        VideoFileSource(tmp_path / "missing.mp4")


def test_video_truncated_midway_ends_its_pipeline_with_an_error(tmp_path: Path) -> None:
    whole = remux(SINGLE_FACE, tmp_path / "faststart.mp4", movflags="faststart")  # index first, so half still opens
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    Pipeline(VideoFileSource(cut, name="cam-file"), [], bus).run()
    frames = [e for e in seen if isinstance(e, VideoFrame)]
    ended = [e for e in seen if isinstance(e, SourceEnded)]
    assert 0 < len(frames) < 72
    assert len(ended) == 1 and ended[0].reason == "error" and "truncated" in ended[0].error


def test_a_camera_that_is_not_there_is_a_source_error() -> None:
    with pytest.raises(SourceError) as err:
        CameraSource(97)
    assert str(err.value).startswith("camera 97 could not be opened — ") and "\n" not in str(err.value)


def test_decode_image_data_round_trips_png_and_jpeg() -> None:
    image = np.zeros((48, 64, 3), np.uint8)
    image[:, :32] = (255, 0, 0)  # blue half in BGR
    image[:, 32:] = (0, 0, 255)  # red half
    for ext in (".png", ".jpg"):
        ok, encoded = cv2.imencode(ext, image)
        assert ok
        mime = "png" if ext == ".png" else "jpeg"
        decoded = decode_image_data(f"data:image/{mime};base64," + base64.b64encode(encoded.tobytes()).decode())
        assert decoded.shape == image.shape
        assert np.abs(decoded.astype(int) - image.astype(int)).mean() < 4
    with pytest.raises(ValueError):
        decode_image_data("data:image/png;base64," + base64.b64encode(b"not an image").decode())


class ScriptedObs:
    """Stand-in for ObsSink.request that replays a script of replies/errors (unit test of our loop only)."""

    def __init__(self, script: list[Any]) -> None:
        self.script = list(script)
        self.calls: list[dict[str, Any]] = []

    def request(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        self.calls.append({"type": request_type, **(data or {})})
        item = self.script.pop(0) if self.script else self.script_end()
        if isinstance(item, Exception):
            raise item
        return item

    def script_end(self) -> Any:
        return ObsRequestError("GetSourceScreenshot", 600, "No source was found by the name of `gone`.")


def _png(color: tuple[int, int, int]) -> dict[str, str]:
    ok, encoded = cv2.imencode(".png", np.full((30, 40, 3), color, np.uint8))
    return {"imageData": "data:image/png;base64," + base64.b64encode(encoded.tobytes()).decode()}


def test_screenshot_loop_waits_for_obs_and_stops_on_a_missing_source() -> None:
    obs = ScriptedObs([_png((1, 2, 3)), ObsUnavailable("not connected"), ObsUnavailable("not connected"), _png((4, 5, 6))])
    clock = SimulatedClock()
    source = ObsScreenshotSource(obs, "Webcam", fps=10, width=40, height=30, clock=clock)  # type: ignore[arg-type]
    frames = []
    with pytest.raises(SourceError) as err:
        for frame in source:
            frames.append(frame)
    assert [tuple(f.image[0, 0]) for f in frames] == [(1, 2, 3), (4, 5, 6)]
    assert [f.t for f in frames] == pytest.approx([0.0, 0.3])  # paced at 10 fps on the clock; OBS gaps skipped
    assert obs.calls[0] == {"type": "GetSourceScreenshot", "sourceName": "Webcam", "imageFormat": "png", "imageWidth": 40, "imageHeight": 30}
    assert "'Webcam'" in str(err.value) and "600" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.obs
def test_screenshots_of_a_real_obs_source(obs: Any) -> None:
    client = obs.client
    scene = client.request("GetCurrentProgramScene")["currentProgramSceneName"]
    bgr = (90, 40, 200)  # B, G, R
    abgr = 0xFF000000 | (bgr[0] << 16) | (bgr[1] << 8) | bgr[2]  # OBS colours are 0xAABBGGRR
    client.request("CreateInput", {"sceneName": scene, "inputName": "streamkit-test-colour", "inputKind": "color_source_v3",
                                   "inputSettings": {"color": abgr, "width": 320, "height": 180}, "sceneItemEnabled": True})
    source = ObsScreenshotSource(client, "streamkit-test-colour", fps=10, width=160, height=90)
    frames = []
    t0 = time.monotonic()
    for frame in source:
        frames.append(frame)
        if len(frames) == 5:
            source.close()
    elapsed = time.monotonic() - t0
    assert len(frames) == 5 and elapsed == pytest.approx(0.4, abs=0.35)  # 10 fps
    for f in frames:
        assert f.image.shape == (90, 160, 3) and f.source == "obs:streamkit-test-colour"
        assert np.abs(f.image.reshape(-1, 3).mean(axis=0) - np.array(bgr)).max() < 3

    missing = ObsScreenshotSource(client, "no-such-source", fps=10)
    with pytest.raises(SourceError) as err:
        next(iter(missing))
    assert "'no-such-source'" in str(err.value) and "600" in str(err.value)
