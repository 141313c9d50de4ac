"""``streamkit.toml``: one file, one section per plugin, every value with a documented default.

Core sections are ``[obs]`` and ``[session]``; plugins add theirs through the
``streamkit_config_sections`` hook. Errors name the file, the key and what was expected.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError

if TYPE_CHECKING:
    from .hooks import Plugins

PASSWORD_ENV = "STREAMKIT_OBS_PASSWORD"


class Section(BaseModel):
    """Base of every config section: unknown keys are errors, values are checked strictly."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


class ObsConfig(Section):
    """How to reach OBS (obs-websocket 5)."""

    url: str = Field("ws://127.0.0.1:4455", description="obs-websocket address, ws://HOST:PORT")
    password: str = Field("", description=f"server password; {PASSWORD_ENV} overrides it when set")
    timeout: float = Field(3.0, gt=0, description="seconds to wait for one request")
    enabled: bool = Field(True, description="false: never connect, print OBS actions instead (dry run)")
    record: bool = Field(False, description="start an OBS recording with the session and stop it at the end")
    main_scene: str = Field("", description="scene made current when the session starts ('' leaves it)")

    @field_validator("url")
    @classmethod
    def _ws_url(cls, v: str) -> str:
        if not (v.startswith("ws://") or v.startswith("wss://")):
            raise ValueError("a ws://HOST:PORT address")
        return v

    def resolved_password(self) -> str:
        return os.environ.get(PASSWORD_ENV, self.password)


class SessionConfig(Section):
    """Where and how a session is recorded."""

    name: str = Field("", description="a label for the session list ('' uses the start time)")
    language: Literal["zh-CN", "en"] = Field("zh-CN", description="language of messages and pages")


class OverlayConfig(Section):
    """The local web server for OBS browser-source overlays and the streamer's monitor page."""

    host: str = Field("127.0.0.1", description="address to listen on (loopback keeps the pages private)")
    port: int = Field(8765, ge=0, le=65535, description="TCP port (0 picks a free one)")
    enabled: bool = Field(True, description="false: no overlay pages during a session")
    allowed_hosts: list[str] = Field([], description="names the pages answer to besides loopback names and the "
                                     "address a browser connected to")


CORE_SECTIONS: dict[str, type[Section]] = {"obs": ObsConfig, "session": SessionConfig, "overlay": OverlayConfig}


class Config:
    """A validated configuration: ``config.section(name)`` returns that section's model.

    ``plugins`` are the plugins whose sections it was validated with (the process's own)."""

    def __init__(self, sections: dict[str, BaseModel], path: Path | None = None,
                 plugins: "Plugins | None" = None) -> None:
        self._sections = sections
        self.path = path
        self._plugins = plugins

    @property
    def plugins(self) -> "Plugins":
        from .hooks import process_plugins

        return self._plugins if self._plugins is not None else process_plugins()

    @property
    def obs(self) -> ObsConfig:
        return self._sections["obs"]  # type: ignore[return-value]

    @property
    def overlay(self) -> OverlayConfig:
        return self._sections["overlay"]  # type: ignore[return-value]

    @property
    def session(self) -> SessionConfig:
        return self._sections["session"]  # type: ignore[return-value]

    def section(self, name: str) -> Any:
        return self._sections[name]

    def resolve_path(self, value: str | Path) -> Path:
        """A path from the config: absolute as given; a relative one is looked up next to the config
        file first, then in the working directory (beside the config when it is in neither)."""
        p = Path(value).expanduser()
        if p.is_absolute():
            return p
        if self.path is not None:
            beside = self.path.resolve().parent / p
            if beside.exists() or not p.exists():
                return beside
        return p.resolve()

    def has(self, name: str) -> bool:
        return name in self._sections

    def to_dict(self) -> dict[str, Any]:
        return {name: model.model_dump(mode="json") for name, model in self._sections.items()}


def all_section_models(plugins: "Plugins | None" = None) -> dict[str, type[BaseModel]]:
    """Core sections plus those of every plugin (the process's plugins when none are given)."""
    from .hooks import process_plugins

    return {**CORE_SECTIONS, **(plugins or process_plugins()).config_sections()}


