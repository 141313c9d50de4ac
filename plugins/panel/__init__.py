"""The control panel (``streamkit app``): set up and run streamkit in the browser, no terminal needed.

The panel's own pages — the dashboard, the first-run wizard and the sessions list — are added through
the same ``streamkit_panel_pages`` hook as every feature's pages.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from streamkit.hooks import hookimpl
from streamkit.panel import PanelPage

if TYPE_CHECKING:
    from streamkit.panel import PanelHost

TITLES = {
    "dashboard": {"zh-CN": "控制台", "en": "Dashboard"},
    "sessions": {"zh-CN": "场次记录", "en": "Sessions"},
    "setup": {"zh-CN": "设置向导", "en": "Set-up"},
}


@hookimpl
def streamkit_cli(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """``streamkit app``."""
    from .server import add_app_parser

    add_app_parser(subparsers)


@hookimpl
def streamkit_panel_pages(host: "PanelHost") -> list[PanelPage]:
    """The dashboard (``/``), the sessions list and the wizard; only in the panel's own host."""
    from .host import Host

    if not isinstance(host, Host) or host.feed is None:
        return []
    from .dashboard import Dashboard
    from .sessions import SessionsPage
    from .wizard import Wizard

    return [PanelPage("/", TITLES["dashboard"], Dashboard(host, host.feed).router, order=0),
            PanelPage("/sessions", TITLES["sessions"], SessionsPage(host).router, order=80),
            PanelPage("/setup", TITLES["setup"], Wizard(host).router, order=90)]
