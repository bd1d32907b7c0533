"""Charts of a transparency report: Altair specs rendered to SVG by vl-convert, offline.

The SVG keeps its text as text in "Noto Sans CJK SC" (fonts-noto-cjk), so Chinese labels show
in browsers and WeasyPrint embeds the font in the PDF."""

from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert

FONT = "Noto Sans CJK SC"
WIDTH = 420
BAR_HEIGHT = 22


def bar_chart(title: str, bars: Sequence[tuple[str, int]], *, axis: str) -> str:
    """A horizontal bar chart of (label, value) pairs, in the order given, as an SVG string;
    "" when there is nothing to draw."""
    if not bars:
        return ""
    values = [{"label": label, "value": value} for label, value in bars]
    chart = (
        alt.Chart(alt.Data(values=values), title=title, width=WIDTH)
        .mark_bar(color="#1f5f8b")
        .encode(
            x=alt.X("value:Q", title=axis, axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("label:N", sort=None, title=None),
            tooltip=["label:N", "value:Q"],
        )
        .properties(height=max(BAR_HEIGHT * len(values), 40))
        .configure(font=FONT)
        .configure_title(font=FONT, anchor="start")
        .configure_axis(labelFont=FONT, titleFont=FONT, labelLimit=260)
    )
    spec: dict[str, Any] = chart.to_dict()
    svg: str = vl_convert.vegalite_to_svg(spec)
    # Inline in HTML: the XML prolog is not allowed there.
    return svg.split("?>", 1)[1].strip() if svg.startswith("<?xml") else svg
