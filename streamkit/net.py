"""Listening sockets for streamkit's web servers (so ``--port 0`` works and the real address is printed)."""

from __future__ import annotations

import socket

from .errors import StreamkitError


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, with a clear error when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StreamkitError(f"cannot listen on {host}:{port}: {exc.strerror}",
                             "pick another --port, or stop the program using it") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
