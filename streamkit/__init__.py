"""streamkit: accessible live streaming — captions, hands-free control, product cards, coach review."""

__version__ = "0.1.0"

from .errors import StreamkitError  # noqa: E402

__all__ = ["StreamkitError", "__version__"]