def _expected(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    msg = err.get("msg", "")
    if kind.startswith("value_error"):
        return msg.removeprefix("Value error, ")
    named = {"float_parsing": "a number", "int_parsing": "a whole number", "bool_parsing": "true or false",
             "string_type": "text in quotes", "float_type": "a number", "int_type": "a whole number",
             "bool_type": "true or false", "list_type": "a list [...]", "dict_type": "a table {...}"}
    if kind in named:
        return named[kind]
    for prefix in ("Input should be ", "Value should be "):
        if msg.startswith(prefix):
            return msg.removeprefix(prefix)
    return msg[0].lower() + msg[1:] if msg else kind


def _describe(file: str, section: str, err: dict[str, Any], allowed: list[str]) -> str:
    loc = ""
    for part in err.get("loc", ()):  # list items are counted from 1, as a person counts [[tables]]
        loc += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    where = f"{file}: [{section}] {loc}" if loc else f"{file}: [{section}]"
    if err.get("type") == "extra_forbidden":
        key = str(err["loc"][-1])
        near = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean '{near[0]}'?" if near else f"known keys: {', '.join(allowed)}"
        return f"{where}: unknown key — {hint}"
    got = err.get("input")
    if isinstance(got, dict):  # a check across several keys: the whole table says nothing more
        return f"{where}: {_expected(err)}"
    return f"{where}: expected {_expected(err)}, got {got!r}"


def validate(data: dict[str, Any], file: str = "<config>", models: dict[str, type[BaseModel]] | None = None,
             plugins: "Plugins | None" = None) -> Config:
    """Validate parsed TOML; raises :class:`ConfigError` whose ``problems`` lists every problem, one line each."""
    models = models if models is not None else all_section_models(plugins)
    problems: list[str] = []
    sections: dict[str, BaseModel] = {}
    for name, value in data.items():
        if name not in models:
            near = difflib.get_close_matches(name, list(models), n=1)
            hint = f"did you mean [{near[0]}]?" if near else f"known sections: {', '.join(sorted(models))}"
            problems.append(f"{file}: [{name}]: unknown section — {hint}")
        elif not isinstance(value, dict):
            problems.append(f"{file}: {name}: expected a [{name}] section, got {value!r}")
    for name, model in models.items():
        raw = data.get(name, {})
        if not isinstance(raw, dict):
            continue
        try:
            sections[name] = model.model_validate(raw)
        except ValidationError as exc:
            allowed = list(model.model_fields)
            problems.extend(_describe(file, name, e, allowed) for e in exc.errors())
    if problems:
        error = ConfigError(problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
                            f"fix it, then run: streamkit config check {file}")
        error.problems = problems  # type: ignore[attr-defined]
        raise error
    return Config(sections, plugins=plugins)


def load(path: str | Path | None, plugins: "Plugins | None" = None) -> Config:
    """Read and validate a config file; ``None`` gives all defaults."""
    if path is None:
        return validate({}, "<defaults>", plugins=plugins)
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: config file not found", "pass --config with an existing file (sample: samples/streamkit.toml)") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: not UTF-8 text", "save the config file as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}", "fix the syntax at that line") from None
    config = validate(data, str(p), plugins=plugins)
    config.path = p
    return config


def defaults_toml(models: dict[str, type[BaseModel]] | None = None) -> str:
    """Every section and key with its default and description, as commented TOML (for the README)."""
    models = models if models is not None else all_section_models()
    lines: list[str] = []
    for name, model in models.items():
        lines.append(f"[{name}]")
        for key, field in model.model_fields.items():
            default = field.get_default(call_default_factory=True)
            lines.append(f"# {field.description or ''}".rstrip())
            lines.append(f"{key} = {_toml_value(default)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(v: Any) -> str:
    import json

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, BaseModel):
        v = v.model_dump(mode="json")
    if isinstance(v, dict):
        inner = ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(x)}" for k, x in v.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(str(v), ensure_ascii=False)
