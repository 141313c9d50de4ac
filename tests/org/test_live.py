"""Live coaching: the streamer's PC sends its session's events to the organisation's server as they happen
(in order, each once, buffered in the session log while the server is away); the assigned coach follows
them and sends a private prompt, which arrives on the streamer's bus as a CoachPrompt, is kept in the
session, and is pushed with it at the end."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import httpx
import jiwer
import numpy as np
import pytest

from streamkit.config import CORE_SECTIONS, validate
from streamkit.events import Caption, CoachPrompt, MomentMarked, SceneChanged, SessionStarted, SpokenPhrase
from streamkit.obs.dryrun import DryRunObs
from streamkit.overlay import free_port
from streamkit.plugins.review.config import ReviewConfig
from streamkit.plugins.review.livelink import OrgLink
from streamkit.plugins.review.orgstore import OrgStore
from streamkit.plugins.review.store import ReviewStore
from streamkit.plugins.review.testing import ReviewServer, login
from streamkit.plugins.captions.textproc import normalize_for_scoring
from streamkit.runtime import finish_session
from streamkit.sources.audio import FileAudioSource
from streamkit.speech import WavFileOutput
from streamkit.testing.helpers import wait_until
from streamkit.testing.runtime import test_runtime
from streamkit.testing.web import csrf_of

from conftest import PASSWORDS


def caption(i: int, text: str) -> Caption:
    return Caption(kind="final", text=text, source="mic", speaker="主播", audio_start=i * 2.0, audio_end=i * 2.0 + 1.5,
                   emitted_at=i * 2.0 + 2.0, language="zh", utterance=i, utterance_end=True)


def follow(url: str, cookies: httpx.Cookies, sid: str, seen: list[dict[str, object]], stop: threading.Event) -> None:
    """A coach's live page, as its EventSource reads it."""
    with httpx.Client(base_url=url, cookies=cookies, timeout=httpx.Timeout(30, read=None)) as client:
        try:
            with client.stream("GET", f"/api/sessions/{sid}/live") as answer:
                for line in answer.iter_lines():
                    if stop.is_set():
                        return
                    if line.startswith("data: "):
                        seen.extend(event for _, event in json.loads(line[6:])["events"])
        except httpx.HTTPError:
            return  # the server was killed: the page's EventSource would reconnect


