"""A real OBS Studio for tests and benchmarks: own Xvfb display, private HOME, free port, password.

>>> from streamkit.testing.headless_obs import HeadlessObs, Scene, Text, Image
>>> with HeadlessObs(scenes=[Scene("直播间", [Text("字幕", "你好")])]) as obs:  # doctest: +SKIP
...     print(obs.url, obs.password)

The scene collection and profile are written afresh before every start (OBS 29 dies on SIGTERM
without saving, and a private HOME keeps it from touching the user's own OBS). Needs
``apt-get install --no-install-recommends obs-studio xvfb xauth libgl1-mesa-dri fonts-noto-cjk``.
OBS and Xvfb are started with ``PR_SET_PDEATHSIG`` so they die with the process (the thread)
that started them, even when that process is killed.
"""

from __future__ import annotations

import atexit
import ctypes
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APT_COMMAND = "apt-get install --no-install-recommends obs-studio xvfb xauth libgl1-mesa-dri fonts-noto-cjk"
COLLECTION = "streamkit-test"
PROFILE = "streamkit-test"
CJK_FONT = "Noto Sans CJK SC"


@dataclass(frozen=True)
class Text:
    """A text source (``text_ft2_source_v2``) with a CJK-capable font."""

    name: str
    text: str = ""
    x: float = 40
    y: float = 560
    size: int = 72
    font: str = CJK_FONT
    visible: bool = True


@dataclass(frozen=True)
class Image:
    """An image source; ``file=None`` draws a coloured test card into the private folder."""

    name: str
    file: str | None = None
    x: float = 840
    y: float = 60
    visible: bool = True
    color: tuple[int, int, int] = (230, 80, 40)


@dataclass(frozen=True)
class Scene:
    """A scene and its items, bottom first. An item name used in several scenes is one shared input."""

    name: str
    items: list[Text | Image] = field(default_factory=list)


DEFAULT_SCENES: list[Scene] = [
    Scene("直播间", [Image("商品图"), Text("字幕", "欢迎来到直播间")]),
    Scene("商品特写", [Image("商品图", x=320, y=60), Text("商品卡", "", y=600, visible=False)]),
    Scene("暂停", [Text("暂停提示", "稍后回来", x=440, y=320)]),
]


def missing_programs() -> list[str]:
    """Programs HeadlessObs needs that are not installed (empty when all is there)."""
    return [p for p in ("obs", "Xvfb") if shutil.which(p) is None]


def free_port() -> int:
    """A TCP port free right now (never 4444, which obs-websocket-py treats as protocol v4)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port != 4444:
            return port


def _drop_cv2_qt_settings(env: dict[str, str]) -> None:
    """Remove what ``import cv2`` puts into the environment (its Qt plugin and font folders, its
    libraries on LD_LIBRARY_PATH): inherited by OBS, they make it abort with "Could not load the Qt
    platform plugin xcb"."""
    for key in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR"):
        env.pop(key, None)
    paths = [p for p in env.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p and "cv2" not in p]
    if paths:
        env["LD_LIBRARY_PATH"] = os.pathsep.join(paths)
    else:
        env.pop("LD_LIBRARY_PATH", None)


