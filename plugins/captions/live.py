"""The captions feature during a session: sources → recognition → OBS, overlay, monitor and files."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from streamkit.component import State, Status, Tasks
from streamkit.config import Config
from streamkit.events import Caption, CoachPrompt, SourceEnded, SpokenPhrase, Utterance
from streamkit.features import PRODUCTS
from streamkit.pipeline import Pipeline, Source
from streamkit.text import UtteranceAssembler

from .config import AudioSourceConfig, CaptionsConfig
from .decoder import WhisperDecoder
from .display import PROMPT_CHANNEL, CaptionDisplay
from .files import CaptionFiles
from .layout import CaptionLayout
from .obs_io import Cea608Sender, MuteTracker
from .processor import CaptionProcessor
from .streaming import StreamingOptions
from .textproc import DisplayStyle, TextFilter
from .vad import VadSettings

if TYPE_CHECKING:
    from streamkit.clock import Clock
    from streamkit.runtime import Runtime

log = logging.getLogger(__name__)

#: The monitor page wraps lines itself (its width is the streamer's screen): one row per speaker turn.
MONITOR_LINE_WIDTH = 160


def streaming_options(cfg: CaptionsConfig, language: str = "") -> StreamingOptions:
    """The recognition options a config asks for (``language`` overrides the section's)."""
    text_filter = TextFilter(cfg.replace, cfg.profanity, cfg.profanity_mask) if (cfg.replace or cfg.profanity) else None
    return StreamingOptions(
        language=language or cfg.language,
        step=cfg.step,
        beam_size=cfg.beam_size,
        final_beam_size=cfg.final_beam_size,
        revise=cfg.revise,
        max_buffer=cfg.max_buffer,
        hard_max_buffer=max(cfg.max_buffer + 5.0, 20.0),
        initial_prompt=cfg.initial_prompt,
        hotwords=tuple(cfg.hotwords),
        no_speech_threshold=cfg.no_speech_threshold,
        logprob_threshold=cfg.logprob_threshold,
        vad=VadSettings(threshold=cfg.vad.threshold, min_silence=cfg.vad.min_silence,
                        min_speech=cfg.vad.min_speech, pre_roll=cfg.vad.pre_roll,
                        long_speech=cfg.vad.long_speech, long_min_silence=cfg.vad.long_min_silence),
        blocklist=tuple(cfg.blocklist),
        style=DisplayStyle(script=cfg.script, punctuation=cfg.punctuation, filter=text_filter, numbers=cfg.numbers),
    )


def open_source(sc: AudioSourceConfig, *, realtime: bool, clock: "Clock", config: Config | None = None) -> Source:
    """The audio source a ``[[captions.sources]]`` entry describes (raises ``SourceError`` when it cannot open).

    A relative file path is resolved by ``config.resolve_path`` (beside the config file) when given."""
    from streamkit.sources.audio import FileAudioSource, LoopbackSource, MicSource

    device: int | str | None = sc.device or None
    if isinstance(device, str) and device.isdigit():
        device = int(device)
    if sc.kind == "file":
        path = config.resolve_path(sc.path) if config is not None else Path(sc.path).expanduser()
        return FileAudioSource(path, name=sc.name, realtime=realtime, clock=clock)
    if sc.kind == "desktop":
        return LoopbackSource(device, name=sc.name)
    return MicSource(device, name=sc.name)


class CaptionsSession:
    """The captions component of a session (:class:`~streamkit.component.Component`), and the
    :class:`~streamkit.features.CaptionsApi` it offers: the last utterances of every source."""

    name = "captions"

    def __init__(self, runtime: "Runtime", cfg: CaptionsConfig, *, decoder: WhisperDecoder | None = None,
                 sources: Sequence[tuple[AudioSourceConfig, Source]] | None = None) -> None:
        self.runtime = runtime
        self.cfg = cfg
        self.decoder = decoder
        self._given_sources = sources
        self.display: CaptionDisplay | None = None
        self.files: CaptionFiles | None = None
        self.mutes: MuteTracker | None = None
        self.cea608: Cea608Sender | None = None
        self.processors: dict[str, CaptionProcessor] = {}
        self.urls: dict[str, str] = {}
        self.failed: dict[str, str] = {}
        self._unsubscribe: list[Callable[[], None]] = []
        self._utterances = UtteranceAssembler()
        self._recent: deque[Utterance] = deque(maxlen=50)
        self._lock = threading.Lock()
        self._state = State.STARTING
        self._ended: set[str] = set()

    def _hotwords(self) -> Callable[[], Sequence[str]] | None:
        if not self.cfg.use_product_names:
            return None
        services = self.runtime.services
        english_only = self.decoder is not None and not self.decoder.multilingual

        def product_names() -> Sequence[str]:
            products = services.find(PRODUCTS)
            if products is None:
                return ()
            return products.hotwords("en") if english_only else products.hotwords()

        return product_names

    def start(self, tasks: Tasks) -> None:
        """Load the model, open the sources and outputs, start one pipeline per source."""
        cfg, rt = self.cfg, self.runtime
        if self.decoder is None:
            self.decoder = WhisperDecoder(cfg.model, cpu_threads=cfg.cpu_threads)
        several = len(cfg.sources) > 1
        lay = cfg.layout
        stream_layout = CaptionLayout(lay.chars_per_line, lay.lines, lay.clear_after, lay.show_partial,
                                      lay.speaker_labels and several)
        monitor_layout = CaptionLayout(MONITOR_LINE_WIDTH, cfg.monitor.lines, 0.0, True, speaker_labels=True,
                                       label_single_speaker=True)
        overlay = rt.overlay
        if overlay is not None:
            from .pages import add_pages

            self.urls = add_pages(overlay, cfg.overlay, cfg.monitor)
        self.display = CaptionDisplay(stream_layout, monitor_layout, obs=rt.obs, obs_input=cfg.obs_text_source,
                                      min_interval=cfg.obs_min_interval, overlay=overlay,
                                      spoken_label=lay.spoken_label).start()
        if cfg.files:
            self.files = CaptionFiles(rt.session.dir, cfg.files, speaker_labels=several,
                                      max_width=lay.chars_per_line * lay.lines)
        self.mutes = MuteTracker(rt.obs, [s.obs_input for s in cfg.sources], bus=rt.bus).start()
        if cfg.cea608:
            self.cea608 = Cea608Sender(rt.obs, bus=rt.bus).start()
        self._unsubscribe.append(rt.bus.subscribe(self._on_caption, Caption))
        self._unsubscribe.append(rt.bus.subscribe(self._on_source_ended, SourceEnded))
        self._unsubscribe.append(rt.bus.subscribe(self._on_spoken, SpokenPhrase))
        self._unsubscribe.append(rt.bus.subscribe(self._on_prompt, CoachPrompt))
        pairs = self._given_sources
        if pairs is None:
            pairs = []
            for sc in cfg.sources:
                try:
                    pairs.append((sc, open_source(sc, realtime=rt.realtime, clock=rt.clock, config=rt.config)))
                except Exception as exc:  # noqa: BLE001 - one missing device must not stop the others
                    self.failed[sc.name] = str(exc)
                    log.error("captions: source %s could not start: %s", sc.name, exc)
                    rt.bus.publish(SourceEnded(source=sc.name, reason="error", error=str(exc)))
        info = rt.session.info
        if not info.media_path:  # give the coach's review a recording to play: the first file captioned
            from streamkit.sources.audio import FileAudioSource

            files = [source.path for _, source in pairs if isinstance(source, FileAudioSource)]
            if files:
                info.media_path = str(Path(files[0]).resolve())
                rt.store.update(rt.session)
        for sc, source in pairs:
            processor = CaptionProcessor(self.decoder, streaming_options(cfg, sc.language), source=sc.name,
                                         speaker=sc.speaker, clock=rt.clock, realtime=rt.realtime,
                                         is_muted=self.mutes.muted_check(sc.obs_input), hotwords=self._hotwords())
            self.processors[sc.name] = processor
            tasks.pipeline(Pipeline(source, [processor], rt.bus))
        for name, url in self.urls.items():
            log.info("captions %s page: %s", name, url)
        self._state = State.RUNNING if self.processors else State.FAILED

    def _on_caption(self, c: Caption) -> None:
        if c.source not in self.processors:
            return
        with self._lock:
            finished = self._utterances.add(c)
            self._recent.extend(finished)
        for utterance in finished:
            self.runtime.bus.publish(utterance)
        if self.display is not None:
            self.display.show(c)
        if self.files is not None:
            self.files.write(c)
        if self.cea608 is not None:
            self.cea608.send(c)

    def _on_spoken(self, e: SpokenPhrase) -> None:
        if e.shows_on_stream() and self.display is not None:
            self.display.show_spoken(e)

    def _on_prompt(self, e: CoachPrompt) -> None:
        """A coach's private prompt goes to the streamer's monitor page, never to the stream."""
        if self.runtime.overlay is not None:
            self.runtime.overlay.publish(PROMPT_CHANNEL, {"text": e.text, "coach": e.coach, "id": e.prompt_id,
                                                          "sent_at": e.sent_at})

    def _on_source_ended(self, e: SourceEnded) -> None:
        if e.source in self.processors:
            if e.reason == "error":
                self.failed[e.source] = e.error
                log.warning("captions: source %s stopped (%s); other sources go on", e.source, e.error)
            with self._lock:
                self._ended.add(e.source)
            if self.display is not None:
                self.display.end_source(e.source)

    def recent(self, limit: int = 5) -> list[Utterance]:
        """The last ``limit`` finished utterances, oldest first."""
        with self._lock:
            return list(self._recent)[-limit:]

    def status(self) -> Status:
        """Running while any source still runs; the last line said; the first source error."""
        with self._lock:
            last = self._recent[-1].text if self._recent else ""
            running = [name for name in self.processors if name not in self._ended]
        state = self._state
        if state is State.RUNNING and not running:
            state = State.ENDED
        error = next(iter(self.failed.values()), "")
        return Status(self.name, state, error, {"sources": len(running), "last_line": last})

    def stop(self) -> None:
        """The pipelines have flushed their last captions: finish open utterances, close every output."""
        with self._lock:
            finished = self._utterances.close_all()
            self._recent.extend(finished)
        for utterance in finished:
            self.runtime.bus.publish(utterance)
        self._state = State.STOPPED
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        if self.mutes is not None:
            self.mutes.stop()
        if self.cea608 is not None:
            self.cea608.stop()
        if self.display is not None:
            self.display.stop()
        if self.files is not None:
            self.files.close()
