"""What one feature offers another: typed service keys, the protocols behind them, and the registry.

Features never import each other. A plugin that offers something registers it on the session's
:class:`Services` under a :class:`ServiceKey` declared here, and a plugin that needs it asks for
that key: :meth:`Services.get` returns an object typed by the key's protocol, or raises
:class:`FeatureOff` with one sentence saying which feature is off and how to turn it on.

=================  ======================  ============================================
key                protocol                offered by
=================  ======================  ============================================
``PRODUCTS``       :class:`ProductsApi`    the products plugin (catalog + cards)
``GESTURES``       :class:`GesturesApi`    the gestures plugin (pause / resume triggers)
``CAPTIONS``       :class:`CaptionsApi`    the captions plugin (recent utterances)
``REVIEW``         :class:`ReviewLinks`    the review plugin (where a session is reviewed)
``REVIEW_APP``     :class:`ReviewApp`      the review plugin, to the panel (opens the review app)
``SESSION``        :class:`SessionControl` the core (stop the running session hands-free)
``SESSION_LAUNCHER`` :class:`SessionLauncher` the control panel (start a session hands-free)
``SPEECH``         :class:`SpeechApi`      the commands plugin (quick phrases, type-to-speak, status readback)
=================  ======================  ============================================

The caption stream itself is events (:class:`~streamkit.events.Caption`,
:class:`~streamkit.events.Utterance`) on the bus; OBS is the runtime's
:class:`~streamkit.obs.base.ObsSink`.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar, cast

from .errors import StreamkitError
from .events import Utterance

if TYPE_CHECKING:
    from .commands.vocabulary import ProductNames
    from .speech.engine import SpeechEngine
    from .speech.phrases import QuickPhrase

T = TypeVar("T")


class FeatureOff(StreamkitError):
    """A feature asked for another one that is not running in this session."""


@dataclass(frozen=True)
class ServiceKey(Generic[T]):
    """Names one service and says how to turn its feature on."""

    name: str
    feature: str
    how_to_enable: str


class Services:
    """The session's typed registry of what features offer each other (thread-safe)."""

    def __init__(self) -> None:
        self._items: dict[str, object] = {}
        self._lock = threading.Lock()

    def provide(self, key: ServiceKey[T], service: T) -> None:
        """Offer ``service`` under ``key`` for the rest of the session."""
        with self._lock:
            self._items[key.name] = service

    def find(self, key: ServiceKey[T]) -> T | None:
        """The service, or None when its feature is off."""
        with self._lock:
            return cast("T | None", self._items.get(key.name))

    def get(self, key: ServiceKey[T]) -> T:
        """The service; raises :class:`FeatureOff` when its feature is off."""
        service = self.find(key)
        if service is None:
            raise FeatureOff(f"{key.feature} is off in this session", key.how_to_enable)
        return service


# products -------------------------------------------------------------------------------------------


class ProductAction(enum.StrEnum):
    """What can be done to the product card."""

    SHOW = "show"
    HIDE = "hide"
    NEXT = "next"
    PREVIOUS = "previous"
    FLASH_SALE = "flash_sale"


@dataclass(frozen=True)
class CardOnScreen:
    """The product card on stream right now."""

    serial: int
    name: str
    flash_sale_seconds_left: int | None = None


class ProductsApi(Protocol):
    """Product cards, for voice commands, gestures and the panel. Every action returns True when done."""

    def show(self, serial: int, trigger: str = "gesture") -> bool: ...

    def hide(self, reason: str = "gesture") -> bool: ...

    def next(self, trigger: str = "gesture") -> bool: ...

    def previous(self, trigger: str = "gesture") -> bool: ...

    def flash_sale(self, seconds: int | None = None, trigger: str = "gesture") -> bool: ...

    def hotwords(self, language: str | None = None) -> list[str]:
        """Product names and aliases for speech recognition (``"en"``: Latin script only, ``"zh"``: Chinese only)."""
        ...

    def on_screen(self) -> CardOnScreen | None:
        """The card on stream, or None."""
        ...

    def product_names(self) -> "tuple[ProductNames, ...]":
        """The catalog's serials, names and aliases as voice commands name them (follows catalog reloads)."""
        ...


def run_product_action(products: ProductsApi, action: ProductAction, *, serial: int | None = None,
                       seconds: int | None = None, trigger: str = "gesture") -> bool:
    """Do ``action`` on the card (``serial`` for SHOW, ``seconds`` for FLASH_SALE)."""
    match action:
        case ProductAction.SHOW:
            if serial is None:
                raise ValueError("showing a product needs its serial number")
            return products.show(serial, trigger=trigger)
        case ProductAction.HIDE:
            return products.hide(reason=trigger)
        case ProductAction.NEXT:
            return products.next(trigger=trigger)
        case ProductAction.PREVIOUS:
            return products.previous(trigger=trigger)
        case ProductAction.FLASH_SALE:
            return products.flash_sale(seconds, trigger=trigger)


