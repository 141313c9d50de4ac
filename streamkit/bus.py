"""One event bus: publishers call :meth:`EventBus.publish`, subscribers get every matching event."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .events import Event

log = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]


class EventBus:
    """Thread-safe, synchronous fan-out. A subscriber that raises is logged and never stops the others."""

    def __init__(self) -> None:
        self._subs: list[tuple[Subscriber, tuple[type[Event], ...]]] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Subscriber, *types: type[Event]) -> Callable[[], None]:
        """Call ``callback`` for events of ``types`` (all events when none given); returns an unsubscribe function."""
        entry = (callback, types or (Event,))
        with self._lock:
            self._subs.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._subs:
                    self._subs.remove(entry)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            subs = list(self._subs)
        for callback, types in subs:
            if isinstance(event, types):
                try:
                    callback(event)
                except Exception:  # noqa: BLE001 - one bad subscriber must not stop the rest
                    log.exception("subscriber %r failed on %s", callback, event.type)
