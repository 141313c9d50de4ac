"""Password hashes (scrypt from the standard library), checked off the event loop.

A hash takes ~50 ms of CPU and 16 MB: run on the event loop it stalls every other request, so
:func:`verify_password_async` runs it in a worker thread, at most :data:`HASH_WORKERS` at a time.
An unknown user is checked against a dummy hash, so a wrong name costs exactly what a wrong
password costs and answer times do not tell which names exist.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import threading
import weakref

import anyio.to_thread
from anyio import CapacityLimiter

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
HASH_WORKERS = max(1, (os.cpu_count() or 2) // 2)

_dummy: str | None = None
_dummy_lock = threading.Lock()
_limiters: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter]" = weakref.WeakKeyDictionary()


def hash_password(password: str) -> str:
    """scrypt with a random salt, stored as ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def prepare() -> None:
    """Make the dummy hash now (an app with logins calls this at start, so even the first unknown name costs one hash)."""
    _dummy_hash()


def _dummy_hash() -> str:
    global _dummy
    with _dummy_lock:
        if _dummy is None:
            _dummy = hash_password(secrets.token_urlsafe(16))
        return _dummy


def _parts(stored: str | None) -> tuple[int, int, int, bytes, str] | None:
    try:
        kind, n, r, p, salt, digest = (stored or "").split("$")
        return (int(n), int(r), int(p), bytes.fromhex(salt), digest) if kind == "scrypt" else None
    except ValueError:
        return None


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches ``stored``; ``None`` or an unusable hash does the same work and is False."""
    parts = _parts(stored)
    n, r, p, salt, digest = parts or _parts(_dummy_hash())  # type: ignore[misc]
    got = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return hmac.compare_digest(got.hex(), digest) and parts is not None


async def verify_password_async(password: str, stored: str | None) -> bool:
    """:func:`verify_password` in a worker thread (never on the event loop), a few at a time."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = CapacityLimiter(HASH_WORKERS)
    return await anyio.to_thread.run_sync(verify_password, password, stored, limiter=limiter)
