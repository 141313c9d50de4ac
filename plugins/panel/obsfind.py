"""Finding OBS for the wizard: does anything answer at the address, does it want a password, is this
the right one. Each answer is one of a few states the wizard words for people."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from streamkit.config import Config
from streamkit.errors import ConfigError
from streamkit.obs.base import ObsSink
from streamkit.obs.connection import ObsConnection
from streamkit.obs.doctor import requirements_from_config
from streamkit.obs.errors import ObsAuthError, ObsConnectError, ObsError
from streamkit.obs.setup import SetupResult, inputs_from_config, setup


class Found(enum.StrEnum):
    READY = "ready"  # connected (no password needed, or the one given works)
    NEEDS_PASSWORD = "needs_password"  # OBS answers and wants a password; none was given
    WRONG_PASSWORD = "wrong_password"
    UNREACHABLE = "unreachable"  # nothing answers: OBS closed, or its WebSocket server is off
    BAD_ADDRESS = "bad_address"  # not a ws://HOST:PORT address


@dataclass(frozen=True)
class ObsProbe:
    """What one connection attempt found."""

    url: str
    found: Found
    version: str = ""
    detail: str = ""


def probe(url: str, password: str = "", timeout: float = 2.0) -> ObsProbe:
    """Connect once to ``url`` with ``password`` and say what answered. Never raises."""
    try:
        conn = ObsConnection(url, password, timeout=timeout)
    except ConfigError as exc:
        return ObsProbe(url, Found.BAD_ADDRESS, detail=exc.one_line())
    try:
        conn.connect()
        version = conn.request("GetVersion")
    except ObsAuthError as exc:
        return ObsProbe(url, Found.WRONG_PASSWORD if password else Found.NEEDS_PASSWORD, detail=exc.one_line())
    except ObsConnectError as exc:
        return ObsProbe(url, Found.UNREACHABLE, detail=exc.one_line())
    except ObsError as exc:
        return ObsProbe(url, Found.UNREACHABLE, detail=exc.one_line())
    finally:
        conn.close()
    return ObsProbe(url, Found.READY, version=str(version.get("obsVersion", "")))


def create_in_obs(config: Config) -> SetupResult:
    """``streamkit obs setup`` for ``config``: create the scenes and sources its features need.

    Raises :class:`~streamkit.obs.errors.ObsError` when OBS cannot be reached."""
    conn = ObsConnection(config.obs.url, config.obs.resolved_password(), timeout=max(config.obs.timeout, 5.0))
    try:
        conn.connect()
        return setup(conn, requirements_from_config(config), inputs_from_config(config))
    finally:
        conn.close()


def obs_inputs(obs: ObsSink) -> list[tuple[str, str]]:
    """``[(name, kind)]`` of OBS's inputs, cameras first ([] when OBS does not answer)."""
    try:
        inputs = obs.request("GetInputList").get("inputs", [])
    except ObsError:
        return []
    pairs = [(str(i.get("inputName", "")), str(i.get("inputKind", ""))) for i in inputs]
    camera_words = ("v4l2", "dshow", "avcapture", "av_capture", "camera", "video_capture")
    return sorted(pairs, key=lambda p: (not any(w in p[1] for w in camera_words), p[0]))
