"""Login throttling: wrong passwords are counted per account and per client address.

When an account (or an address) has had ``limit`` failures within the last ``window`` seconds,
further attempts are refused with 429 and ``Retry-After`` without checking the password, until
the oldest of those failures is ``window`` seconds old: the lockout ends by itself. A success
clears the account's count. State is in memory (per server process) and bounded in size.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_KEYS = 20_000


@dataclass
class LoginThrottle:
    """Failure counts per account and per address; :meth:`retry_after` says whether to refuse."""

    per_account: int = 5
    per_address: int = 20
    window: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def retry_after(self, account: str, address: str) -> int | None:
        """Seconds until an attempt for ``account`` from ``address`` will be checked again; None: check it now."""
        now = self.clock()
        with self._lock:
            waits = [self._wait(key, limit, now) for key, limit in self._keys(account, address)]
        wait = max((w for w in waits if w is not None), default=None)
        return None if wait is None else max(1, math.ceil(wait))

    def failed(self, account: str, address: str) -> None:
        """Count a wrong password (or unknown account)."""
        now = self.clock()
        with self._lock:
            for key, _ in self._keys(account, address):
                self._failures.setdefault(key, deque()).append(now)
                self._failures[key] = self._failures.pop(key)  # most recent last, for pruning
            if len(self._failures) > MAX_KEYS:
                self._prune(now)

    def succeeded(self, account: str) -> None:
        """A correct password: the account starts afresh (its address keeps its count)."""
        with self._lock:
            self._failures.pop(self._account_key(account), None)

    def _keys(self, account: str, address: str) -> list[tuple[str, int]]:
        return [(self._account_key(account), self.per_account), (f"addr:{address}", self.per_address)]

    @staticmethod
    def _account_key(account: str) -> str:
        return f"acct:{account.strip().casefold()}"

    def _wait(self, key: str, limit: int, now: float) -> float | None:
        times = self._failures.get(key)
        if not times:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < limit:
            return None
        return times[-limit] + self.window - now

    def _prune(self, now: float) -> None:
        stale = [k for k, t in self._failures.items() if not t or t[-1] <= now - self.window]
        for key in stale:
            del self._failures[key]
        while len(self._failures) > MAX_KEYS:
            del self._failures[next(iter(self._failures))]
