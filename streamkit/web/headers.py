"""Response headers every streamkit page gets: a content security policy and friends."""

from __future__ import annotations

#: Pages without inline script (the review app): scripts only from our own files.
STRICT_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
              "media-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
#: Overlay pages (OBS browser sources) carry their script inline; nothing may come from elsewhere.
INLINE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
              "script-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'self'; base-uri 'none'; "
              "form-action 'self'")


def security_headers(csp: str) -> dict[str, str]:
    """Headers added to every response that does not set them itself."""
    return {
        "content-security-policy": csp,
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
    }
