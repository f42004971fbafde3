"""A small SVG line chart for benchmark results: no plotting dependency, readable
in any browser and on GitHub."""

from __future__ import annotations

from html import escape

_COLOURS = ["#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f"]


def line_chart(
    series: dict[str, list[tuple[float, float]]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 640,
    height: int = 360,
) -> str:
    """Each series is a list of (x, y) points; axes start at zero."""
    left, right, top, bottom = 60, 200, 40, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [x for pts in series.values() for x, _ in pts] or [1.0]
    ys = [y for pts in series.values() for _, y in pts] or [1.0]
    x_max, y_max = max(xs) or 1.0, (max(ys) or 1.0) * 1.1

    def px(x: float) -> float:
        return left + plot_w * x / x_max

    def py(y: float) -> float:
        return top + plot_h * (1 - y / y_max)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
        f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">{escape(x_label)}</text>',
        f'<text x="15" y="{top + plot_h / 2}" transform="rotate(-90 15 {top + plot_h / 2})" '
        f'text-anchor="middle">{escape(y_label)}</text>',
    ]
    for i in range(5):
        y = y_max * i / 4
        parts.append(
            f'<text x="{left - 6}" y="{py(y) + 4}" text-anchor="end">{y:.3g}</text>'
            f'<line x1="{left}" y1="{py(y)}" x2="{left + plot_w}" y2="{py(y)}" stroke="#eee"/>'
        )
    for x in sorted(set(xs)):
        parts.append(
            f'<text x="{px(x)}" y="{top + plot_h + 16}" text-anchor="middle">{x:,.0f}</text>'
        )
    for n, (name, pts) in enumerate(series.items()):
        colour = _COLOURS[n % len(_COLOURS)]
        pts = sorted(pts)
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        for x, y in pts:
            parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = top + 16 * n
        parts.append(
            f'<rect x="{left + plot_w + 12}" y="{ly}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + plot_w + 26}" y="{ly + 9}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def bar_chart(
    groups: dict[str, dict[str, float]], *, title: str, unit: str = "s", width: int = 720
) -> str:
    """Horizontal bars, one group per case and one bar per variant in it; each
    bar is labelled with its value. Scales are per group, so a 100 s case does
    not flatten a 1 s one."""
    bar, gap, left, right = 16, 14, 250, 90
    rows = sum(len(v) for v in groups.values())
    height = 40 + rows * (bar + 4) + len(groups) * (gap + 18)
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>',
    ]
    y = 36.0
    for case, variants in groups.items():
        parts.append(f'<text x="8" y="{y + 12}" font-weight="bold">{escape(case)}</text>')
        y += 18
        top = max(variants.values(), default=1.0) or 1.0
        for n, (name, value) in enumerate(variants.items()):
            colour = _COLOURS[n % len(_COLOURS)]
            w = plot_w * value / top
            parts.append(
                f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{escape(name)}</text>'
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
                f'<text x="{left + w + 4:.1f}" y="{y + 12}">{value:,.2f} {escape(unit)}</text>'
            )
            y += bar + 4
        y += gap
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
