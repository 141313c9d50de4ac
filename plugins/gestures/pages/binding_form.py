"""The bindings page's logic, without the web: what a form answer becomes in ``[[gestures.bindings]]``,
and the whole list to write back through ``host.write_config("gestures", {"bindings": …})``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..config import CONSEQUENTIAL, Binding, GesturesConfig
from .words import ACTION_GROUPS, Words

#: Actions the page offers (``request`` stays for hand-written configs).
OFFERED: tuple[str, ...] = tuple(a for _, actions in ACTION_GROUPS for a in actions)
NEEDS = {"scene": ("scene",), "show_source": ("scene", "source"), "hide_source": ("scene", "source"),
         "toggle_source": ("scene", "source"), "mute": ("audio",), "unmute": ("audio",), "product_show": ("serial",),
         "say_phrase": ("phrase",)}


@dataclass(frozen=True)
class FieldError:
    """A problem with one answer: the field's id (the error summary links there) and the sentence."""

    field: str
    text: str


def as_table(binding: Binding) -> dict[str, Any]:
    """A binding as the TOML table a person would write: its action and only the keys it sets."""
    table = binding.model_dump(exclude_defaults=True)
    return {"gestures": table.pop("gestures"), "action": binding.action, **table}


def describe(binding: Binding, w: Words) -> str:
    """``微笑 → 切换到场景 商品特写`` in the reader's language."""
    target = binding.target if binding.action != "mark_moment" else ""
    action = f"{w.action(binding.action)} {target}".strip()
    if binding.needs_confirm:
        action += w("confirm_suffix")
    return f"{w.join([w.gesture(g) for g in binding.gestures])} → {action}"


def binding_from_form(form: Mapping[str, str], section: GesturesConfig, known: set[str],
                      w: Words) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """The new binding's table, or the problems with the answers (each linked to its field)."""
    gesture, action = form.get("gesture", ""), form.get("action", "")
    errors: list[FieldError] = []
    if gesture not in known:
        errors.append(FieldError("gesture", w("error_gesture")))
    if action not in OFFERED:
        errors.append(FieldError("action", w("error_action")))
    errors += target_errors(form, action, w)
    for b in section.bindings:
        if gesture in b.gestures:
            errors.insert(0, FieldError("gesture", w("error_taken", gesture=w.gesture(gesture), what=describe(b, w))))
    if errors:
        return None, errors
    table: dict[str, Any] = {"gestures": [gesture], "action": action}
    if "scene" in NEEDS.get(action, ()):
        table["scene"] = form["scene"]
    if "source" in NEEDS.get(action, ()):
        table["source"] = form["source"]
    if "audio" in NEEDS.get(action, ()):
        table["source"] = form["audio"]
    if action == "product_show":
        table["serial"] = int(form["serial"])
    if action == "say_phrase":
        table["phrase"] = form["phrase"]
    if action == "mark_moment" and form.get("label", "").strip():
        table["label"] = form["label"].strip()
    try:
        return as_table(Binding.model_validate(table)), []
    except ValidationError as exc:
        return None, [FieldError("action", str(exc.errors()[0].get("msg", "")))]


def target_errors(form: Mapping[str, str], action: str, w: Words) -> list[FieldError]:
    """What the chosen action still needs: a scene, a source, a sound source or a product number."""
    errors = []
    needs = NEEDS.get(action, ())
    if "scene" in needs and not form.get("scene", "").strip():
        errors.append(FieldError("scene", w("error_scene")))
    if "source" in needs and not form.get("source", "").strip():
        errors.append(FieldError("source", w("error_source")))
    if "audio" in needs and not form.get("audio", "").strip():
        errors.append(FieldError("audio", w("error_audio")))
    if "phrase" in needs and not form.get("phrase", "").strip():
        errors.append(FieldError("phrase", w("error_phrase")))
    if "serial" in needs and not (form.get("serial", "").strip().isdigit() and int(form["serial"]) >= 1):
        errors.append(FieldError("serial", w("error_serial")))
    return errors


def with_added(section: GesturesConfig, table: dict[str, Any]) -> list[dict[str, Any]]:
    return [as_table(b) for b in section.bindings] + [table]


def with_removed(section: GesturesConfig, index: int) -> list[dict[str, Any]]:
    return [as_table(b) for i, b in enumerate(section.bindings) if i != index]


def consequential(action: str) -> bool:
    """Asks for the confirm gesture first (record/stream start/stop, stopping the session)."""
    return action in CONSEQUENTIAL
