"""Static SVG charts for the dashboard, drawn by our own code: no plotting
library, no script, nothing fetched when the page is viewed. Each chart is a
file the page shows with ``<img>`` (an image cannot run code), scales to the
width of a phone through its ``viewBox``, and carries a title and description
for screen readers. Every text from a user's file is escaped for XML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from taxops.escaping import html_text

#: Colours that stay apart for the common kinds of colour blindness (Okabe-Ito).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 40, 40, 64


@dataclass(frozen=True)
class Series:
    name: str
    #: One value per x position (None: no figure there).
    values: Sequence[float | None]


def _svg(title: str, description: str, body: list[str], height: int = HEIGHT) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" role="img" font-family="sans-serif" font-size="12">',
            f"<title>{html_text(title)}</title>",
            f"<desc>{html_text(description)}</desc>",
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
            f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14" '
            f'font-weight="bold">{html_text(title)}</text>',
            *body,
            "</svg>",
            "",
        ]
    )


def _scale(low: float, high: float) -> tuple[float, float]:
    if high - low < 1e-9:
        return low - 0.5, high + 0.5
    pad = (high - low) * 0.08
    return low - pad, high + pad


def _ticks(low: float, high: float, n: int = 5) -> list[float]:
    return [low + (high - low) * i / (n - 1) for i in range(n)]


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}".rstrip("0").rstrip(".") or "0"


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_label: str = "",
    target: float | None = None,
    target_label: str = "target",
) -> str:
    """Lines over categorical x positions (weeks, days), with an optional
    horizontal target line."""
    values = [v for s in series for v in s.values if v is not None]
    if target is not None:
        values.append(target)
    low, high = _scale(min(values, default=0.0), max(values, default=1.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(1, len(x_labels) - 1)

    def px(i: int) -> float:
        return LEFT + plot_w * (i / n if len(x_labels) > 1 else 0.5)

    def py(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    body = _axes(low, high, py, plot_w, y_label)
    step = max(1, len(x_labels) // 8)
    for i, name in enumerate(x_labels):
        if i % step == 0 or i == len(x_labels) - 1:
            body.append(
                f'<text x="{px(i):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                f'font-size="10">{html_text(name)}</text>'
            )
    if target is not None:
        body.append(
            f'<line x1="{LEFT}" y1="{py(target):.1f}" x2="{LEFT + plot_w}" y2="{py(target):.1f}" '
            'stroke="#444" stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + plot_w - 4}" y="{py(target) - 4:.1f}" text-anchor="end" '
            f'font-size="11">{html_text(target_label)} {_fmt(target)}</text>'
        )
    for k, s in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        points = [(px(i), py(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{path}"/>'
            )
        for cx, cy in points:
            body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>')
    body += _legend([s.name for s in series])
    description = "; ".join(
        f"{s.name}: "
        + ", ".join(
            f"{x} {_fmt(v)}" for x, v in zip(x_labels, s.values, strict=False) if v is not None
        )
        for s in series
    )
    return _svg(title, description, body)


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float]],
    *,
    y_label: str = "",
    marker: float | None = None,
    marker_label: str = "",
) -> str:
    """Vertical bars (a distribution), with an optional vertical marker placed
    between bars by its position in the bar labels' numeric order."""
    high = max((v for _, v in bars), default=1.0) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def py(v: float) -> float:
        return TOP + plot_h * (1 - v / (high * 1.08))

    body = _axes(0.0, high * 1.08, py, plot_w, y_label)
    width = plot_w / max(1, len(bars))
    step = max(1, len(bars) // 10)
    for i, (label, value) in enumerate(bars):
        x = LEFT + i * width
        body.append(
            f'<rect x="{x + 1:.1f}" y="{py(value):.1f}" width="{max(1.0, width - 2):.1f}" '
            f'height="{TOP + plot_h - py(value):.1f}" fill="{COLOURS[0]}"/>'
        )
        if i % step == 0:
            body.append(
                f'<text x="{x + width / 2:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                f'font-size="10">{html_text(label)}</text>'
            )
    if marker is not None and bars:
        numeric = [float(label) for label, _ in bars]
        span = (numeric[-1] - numeric[0]) or 1.0
        x = LEFT + plot_w * (marker - numeric[0]) / (span + (span / max(1, len(bars) - 1)))
        body.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}" stroke="#D55E00" '
            f'stroke-width="2" stroke-dasharray="6 4"/><text x="{x + 4:.1f}" y="{TOP + 12}" '
            f'font-size="11" fill="#D55E00">{html_text(marker_label)}</text>'
        )
    description = ", ".join(f"{label}: {_fmt(v)}" for label, v in bars)
    return _svg(title, description, body)


def _axes(low: float, high: float, py: object, plot_w: float, y_label: str) -> list[str]:
    assert callable(py)
    parts = []
    for t in _ticks(low, high):
        y = py(t)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#e5e5e5"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{_fmt(t)}</text>'
        )
    if y_label:
        mid = TOP + (HEIGHT - TOP - BOTTOM) / 2
        parts.append(
            f'<text x="14" y="{mid:.1f}" transform="rotate(-90 14 {mid:.1f})" '
            f'text-anchor="middle" font-size="11">{html_text(y_label)}</text>'
        )
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    parts = []
    x, y = LEFT, HEIGHT - 22
    for k, name in enumerate(names):
        colour = COLOURS[k % len(COLOURS)]
        text = name if len(name) <= 28 else name[:27] + "…"
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="11">{html_text(text)}</text>'
        )
        x += 24 + 7 * len(text)
        if x > WIDTH - 120:
            x, y = LEFT, y + 14
    return parts
