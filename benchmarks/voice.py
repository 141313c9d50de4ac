"""Voice control of OBS: spoken command end → OBS state confirmed, parse accuracy, false activations.

1. ``latency``: each recording of samples/media/voice/ is replayed **in real time** (FileAudioSource
   realtime, wall clock) through the captions plugin's streaming recognition into the voice-control
   component of the commands plugin, which drives a real headless OBS through the session's ObsClient.
   Latency = the moment OBS reports the new state on a second connection (``CurrentProgramSceneChanged``,
   ``InputMuteStateChanged``, ``RecordStateChanged`` started) minus the moment the last word ended in the
   audio (last 10 ms louder than -40 dBFS; for recording, the end of "confirm" after "start recording").
   English with Whisper tiny.en (as an English-speaking streamer configures it), Mandarin with base.
   p50 / p90 over all trials. Targets p50 ≤ 0.6 s, p90 ≤ 1.0 s. ``recognised_s``: the end of the spoken
   command → voice control recognised it (``VoiceCommandHeard``); ``recognised_to_obs_s`` the rest (OBS).
   ``--clock simulated`` runs recognition on a simulated clock that charges this machine's measured cost
   per model call (as the captions benchmarks do), so other work loading the machine does not count and
   every run decodes on the same schedule; the OBS part stays wall time (writes voice_simulated.json).
   ``--pause 0`` switches off the captions' "speaker paused" mark (to measure without it).
   Each trial's ``timeline`` lists its captions and recognised commands in seconds from the end of the
   spoken command (``--trace`` prints them), so one can see which caption a command fired on.
2. ``parse_accuracy``: the shared grammar on the phrasing tables — the figures of benchmarks/commands.py,
   computed by its own code (``bench_parse``). Target ≥ 98 %.
3. ``false_activations``: every sample speech recording — taken from benchmarks/results/commands.json
   (Whisper offline and streaming over all of samples/media/speech and the shared speech) when that file
   exists; else only the reference transcripts are parsed here (run benchmarks/commands.py for the rest).
   Target 0.

TTS text → first audio is measured in benchmarks/speech.py.

Usage: ``python benchmarks/voice.py [--reps 4]``; writes benchmarks/results/voice.json and prints p50/p90.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from commands import RESULTS as COMMANDS_RESULTS
from commands import bench_false_activations, bench_parse
from captions_replay import CostedDecoder
from common import SR, read_wav, speech_end, spread

from streamkit.sources.audio import write_wav

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "voice.json"
VOICE = REPO / "samples" / "media" / "voice"
HOME_SCENE = "直播间"
MIC = "麦克风"


@dataclass(frozen=True)
class Trial:
    """Recordings said one after another (1 s apart), the language, and the OBS state that confirms them."""

    wavs: tuple[str, ...]
    language: str
    action: str  # scene, mute, record_start
    target: str = ""


TRIALS = [
    Trial(("switch-to-close-up.wav",), "en", "scene", "Close-up"),
    Trial(("switch-to-the-gaming-scene.wav",), "en", "scene", "Gaming"),
    Trial(("mute-the-mic.wav",), "en", "mute", MIC),
    Trial(("zh-switch-to-game.wav",), "zh", "scene", "游戏画面"),  # 请切换场景到游戏: part of the name
    Trial(("start-recording.wav", "confirm.wav"), "en", "record_start"),
]


def said(trial: Trial, folder: Path, name: str) -> tuple[Path, float]:
    """The trial's audio as one WAV (1 s before, 1 s between, 1.5 s after) and where its last word ends."""
    pieces = [np.zeros(SR, np.float32)]
    for wav in trial.wavs:
        pieces += [read_wav(VOICE / wav), np.zeros(SR, np.float32)]
    end = sum(len(p) for p in pieces[:-2]) / SR + speech_end(pieces[-2])
    pieces.append(np.zeros(SR // 2, np.float32))
    return write_wav(folder / name, np.concatenate(pieces), SR), end


class Watcher:
    """A second OBS connection noting when OBS reports each state change (monotonic clock)."""

    def __init__(self, client: Any) -> None:
        self.changes: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()
        client.on_event(lambda e: self._note("scene", e.data.get("sceneName", "")), "CurrentProgramSceneChanged")
        client.on_event(lambda e: self._note("mute" if e.data.get("inputMuted") else "unmute", e.data.get("inputName", "")),
                        "InputMuteStateChanged")
        client.on_event(lambda e: self._note("record_start", "") if e.data.get("outputState") == "OBS_WEBSOCKET_OUTPUT_STARTED"
                        else None, "RecordStateChanged")

    def _note(self, action: str, target: str) -> None:
        with self._lock:
            self.changes.append((time.monotonic(), action, target))

    def clear(self) -> None:
        with self._lock:
            self.changes.clear()

    def first(self, action: str, target: str) -> float | None:
        with self._lock:
            return next((t for t, a, n in self.changes if a == action and n == target), None)


def back_to_start(client: Any) -> None:
    """Home scene, microphone on, not recording."""
    if client.request("GetRecordStatus")["outputActive"]:
        client.request("StopRecord", timeout=10.0)
        deadline = time.monotonic() + 10
        while client.request("GetRecordStatus")["outputActive"] and time.monotonic() < deadline:
            time.sleep(0.1)
    client.request("SetCurrentProgramScene", {"sceneName": HOME_SCENE})
    client.request("SetInputMute", {"inputName": MIC, "inputMuted": False})


def caption_kind(caption: Any) -> str:
    """A caption's kind for the timeline ("final/end" for the last final of an utterance)."""
    return f"{caption.kind}/end" if caption.utterance_end else caption.kind


class TinyCostedDecoder(CostedDecoder):
    """tiny.en on the simulated clock: about a third of base's cost on this machine (ENVIRONMENT.md:
    a 3–7 s sentence in 0.4–0.6 s against 1.2–1.8 s)."""

    ENCODE = (0.02, 0.006)
    TOKEN = 0.0015
    ALIGN = (0.01, 0.0004)


@dataclass
class Bench:
    """The voice-control component on a real headless OBS, and how recordings are replayed into it.

    ``clock="real"``: real time on the wall clock (what a streamer gets on this machine as loaded now).
    ``clock="simulated"``: recognition on a :class:`~streamkit.clock.SimulatedClock` that moves by a fixed
    cost per model call (benchmarks/captions_replay.py), so the schedule of passes is that of this machine
    unloaded and the same on every run; the part after the command was recognised (OBS) is wall time."""

    runtime: Any
    client: Any
    watcher: Watcher
    decoders: dict[str, Any]
    work: Path
    clock: str = "real"
    pause: float | None = None

    def run(self, rep: int, n: int, trial: Trial) -> dict[str, Any]:
        """Say ``trial`` once; what was heard, when each caption and command came, when OBS confirmed."""
        from streamkit.clock import SimulatedClock, WallClock
        from streamkit.events import Caption
        from streamkit.pipeline import Pipeline
        from streamkit.plugins.captions.processor import CaptionProcessor
        from streamkit.plugins.captions.streaming import StreamingOptions
        from streamkit.plugins.commands.events import VoiceCommandHeard
        from streamkit.sources.audio import FileAudioSource
        from streamkit.testing.helpers import wait_until

        back_to_start(self.client)
        time.sleep(0.5)  # voice control follows OBS's events back to the start state
        path, end_in_audio = said(trial, self.work, f"{rep}-{n}.wav")
        clock = SimulatedClock() if self.clock == "simulated" else WallClock()
        timeline: list[tuple[float, str, str]] = []  # (clock time, what, text): captions and commands
        heard_at: list[tuple[float, float]] = []  # (clock time, wall time) each command was recognised
        bus = self.runtime.bus
        unsubscribe = [bus.subscribe(lambda e: timeline.append((clock.now(), caption_kind(e), e.text)), Caption),
                       bus.subscribe(lambda e: (timeline.append((clock.now(), "command", e.action)),
                                                heard_at.append((clock.now(), time.monotonic()))), VoiceCommandHeard)]
        self.watcher.clear()
        model = self.decoders["tiny.en" if trial.language == "en" else "base"]
        if self.clock == "simulated":
            model = (TinyCostedDecoder if trial.language == "en" else CostedDecoder)(model, clock)
        options = StreamingOptions(language=trial.language)
        options = options if self.pause is None else replace(options, pause=self.pause)
        source = FileAudioSource(path, name=f"mic-{rep}-{n}", realtime=True, clock=clock)
        t0 = clock.now()  # the source starts now: audio time t is heard at t0 + t
        Pipeline(source, [CaptionProcessor(model, options, source=source.name, clock=clock, realtime=True)], bus).run()
        wait_until(lambda: self.watcher.first(trial.action, trial.target) is not None, 5)
        for stop in unsubscribe:
            stop()
        hit = self.watcher.first(trial.action, trial.target)
        spoken_end = t0 + end_in_audio
        to_obs = round(hit - heard_at[-1][1], 3) if hit is not None and heard_at else None
        if self.clock == "simulated":  # recognition on the simulated clock + OBS on the wall clock
            latency = round(heard_at[-1][0] - spoken_end + to_obs, 3) if to_obs is not None else None
        else:
            latency = round(hit - spoken_end, 3) if hit is not None else None
        sep = "" if trial.language == "zh" else " "
        text = sep.join(said_ for _, what, said_ in timeline if what.startswith("final")).strip()
        recognised = round(heard_at[-1][0] - spoken_end, 3) if heard_at else None
        return {"rep": rep, "wavs": list(trial.wavs), "action": trial.action, "target": trial.target, "heard": text,
                "ok": hit is not None, "latency_s": latency, "recognised_s": recognised, "recognised_to_obs_s": to_obs,
                "timeline": [[round(t - spoken_end, 3), what, said_] for t, what, said_ in timeline]}


def bench_latency(reps: int, decoders: dict[str, Any], trace: bool = False, pause: float | None = None,
                  clock: str = "real") -> dict[str, Any]:
    from streamkit.config import validate
    from streamkit.obs import ObsClient
    from streamkit.plugins.commands.control import DetectorSettings, VoiceControl
    from streamkit.testing.headless_obs import DEFAULT_SCENES, HeadlessObs, Scene, Text
    from streamkit.testing.helpers import wait_until
    from streamkit.testing.runtime import test_runtime

    work = Path(tempfile.mkdtemp(prefix="streamkit-bench-voice-"))
    scenes = [*DEFAULT_SCENES, Scene("Close-up", [Text("close", "Close-up")]), Scene("Gaming", [Text("game", "Gaming")]),
              Scene("游戏画面", [Text("游戏", "游戏画面")])]
    trials: list[dict[str, Any]] = []
    with HeadlessObs(scenes=scenes, fps=30) as obs:
        client, watching = ObsClient(obs.url, obs.password), ObsClient(obs.url, obs.password)
        client.connect()
        watching.connect()
        client.request("CreateInput", {"sceneName": HOME_SCENE, "inputName": MIC, "inputKind": "ffmpeg_source",
                                       "inputSettings": {}})
        config = validate({"commands": {"confirm_seconds": 5}}, "<bench>")
        runtime = test_runtime(config, client, home=work, realtime=True)
        control = VoiceControl(runtime, config.section("commands"), DetectorSettings())
        runtime.start_component(control)
        assert wait_until(lambda: control.obs_state.snapshot.known, 20), "voice control never read OBS's names"
        bench = Bench(runtime, client, Watcher(watching), decoders, work, clock, pause)
        try:
            for rep in range(reps):
                for n, trial in enumerate(TRIALS):
                    trials.append(bench.run(rep, n, trial))
                    t = trials[-1]
                    print(f"  {'+'.join(trial.wavs):40s} heard {t['heard']!r:44s} → "
                          f"{'%.3f s' % t['latency_s'] if t['latency_s'] is not None else 'NOTHING IN OBS'}", flush=True)
                    if trace:
                        for at, what, said_ in t["timeline"]:
                            print(f"      {at:+7.3f} s  {what:14s} {said_!r}")
        finally:
            runtime.stop_components()
            back_to_start(client)
            client.close()
            watching.close()
    return summary(trials) | {"clock": clock}


def summary(trials: list[dict[str, Any]]) -> dict[str, Any]:
    latencies = [t["latency_s"] for t in trials if t["ok"]]
    to_obs = [t["recognised_to_obs_s"] for t in trials if t["recognised_to_obs_s"] is not None]
    by_command: dict[str, Any] = {}
    for trial in TRIALS:
        key = "+".join(trial.wavs)
        values = [t["latency_s"] for t in trials if t["ok"] and "+".join(t["wavs"]) == key]
        recognised = [t["recognised_s"] for t in trials if t["recognised_s"] is not None and "+".join(t["wavs"]) == key]
        by_command[key] = {"n": sum("+".join(t["wavs"]) == key for t in trials), "confirmed": len(values),
                           **spread(values), "recognised_p50_s": spread(recognised)["p50_s"]}
    return {
        "what": "end of the spoken command in the audio → OBS reports the new state (replay, real headless OBS)",
        "models": "whisper tiny.en (English) and base (Mandarin), int8, 2 threads; captions plugin streaming",
        "n": len(trials), "confirmed": len(latencies), **spread(latencies),
        "recognised_to_obs_p50_s": spread(to_obs)["p50_s"],
        "recognised": spread([t["recognised_s"] for t in trials if t["recognised_s"] is not None]),
        "target_p50_s": 0.6, "target_p90_s": 1.0, "by_command": by_command, "trials": trials,
    }


def false_activations() -> dict[str, Any]:
    """benchmarks/commands.py's figures on all sample speech when it has run; else the reference transcripts only."""
    if COMMANDS_RESULTS.exists():
        fa = json.loads(COMMANDS_RESULTS.read_text(encoding="utf-8"))["false_activations"]
        when = datetime.fromtimestamp(COMMANDS_RESULTS.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
        return {key: fa[key] for key in ("clips", "audio_seconds", "false_activations", "by_source", "target")} | {
            "from": f"benchmarks/results/commands.json ({when})"}
    fa = bench_false_activations(None)
    return {key: fa[key] for key in ("clips", "audio_seconds", "false_activations", "by_source", "target")} | {
        "from": "reference transcripts only (run benchmarks/commands.py for Whisper's)"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=4, help="repetitions of each spoken command")
    ap.add_argument("--pause", type=float, default=None,
                    help="seconds of silence after which captions say the speaker paused (0 = never; default: the captions' own)")
    ap.add_argument("--clock", choices=("real", "simulated"), default="real",
                    help="recognition in real time (default), or on a simulated clock charging this machine's "
                         "measured cost per model call (the same on every run, whatever else loads the machine)")
    ap.add_argument("--trace", action="store_true",
                    help="print each trial's captions and commands, in seconds from the end of the spoken command")
    args = ap.parse_args()
    from streamkit.plugins.captions.decoder import WhisperDecoder

    decoders = {"tiny.en": WhisperDecoder("tiny.en", cpu_threads=2), "base": WhisperDecoder("base", cpu_threads=2)}
    load_before = os.getloadavg()
    results: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                           "platform": platform.platform()}}
    print(f"spoken command → OBS state, {args.reps} × {len(TRIALS)} recordings replayed ({args.clock} clock):", flush=True)
    results["latency"] = bench_latency(args.reps, decoders, args.trace, args.pause, args.clock)
    results["latency"]["pause_s"] = args.pause  # None: the captions' own
    pa = bench_parse()
    results["parse_accuracy"] = {split: pa[split] for split in ("tuned", "held-out")} | {"target": pa["target"]}
    results["false_activations"] = false_activations()
    results["machine"]["load_average"] = {"before": load_before, "after": os.getloadavg()}
    out = RESULTS if args.clock == "real" else RESULTS.with_name("voice_simulated.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    report(results, out)
    return 0


def report(results: dict[str, Any], out: Path = RESULTS) -> None:
    lat, pa, fa = results["latency"], results["parse_accuracy"], results["false_activations"]
    print(f"spoken command end → OBS state confirmed: p50 {lat['p50_s']} s, p90 {lat['p90_s']} s "
          f"({lat['confirmed']}/{lat['n']} confirmed; target p50 ≤ 0.6 s, p90 ≤ 1.0 s); "
          f"of which command recognised → OBS state p50 {lat['recognised_to_obs_p50_s']} s; {lat['clock']} clock, "
          f"load average {results['machine']['load_average']['before'][0]:.1f} → "
          f"{results['machine']['load_average']['after'][0]:.1f}")
    for key, v in lat["by_command"].items():
        print(f"  {key:40s} p50 {v['p50_s']} s, p90 {v['p90_s']} s ({v['confirmed']}/{v['n']}); "
              f"recognised p50 {v['recognised_p50_s']} s")
    for split in ("tuned", "held-out"):
        s = pa[split]
        print(f"parse accuracy, {split}: {s['accuracy']:.1%} ({s['right']}/{s['phrases']}), "
              f"false activations {s['false_activations']}, from a beginning of a row (partial captions) "
              f"{s['prefix_false_activations']} (target ≥ 98 %, 0, 0)")
    print(f"false activations on sample speech: {fa['false_activations']} on {fa['clips']} clips, "
          f"{fa['audio_seconds']} s (from {fa['from']}; target 0)")
    print(f"wrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
