"""The self-evaluation overview: each framework's dimensions across waves, by school and by role,
with intervals, as the viewer may see them (policy.results_level), and its chart.

Built from `selectors` and `results`, so pages, CSV, charts and the API show the same figures.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from netlearn.analytics import disclosure
from netlearn.core import charts
from netlearn.networks.access import access_for

from . import policy, results, selectors


@dataclass
class FrameworkView:
    framework: object
    by_wave: results.DimensionTable
    by_school: results.DimensionTable | None
    by_role: results.DimensionTable | None
    latest_wave: str
    chart: str


def _rules(surveys) -> disclosure.Rules:
    # The strictest threshold of the surveys pooled in a wave.
    return disclosure.Rules(threshold=max([survey.threshold for survey in surveys] or [6]))


def overview_of(*, network, viewer) -> list[FrameworkView]:
    level = policy.results_level(viewer, network)
    if level is None:
        return []
    only = None
    if level == policy.SCHOOL:
        only = access_for(viewer).led_school_ids
    by_framework: OrderedDict = OrderedDict()
    for survey in selectors.surveys_with_framework(network=network):
        waves = by_framework.setdefault(survey.framework, OrderedDict())
        waves.setdefault(survey.wave or "No wave", []).append(survey)
    schools = selectors.schools_of(network=network)
    views = []
    for framework, waves in by_framework.items():
        dimensions = list(framework.dimensions.all())
        wave_rows, all_surveys = [], []
        for wave, surveys in waves.items():
            sheets, questions = [], []
            for survey in surveys:
                survey_sheets = selectors.sheets_of(survey=survey)
                if only is not None:
                    survey_sheets = [s for s in survey_sheets if s.get("school") in only]
                sheets += survey_sheets
                questions += selectors.questions_of(survey=survey)
            wave_rows.append((wave, sheets, questions))
            all_surveys += surveys
        rules = _rules(all_surveys)
        by_wave = results.dimensions_by_wave(framework, dimensions, wave_rows, rules=rules)
        latest, sheets, questions = wave_rows[-1]
        by_school = by_role = None
        if level == policy.NETWORK:
            by_school = results.dimensions_by_group(
                framework, dimensions, sheets, questions, key="school", labels=schools, rules=rules
            )
            by_role = results.dimensions_by_group(
                framework,
                dimensions,
                sheets,
                questions,
                key="role",
                labels=results.ROLE_LABELS,
                rules=rules,
            )
        views.append(FrameworkView(framework, by_wave, by_school, by_role, latest, chart(by_wave)))
    return views


SHAPES = ("circle", "square", "diamond")


def chart(table: results.DimensionTable, *, standalone: bool = False) -> str:
    """Each dimension's mean (1 to 5) in each wave with its 95% interval; a hidden figure is
    written `c` where its point would be."""
    height = 60 + 34 * max(len(table.lines), 1)
    width = 640
    frame = charts.Frame(width, height, left=230, right=24, top=30, bottom=34)
    x = charts.Scale(1, 5, frame.x0, frame.x1)
    drawing = charts.Drawing(
        width,
        height,
        title=_("%(framework)s: each dimension by wave") % {"framework": table.framework},
        description="Mean agreement from 1 (strongly disagree) to 5 (strongly agree) with its "
        "95% interval; c marks a figure withheld because too few responded. The same figures "
        "are in the table.",
        id_prefix="health-chart",
        standalone=standalone,
        class_="chart",
    )
    for tick in (1, 2, 3, 4, 5):
        drawing.line(x(tick), frame.y1, x(tick), frame.y0, stroke=charts.GRID)
        drawing.text(x(tick), frame.y0 + 16, str(tick), text_anchor="middle", fill=charts.AXIS)
    columns = max(len(table.columns), 1)
    for row_index, (name, cells) in enumerate(table.lines):
        y = frame.y1 + 18 + row_index * 34
        drawing.text(frame.x0 - 8, y + 4, name[:34], text_anchor="end", fill=charts.INK)
        for index, cell in enumerate(cells):
            offset = (index - (columns - 1) / 2) * 8
            shape = SHAPES[index % len(SHAPES)]
            if cell.mean.value is None:
                drawing.text(frame.x0 + 4 + index * 14, y + 4 + offset, "c", fill=charts.AXIS)
                continue
            if cell.lower.value is not None and cell.upper.value is not None:
                drawing.line(
                    x(max(cell.lower.value, 1)),
                    y + offset,
                    x(min(cell.upper.value, 5)),
                    y + offset,
                    stroke=charts.AXIS,
                )
            drawing.marker(
                shape,
                x(cell.mean.value),
                y + offset,
                4,
                fill=charts.INK,
                tip=f"{table.columns[index]}: {cell.mean.shown} (n {cell.n.shown})",
            )
    for index, wave in enumerate(table.columns):
        drawing.marker(
            SHAPES[index % len(SHAPES)], frame.x0 + 10 + index * 120, 12, 4, fill=charts.INK
        )
        drawing.text(frame.x0 + 18 + index * 120, 16, wave[:16], fill=charts.INK)
    return drawing.svg()
