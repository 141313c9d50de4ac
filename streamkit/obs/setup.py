"""``streamkit obs setup``: create the scenes and inputs streamkit needs when OBS lacks them.

Inputs come as ``{"scene": str, "name": str, "kind": "text"|"image"|<OBS input kind>, "settings": dict}``
(the ``streamkit_obs_setup`` hook). ``kind="text"`` becomes the platform's text source with a
CJK-capable font, so Chinese captions and product names render as glyphs, not boxes.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..config import Config
from ..errors import StreamkitError
from .base import ObsSink
from .connection import ObsConnection
from .doctor import Requirement, connection_params, requirements_from_config
from .errors import ObsError

#: Text input kinds, newest first, by ``sys.platform`` prefix; the first one OBS offers is used.
TEXT_KINDS: dict[str, list[str]] = {
    "win": ["text_gdiplus_v3", "text_gdiplus_v2", "text_gdiplus"],
    "darwin": ["text_ft2_source_v2", "text_ft2_source"],
    "linux": ["text_ft2_source_v2", "text_ft2_source"],
}
CJK_FONTS: dict[str, str] = {"win": "Microsoft YaHei", "darwin": "PingFang SC", "linux": "Noto Sans CJK SC"}
IMAGE_KIND = "image_source"


def _platform_key(platform: str) -> str:
    for key in ("win", "darwin"):
        if platform.startswith(key):
            return key
    return "linux"


def text_kind(available: list[str] | None = None, platform: str = sys.platform) -> str:
    """The text input kind for ``platform``: the newest one in ``available`` (OBS's GetInputKindList)."""
    candidates = TEXT_KINDS[_platform_key(platform)]
    for kind in candidates:
        if available is None or kind in available:
            return kind
    return candidates[0]


def cjk_font(platform: str = sys.platform) -> str:
    """A font with Simplified Chinese glyphs that ships with ``platform``."""
    return CJK_FONTS[_platform_key(platform)]


def input_settings(kind: str, settings: dict[str, Any], platform: str = sys.platform) -> dict[str, Any]:
    """``settings`` plus a CJK font (and a readable size) for text inputs."""
    out = dict(settings)
    if kind == "text":
        font = {"face": cjk_font(platform), "size": 64, "style": "Regular", "flags": 0}
        font.update(out.get("font", {}))
        out["font"] = font
    return out


@dataclass
class SetupResult:
    """What :func:`setup` did; ``str()`` is the printable form."""

    url: str
    created: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def __str__(self) -> str:
        lines = [f"+ created {c}" for c in self.created]
        lines += [f"✓ already there: {p}" for p in self.present]
        lines += [f"✗ {f}" for f in self.failed]
        if self.ok:
            lines.append(f"OBS at {self.url} is set up" + ("" if self.created else " (nothing to do)"))
        return "\n".join(lines)


def setup(conn: ObsConnection | ObsSink, requirements: list[Requirement], inputs: list[dict[str, Any]],
          platform: str = sys.platform) -> SetupResult:
    """Create missing scenes (from ``requirements`` and ``inputs``) and inputs on a connected OBS
    (a bare connection, or the session's client)."""
    result = SetupResult(url=conn.url)
    scenes = {s["sceneName"] for s in conn.request("GetSceneList").get("scenes", [])}
    existing = {i["inputName"] for i in conn.request("GetInputList").get("inputs", [])}
    kinds = conn.request("GetInputKindList", {"unversioned": False}).get("inputKinds", [])
    wanted_scenes = [n for k, n in requirements if k == "scene"] + [str(i["scene"]) for i in inputs]
    for scene in dict.fromkeys(wanted_scenes):
        if scene in scenes:
            result.present.append(f"scene “{scene}”")
            continue
        try:
            conn.request("CreateScene", {"sceneName": scene})
            scenes.add(scene)
            result.created.append(f"scene “{scene}”")
        except ObsError as exc:
            result.failed.append(f"scene “{scene}”: {exc}")
    for spec in inputs:
        _ensure_input(conn, spec, scenes, existing, kinds, platform, result)
    described = {str(i["name"]) for i in inputs}
    for kind, name in requirements:
        if kind == "input" and name not in existing and name not in described:
            result.failed.append(f"input “{name}”: no plugin says how to create it — add it in OBS by hand")
    return result


def _ensure_input(conn: ObsConnection | ObsSink, spec: dict[str, Any], scenes: set[str], existing: set[str],
                  kinds: list[str], platform: str, result: SetupResult) -> None:
    scene, name, kind = str(spec["scene"]), str(spec["name"]), str(spec.get("kind", "text"))
    if scene not in scenes:
        return  # its CreateScene failure is already reported
    try:
        if name in existing:
            items = conn.request("GetSceneItemList", {"sceneName": scene}).get("sceneItems", [])
            if any(i.get("sourceName") == name for i in items):
                result.present.append(f"input “{name}” in “{scene}”")
            else:
                conn.request("CreateSceneItem", {"sceneName": scene, "sourceName": name})
                result.created.append(f"item “{name}” in “{scene}”")
            return
        obs_kind = text_kind(kinds, platform) if kind == "text" else IMAGE_KIND if kind == "image" else kind
        created = conn.request("CreateInput", {"sceneName": scene, "inputName": name, "inputKind": obs_kind,
                                               "inputSettings": input_settings(kind, spec.get("settings") or {}, platform),
                                               "sceneItemEnabled": bool(spec.get("visible", True))})
        place = spec.get("position")
        if place:
            scale = float(place.get("scale", 1.0))
            conn.request("SetSceneItemTransform", {"sceneName": scene, "sceneItemId": created["sceneItemId"],
                                                   "sceneItemTransform": {"positionX": float(place["x"]),
                                                                          "positionY": float(place["y"]),
                                                                          "scaleX": scale, "scaleY": scale}})
        existing.add(name)
        result.created.append(f"input “{name}” ({obs_kind}) in “{scene}”")
    except ObsError as exc:
        result.failed.append(f"input “{name}” in “{scene}”: {exc}")


def inputs_from_config(config: Config) -> list[dict[str, Any]]:
    """Every plugin's ``streamkit_obs_setup`` inputs for this config."""
    return config.plugins.obs_inputs(config)


def run_setup(args: Any = None, *, requirements: list[Requirement] | None = None,
              inputs: list[dict[str, Any]] | None = None, out: TextIO | None = None) -> int:
    """CLI entry: create what is missing and print what was done; 0 when everything is there afterwards."""
    out = out or sys.stdout
    try:
        url, password, timeout, config = connection_params(args or argparse.Namespace())
        reqs = requirements if requirements is not None else requirements_from_config(config)
        specs = inputs if inputs is not None else inputs_from_config(config)
    except StreamkitError as exc:
        print(f"✗ {exc}", file=out)
        return 2
    conn = ObsConnection(url, password, timeout=timeout)
    try:
        conn.connect()
        result = setup(conn, reqs, specs)
    except ObsError as exc:
        print(f"✗ {exc}", file=out)
        return 1
    finally:
        conn.close()
    print(result, file=out)
    return 0 if result.ok else 1