def _die_with_parent() -> None:
    """preexec_fn: SIGKILL this child when the thread that started it dies (Linux only)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class HeadlessObs:
    """Start and stop a real OBS under Xvfb. ``url``/``password`` are set once constructed."""

    def __init__(
        self,
        scenes: list[Scene] | None = None,
        *,
        width: int = 1280,
        height: int = 720,
        fps: int = 10,
        password: str | None = None,
        port: int | None = None,
        workdir: str | os.PathLike[str] | None = None,
        start_timeout: float = 30.0,
    ) -> None:
        missing = missing_programs()
        if missing:
            raise RuntimeError(f"{', '.join(missing)} not installed — run: {APT_COMMAND}")
        self.scenes = list(scenes if scenes is not None else DEFAULT_SCENES)
        self.width, self.height, self.fps = width, height, fps
        self.password = password if password is not None else secrets.token_urlsafe(12)
        self.port = port or free_port()
        self.url = f"ws://127.0.0.1:{self.port}"
        self._own_dir = workdir is None
        self.dir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="streamkit-obs-"))
        self.home = self.dir / "home"
        self.recordings = self.dir / "recordings"
        self.log_path = self.dir / "obs.log"
        self.start_timeout = start_timeout
        self._xvfb: subprocess.Popen[bytes] | None = None
        self._obs: subprocess.Popen[bytes] | None = None
        self.display = ""
        self._atexit_registered = False

    # -- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> HeadlessObs:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.cleanup()

    @property
    def running(self) -> bool:
        return self._obs is not None and self._obs.poll() is None

    @property
    def pid(self) -> int | None:
        return self._obs.pid if self._obs is not None else None

    def start(self) -> None:
        """Write the config afresh, start Xvfb (once) and OBS, and wait until the websocket answers."""
        if self.running:
            return
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True
        self._start_xvfb()
        self.write_config()
        env = dict(os.environ)
        runtime_dir = self.dir / "xdg-runtime"
        runtime_dir.mkdir(mode=0o700, exist_ok=True)
        env.update(HOME=str(self.home), XDG_CONFIG_HOME=str(self.home / ".config"), DISPLAY=self.display,
                   XDG_RUNTIME_DIR=str(runtime_dir),
                   QT_QPA_PLATFORM="xcb", LIBGL_ALWAYS_SOFTWARE="1", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("XAUTHORITY", None)
        _drop_cv2_qt_settings(env)
        first_scene = self.scenes[0].name if self.scenes else ""
        cmd = ["obs", "--multi", "--disable-missing-files-check", "--disable-updater",
               "--collection", COLLECTION, "--profile", PROFILE]
        if first_scene:
            cmd += ["--scene", first_scene]
        log = open(self.log_path, "ab")
        try:
            self._obs = subprocess.Popen(cmd, env=env, cwd=self.dir, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        finally:
            log.close()
        try:
            self._wait_ready()
        except BaseException:
            self.kill()
            raise

    def stop(self) -> None:
        """Stop OBS (SIGTERM, then SIGKILL) and Xvfb."""
        self._stop_obs(graceful=True)
        self._stop_xvfb()

    def kill(self) -> None:
        """SIGKILL OBS at once (for fault tests); Xvfb keeps running so :meth:`start` is quick."""
        self._stop_obs(graceful=False)

    def pause(self, timeout: float = 5.0) -> None:
        """SIGSTOP OBS and wait until every one of its threads has stopped: the port stays open but
        nothing answers (a frozen OBS). Without the wait, a request sent at once can still be answered
        by a thread the signal has not reached yet (seen on a busy machine)."""
        if self._obs is None:
            return
        self._obs.send_signal(signal.SIGSTOP)
        deadline = time.monotonic() + timeout
        while not _all_threads_stopped(self._obs.pid) and time.monotonic() < deadline:
            time.sleep(0.005)

    def resume(self) -> None:
        """SIGCONT OBS after :meth:`pause`."""
        if self._obs is not None:
            self._obs.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        """Kill OBS and start it again with the same port, password and freshly written scenes."""
        self.kill()
        self.start()

    def cleanup(self) -> None:
        """Delete the private folder (only when HeadlessObs created it)."""
        if self._own_dir and not self.running:
            shutil.rmtree(self.dir, ignore_errors=True)

    def reset(self) -> None:
        """Put the running OBS back to the spec (a few ms; 1–2 s more when it was recording): first scene
        current, texts and visibility as written, recording stopped, scenes and inputs that tests created
        removed."""
        from streamkit.obs.connection import ObsConnection
        from streamkit.obs.errors import ObsRequestError
        from streamkit.testing.helpers import wait_until

        conn = ObsConnection(self.url, self.password, timeout=5.0)
        conn.connect()
        try:
            if conn.request("GetRecordStatus").get("outputActive"):
                try:
                    conn.request("StopRecord", timeout=10.0)
                except ObsRequestError as exc:
                    if exc.code != 501:  # 501 OutputNotRunning: it was already stopping
                        raise
                # StopRecord answers at once; the output stays active while it finishes the file (1–2 s,
                # longer on a loaded machine): the next test must not find it still recording
                if not wait_until(lambda: not conn.request("GetRecordStatus").get("outputActive"), 30.0, 0.1):
                    raise RuntimeError("OBS was still recording 30 s after StopRecord; restart the headless OBS")
            if self.scenes:
                conn.request("SetCurrentProgramScene", {"sceneName": self.scenes[0].name})
            spec_scenes = {s.name for s in self.scenes}
            spec_inputs = {i.name: i for s in self.scenes for i in reversed(s.items)}
            for scene in conn.request("GetSceneList").get("scenes", []):
                if scene["sceneName"] not in spec_scenes:
                    conn.request("RemoveScene", {"sceneName": scene["sceneName"]})
            for inp in conn.request("GetInputList").get("inputs", []):
                if inp["inputName"] not in spec_inputs:
                    try:
                        conn.request("RemoveInput", {"inputName": inp["inputName"]})
                    except ObsRequestError as exc:
                        if exc.code != 600:  # 600: OBS released it with its removed scene meanwhile
                            raise
            written = {s["name"]: s["settings"] for s in self.scene_collection()["sources"]}
            for name in spec_inputs:
                conn.request("SetInputSettings", {"inputName": name, "inputSettings": written[name], "overlay": False})
            for scene in self.scenes:
                for item in scene.items:
                    item_id = conn.request("GetSceneItemId", {"sceneName": scene.name, "sourceName": item.name})["sceneItemId"]
                    conn.request("SetSceneItemEnabled", {"sceneName": scene.name, "sceneItemId": item_id,
                                                         "sceneItemEnabled": item.visible})
            # OBS releases removed inputs asynchronously: wait until they are really gone, so a
            # following set-up does not find an input "already there" that then vanishes.
            deadline = time.monotonic() + 3.0
            while time.monotonic() < deadline:
                names = {i["inputName"] for i in conn.request("GetInputList").get("inputs", [])}
                if names <= set(spec_inputs):
                    break
                time.sleep(0.02)
        finally:
            conn.close()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- processes --------------------------------------------------------------------------

    def _start_xvfb(self) -> None:
        if self._xvfb is not None and self._xvfb.poll() is None:
            return
        read_fd, write_fd = os.pipe()
        try:
            self._xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{self.width}x{self.height}x24",
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
            os.close(write_fd)
            write_fd = -1
            number = b""
            deadline = time.monotonic() + 10
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = os.read(read_fd, 16)
                if not chunk:
                    break
                number += chunk
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        if not number.strip():
            self._stop_xvfb()
            raise RuntimeError("Xvfb did not start (no display number) — check that Xvfb runs: Xvfb :99")
        self.display = f":{number.decode().strip()}"

    def _stop_xvfb(self) -> None:
        if self._xvfb is not None:
            _terminate(self._xvfb, graceful=True)
            self._xvfb = None

    def _stop_obs(self, graceful: bool) -> None:
        if self._obs is not None:
            _terminate(self._obs, graceful=graceful)
            self._obs = None

    def _wait_ready(self) -> None:
        """Until OBS answers GetSceneList over the websocket (not merely an open port)."""
        from streamkit.obs.connection import ObsConnection
        from streamkit.obs.errors import ObsError

        deadline = time.monotonic() + self.start_timeout
        last = ""
        while time.monotonic() < deadline:
            if self._obs is None or self._obs.poll() is not None:
                code = self._obs.returncode if self._obs is not None else None
                raise RuntimeError(f"OBS exited with code {code} while starting; log {self.log_path}:\n{self.log_tail()}")
            conn = ObsConnection(self.url, self.password, timeout=2.0)
            try:
                conn.connect()
                scenes = conn.request("GetSceneList")
                names = {s["sceneName"] for s in scenes.get("scenes", [])}
                if all(s.name in names for s in self.scenes):
                    return
                last = f"scenes so far: {sorted(names)}"
            except ObsError as exc:
                last = str(exc)
            finally:
                conn.close()
            time.sleep(0.1)
        raise RuntimeError(f"OBS did not answer at {self.url} within {self.start_timeout:g} s ({last}); "
                           f"log {self.log_path}:\n{self.log_tail()}")

    # -- configuration ----------------------------------------------------------------------

    def write_config(self) -> None:
        """Write global.ini, the profile and the scene collection into the private HOME."""
        cfg = self.home / ".config" / "obs-studio"
        if cfg.exists():
            shutil.rmtree(cfg)
        (cfg / "basic" / "scenes").mkdir(parents=True)
        (cfg / "basic" / "profiles" / PROFILE).mkdir(parents=True)
        self.recordings.mkdir(parents=True, exist_ok=True)
        (cfg / "global.ini").write_text(self._global_ini(), encoding="utf-8")
        (cfg / "basic" / "profiles" / PROFILE / "basic.ini").write_text(self._profile_ini(), encoding="utf-8")
        collection = self.scene_collection()
        (cfg / "basic" / "scenes" / f"{COLLECTION}.json").write_text(
            json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")

    def _global_ini(self) -> str:
        return "\n".join([
            "[General]", "FirstRun=true", "LastVersion=486539264", "EnableAutoUpdates=false",
            "WarnBeforeStartingStream=false", "WarnBeforeStoppingStream=false", "WarnBeforeStoppingRecord=false",
            "Pre19Defaults=false", "Pre21Defaults=false", "Pre23Defaults=false", "Pre24.1Defaults=false",
            "",
            "[Basic]", f"Profile={PROFILE}", f"ProfileDir={PROFILE}",
            f"SceneCollection={COLLECTION}", f"SceneCollectionFile={COLLECTION}",
            "",
            "[BasicWindow]", "PreviewEnabled=false", "SysTrayEnabled=false", "ShowTransitions=true",
            "",
            "[OBSWebSocket]", "FirstLoad=false", "ServerEnabled=true", f"ServerPort={self.port}",
            "AlertsEnabled=false", "AuthRequired=true", f"ServerPassword={self.password}",
            "",
        ])

    def _profile_ini(self) -> str:
        return "\n".join([
            "[General]", f"Name={PROFILE}", "",
            "[Video]", f"BaseCX={self.width}", f"BaseCY={self.height}", f"OutputCX={self.width}",
            f"OutputCY={self.height}", "FPSType=1", f"FPSInt={self.fps}", "",
            "[Audio]", "SampleRate=48000", "ChannelSetup=Stereo", "",
            "[Output]", "Mode=Simple", "",
            "[SimpleOutput]", f"FilePath={self.recordings}", "RecFormat=mkv", "RecFormat2=mkv",
            "RecQuality=Stream", "StreamEncoder=x264", "RecEncoder=x264", "Preset=ultrafast",
            "VBitrate=1000", "ABitrate=128", "FileNameWithoutSpace=true", "",
        ])

    def scene_collection(self) -> dict[str, Any]:
        """The scene collection JSON OBS loads (every item scaled 1:1, or OBS draws it at 0×0)."""
        inputs: dict[str, dict[str, Any]] = {}
        scene_sources = []
        for scene in self.scenes:
            items = []
            for n, item in enumerate(scene.items, start=1):
                if item.name not in inputs:
                    inputs[item.name] = self._input_source(item)
                items.append({
                    "name": item.name, "id": n, "visible": item.visible, "locked": False,
                    "pos": {"x": item.x, "y": item.y}, "rot": 0.0, "scale": {"x": 1.0, "y": 1.0},
                    "align": 5, "bounds_type": 0, "bounds_align": 0, "bounds": {"x": 0.0, "y": 0.0},
                    "crop_left": 0, "crop_top": 0, "crop_right": 0, "crop_bottom": 0,
                    "scale_filter": "disable", "blend_method": "default", "blend_type": "normal",
                })
            scene_sources.append({
                "name": scene.name, "id": "scene", "versioned_id": "scene", "enabled": True, "muted": False,
                "settings": {"items": items, "id_counter": len(items), "custom_size": False},
                "mixers": 0, "volume": 1.0, "flags": 0, "sync": 0, "deinterlace_mode": 0,
                "deinterlace_field_order": 0, "monitoring_type": 0, "private_settings": {},
            })
        first = self.scenes[0].name if self.scenes else ""
        return {
            "name": COLLECTION,
            "current_scene": first, "current_program_scene": first,
            "scene_order": [{"name": s.name} for s in self.scenes],
            "sources": scene_sources + list(inputs.values()),
            "groups": [], "quick_transitions": [], "transitions": [],
            "current_transition": "Cut", "transition_duration": 300,
            "saved_projectors": [], "preview_locked": False, "scaling_enabled": False, "modules": {},
        }

    def _input_source(self, item: Text | Image) -> dict[str, Any]:
        if isinstance(item, Text):
            kind, versioned = "text_ft2_source", "text_ft2_source_v2"
            settings: dict[str, Any] = {"text": item.text, "font": {"face": item.font, "size": item.size,
                                                                    "style": "Regular", "flags": 0},
                                        "color1": 0xFFFFFFFF, "color2": 0xFFFFFFFF, "outline": True}
        else:
            kind = versioned = "image_source"
            settings = {"file": item.file or str(self._test_card(item))}
        return {"name": item.name, "id": kind, "versioned_id": versioned, "enabled": True, "muted": False,
                "settings": settings, "mixers": 0, "volume": 1.0, "flags": 0, "sync": 0,
                "deinterlace_mode": 0, "deinterlace_field_order": 0, "monitoring_type": 0, "private_settings": {}}

    def _test_card(self, item: Image) -> Path:
        from PIL import Image as PILImage
        from PIL import ImageDraw

        digest = hashlib.sha1(item.name.encode("utf-8")).hexdigest()[:10]
        path = self.dir / "media" / f"card-{digest}.png"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            card = PILImage.new("RGB", (360, 240), item.color)
            ImageDraw.Draw(card).rectangle((20, 20, 339, 219), outline=(255, 255, 255), width=8)
            card.save(path)
        return path


def _terminate(proc: subprocess.Popen[bytes], graceful: bool) -> None:
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGCONT)  # a paused process cannot act on SIGTERM
        proc.send_signal(signal.SIGTERM if graceful else signal.SIGKILL)
        proc.wait(timeout=5 if graceful else 3)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def _all_threads_stopped(pid: int) -> bool:
    """True when every thread of ``pid`` is in the stopped state (Linux ``/proc``)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        states = [(t / "stat").read_text().rsplit(")", 1)[1].split()[0] for t in tasks]
    except OSError:
        return True  # gone, or no /proc: nothing more to wait for
    return all(state in ("T", "t") for state in states)
