"""OBS Studio over obs-websocket 5: one long-lived client, a dry run, doctor and setup.

``ObsClient`` and ``DryRunObs`` both implement :class:`ObsSink`; plugins only use that protocol.
"""

from .base import ObsEvent, ObsSink
from .client import ObsClient
from .dryrun import DryRunObs
from .errors import ObsAuthError, ObsConnectError, ObsError, ObsRequestError, ObsUnavailable

__all__ = [
    "DryRunObs", "ObsAuthError", "ObsClient", "ObsConnectError", "ObsError", "ObsEvent",
    "ObsRequestError", "ObsSink", "ObsUnavailable",
]
