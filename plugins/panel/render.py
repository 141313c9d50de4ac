"""The dashboard's tiles as HTML, one ``(data-tile id, html)`` pair each, in page order — the same
macros render the first page and every live update."""

from __future__ import annotations

from markupsafe import Markup

from .board import Board
from .host import Host, csrf_input
from .i18n import translator


def render_board(host: Host, board: Board, lang: str, csrf: str) -> list[tuple[str, str]]:
    """Every tile of ``board`` in ``lang``, with forms carrying ``csrf``."""
    t = translator(lang)
    macros = host.env.get_template("panel/tiles.html").module  # type: ignore[attr-defined]

    def csrf_field() -> Markup:
        return csrf_input(csrf)

    setup_done = host.file.exists
    tiles = [("session", macros.session_tile(board, t, csrf_field, setup_done)),
             ("pause", macros.pause_tile(board, t, csrf_field)),
             ("problems", macros.problems_tile(board, t, csrf_field)),
             ("obs", macros.obs_tile(board, t))]
    tiles += [(f"f-{tile.id}", macros.feature_tile(tile, t)) for tile in board.tiles]
    return [(tid, Markup(str(html))) for tid, html in tiles]
