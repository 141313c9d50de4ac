"""The streamer's side of an organisation's server: a saved token, and pushing sessions.

``streamkit review push PATH --server URL --user NAME`` sends a session folder (its files and its
recording) or one recording file. The password comes from ``STREAMKIT_REVIEW_PASSWORD`` or standard
input once; the token the server gives back is saved owner-only in ``STREAMKIT_HOME`` and used
after that. Each file goes in chunks at the offset the server reports, with its sha256 announced
first, so a push that was cut off — the network, the PC or the server — resumes where it stopped
when it is run again, and running it twice sends nothing twice.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from streamkit.errors import StreamkitError
from streamkit.home import private_file, streamkit_home, write_private_text
from streamkit.models import sha256_file

from .sessiondata import MEDIA_TYPES, read_info, resolve_media

TOKENS_FILE = "review-tokens.json"
PENDING_FILE = "review-pending.json"
RELAY_STATE = "live-relay.json"  # the live link's own bookkeeping: never pushed
CHUNK = 2 * 1024 * 1024
PASSWORD_ENV = "STREAMKIT_REVIEW_PASSWORD"
RETRIES = 6


class PushFailed(StreamkitError):
    """A push that could not finish now (it resumes when run again)."""


# -- tokens -------------------------------------------------------------------------------------
class Tokens:
    """Tokens per (server, user), in an owner-only JSON file under STREAMKIT_HOME."""

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or streamkit_home()) / TOKENS_FILE

    def _all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def get(self, server: str, user: str) -> str:
        entry = self._all().get(f"{server}|{user}") or {}
        return str(entry.get("token", "")) if float(entry.get("expires", 0)) > time.time() + 60 else ""

    def put(self, server: str, user: str, token: str, expires: float) -> None:
        data = self._all()
        data[f"{server}|{user}"] = {"token": token, "expires": expires}
        write_private_text(self.path, json.dumps(data, indent=2))

    def drop(self, server: str, user: str) -> None:
        data = self._all()
        if data.pop(f"{server}|{user}", None) is not None:
            write_private_text(self.path, json.dumps(data, indent=2))


def password_from_env_or_stdin() -> str:
    """``STREAMKIT_REVIEW_PASSWORD``, else one line of standard input (a prompt when it is a terminal)."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sys.stdin is None or sys.stdin.closed:
        return ""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


