"""The cohort page's charts, rendered as inline SVG through format_html: no JavaScript; each has a text equivalent."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def bars_svg(*, bars: list[tuple[str, int]], title: str, value_label, chart_id: str, highlight: str | None = None) -> SafeString:
    """A simple vertical bar chart; `value_label(value)` words each bar's tooltip."""
    width, height, bottom, top = 640, 200, 22, 8
    count = max(len(bars), 1)
    slot = (width - 10) / count
    top_value = max([value for _, value in bars] + [1])
    parts = [format_html('<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#adb5bd"/>', height - bottom, width, height - bottom)]
    every = max(count // 12, 1)
    for index, (label, value) in enumerate(bars):
        bar_height = (height - bottom - top) * value / top_value
        x = 5 + index * slot
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                f"{x + slot * 0.1:.1f}", f"{height - bottom - bar_height:.1f}", f"{slot * 0.8:.1f}", f"{bar_height:.1f}",
                "#dc3545" if label == highlight else "#0d6efd", label, value_label(value),
            )
        )
        if index % every == 0:
            parts.append(
                format_html('<text x="{}" y="{}" font-size="10" fill="#6c757d">{}</text>', f"{x:.1f}", height - 6, label)
            )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-labelledby="{}-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>{}</svg>',
        width, height, width, height, chart_id, chart_id, title, format_html_join("", "{}", ((part,) for part in parts)),
    )
