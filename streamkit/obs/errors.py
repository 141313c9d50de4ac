"""Typed OBS errors, each one line a streamer can act on."""

from __future__ import annotations

from ..errors import StreamkitError

PASSWORD_HINT = "set [obs] password or STREAMKIT_OBS_PASSWORD to the password shown in OBS → Tools → WebSocket Server Settings"

#: obs-websocket 5 ``RequestStatus`` codes by number (from its protocol documentation).
REQUEST_STATUS_NAMES: dict[int, str] = {
    0: "Unknown", 10: "NoError", 100: "Success",
    203: "MissingRequestType", 204: "UnknownRequestType", 205: "GenericError",
    206: "UnsupportedRequestBatchExecutionType", 207: "NotReady",
    300: "MissingRequestField", 301: "MissingRequestData",
    400: "InvalidRequestField", 401: "InvalidRequestFieldType", 402: "RequestFieldOutOfRange",
    403: "RequestFieldEmpty", 404: "TooManyRequestFields",
    500: "OutputRunning", 501: "OutputNotRunning", 502: "OutputPaused", 503: "OutputNotPaused",
    504: "OutputDisabled", 505: "StudioModeActive", 506: "StudioModeNotActive",
    600: "ResourceNotFound", 601: "ResourceAlreadyExists", 602: "InvalidResourceType",
    603: "NotEnoughResources", 604: "InvalidResourceState", 605: "InvalidInputKind",
    606: "ResourceNotConfigurable", 607: "InvalidFilterKind",
    700: "ResourceCreationFailed", 701: "ResourceActionFailed", 702: "RequestProcessingFailed",
    703: "CannotAct",
}


class ObsError(StreamkitError):
    """Base of every OBS error."""


class ObsRequestError(ObsError):
    """OBS answered a request with a failure: ``code`` and ``comment`` are OBS's own ``requestStatus``."""

    def __init__(self, request_type: str, code: int, comment: str = "") -> None:
        self.request_type = request_type
        self.code = code
        self.comment = comment
        name = REQUEST_STATUS_NAMES.get(code, "")
        status = f"{code} {name}".strip()
        detail = f": {comment}" if comment else ""
        super().__init__(f"OBS refused {request_type} ({status}){detail}", _fix_for(code))

    @property
    def code_name(self) -> str:
        """The symbolic name of :attr:`code`, e.g. ``ResourceNotFound``."""
        return REQUEST_STATUS_NAMES.get(self.code, str(self.code))


def _fix_for(code: int) -> str:
    if code == 600:
        return "check the name in OBS, or run: streamkit obs setup"
    if code == 207:
        return "OBS is still starting, try again in a moment"
    return ""


class ObsUnavailable(ObsError):
    """OBS is not connected, or did not answer in time."""


class ObsConnectError(ObsUnavailable):
    """Nothing answers at the OBS address: OBS is not running or its WebSocket server is off."""

    def __init__(self, url: str, reason: str = "") -> None:
        self.url = url
        self.reason = reason
        why = f" ({reason})" if reason else ""
        super().__init__(
            f"cannot reach OBS at {url}{why}: OBS isn't running or its WebSocket server is off",
            "start OBS, tick Tools → WebSocket Server Settings → Enable WebSocket server, and check the port",
        )


class ObsAuthError(ObsUnavailable):
    """OBS refused the password (or needs one and none was given)."""

    def __init__(self, url: str, password_given: bool = True) -> None:
        self.url = url
        what = "refused the password" if password_given else "requires a password and none was given"
        super().__init__(f"OBS at {url} {what}", PASSWORD_HINT)
