"""Which ``Host`` a streamkit web server answers to, and which bind addresses expose it.

DNS rebinding: a page on ``evil.example`` re-points its own name at 127.0.0.1 and then reads our
pages as if they were its own. The browser still sends ``Host: evil.example``, so a server that
answers only to its own names cannot be read that way. Its own names are: loopback names, the
address the client connected to (``scope["server"]``), the configured bind host, and the names
the user configured (``allowed_hosts``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import Scope

WILDCARD_HOSTS = ("", "0.0.0.0", "::", "[::]", "*")
_HOST_CHARS = re.compile(r"^[A-Za-z0-9.\-:\[\]%]{1,300}$")


def is_loopback(host: str) -> bool:
    """True for ``localhost``, 127.x.x.x and ``::1``; False for a blank or wildcard host."""
    name = host.strip().lower().strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """True for a bind address that means "every interface" (``""``, ``0.0.0.0``, ``::``)."""
    return host.strip() in WILDCARD_HOSTS


def exposes_network(host: str) -> bool:
    """A server bound to ``host`` can be reached from other machines (blank and wildcard included)."""
    return not is_loopback(host)


def host_of(header: str) -> str | None:
    """The lower-case name or address in a ``Host`` header (no port, no brackets); None when malformed."""
    if not _HOST_CHARS.match(header):
        return None
    try:
        parts = urlsplit("//" + header)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    return parts.hostname or None


class HostCheck:
    """Decides whether a request's ``Host`` is one of this server's own names."""

    def __init__(self, bind_host: str, allowed_hosts: Iterable[str] = ()) -> None:
        names = {h.strip().lower().strip("[]") for h in allowed_hosts if h.strip()}
        if not is_wildcard(bind_host):
            names.add(bind_host.strip().lower().strip("[]"))
        self.names = frozenset(names)

    def allows(self, host: str, scope: Scope) -> bool:
        if host in self.names or is_loopback(host):
            return True
        server = scope.get("server")
        return bool(server) and str(server[0]).lower().strip("[]") == host
