"""Small charts drawn on the server as SVG: a line against a target, sorted bars, columns.

Why on the server: desk pages must print and work with no network and no script (the
Content-Security-Policy allows no inline script, and nothing may come from a CDN). Each
chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in words what
it shows, so a screen reader (and axe) reads it; colours are presentation attributes, not
inline styles, so the CSP's style rules do not strip them. Text is escaped with markupsafe.
"""
from markupsafe import Markup, escape

WIDTH = 640
INK, MUTED, LINE = "#1d2939", "#475467", "#d0d5dd"
BLUE, ORANGE, GREEN = "#0b5cab", "#b54708", "#067647"


def _svg(chart_id, title, desc, height, body):
    return Markup(
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>{body}</svg>')


def _text(x, y, label, anchor="start", size=12, fill=INK, weight=None):
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}"{bold}>{escape(label)}</text>')


def _nice_top(value):
    """A round number at or above ``value`` for the top of an axis."""
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    for mult in (1, 2, 2.5, 5, 10):
        if step * mult >= value:
            return int(step * mult) if step * mult >= 1 else 1
    return int(step * 10)


def line_chart(chart_id, title, desc, labels, series, fmt, legend, hollow=()):
    """Lines over ``labels`` (x axis). ``series``: [(name, colour, [value or None], dashed)].
    ``fmt`` formats an axis value; ``legend`` the names in order. A missing value breaks the
    line (no figure is never drawn as zero); the points at the indexes in ``hollow`` (the
    provisional months) are drawn as rings."""
    height, left, right, top, bottom = 300, 70, 16, 34, 40
    values = [v for _n, _c, vals, _d in series for v in vals if v is not None]
    top_value = _nice_top(max(values)) if values else 1
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = plot_w / max(len(labels), 1)

    def x(i):
        return left + step * (i + 0.5)

    def y(v):
        return top + plot_h * (1 - v / top_value)

    parts = []
    for k in range(5):
        value = top_value * k / 4
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="{LINE}" stroke-width="1"/>')
        parts.append(_text(left - 6, y(value) + 4, fmt(round(value)), "end", 11, MUTED))
    for i, label in enumerate(labels):
        parts.append(_text(x(i), height - bottom + 16, label, "middle", 11, MUTED))
    for _name, colour, vals, dashed in series:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        run = []
        for i, v in enumerate(vals + [None]):
            if v is not None:
                run.append(f"{x(i):.1f},{y(v):.1f}")
                continue
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                             f'stroke-width="2.5"{dash}/>')
            run = []
        if not dashed:
            parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" '
                      f'fill="{"#ffffff" if i in hollow else colour}" stroke="{colour}" '
                      f'stroke-width="1.5"/>' for i, v in enumerate(vals) if v is not None]
    lx = left
    for name, colour, _vals, dashed in series:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(f'<line x1="{lx}" x2="{lx + 24}" y1="14" y2="14" stroke="{colour}" '
                     f'stroke-width="2.5"{dash}/>')
        parts.append(_text(lx + 30, 18, name, size=12))
        lx += 40 + 8 * len(legend.get(name, name))
    return _svg(chart_id, title, desc, height, "".join(parts))


def bar_chart(chart_id, title, desc, items, fmt, full=1.0):
    """Horizontal bars, one per (label, value or None), in the order given; a value of None
    is written as ``fmt(None)`` with no bar. A mark at ``full`` (100% of plan)."""
    row, left, right, top = 26, 190, 70, 10
    height = top * 2 + row * max(len(items), 1)
    values = [v for _l, v in items if v is not None]
    top_value = max([full, *values]) if values else full
    plot_w = WIDTH - left - right
    parts = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        parts.append(_text(left - 8, y + row * 0.65, label if len(label) <= 28 else label[:27] + "…",
                           "end", 12))
        if value is not None:
            w = plot_w * max(value, 0) / top_value
            colour = GREEN if value >= full else BLUE
            parts.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
                         f'fill="{colour}"/>')
            parts.append(_text(left + w + 6, y + row * 0.65, fmt(value), size=12))
        else:
            parts.append(_text(left + 6, y + row * 0.65, fmt(None), size=12, fill=MUTED))
    mark = left + plot_w * full / top_value
    parts.append(f'<line x1="{mark:.1f}" x2="{mark:.1f}" y1="{top - 4}" y2="{height - top + 4}" '
                 f'stroke="{ORANGE}" stroke-width="2" stroke-dasharray="4 3"/>')
    return _svg(chart_id, title, desc, height, "".join(parts))


def column_chart(chart_id, title, desc, items, fmt):
    """Vertical columns, one per (label, count), with the count above each."""
    height, left, right, top, bottom = 220, 16, 16, 24, 40
    top_value = _nice_top(max([n for _l, n in items] + [1]))
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = plot_w / max(len(items), 1)
    parts = [f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
             f'stroke="{MUTED}" stroke-width="1"/>']
    for i, (label, n) in enumerate(items):
        h = plot_h * n / top_value
        x = left + step * i + step * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{h:.1f}" fill="{BLUE}"/>')
        parts.append(_text(x + step * 0.35, top + plot_h - h - 5, fmt(n), "middle", 11))
        parts.append(_text(x + step * 0.35, height - bottom + 16, label, "middle", 11, MUTED))
    return _svg(chart_id, title, desc, height, "".join(parts))
