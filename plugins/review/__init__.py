"""The review plugin: a coach review web app over recorded sessions (``streamkit review ...``)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from streamkit.features import REVIEW, REVIEW_APP
from streamkit.hooks import hookimpl
from streamkit.web import is_wildcard

from .config import ReviewConfig

if TYPE_CHECKING:
    from streamkit.panel import PanelHost, PanelPage
    from streamkit.runtime import Runtime

__all__ = ["ReviewConfig", "review_url"]


def review_url(config: Any, session_id: str) -> str:
    """Where ``streamkit review serve`` (with this config) shows ``session_id``."""
    cfg = config.section("review") if config is not None and config.has("review") else ReviewConfig()
    host = "127.0.0.1" if is_wildcard(cfg.host) else cfg.host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{cfg.port}/sessions/{session_id}"


@hookimpl
def streamkit_config_sections() -> dict[str, type[ReviewConfig]]:
    """The ``[review]`` section."""
    return {"review": ReviewConfig}


@hookimpl
def streamkit_cli(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """``streamkit review serve|import|user|share|own|list|export``."""
    from .cli import add_review_parser

    add_review_parser(subparsers)


class ConfiguredReviewLinks:
    """Where ``streamkit review serve`` with the session's config shows a session."""

    def __init__(self, config: Any) -> None:
        self.config = config

    def session_url(self, session_id: str) -> str:
        return review_url(self.config, session_id)


@hookimpl
def streamkit_session_start(runtime: "Runtime") -> None:
    """Offer ``REVIEW`` (where the session will be reviewed); the review runs no component live."""
    runtime.services.provide(REVIEW, ConfiguredReviewLinks(runtime.config))


@hookimpl
def streamkit_panel_pages(host: "PanelHost") -> "list[PanelPage]":
    """No page of its own: offers the panel ``REVIEW_APP``, which opens a session in the review app."""
    from .panel import ReviewOnDemand

    host.services().provide(REVIEW_APP, ReviewOnDemand(host))
    return []