def test_events_go_live_prompts_come_back_nothing_lost_while_offline(org_database: str, homes: tuple[Path, Path],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    server_home, pc_home = homes
    monkeypatch.setenv("STREAMKIT_REVIEW_PASSWORD", PASSWORDS["anna"])
    server = ReviewServer(server_home, "--database", org_database, "--port", str(free_port())).start()
    config = validate({"overlay": {"enabled": False}, "review": {"server": server.url, "user": "anna"}}, "pc.toml",
                      {**CORE_SECTIONS, "review": ReviewConfig})
    runtime = test_runtime(config, DryRunObs(out=io.StringIO()), home=pc_home)
    sid = runtime.session.id
    on_bus: list[CoachPrompt] = []
    runtime.bus.subscribe(lambda e: on_bus.append(e), CoachPrompt)  # type: ignore[arg-type, return-value]
    link = OrgLink(runtime, config.section("review"))
    store = ReviewStore(org_database)
    org = OrgStore(store)
    stop = threading.Event()
    try:
        runtime.start_component(link)
        runtime.bus.publish(SessionStarted(session_id=sid))
        runtime.bus.publish(SceneChanged(scene="直播间"))
        runtime.bus.publish(caption(1, "大家好，欢迎来到直播间。"))
        assert wait_until(lambda: org.session(sid) is not None and org.acked(sid) >= 3, timeout=30)
        assert org.session(sid).live  # type: ignore[union-attr]

        chen = login(httpx.Client(base_url=server.url, timeout=30), "chen", PASSWORDS["chen"])
        seen: list[dict[str, object]] = []
        watcher = threading.Thread(target=follow, args=(server.url, chen.cookies, sid, seen, stop), daemon=True)
        watcher.start()
        assert wait_until(lambda: any(e.get("type") == "Caption" for e in seen), timeout=30)
        runtime.bus.publish(caption(2, "今天给大家介绍三号保温杯。"))
        assert wait_until(lambda: any("保温杯" in str(e.get("text", "")) for e in seen), timeout=30), "live to the coach"

        token = csrf_of(chen.get(f"/sessions/{sid}/live").text)
        sent = chen.post(f"/api/sessions/{sid}/prompts", json={"text": "语速慢一点"}, headers={"X-CSRF-Token": token})
        assert sent.status_code == 201
        assert wait_until(lambda: [p.text for p in on_bus] == ["语速慢一点"], timeout=30), "on the streamer's bus"
        assert on_bus[0].coach == "chen" and on_bus[0].prompt_id == sent.json()["prompt"]["id"]
        anna = login(httpx.Client(base_url=server.url, timeout=30), "anna", PASSWORDS["anna"])
        refused = anna.post(f"/api/sessions/{sid}/prompts", json={"text": "x"},
                            headers={"X-CSRF-Token": csrf_of(anna.get(f"/sessions/{sid}").text)})
        assert refused.status_code == 403, "a streamer does not prompt"

        server.kill()  # the server goes away in the middle of the stream
        for i in range(3, 53):
            runtime.bus.publish(caption(i, f"第{i}句。"))
        runtime.bus.publish(MomentMarked(label="服务器断开时的标记", source="gesture"))
        server.start()
        lines = (runtime.session.events_path).read_text(encoding="utf-8").splitlines()
        assert wait_until(lambda: org.acked(sid) >= len(lines), timeout=60), (org.acked(sid), len(lines))
        stored = org.events_after(sid, 0, limit=10_000)
        assert [seq for seq, _ in stored] == list(range(1, len(lines) + 1)), "in order, each once"
        assert [e["type"] for _, e in stored] == [json.loads(line)["type"] for line in lines]
        assert sum(e["type"] == "CoachPrompt" for _, e in stored) == 1, "the prompt is kept in the session"

        stop.set()
        finish_session(runtime)  # the link stops, the session ends; the push runs in its own process
        assert wait_until(lambda: (org.session(sid) is not None and not org.session(sid).live  # type: ignore[union-attr]
                                   and org.session(sid).ended), timeout=120, interval=0.5)
        page = chen.get(f"/sessions/{sid}")
        assert page.status_code == 200 and "语速慢一点" in page.text, "the review shows the prompt"
        for client in (chen, anna):
            client.close()
    finally:
        stop.set()
        runtime.stop_components()
        server.stop()
        store.close()


@pytest.mark.slow
def test_a_prompt_is_spoken_in_the_headphones(org_database: str, homes: tuple[Path, Path], base_decoder: object,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``[review] speak_prompts``: a blind streamer hears the coach's prompt (real speech model, heard back
    by Whisper) in the headphones — a private destination, never the stream."""
    server_home, pc_home = homes
    monkeypatch.setenv("STREAMKIT_REVIEW_PASSWORD", PASSWORDS["anna"])
    server = ReviewServer(server_home, "--database", org_database).start()
    config = validate({"overlay": {"enabled": False},
                       "review": {"server": server.url, "user": "anna", "speak_prompts": True}}, "pc.toml",
                      {**CORE_SECTIONS, "review": ReviewConfig})
    runtime = test_runtime(config, DryRunObs(out=io.StringIO()), home=pc_home)
    sid = runtime.session.id
    spoken: list[SpokenPhrase] = []
    runtime.bus.subscribe(spoken.append, SpokenPhrase)  # type: ignore[arg-type]
    headphones = tmp_path / "headphones.wav"
    link = OrgLink(runtime, config.section("review"), speech_output=WavFileOutput(headphones))
    store = ReviewStore(org_database)
    try:
        runtime.start_component(link)
        runtime.bus.publish(SessionStarted(session_id=sid))
        assert wait_until(lambda: OrgStore(store).session(sid) is not None and link.speaker is not None, timeout=120)
        chen = login(httpx.Client(base_url=server.url, timeout=30), "chen", PASSWORDS["chen"])
        token = csrf_of(chen.get(f"/sessions/{sid}/live").text)
        prompt = "Please speak a little more slowly."
        sent = chen.post(f"/api/sessions/{sid}/prompts", json={"text": prompt}, headers={"X-CSRF-Token": token})
        assert sent.status_code == 201
        chen.close()
        assert wait_until(lambda: spoken and headphones.exists(), timeout=60)
        assert [(e.text, e.destination) for e in spoken] == [(prompt, "file")]
        audio = np.concatenate([c.samples for c in FileAudioSource(headphones)])
        segments, _ = base_decoder.transcribe_file(audio, language="en", vad_filter=False)  # type: ignore[attr-defined]
        heard = "".join(s.text for s in segments)
        assert jiwer.wer(normalize_for_scoring(prompt, "en"), normalize_for_scoring(heard, "en")) <= 0.25, heard
    finally:
        runtime.stop_components()
        server.stop()
        store.close()


class _SessionSpeech:
    """The part of ``SPEECH`` the link uses: the session's engine, counted."""

    def __init__(self, engine: object) -> None:
        self._engine = engine
        self.asked = 0

    def engine(self) -> object:
        self.asked += 1
        return self._engine


def test_spoken_prompts_use_the_sessions_speech_engine(homes: tuple[Path, Path], tmp_path: Path) -> None:
    """With ``[speech]`` on, prompts are spoken by its engine: one speech model in memory, not two."""
    from streamkit.features import SPEECH
    from streamkit.speech import SpeechEngine, engine as speech_engine

    _server_home, pc_home = homes
    config = validate({"overlay": {"enabled": False},
                       "review": {"server": "http://127.0.0.1:9", "user": "anna", "speak_prompts": True}}, "pc.toml",
                      {**CORE_SECTIONS, "review": ReviewConfig})
    runtime = test_runtime(config, DryRunObs(out=io.StringIO()), home=pc_home)
    shared = _SessionSpeech(SpeechEngine(cache_phrases=0))
    runtime.services.provide(SPEECH, shared)  # type: ignore[arg-type]
    engines = len(speech_engine._ENGINES)
    headphones = tmp_path / "headphones.wav"
    link = OrgLink(runtime, config.section("review"), speech_output=WavFileOutput(headphones))
    link._open_speaker(threading.Event())
    assert link.speaker is not None
    try:
        assert link.speaker.say("Look at the camera.", wait=True)
    finally:
        link.speaker.close(timeout=5.0)
    assert shared.asked >= 1 and headphones.stat().st_size > 10_000
    assert len(speech_engine._ENGINES) == engines  # no second engine was loaded
