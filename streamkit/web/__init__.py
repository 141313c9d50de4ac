"""Shared protection for streamkit's web servers (review app, overlay server, control panel).

A new web app gets all of it with::

    from streamkit.web import WebPolicy, create_web_app
    app = create_web_app("streamkit panel", WebPolicy(bind_host=host, allowed_hosts=...))

and uses :class:`Csrf`, :func:`read_json_object`, :class:`LoginThrottle`,
:func:`verify_password_async`, :func:`contained_file` and :func:`set_cookie` in its routes.
"""

from __future__ import annotations

from .cookies import Csrf, is_https, set_cookie
from .files import contained_file
from .guard import WebGuard, WebPolicy, create_web_app, protect
from .headers import INLINE_CSP, STRICT_CSP
from .hosts import exposes_network, is_loopback, is_wildcard
from .jsonbody import BadJson, parse_json, read_json_object
from .passwords import hash_password, verify_password, verify_password_async
from .scripts import json_script
from .throttle import LoginThrottle

__all__ = [
    "BadJson", "Csrf", "INLINE_CSP", "LoginThrottle", "STRICT_CSP", "WebGuard", "WebPolicy", "contained_file",
    "create_web_app", "exposes_network", "hash_password", "is_https", "is_loopback", "is_wildcard", "json_script",
    "parse_json",
    "protect", "read_json_object", "set_cookie", "verify_password", "verify_password_async",
]
