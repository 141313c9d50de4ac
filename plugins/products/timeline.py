"""The products row of a recorded session's timeline: each card's 讲解 segment and the refused commands."""

from __future__ import annotations

from collections.abc import Sequence

from streamkit.events import Event
from streamkit.timeline import CommandCounts, Lane, LaneKind, Mark, MediaClock, Span

from .events import ProductCardHidden, ProductCardShown, ProductCommandRejected

#: Triggers that are not spoken commands.
NOT_SPOKEN = ("", "gesture", "manual")


def products_lane(events: Sequence[Event], clock: MediaClock) -> Lane | None:
    """One span per card on screen (labelled with the product name); None when no card was ever shown."""
    spans: list[Span] = []
    refused: list[Mark] = []
    spoken = 0
    open_card: tuple[float, ProductCardShown] | None = None
    for e in events:
        if isinstance(e, ProductCardShown):
            spoken += e.trigger not in NOT_SPOKEN
            if open_card is not None:
                spans.append(_span(open_card, clock.pos(e.ts)))
            open_card = (clock.pos(e.ts), e)
        elif isinstance(e, ProductCardHidden) and open_card is not None:
            spans.append(_span(open_card, clock.pos(e.ts)))
            open_card = None
        elif isinstance(e, ProductCommandRejected):
            refused.append(Mark(clock.pos(e.ts), e.text, e.reason))
    if open_card is not None:
        spans.append(_span(open_card, clock.span_end(open_card[0])))
    if not spans and not refused:
        return None
    return Lane("products", {"zh-CN": "讲解", "en": "Products"}, LaneKind.SEGMENTS, spans=tuple(spans),
                refused=tuple(refused), commands=CommandCounts(done=spoken, refused=len(refused)), order=20)


def _span(opened: tuple[float, ProductCardShown], end: float) -> Span:
    start, shown = opened
    return Span(start, end, shown.name or shown.product_id, shown.product_id)
