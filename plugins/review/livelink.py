"""The streamer's PC and the organisation's server during a live session (``[review] server`` set).

- **Events out, as they happen**: the session log (``events.jsonl``, which the recorder writes and
  flushes before anyone else hears of an event) is the buffer on disk. A thread sends its complete
  lines in order, each with its line number; the server stores each number once and answers up to
  which number it has everything. What it acknowledged is kept in ``live-relay.json`` beside the
  log; while the server is away nothing is lost and everything is sent again from there, in order.
- **Prompts in**: a long poll brings the assigned coach's prompts; each is published once on the
  bus as :class:`~streamkit.events.CoachPrompt` (recorded in the session; the monitor page, the
  panel and headphones speech show or speak it — never the stream).
- **Push at the end**: the session is pushed when it has ended, by a separate process
  (``streamkit review push --pending``) so the end of the session never waits for the network; a
  push that fails stays pending and is tried again at the next session or by hand.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from streamkit.component import State, Status, Tasks
from streamkit.errors import StreamkitError
from streamkit.events import CoachPrompt
from streamkit.features import SPEECH
from streamkit.home import write_private_text

from .config import ReviewConfig
from .pushclient import PASSWORD_ENV, RELAY_STATE, PendingPushes, ReviewClient

if TYPE_CHECKING:
    from streamkit.runtime import Runtime
    from streamkit.speech import AudioOutput, Speaker

log = logging.getLogger(__name__)

BATCH_BYTES = 192 * 1024  # under the server's 256 KB body limit
BATCH_EVENTS = 500
PROMPT_WAIT = 3.0  # seconds a prompt poll waits on the server (bounds how long stopping takes)
BACKOFF_MAX = 10.0
FINAL_FLUSH = 3.0  # seconds the end of a session waits for the last events to go out


def env_password() -> str:
    """A session never reads standard input: the password (if any) comes from the environment."""
    return os.environ.get(PASSWORD_ENV, "")


class RelayState:
    """How far the log has been acknowledged (line number and byte offset) and the last prompt shown."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / RELAY_STATE
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.acked = int(data.get("acked", 0))
        self.offset = int(data.get("offset", 0))
        self.prompt_after = int(data.get("prompt_after", 0))
        self._lock = threading.Lock()

    def save(self) -> None:
        with self._lock:
            write_private_text(self.path, json.dumps({"acked": self.acked, "offset": self.offset,
                                                      "prompt_after": self.prompt_after}))


