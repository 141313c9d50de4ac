"""``streamkit obs doctor``: can streamkit reach OBS, and does OBS have every scene and input the config needs?"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..config import Config
from ..errors import StreamkitError
from .connection import ObsConnection
from .errors import ObsError

Requirement = tuple[str, str]  # ("scene" | "input", name)


@dataclass
class Check:
    """One required scene or input and whether OBS has it."""

    kind: str
    name: str
    ok: bool
    detail: str = ""


@dataclass
class DoctorReport:
    """What :func:`doctor` found; ``str(report)`` is the printable form."""

    url: str
    connected: bool = False
    error: str = ""
    obs_version: str = ""
    websocket_version: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.connected and all(c.ok for c in self.checks)

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def __str__(self) -> str:
        lines = []
        if not self.connected:
            lines.append(f"✗ OBS at {self.url}: {self.error}")
            return "\n".join(lines)
        lines.append(f"✓ connected to OBS {self.obs_version} (obs-websocket {self.websocket_version}) at {self.url}")
        for c in self.checks:
            mark = "✓" if c.ok else "✗"
            detail = f" — {c.detail}" if c.detail else ""
            lines.append(f"{mark} {c.kind} “{c.name}”{detail}")
        if self.ok:
            lines.append("all good: OBS is ready for streamkit")
        else:
            lines.append(f"{len(self.missing)} missing — create them in OBS, or run: streamkit obs setup")
        return "\n".join(lines)


def doctor(url: str, password: str = "", requirements: list[Requirement] | None = None, timeout: float = 3.0) -> DoctorReport:
    """Connect once, read versions, scenes and inputs, and check each requirement. Never raises ObsError."""
    report = DoctorReport(url=url)
    conn = ObsConnection(url, password, timeout=timeout)
    try:
        conn.connect()
        version = conn.request("GetVersion")
        scenes = {s["sceneName"] for s in conn.request("GetSceneList").get("scenes", [])}
        inputs = {i["inputName"]: i.get("inputKind", "") for i in conn.request("GetInputList").get("inputs", [])}
    except ObsError as exc:
        report.error = str(exc)
        return report
    finally:
        conn.close()
    report.connected = True
    report.obs_version = str(version.get("obsVersion", ""))
    report.websocket_version = str(version.get("obsWebSocketVersion", ""))
    for kind, name in _unique(requirements or []):
        if kind == "scene":
            report.checks.append(Check(kind, name, name in scenes, "" if name in scenes else "no such scene"))
        elif kind == "input":
            found = name in inputs or name in scenes
            report.checks.append(Check(kind, name, found, inputs.get(name, "") if found else "no such source"))
        else:
            report.checks.append(Check(kind, name, False, f"unknown requirement kind {kind!r} (use scene or input)"))
    return report


def _unique(items: list[Requirement]) -> list[Requirement]:
    seen: set[Requirement] = set()
    out = []
    for item in items:
        item = (str(item[0]), str(item[1]))
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def requirements_from_config(config: Config) -> list[Requirement]:
    """Everything the config needs in OBS: ``[obs] main_scene`` plus every plugin's ``streamkit_obs_requirements``."""
    reqs: list[Requirement] = [("scene", config.obs.main_scene)] if config.obs.main_scene else []
    return reqs + [(str(k), str(n)) for k, n in config.plugins.obs_requirements(config)]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``streamkit obs doctor`` and ``streamkit obs setup``."""
    parser.add_argument("--url", help="obs-websocket address ws://HOST:PORT (default: [obs] url)")
    parser.add_argument("--password", help="obs-websocket password (default: STREAMKIT_OBS_PASSWORD, then [obs] password)")
    parser.add_argument("--config", help="streamkit.toml whose scenes and sources to check")


def connection_params(args: Any) -> tuple[str, str, float, Config]:
    """``(url, password, timeout, config)`` from parsed arguments: flags win over the config file."""
    from ..config import load

    config = load(getattr(args, "config", None), getattr(args, "plugins", None))
    url = getattr(args, "url", None) or config.obs.url
    password = getattr(args, "password", None)
    if password is None:
        password = config.obs.resolved_password()
    return url, password, config.obs.timeout, config


def run_doctor(args: Any = None, *, requirements: list[Requirement] | None = None, out: TextIO | None = None) -> int:
    """CLI entry: print the report; 0 when OBS is reachable and has everything, 1 otherwise, 2 on a bad config."""
    out = out or sys.stdout
    try:
        url, password, timeout, config = connection_params(args or argparse.Namespace())
        reqs = requirements if requirements is not None else requirements_from_config(config)
    except StreamkitError as exc:
        print(f"✗ {exc}", file=out)
        return 2
    report = doctor(url, password, reqs, timeout=timeout)
    print(report, file=out)
    return 0 if report.ok else 1
