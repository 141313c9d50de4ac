"""Exports of a session: SRT and WebVTT subtitles, the chart set shared by page and report, PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from streamkit import subtitles
from streamkit.errors import StreamkitError
from streamkit.subtitles import Cue

from . import charts
from .metrics import Metrics
from .sessiondata import Line, ReviewSession


def _cues(lines: list[Line]) -> list[Cue]:
    """One cue per transcript line, at least half a second long."""
    return [Cue(line.start, max(line.end, line.start + 0.5), line.text) for line in lines]


def to_srt(lines: list[Line]) -> str:
    """SubRip: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``."""
    return subtitles.to_srt(_cues(lines))


def to_vtt(lines: list[Line]) -> str:
    """WebVTT, with cue text escaped (``<`` ``&`` ``>`` would otherwise be markup)."""
    return subtitles.to_vtt(_cues(lines))


def chart_set(session: ReviewSession, metrics: Metrics, t: Callable[..., str]) -> dict[str, Any]:
    """The metric charts (inline SVG) and their one-line summaries, for the page and the report."""
    base_label = t("baseline_streamer" if metrics.baseline_source == "streamer" else "baseline_session")
    out: dict[str, Any] = {
        "rate": charts.bar_chart(metrics.rates, label=t("rate"), unit=metrics.unit, baseline=metrics.baseline,
                                 baseline_label=base_label, x_unit=t("minute_axis")),
        "dead_air": charts.bar_chart(charts.dead_air_per_minute(metrics.dead_air, session.duration),
                                     label=t("dead_air_chart"), unit="s", color=charts.COLORS["dead"], height=150,
                                     x_unit=t("minute_axis")),
        "dead_air_note": t("dead_air_note", s=f"{metrics.dead_air_threshold:g}", n=len(metrics.dead_air),
                           total=charts.clock(metrics.dead_air_total)),
        "products": None, "fillers": None, "fillers_note": "", "latency": None, "latency_note": "",
        "commands_note": "",
    }
    if metrics.products:
        items = [(p.name, p.seconds, f"{charts.clock(p.seconds)} · {t('shown_times', n=p.shown)}") for p in metrics.products]
        out["products"] = charts.hbar_chart(items, label=t("products"))
    total_fillers = sum(metrics.fillers.values())
    if metrics.fillers:
        out["fillers"] = charts.hbar_chart([(w, n, str(n)) for w, n in metrics.fillers.items()], label=t("fillers"),
                                           color=charts.COLORS["gesture"])
        per = round(100 * total_fillers / metrics.units_total, 1) if metrics.units_total else 0
        out["fillers_note"] = t("fillers_note", n=total_fillers, per=per, unit=t("chars" if metrics.language == "zh" else "words"))
    if metrics.latencies:
        out["latency"] = charts.bar_chart(charts.latency_per_minute(session), label=t("latency"), unit="s",
                                          color=charts.COLORS["speech"], height=150, x_unit=t("minute_axis"))
        out["latency_note"] = t("latency_note", p50=metrics.latency_p50, p90=metrics.latency_p90, n=len(metrics.latencies))
    if metrics.command_success is not None or metrics.gesture_triggers or metrics.obs_failures:
        pct = f"{metrics.command_success * 100:.0f}%" if metrics.command_success is not None else "—"
        out["commands_note"] = t("commands_note", ok=metrics.commands_done, bad=metrics.commands_refused, pct=pct,
                                 g=metrics.gesture_triggers, f=metrics.obs_failures)
    return out


def timeline_for(session: ReviewSession, metrics: Metrics, t: Callable[..., str], lang: str,
                 comments: list[tuple[float, float | None, str]] | None = None) -> Markup:
    """The timeline with each row named in ``lang``: the review's rows by ``t``, the features' by their lanes."""
    names = {key: t(f"lane_{key}") for key in (*charts.CORE_LANES_BEFORE, *charts.CORE_LANES_AFTER)}
    names.update({lane.key: lane.title.get(lang) or lane.title.get("en") or lane.key for lane in session.lanes})
    return charts.timeline_svg(session, metrics, names, comments=comments or [])


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def html_to_pdf(html: str, out: Path, timeout: float = 60.0) -> Path:
    """Print an HTML report to PDF with headless Chromium."""
    browser = find_chromium()
    if browser is None:
        raise StreamkitError("PDF export needs Chromium, which is not installed",
                             "install chromium (apt-get install chromium) or export HTML and print it from a browser")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", page.as_uri()]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise StreamkitError(f"Chromium took over {timeout:.0f} s to print the report", "export HTML instead") from None
    if not out.exists() or out.stat().st_size == 0:
        raise StreamkitError("Chromium did not write the PDF", "export HTML and print it from a browser")
    return out