def read_lines(path: Path, offset: int, first_seq: int, max_bytes: int = BATCH_BYTES,
               max_events: int = BATCH_EVENTS) -> tuple[list[tuple[int, int, Any]], int]:
    """Complete lines of ``path`` from byte ``offset``: ``[(seq, end offset, event)]`` and the bytes left after them."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(max_bytes)
            rest = max(0, os.fstat(f.fileno()).st_size - offset - len(data))
    except FileNotFoundError:
        return [], 0
    out: list[tuple[int, int, Any]] = []
    pos = 0
    while len(out) < max_events:
        end = data.find(b"\n", pos)
        if end < 0:
            break
        line = data[pos:end].decode("utf-8", errors="replace")
        pos = end + 1
        if not line.strip():
            continue
        try:
            event: Any = json.loads(line)
        except ValueError:
            event = {"type": "UnreadableLine", "ts": 0.0}
        out.append((first_seq + len(out), offset + pos, event))
    return out, rest + len(data) - pos


class OrgLink:
    """The ``review-link`` component (see the module docstring)."""

    name = "review-link"

    def __init__(self, runtime: "Runtime", cfg: ReviewConfig, speech_output: "AudioOutput | None" = None) -> None:
        self.runtime = runtime
        self.cfg = cfg
        self.speech_output = speech_output  # where spoken prompts go (default: the headphones of [review] prompt_device)
        self.speaker: "Speaker | None" = None
        self.folder = runtime.session.dir
        self.state = RelayState(self.folder)
        self._wake = threading.Event()
        self._unsubscribe: Any = None
        self._lock = threading.Lock()
        self.sent = self.prompts_shown = 0
        self.last_error = ""
        self.online = False

    def _client(self, timeout: float = 15.0) -> ReviewClient:
        return ReviewClient(self.cfg.server, self.cfg.user, home=self.runtime.home, password=env_password,
                            timeout=timeout)

    def _info(self) -> dict[str, Any]:
        i = self.runtime.session.info
        return {"id": i.id, "name": i.name, "started": i.started}

    # -- lifecycle --------------------------------------------------------------------------
    def start(self, tasks: Tasks) -> None:
        PendingPushes(self.runtime.home).add(self.folder, self.cfg.server, self.cfg.user)  # a crash still gets pushed later
        start_pending_pushes(self.runtime.home, wait=0)  # earlier sessions that could not be pushed
        if self.cfg.live:
            self._unsubscribe = self.runtime.bus.subscribe(lambda _event: self._wake.set())
            tasks.background("events", self._send_events)
            tasks.background("prompts", self._receive_prompts)
            if self.cfg.speak_prompts:
                tasks.background("speech", self._open_speaker)

    def _open_speaker(self, stop: threading.Event) -> None:
        """Open the headphones for prompts, with the session's speech engine when ``[speech]`` is on (one
        model in memory), else one loaded here in the background (prompts meanwhile are shown, not spoken)."""
        from streamkit.speech import DeviceOutput, Speaker, SpeechEngine

        try:
            output = self.speech_output or DeviceOutput(self.cfg.prompt_device or None)
            speech = self.runtime.services.find(SPEECH)
            self.speaker = Speaker(speech.engine if speech is not None else SpeechEngine(), output,
                                   bus=self.runtime.bus)
        except StreamkitError as exc:
            self.last_error = f"spoken prompts are off: {exc}"
            log.warning("%s", self.last_error)

    def stop(self) -> None:
        if self.speaker is not None:
            self.speaker.close(timeout=5.0)
        if self._unsubscribe:
            self._unsubscribe()
        if self.cfg.live:
            self._flush(final=True)
        start_pending_pushes(self.runtime.home, wait=300)

    def status(self) -> Status:
        state = State.RUNNING if self.online or not self.cfg.live else State.RECONNECTING
        figures = {"events_acknowledged": self.state.acked, "prompts": self.prompts_shown, "server": self.cfg.server}
        return Status(self.name, state, self.last_error, figures)

    # -- events out ---------------------------------------------------------------------------
    def _send_events(self, stop: threading.Event) -> None:
        client = self._client()
        delay = 1.0
        try:
            while not stop.is_set():
                try:
                    more = self._send_batch(client)
                    delay = 1.0
                except (httpx.HTTPError, StreamkitError, ValueError) as exc:
                    self._offline(exc)
                    stop.wait(delay)
                    delay = min(delay * 2, BACKOFF_MAX)
                    continue
                if not more:
                    self._wake.wait(1.0)
                    self._wake.clear()
        finally:
            client.close()

    def _send_batch(self, client: ReviewClient, ended: bool = False) -> bool:
        """Send the next lines; True when more are waiting."""
        with self._lock:
            lines, rest = read_lines(self.folder / "events.jsonl", self.state.offset, self.state.acked + 1)
            if not lines and not ended:
                return False
            body: dict[str, Any] = {"events": [[seq, event] for seq, _, event in lines], "ended": ended}
            if self.state.acked == 0:
                body["info"] = self._info()
            r = client.call("POST", f"/api/live/{self.runtime.session.id}/events", json=body)
            if r.status_code != 200:
                raise StreamkitError(f"the server answered {r.status_code} to the live events", "it is tried again")
            acked = int(r.json()["acked"])
            done = [(seq, end) for seq, end, _ in lines if seq <= acked]
            if done:  # the server may have more than this batch (sent before): go on after the batch
                self.state.acked, self.state.offset = done[-1]
                self.state.save()
                self.sent += len(done)
            self.online, self.last_error = True, ""
            return rest > 0 or (bool(lines) and acked < lines[-1][0])

    def _flush(self, final: bool) -> None:
        """Send what is left (at most :data:`FINAL_FLUSH` seconds), telling the server the session ended."""
        deadline = time.monotonic() + FINAL_FLUSH
        client = self._client(timeout=FINAL_FLUSH)
        try:
            while time.monotonic() < deadline:
                if not self._send_batch(client, ended=final):
                    break
        except (httpx.HTTPError, StreamkitError, ValueError) as exc:
            self._offline(exc)  # the push at the end carries everything anyway
        finally:
            client.close()

    def _offline(self, exc: Exception) -> None:
        if self.online or not self.last_error:
            log.warning("review server %s: %s (sending again when it answers)", self.cfg.server, exc)
        self.online, self.last_error = False, f"{self.cfg.server}: {exc}"

    # -- prompts in ---------------------------------------------------------------------------
    def _receive_prompts(self, stop: threading.Event) -> None:
        client = self._client(timeout=PROMPT_WAIT + 15)
        delay = 1.0
        try:
            while not stop.is_set():
                try:
                    if self.state.acked == 0:  # the server learns of the session from its first events
                        stop.wait(0.2)
                        continue
                    self._poll_prompts(client)
                    delay = 1.0
                except (httpx.HTTPError, StreamkitError, ValueError) as exc:
                    self._offline(exc)
                    stop.wait(delay)
                    delay = min(delay * 2, BACKOFF_MAX)
        finally:
            client.close()

    def _poll_prompts(self, client: ReviewClient) -> None:
        r = client.call("GET", f"/api/live/{self.runtime.session.id}/prompts",
                        params={"after": self.state.prompt_after, "wait": PROMPT_WAIT})
        if r.status_code != 200:
            raise StreamkitError(f"the server answered {r.status_code} to the prompt poll", "it is tried again")
        for p in r.json().get("prompts", []):
            if int(p["id"]) <= self.state.prompt_after:
                continue
            self.runtime.bus.publish(CoachPrompt(text=str(p["text"]), coach=str(p.get("coach", "")),
                                                 prompt_id=int(p["id"]), sent_at=float(p.get("created") or 0.0)))
            if self.speaker is not None:
                self.speaker.say(str(p["text"]), repeat=True)  # in the headphones only, never the stream
            self.state.prompt_after = int(p["id"])
            self.prompts_shown += 1
            self.state.save()


def start_pending_pushes(home: Path, wait: float) -> subprocess.Popen[bytes] | None:
    """``streamkit review push --pending`` in its own process (it outlives the session), when any are pending."""
    if not PendingPushes(home).items():
        return None
    logfile = open(home / "review-push.log", "ab")  # noqa: SIM115 - handed to the child
    try:
        return subprocess.Popen([sys.executable, "-m", "streamkit", "review", "push", "--pending", "--wait", str(wait)],
                                stdin=subprocess.DEVNULL, stdout=logfile, stderr=logfile, start_new_session=True,
                                env={**os.environ, "STREAMKIT_HOME": str(home)})
    finally:
        logfile.close()
