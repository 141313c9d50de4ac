"""Report PDFs: rendered one at a time per user, a few at a time in all, kept until the session changes.

Printing a report starts a headless Chromium (seconds of CPU). Six parallel exports by one coach
used to start six; now the second waits for the first and gets its cached copy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

RENDERERS = 2
KEEP = 16


class PdfExports:
    """A small LRU of PDFs keyed by what they show, with a lock per user and a cap on parallel renders."""

    def __init__(self, renderers: int = RENDERERS, keep: int = KEEP) -> None:
        self._slots = threading.BoundedSemaphore(renderers)
        self._keep = keep
        self._lock = threading.Lock()
        self._user_locks: dict[Hashable, threading.Lock] = {}
        self._cache: OrderedDict[Hashable, bytes] = OrderedDict()
        self.renders = 0

    def get(self, user: Hashable, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """The PDF for ``key`` (from the cache, or made by ``render`` while holding ``user``'s turn)."""
        with self._user_lock(user):
            cached = self._cached(key)
            if cached is not None:
                return cached
            with self._slots:
                cached = self._cached(key)  # another user may have made it meanwhile
                if cached is not None:
                    return cached
                pdf = render()
                self.renders += 1
            with self._lock:
                self._cache[key] = pdf
                while len(self._cache) > self._keep:
                    self._cache.popitem(last=False)
            return pdf

    def _cached(self, key: Hashable) -> bytes | None:
        with self._lock:
            pdf = self._cache.get(key)
            if pdf is not None:
                self._cache.move_to_end(key)
            return pdf

    def _user_lock(self, user: Hashable) -> threading.Lock:
        with self._lock:
            return self._user_locks.setdefault(user, threading.Lock())