PRODUCTS: ServiceKey[ProductsApi] = ServiceKey(
    "products", "voice-commanded product cards", "set [products] catalog to your catalog file")


# gestures -------------------------------------------------------------------------------------------


class GesturesApi(Protocol):
    """Hands-free triggers, for the panel's "pause all triggers" switch and voice commands."""

    @property
    def paused(self) -> bool: ...

    def pause(self, reason: str = "") -> None:
        """No gesture fires until :meth:`resume` (what is seen is still shown)."""
        ...

    def resume(self) -> None: ...


GESTURES: ServiceKey[GesturesApi] = ServiceKey(
    "gestures", "hands-free gesture control", "add [[gestures.bindings]] to your config")


# captions -------------------------------------------------------------------------------------------


class CaptionsApi(Protocol):
    """The captions feature, for status read-back and the panel."""

    def recent(self, limit: int = 5) -> list[Utterance]:
        """The last ``limit`` finished utterances of every source, oldest first."""
        ...


CAPTIONS: ServiceKey[CaptionsApi] = ServiceKey(
    "captions", "live captions", "set [captions] enabled = true and list your [[captions.sources]]")


# review ---------------------------------------------------------------------------------------------


class ReviewLinks(Protocol):
    """Where the coach review shows a session."""

    def session_url(self, session_id: str) -> str: ...


REVIEW: ServiceKey[ReviewLinks] = ServiceKey("review", "the coach review", "install the review plugin")


class ReviewApp(Protocol):
    """The coach review app, started when first needed (the control panel's sessions page)."""

    def open_session(self, session_id: str) -> str:
        """Start the review app unless it runs already; the address of ``session_id`` in it."""
        ...


REVIEW_APP: ServiceKey[ReviewApp] = ServiceKey("review_app", "the coach review", "install the review plugin")


# session --------------------------------------------------------------------------------------------


class SessionControl(Protocol):
    """The running session itself, for features that end it hands-free (a sign, a face gesture, a voice command)."""

    @property
    def running(self) -> bool:
        """True until the session is asked to stop or has ended."""
        ...

    def stop(self, reason: str = "stopped") -> None:
        """Ask the session to end (returns at once; ``reason`` is written to the session log)."""
        ...


SESSION: ServiceKey[SessionControl] = ServiceKey(
    "session", "the session", "start the session with `streamkit run` or the control panel (`streamkit app`)")


class SessionLauncher(Protocol):
    """Starting a session from outside one: the control panel offers it (``host.services()``) so a sign or
    a face gesture watched while no session runs can start one."""

    @property
    def running(self) -> bool:
        """True while a session is starting, running or stopping."""
        ...

    def start(self, reason: str = "") -> None:
        """Start a session with the configuration on disk (returns at once; ``reason`` says who asked)."""
        ...


SESSION_LAUNCHER: ServiceKey[SessionLauncher] = ServiceKey(
    "session_launcher", "starting a session hands-free", "open the control panel (`streamkit app`)")


# speech ---------------------------------------------------------------------------------------------


class SpeechApi(Protocol):
    """Spoken output during a session: a seller's words into the stream, and status read back in the headphones."""

    def phrases(self) -> "list[QuickPhrase]":
        """The quick-phrase board: the config's phrases, then those made from the catalog."""
        ...

    def say_phrase(self, phrase_id: str, *, repeat: bool = False, wait: bool = False) -> bool:
        """Speak quick phrase ``phrase_id`` into the stream; False when unknown or an accidental repeat.
        ``wait=True`` returns once it has played, and raises the :class:`~streamkit.errors.StreamkitError`
        that stopped it."""
        ...

    def say_text(self, text: str, *, repeat: bool = False, wait: bool = False) -> bool:
        """Speak typed ``text`` into the stream (shown as a caption line); False when refused (``wait`` as above)."""
        ...

    def stream_problem(self) -> "StreamVoiceProblem | None":
        """Why nothing can be spoken into the stream now, or None when it can."""
        ...

    def read_status(self) -> str:
        """Say the status (scene, muted inputs, recording, card) in the headphones; returns the sentence."""
        ...

    def engine(self) -> "SpeechEngine":
        """The session's one speech engine, for another feature's own destination (waits while it loads;
        raises the :class:`~streamkit.errors.StreamkitError` that stopped it)."""
        ...


@dataclass(frozen=True)
class StreamVoiceProblem:
    """Why words cannot be spoken into the stream: ``kind`` is ``stream_off`` ([speech] stream = false),
    ``obs_off`` ([obs] enabled = false) or ``engine`` (the speech model could not be loaded; ``detail`` is
    its one line with the fix)."""

    kind: Literal["stream_off", "obs_off", "engine"]
    detail: str = ""


SPEECH: ServiceKey[SpeechApi] = ServiceKey(
    "speech", "spoken output", "set [speech] enabled = true (and keep [commands] enabled)")
