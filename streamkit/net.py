"""Listening sockets for streamkit's web servers (so ``--port 0`` works and the real address is printed)."""

from __future__ import annotations

import socket

from .errors import StreamkitError


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, with a clear error when the port is taken (a blank host binds every interface)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    host = host.strip("[]")
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StreamkitError(f"cannot listen on {host}:{port}: {exc.strerror}",
                             "pick another --port, or stop the program using it") from None
    sock.listen(2048)  # uvicorn's own default: a burst of connections waits instead of being dropped
    sock.set_inheritable(True)
    return sock
