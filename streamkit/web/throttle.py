"""Login throttling: attempts are counted per account and per client address.

Every admitted attempt counts as a failure from the moment it is admitted (so parallel guesses
cannot slip past the limit while their hashes run) until :meth:`LoginThrottle.succeeded` takes
it back. When an account (or an address) has ``limit`` failures within the last ``window``
seconds, further attempts are refused with 429 and ``Retry-After`` without checking the password,
until the oldest of those failures is ``window`` seconds old: the lockout ends by itself. A
success clears the account's count. Every failed or refused attempt is answered ``failure_delay`` seconds
late (an idle wait, no work), so a client hammering the login cannot crowd out other requests.
State is in memory (per server process) and bounded in size.
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
    failure_delay: float = 0.5
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def admit(self, account: str, address: str) -> int | None:
        """None: check this attempt's password (it counts as a failure unless :meth:`succeeded` follows);
        else the seconds to wait (``Retry-After``), and the attempt is not checked at all."""
        now = self.clock()
        with self._lock:
            waits = [self._wait(key, limit, now) for key, limit in self._keys(account, address)]
            wait = max((w for w in waits if w is not None), default=None)
            if wait is not None:
                return max(1, math.ceil(wait))
            for key, _ in self._keys(account, address):
                self._failures[key] = self._failures.pop(key, deque())  # most recent last, for pruning
                self._failures[key].append(now)
            if len(self._failures) > MAX_KEYS:
                self._prune(now)
        return None

    def succeeded(self, account: str, address: str) -> None:
        """The admitted attempt had the right password: the account starts afresh, the address gets it back."""
        with self._lock:
            self._failures.pop(self._account_key(account), None)
            times = self._failures.get(f"addr:{address}")
            if times:
                times.pop()

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
