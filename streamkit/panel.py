"""The control panel's contract with the features: each feature adds its own pages to the panel.

The panel (``streamkit app``) is a local web app that sets up and runs streamkit without a terminal.
It owns the chrome (navigation, language, accessibility, protection of every request) and the
session; each feature contributes the pages only it knows how to draw through the
``streamkit_panel_pages`` hook, which receives a :class:`PanelHost` and returns :class:`PanelPage`\\ s.
A page talks to the rest of streamkit only through the host and the typed contracts of
:mod:`streamkit.features` (``host.session().services``), never by importing another feature.

Pages are protected by the panel: every route is served on loopback with the Host header checked,
and every write (POST, PUT, PATCH, DELETE) must carry the page's CSRF token — the chrome puts it in
``<meta name="csrf-token">``; ``panel.js`` offers ``streamkitPanel.post(url, body)`` which sends it,
and a plain ``<form method="post">`` gets it from ``{{ csrf_field() }}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from fastapi import APIRouter, Request
    from fastapi.responses import HTMLResponse

    from .config import Config
    from .features import Services
    from .obs.base import ObsSink
    from .runtime import Runtime


@dataclass(frozen=True)
class PanelPage:
    """One page of the panel: a navigation entry, and the routes of ``router`` mounted under ``path``."""

    path: str  # e.g. "/gestures"; "/" is the dashboard
    title: Mapping[str, str]  # by language: {"zh-CN": "手势", "en": "Hands and face"}
    router: "APIRouter"
    order: int = 50  # position in the navigation (smaller first)
    templates: Path | None = None  # the feature's Jinja templates (they extend "panel/base.html")
    hands_free: tuple[str, ...] = field(default=())  # panel actions this page offers to signs and voice
    uploads: Mapping[str, int] = field(default_factory=dict)  # routes (under ``path``) taking larger bodies: bytes
    # the page's step of the first-run wizard, a path under ``path`` ('' = none): the wizard links there
    # with ``?next=URL`` after its own questions, and the page sends the person on to ``next`` when done
    wizard_step: str = ""


class PanelHost(Protocol):
    """What the panel offers every feature's pages."""

    def config(self) -> "Config":
        """The configuration as it is on disk now (re-read when the file changes); all defaults before
        the wizard first writes it. ``config().path`` is the file, even before it exists."""
        ...

    def write_config(self, section: str, changes: Mapping[str, object]) -> "Config":
        """Set keys of ``[section]`` in the config file, keeping its comments and the user's own edits;
        returns the new config. ``None`` removes a key (back to its default); a list of tables is written
        as ``[[section.key]]``. Raises :class:`~streamkit.errors.ConfigError` (file unchanged) when the
        result would not be valid."""
        ...

    def language(self, request: "Request") -> str:
        """``zh-CN`` or ``en``: what this person reads the panel in."""
        ...

    def render(self, request: "Request", template: str, context: Mapping[str, object], *,
               title: str, status_code: int = 200) -> "HTMLResponse":
        """A page in the panel's chrome (navigation, language switch, live regions, CSRF token).

        The template extends ``panel/base.html`` and fills ``{% block content %}`` (and ``{% block scripts %}``);
        it gets ``t`` (the person's words), ``lang``, ``csrf`` and ``csrf_field()``; the wizard's macros
        (error summary, field errors, back link) are in ``panel/setup/_macros.html``."""
        ...

    def session(self) -> "Runtime | None":
        """The running session, or None when none runs."""
        ...

    def obs(self) -> "ObsSink":
        """The panel's own OBS connection (scene and source names live, screenshots of the camera source)."""
        ...

    def home(self) -> Path:
        """STREAMKIT_HOME: where profiles, catalogs' pictures and sessions are kept."""
        ...

    def services(self) -> "Services":
        """What features offer the panel itself, outside any session (e.g. ``REVIEW_APP``); a feature
        provides them from its ``streamkit_panel_pages`` hook."""
        ...


class PageWords:
    """A page's sentences by key, each ``(Simplified Chinese, English)``; ``{name}`` fields filled on use."""

    def __init__(self, texts: Mapping[str, tuple[str, str]]) -> None:
        self.texts = texts

    def text(self, key: str, language: str, **values: Any) -> str:
        """The sentence ``key`` in ``language`` (zh-CN unless English)."""
        zh, en = self.texts[key]
        chosen = en if language == "en" else zh
        return chosen.format(**values) if values else chosen

    def all_text(self, language: str) -> dict[str, str]:
        """Every sentence in ``language``, for the page's script."""
        return {key: self.text(key, language) for key in self.texts}
