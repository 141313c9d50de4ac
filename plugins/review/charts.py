"""Charts as inline SVG strings (no JavaScript needed, so the exported report draws them too).

Every label that comes from a session (product names, scene names, captions) is escaped.
"""

from __future__ import annotations

from typing import Sequence

from markupsafe import Markup, escape

from .metrics import Metrics
from .sessiondata import ReviewSession

COLORS = {"speech": "#2f9e44", "dead": "#e03131", "scene": ["#4263eb", "#7048e8", "#1098ad", "#5c940d"],
          "product": "#f08c00", "gesture": "#ae3ec9", "mark": "#c2255c", "comment": "#1c7ed6",
          "bar": "#4c6ef5", "bar_low": "#a5b4fc", "base": "#212529"}


def clock(t: float) -> str:
    """Seconds as H:MM:SS or M:SS."""
    t = max(0, int(t))
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    for mag in range(-2, 8):
        for step in (1, 2, 5):
            top = step * 10.0**mag
            if top >= v:
                return top
    return v


def bar_chart(values: Sequence[float], *, label: str, unit: str, baseline: float | None = None,
              baseline_label: str = "", x_unit: str = "min", width: int = 520, height: int = 200,
              color: str = COLORS["bar"]) -> Markup:
    """Vertical bars (one per minute), with an optional dashed baseline line."""
    left, right, top, bottom = 44, 8, 12, 26
    w, h = width - left - right, height - top - bottom
    top_v = _nice_max(max(list(values) + [baseline or 0, 1]) * 1.1)
    n = max(1, len(values))
    bw = w / n
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'preserveAspectRatio="xMidYMid meet" aria-label="{escape(label)}">',
             f"<title>{escape(label)}</title>"]
    for frac in (0, 0.5, 1):
        y = top + h - frac * h
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{top_v * frac:g}</text>')
    for i, v in enumerate(values):
        bh = h * v / top_v
        x = left + i * bw
        low = baseline is not None and v < baseline * 0.75
        fill = COLORS["bar_low"] if low else color
        parts.append(f'<rect class="bar" data-t="{i * 60}" x="{x + bw * 0.1:.1f}" y="{top + h - bh:.1f}" '
                     f'width="{max(bw * 0.8, 0.5):.1f}" height="{bh:.1f}" fill="{fill}">'
                     f"<title>{i}–{i + 1} {escape(x_unit)}: {v:g} {escape(unit)}</title></rect>")
    every = max(1, n // 12)
    for i in range(0, n, every):
        parts.append(f'<text x="{left + i * bw + bw / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="10">{i}</text>')
    parts.append(f'<text x="{left - 8}" y="{height - 8}" text-anchor="end" font-size="10">{escape(x_unit)}</text>')
    if baseline is not None:
        y = top + h - h * baseline / top_v
        parts.append(f'<line class="baseline" x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{COLORS["base"]}" stroke-dasharray="6 4" stroke-width="1.5"/>')
        parts.append(f'<text x="{left + w - 2}" y="{y - 4:.1f}" text-anchor="end" font-size="11">'
                     f"{escape(baseline_label)} {baseline:g}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def hbar_chart(items: Sequence[tuple[str, float, str]], *, label: str, width: int = 480,
               color: str = COLORS["product"]) -> Markup:
    """Horizontal bars: (label, value, value text) per row."""
    row = 24
    height = max(1, len(items)) * row + 8
    left = 120
    w = width - left - 110
    top_v = max([v for _, v, _ in items] + [1e-9])
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(label)}">',
             f"<title>{escape(label)}</title>"]
    for i, (name, v, text) in enumerate(items):
        y = 4 + i * row
        short = name if len(name) <= 14 else name[:13] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" font-size="12">{escape(short)}'
                     f"<title>{escape(name)}</title></text>")
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{max(1.0, w * v / top_v):.1f}" height="{row - 8}" fill="{color}"/>')
        parts.append(f'<text x="{left + w * v / top_v + 6:.1f}" y="{y + 16}" font-size="12">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def dead_air_per_minute(dead: list[tuple[float, float]], duration: float) -> list[float]:
    n = max(1, int(-(-duration // 60)))
    out = [0.0] * n
    for a, b in dead:
        m = int(a // 60)
        while m < n and m * 60 < b:
            out[m] += max(0.0, min(b, (m + 1) * 60) - max(a, m * 60))
            m += 1
    return [round(v, 1) for v in out]


def latency_per_minute(session: ReviewSession) -> list[float]:
    n = max(1, int(-(-session.duration // 60)))
    per: list[list[float]] = [[] for _ in range(n)]
    for line in session.lines:
        if line.latency is not None:
            per[min(n - 1, int(line.end // 60))].append(line.latency)
    return [round(sorted(v)[len(v) // 2], 2) if v else 0.0 for v in per]


#: The review's own rows; the features' rows (``session.lanes``) go between scenes and marks.
CORE_LANES_BEFORE = ("speech", "scenes")
CORE_LANES_AFTER = ("marks", "comments")


def lane_rows(session: ReviewSession) -> list[str]:
    """Row keys top to bottom: speech, scenes, each feature's lane, marks, comments."""
    return [*CORE_LANES_BEFORE, *(lane.key for lane in session.lanes), *CORE_LANES_AFTER]


def timeline_svg(session: ReviewSession, metrics: Metrics, lane_names: dict[str, str], *,
                 comments: Sequence[tuple[float, float | None, str]] = (), width: int = 1000) -> Markup:
    """Lanes over media time: speech and dead air, scenes, each feature's lane, coach marks, comments.

    Coordinates: x = 110 + t / duration * (width - 120); the page's script uses the same scale.
    ``lane_names`` names every row key of :func:`lane_rows`.
    """
    dur = max(session.duration, 1e-6)
    left, lane_h = 110, 26
    w = width - left - 10
    rows = lane_rows(session)
    height = lane_h * len(rows) + 18

    def x(t: float) -> float:
        return left + max(0.0, min(t, dur)) / dur * w

    def rect(t0: float, t1: float, y: float, fill: str, title: str, cls: str = "", label: str = "") -> str:
        x0, x1 = x(t0), x(t1)
        s = (f'<rect class="{cls}" data-t="{t0:.2f}" x="{x0:.2f}" y="{y + 4}" width="{max(x1 - x0, 0.8):.2f}" '
             f'height="{lane_h - 8}" fill="{fill}"><title>{escape(title)}</title></rect>')
        if label and x1 - x0 > 8 * min(len(label), 12):
            s += (f'<text x="{x0 + 3:.1f}" y="{y + lane_h - 9}" font-size="11" fill="#fff" pointer-events="none">'
                  f"{escape(label[:24])}</text>")
        return s

    def tick(t: float, y: float, fill: str, title: str, cls: str) -> str:
        cx = x(t)
        return (f'<path class="{cls}" data-t="{t:.2f}" d="M{cx - 5:.2f},{y + 4} L{cx + 5:.2f},{y + 4} L{cx:.2f},{y + lane_h - 4} Z" '
                f'fill="{fill}"><title>{escape(title)}</title></path>')

    def row_y(key: str) -> int:
        return rows.index(key) * lane_h

    label = " · ".join(lane_names.get(lane, lane) for lane in rows)
    parts = [f'<svg id="timeline" class="timeline" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'data-duration="{dur:.3f}" data-left="{left}" data-width="{w}" aria-label="{escape(label)}">']
    for i, lane in enumerate(rows):
        y = i * lane_h
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{w}" height="{lane_h - 4}" fill="{"#f8f9fa" if i % 2 else "#f1f3f5"}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + lane_h - 9}" text-anchor="end" font-size="12">{escape(lane_names.get(lane, lane))}</text>')
    for a, b in metrics.speech:
        parts.append(rect(a, b, 0, COLORS["speech"], f"{clock(a)}–{clock(b)}", "seg speech"))
    for a, b in metrics.dead_air:
        parts.append(rect(a, b, 0, COLORS["dead"], f"{clock(a)}–{clock(b)} ({b - a:.1f} s)", "seg dead"))
    y = row_y("scenes")
    for i, s in enumerate(session.scenes):
        parts.append(rect(s.start, s.end, y, COLORS["scene"][i % 4], f"{s.label} {clock(s.start)}–{clock(s.end)}", "seg scene", s.label))
    for lane in session.lanes:
        y = row_y(lane.key)
        for s in lane.spans:
            parts.append(rect(s.start, s.end, y, COLORS["product"], f"{s.label} {clock(s.start)}–{clock(s.end)}",
                              f"seg {lane.key}", s.label))
        for m in lane.marks:
            parts.append(tick(m.t, y, COLORS["gesture"], f"{clock(m.t)} {m.label}", f"pt {lane.key}"))
    y = row_y("marks")
    for m in session.marks:
        parts.append(tick(m.t, y, COLORS["mark"], f"{clock(m.t)} {m.label}", "pt mark"))
    y = row_y("comments")
    parts.append(f'<g id="lane-comments" data-y="{y}">')
    for t0, t1, text in comments:
        if t1 is not None and t1 > t0:
            parts.append(rect(t0, t1, y, COLORS["comment"], text, "seg comment"))
        else:
            parts.append(tick(t0, y, COLORS["comment"], text, "pt comment"))
    parts.append("</g>")
    step = _tick_step(dur)
    t = 0.0
    while t <= dur:
        parts.append(f'<text x="{x(t):.1f}" y="{height - 3}" font-size="10" text-anchor="middle">{clock(t)}</text>')
        t += step
    parts.append(f'<line id="playhead" x1="{left}" x2="{left}" y1="0" y2="{height - 14}" stroke="#000" stroke-width="1.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _tick_step(duration: float) -> float:
    for step in (5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if duration / step <= 10:
            return float(step)
    return 7200.0
