"""A goal's chart: its baseline, target, planned trajectory and progress, drawn as SVG inline in
the charter page (`netlearn.core.charts`; styled by charter.css). The geometry is
`trajectory.chart`'s; the same figures are in the table beside it."""

from django.template.defaultfilters import date, floatformat
from django.utils.safestring import SafeString, mark_safe

from netlearn.core.charts import Drawing

from .trajectory import Chart


def goal_chart(goal, entries, chart: Chart) -> SafeString:
    progress = "".join(
        f"; progress {floatformat(entry.value, '-3')} on {date(entry.measured_on, 'j M Y')}"
        for entry in entries
    )
    drawing = Drawing(
        chart.width,
        chart.height,
        title=f"{goal.measure} ({goal.unit}): baseline, target and progress",
        description=(
            f"Baseline {floatformat(goal.baseline_value, '-3')} on "
            f"{date(goal.baseline_date, 'j M Y')}, target {floatformat(goal.target_value, '-3')} "
            f"by {date(goal.target_date, 'j M Y')}{progress}. The same figures are in the table "
            "below."
        ),
        id_prefix=f"goal-{goal.pk}-chart",
        class_="goal-chart",
        focusable="false",
    )
    for tick in chart.y_ticks:
        drawing.line(chart.left, tick.position, chart.right, tick.position, class_="chart-grid")
        drawing.text(
            chart.left - 6,
            tick.position,
            tick.label,
            class_="chart-label",
            text_anchor="end",
            dominant_baseline="middle",
        )
    drawing.line(chart.left, chart.top, chart.left, chart.bottom, class_="chart-axis")
    drawing.line(chart.left, chart.bottom, chart.right, chart.bottom, class_="chart-axis")
    for index, tick in enumerate(chart.x_ticks):
        anchor = "start" if index == 0 else "end"
        drawing.text(
            tick.position, chart.bottom + 20, tick.label, class_="chart-label", text_anchor=anchor
        )
    drawing.line(chart.left, chart.target_y, chart.right, chart.target_y, class_="chart-target")
    baseline, target = chart.plan
    drawing.line(baseline.x, baseline.y, target.x, target.y, class_="chart-plan")
    drawing.circle(baseline.x, baseline.y, 6, class_="chart-baseline")
    drawing.rect(target.x - 6, target.y - 6, 12, 12, class_="chart-baseline")
    if len(chart.progress) > 1:
        drawing.polyline([(point.x, point.y) for point in chart.progress], class_="chart-progress")
    for point in chart.progress:
        drawing.circle(point.x, point.y, 5, tip=point.label, class_="chart-point")
    # Every text in the drawing is escaped as it is added.
    return mark_safe(drawing.svg())
