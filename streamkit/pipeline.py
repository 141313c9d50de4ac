"""Sources → processors → sinks.

A :class:`Processor` overrides one method, :meth:`Processor.process`, and yields what it
produces. A :class:`Pipeline` is a plain list of processors fed by one source; every output
of the last processor is published on the bus (processors pass on what they don't handle), and a
:class:`~streamkit.events.SourceEnded` event says when and why the source ended.
:func:`run_test` lets a plugin author test a processor by sending events in and looking at
what comes out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator

from .bus import EventBus
from .events import Event, SourceEnded

log = logging.getLogger(__name__)


class Processor:
    """One step of a pipeline: takes an event, yields zero or more events."""

    def process(self, event: Event) -> Iterable[Event]:
        yield event

    def flush(self) -> Iterable[Event]:
        """Called once at the end of input: yield whatever is still buffered."""
        return ()

    def close(self) -> None:
        """Release resources (models, devices)."""


class Source:
    """Something that yields events (audio chunks, video frames) until it ends."""

    name: str = "source"

    def __iter__(self) -> Iterator[Event]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the device or file."""


class Pipeline:
    """A source feeding a list of processors; outputs go on the bus."""

    def __init__(self, source: Iterable[Event], processors: list[Processor], bus: EventBus) -> None:
        self.source = source
        self.processors = processors
        self.bus = bus
        self._stop = threading.Event()

    def _push(self, event: Event, index: int) -> None:
        if index == len(self.processors):
            self.bus.publish(event)
            return
        for out in self.processors[index].process(event):
            self._push(out, index + 1)

    def run(self) -> None:
        """Run until the source ends or :meth:`stop` is called; a failing source ends only this pipeline.

        Processors are flushed first, then :class:`SourceEnded` is published with the reason.
        """
        name = getattr(self.source, "name", "source")
        ended = SourceEnded(source=name, reason="end of input")
        try:
            for event in self.source:
                if self._stop.is_set():
                    ended = SourceEnded(source=name, reason="stopped")
                    break
                self._push(event, 0)
        except Exception as exc:  # noqa: BLE001 - report, then flush what we have
            log.warning("source %s failed: %s", name, exc)
            ended = SourceEnded(source=name, reason="error", error=str(exc))
        finally:
            for i, proc in enumerate(self.processors):
                for out in proc.flush():
                    self._push(out, i + 1)
            for proc in self.processors:
                proc.close()
            close = getattr(self.source, "close", None)
            if close:
                close()
            self.bus.publish(ended)

    def start(self) -> threading.Thread:
        """Run in a daemon thread; returns the thread."""
        thread = threading.Thread(target=self.run, name=f"pipeline-{getattr(self.source, 'name', 'src')}", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()


def run_test(processor: Processor, events: Iterable[Event]) -> list[Event]:
    """Feed ``events`` through ``processor`` (then flush) and return everything it yielded."""
    out: list[Event] = []
    for event in events:
        out.extend(processor.process(event))
    out.extend(processor.flush())
    return out
