"""Helpers for testing and benchmarking streamkit web servers as an attacker would reach them."""

from __future__ import annotations

import re
import select
import socket
from pathlib import Path

import httpx

#: Seconds a test waits for one HTTP answer: httpx's default 5 s is too short on a loaded machine.
PATIENT = 60.0


def csrf_of(html: str) -> str:
    """The CSRF token a streamkit page carries (form field or the page's boot JSON)."""
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html) or re.search(r'"csrf": "([0-9a-f]{64})"', html)
    if not match:
        raise AssertionError("the page carries no CSRF token")
    return match.group(1)


def memory_kib(pid: int, field: str = "VmHWM") -> int:
    """A process's memory figure from /proc (KiB): ``VmHWM`` the peak resident size, ``VmRSS`` the current one."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for pid {pid}")


def reset_peak_memory(pid: int) -> int:
    """Start measuring the peak afresh (Linux ``clear_refs`` 5); returns the current resident size (KiB)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return memory_kib(pid, "VmRSS")


def chunked_post(url: str, path: str, total: int, chunk: int = 64 * 1024) -> tuple[int, int]:
    """POST ``total`` bytes to ``path`` as a chunked body over a raw socket, stopping once the server answers or hangs up.

    Returns (the answer's status code, or 0 when the hang-up came first; bytes of body sent)."""
    target = httpx.URL(url)
    head = (f"POST {path} HTTP/1.1\r\nHost: {target.host}:{target.port}\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n").encode()
    piece = f"{chunk:x}\r\n".encode() + b"a" * chunk + b"\r\n"
    sent = 0
    with socket.create_connection((target.host, target.port), timeout=30) as sock:
        sock.sendall(head)
        try:
            while sent < total and not select.select([sock], [], [], 0)[0]:
                sock.sendall(piece)
                sent += chunk
            if sent >= total:
                sock.sendall(b"0\r\n\r\n")
            answer = sock.recv(4096)
        except OSError:  # the server hung up: what it answered may be lost with the connection
            answer = b""
    return (int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0), sent
