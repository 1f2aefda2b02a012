"""The run chart of an enquiry, drawn as SVG inline in its page (`netlearn.core.charts`; styled
by enquiry.css). The geometry is `selectors.run_chart_of`'s; the data are in the table below it,
and the signals are written out beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe

from netlearn.core.charts import Drawing

if TYPE_CHECKING:
    from .selectors import RunChart


def run_chart(chart: RunChart) -> SafeString:
    analysis = chart.analysis
    signals = " ".join(signal.message for signal in analysis.signals)
    drawing = Drawing(
        chart.width,
        chart.height,
        title=f"Run chart: {chart.measure or 'the measure'}",
        description=(
            f"{len(chart.points)} points; median {floatformat(analysis.median, '-2')}"
            + (" in the latest phase" if chart.phase_marks else "")
            + f"; read by the {chart.rule_set_name}. "
            + (signals or "No signal of non-random variation.")
            + " The data are in the table below."
        ),
        id_prefix="run-chart",
        class_="run-chart-svg",
    )
    for y, text in chart.y_ticks:
        drawing.text(4, y, text, class_="run-chart-tick")
    for x, text in chart.cycle_marks:
        drawing.line(x, 8, x, chart.height, class_="run-chart-cycle")
        drawing.text(x, 14, text, class_="run-chart-tick")
    for x, text in chart.phase_marks:
        drawing.line(x, 8, x, chart.height, class_="run-chart-phase")
        drawing.text(x, 26, text, dx=3, class_="run-chart-tick")
    for x1, x2, y, text in chart.median_lines:
        drawing.line(x1, y, x2, y, class_="run-chart-median")
        drawing.text(x2 - 70, y, text, dy=-4, class_="run-chart-tick")
    drawing.path(chart.path, class_="run-chart-line", fill="none")
    for point in chart.points:
        if point.value is None:
            continue
        if point.flagged:
            drawing.rect(point.x - 5, point.y - 5, 10, 10, class_="run-chart-flag")
        else:
            drawing.circle(point.x, point.y, 4, class_="run-chart-point")
    # Every text in the drawing is escaped as it is added.
    return mark_safe(drawing.svg())