class ReviewClient:
    """HTTP calls to the organisation's server as one streamer (token saved, renewed on 401)."""

    def __init__(self, server: str, user: str, *, home: Path | None = None,
                 password: Callable[[], str] = password_from_env_or_stdin, timeout: float = 30.0) -> None:
        if not server.startswith(("http://", "https://")):
            raise StreamkitError(f"server {server!r} is not an address", "give it as https://HOST (or http://HOST:PORT)")
        if not user:
            raise StreamkitError("no account name for the server", "pass --user NAME or set [review] user")
        self.server = server.rstrip("/")
        self.user = user
        self.tokens = Tokens(home)
        self.password = password
        self.http = httpx.Client(base_url=self.server, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def token(self, renew: bool = False) -> str:
        saved = "" if renew else self.tokens.get(self.server, self.user)
        if saved:
            return saved
        password = self.password()
        if not password:
            raise StreamkitError(f"no password for {self.user} on {self.server}",
                                 f"set {PASSWORD_ENV} or pipe the password into the command once; a token is saved")
        r = self.http.post("/api/tokens", json={"name": self.user, "password": password})
        if r.status_code != 201:
            raise StreamkitError(f"{self.server} refused the login of {self.user}: {_error(r)}",
                                 "check the user name and password")
        data = r.json()
        self.tokens.put(self.server, self.user, data["token"], float(data["expires"]))
        return str(data["token"])

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request with the token; a 401 renews the token once (asking for the password)."""
        extra = kwargs.pop("headers", {})
        r = self.http.request(method, path, headers={**extra, "Authorization": f"Bearer {self.token()}"}, **kwargs)
        if r.status_code == 401:
            self.tokens.drop(self.server, self.user)
            r = self.http.request(method, path, headers={**extra, "Authorization": f"Bearer {self.token(renew=True)}"},
                                  **kwargs)
        return r


def _error(r: httpx.Response) -> str:
    try:
        return str(r.json().get("error") or r.status_code)
    except ValueError:
        return f"HTTP {r.status_code}"


# -- what a push sends ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LocalFile:
    path: Path
    name: str  # its name on the server, inside the session
    role: str
    size: int
    sha256: str


@dataclass
class PushPlan:
    """A session (or a recording) ready to send."""

    session_id: str
    info: dict[str, Any]
    files: list[LocalFile] = field(default_factory=list)
    media_is_recording: bool = False

    def manifest(self) -> dict[str, Any]:
        return {"info": self.info, "media_is_recording": self.media_is_recording,
                "files": [{"path": f.name, "size": f.size, "sha256": f.sha256, "role": f.role} for f in self.files]}


def _file(path: Path, name: str, role: str) -> LocalFile:
    return LocalFile(path, name, role, path.stat().st_size, sha256_file(path))


def plan_push(path: Path) -> PushPlan:
    """What pushing ``path`` sends: a session folder's files and recording, or one recording file."""
    path = path.expanduser().resolve()
    if path.is_file():
        if path.suffix.lower() not in MEDIA_TYPES:
            raise StreamkitError(f"{path} is not a recording streamkit can review", "push a session folder or a video/audio file")
        media = _file(path, f"media/{_safe_name(path.name)}", "media")
        info = {"name": path.stem, "started": path.stat().st_mtime, "extra": {"imported": True, "source_file": path.name}}
        return PushPlan(f"rec-{media.sha256[:24]}", info, [media])
    if not path.is_dir():
        raise StreamkitError(f"{path} does not exist", "give a session folder (streamkit sessions lists them) or a recording")
    info, problems = read_info(path)
    if not info or not (path / "events.jsonl").exists():
        raise StreamkitError(f"{path} is not a session folder ({'; '.join(problems) or 'no events.jsonl'})",
                             "give a folder under STREAMKIT_HOME/sessions, or a recording file")
    plan = PushPlan(str(info.get("id") or path.name), info)
    for item in sorted(path.iterdir()):
        if item.is_file() and not item.name.startswith(".") and item.name != RELAY_STATE and not item.name.endswith(".tmp"):
            role = "events" if item.name == "events.jsonl" else "file"
            if item.suffix.lower() in MEDIA_TYPES:
                continue  # the recording is sent once, below
            plan.files.append(_file(item, _safe_name(item.name), role))
    media = resolve_media(path, info, _recording_events(path))
    if media is not None:
        plan.files.append(_file(media, f"media/{_safe_name(media.name)}", "media"))
        recordings = {str(info.get("recording_path") or "")} | {str(e.get("output_path") or "")
                                                              for e in _recording_events(path)}
        plan.media_is_recording = str(media) in recordings or any(Path(r).name == media.name for r in recordings if r)
    return plan


def _recording_events(folder: Path) -> list[dict[str, Any]]:
    out = []
    for line in (folder / "events.jsonl").read_text(encoding="utf-8", errors="replace").splitlines():
        if '"Recording' in line:
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
    return out


def _safe_name(name: str) -> str:
    """A file name the server accepts (letters, digits, ``.``, ``_``, ``-``); others become ``_``."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name).strip(".")
    return cleaned or "file"


# -- sending -----------------------------------------------------------------------------------
def push(client: ReviewClient, plan: PushPlan, progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Send ``plan`` (resuming whatever the server already has); returns the server's final state."""
    state = _with_retries(lambda: _expect(client.call("POST", f"/api/push/{plan.session_id}/manifest",
                                                       json=plan.manifest()), 200))
    for f in plan.files:
        received = int(state["files"].get(f.name, 0))
        while received < f.size or (f.size == 0 and not state.get("complete")):
            received, state = _send_chunk(client, plan.session_id, f, received)
            if progress:
                progress(f.name, received, f.size)
            if f.size == 0:
                break
    if not state.get("complete"):
        state = _with_retries(lambda: _expect(client.call("GET", f"/api/push/{plan.session_id}"), 200))
    if not state.get("complete"):
        raise PushFailed(f"the server does not have all of {plan.session_id} yet", "run the push again to resume it")
    return state


def _send_chunk(client: ReviewClient, session_id: str, f: LocalFile, offset: int) -> tuple[int, dict[str, Any]]:
    with open(f.path, "rb") as src:
        src.seek(offset)
        data = src.read(CHUNK)

    def put() -> httpx.Response:
        return client.call("PUT", f"/api/push/{session_id}/files/{f.name}", params={"offset": offset}, content=data,
                           headers={"Content-Type": "application/octet-stream"})

    r = _with_retries(put)
    if r.status_code == 409:  # the server has another offset: continue from there
        body = r.json()
        return int(body["received"]), {"files": {}, "complete": False}
    state = _expect(r, 200)
    return int(state.get("received", offset + len(data))), state


def _expect(r: httpx.Response, status: int) -> Any:
    if r.status_code == status:
        return r.json()
    raise PushFailed(f"the server answered {r.status_code}: {_error(r)}", "fix what it says and run the push again")


def _with_retries(call: Callable[[], Any]) -> Any:
    """``call`` again after network errors and 5xx answers (1, 2, 4 … s apart), then give up with one line."""
    delay = 1.0
    for attempt in range(RETRIES):
        try:
            result = call()
            if isinstance(result, httpx.Response) and result.status_code >= 500:
                raise httpx.TransportError(f"HTTP {result.status_code}")
            return result
        except httpx.TransportError as exc:
            if attempt == RETRIES - 1:
                raise PushFailed(f"the server cannot be reached ({exc})", "run the push again later: it resumes") from None
            time.sleep(delay)
            delay = min(delay * 2, 15.0)
    raise AssertionError("unreachable")


# -- pushes waiting to be done (a session ended while the server was away) ----------------------------
class PendingPushes:
    """Session folders to push, kept owner-only in STREAMKIT_HOME until each push completes."""

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or streamkit_home()) / PENDING_FILE

    def items(self) -> list[dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [d for d in data if isinstance(d, dict) and d.get("path")] if isinstance(data, list) else []
        except (OSError, ValueError):
            return []

    def add(self, folder: Path, server: str, user: str) -> None:
        items = [d for d in self.items() if d["path"] != str(folder)]
        items.append({"path": str(folder), "server": server, "user": user})
        write_private_text(self.path, json.dumps(items, ensure_ascii=False, indent=2))

    def remove(self, folder: str) -> None:
        write_private_text(self.path, json.dumps([d for d in self.items() if d["path"] != folder], ensure_ascii=False,
                                                 indent=2))


def push_lock(home: Path) -> IO[str] | None:
    """An exclusive lock file: one pending-push run at a time (the open file, or None when another run holds it)."""
    import fcntl

    path = private_file(home / "review-push.lock")
    handle = open(path, "a")  # noqa: SIM115 - held for the life of the run
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle
