"""Charts of the impact pages, drawn as SVG on the server (`netlearn.core.charts`). The browser
receives a plain SVG image (`<img src=…svg>`, served with a CSP that forbids scripts), never
JavaScript or a third-party request (the site's CSP).

Each chart draws only published figures (`selectors`): suppressed schools are absent, no school
is named on a chart, and each chart's page carries the same figures as a table and a CSV download.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from netlearn.core.charts import Drawing, Frame, axes, label, legend, message

from .selectors import RunReport, SchoolReport

NETWORK = "#1f5fa8"
OTHER = "#9aa5b1"
ODDS = "#c2410c"
WIDTH = 620
# The series' names and the legends' labels are marked here and translated where they are drawn.
SERIES = {
    # series: colour, marker, dash (lines told apart by more than colour)
    gettext_noop("Network"): (NETWORK, "circle", None),
    gettext_noop("Peer schools"): ("#6b7280", "square", "6 3"),
    gettext_noop("Local authority"): ("#15803d", "diamond", "2 3"),
    gettext_noop("Nation"): ("#7c3aed", "circle", "8 3 2 3"),
}

NAMED = {
    "Network": gettext_noop("the network"),
    "Peer schools": gettext_noop("peer schools"),
    "Local authority": gettext_noop("the local authority"),
    "Nation": gettext_noop("the nation"),
}


def _empty(text: str, *, title: str) -> str:
    return message(WIDTH, 100, text, title=title)


def _y_ticks(scale) -> list[tuple[float, str]]:
    return [(scale(value), label(value)) for value in scale.ticks()]


def caterpillar(report: RunReport) -> str:
    """School effects sorted, each with its 95% interval; the network's schools highlighted."""
    title = gettext("School effects with their 95% intervals")
    rows = [row for row in report.effects if row.estimate.value is not None]
    if not rows:
        return _empty(gettext("No school effects to show."), title=title)
    frame = Frame(WIDTH, 380)
    x = frame.x_scale([0.5, len(rows) + 0.5])
    y = frame.y_scale(
        [0.0] + [v for row in rows for v in (row.lower.value, row.upper.value) if v is not None],
        pad=0.05,
        nice=True,
    )
    in_network = sum(row.in_network for row in rows)
    drawing = Drawing(
        frame.width,
        frame.height,
        title=title,
        description=(
            gettext(
                "%(schools)s schools ranked by their effect, each drawn as a point with a line "
                "across its 95%% interval, and a dashed line at zero; the network's %(network)s "
                "schools are highlighted. The figures are in the table on the page."
            )
            % {"schools": len(rows), "network": in_network}
        ),
        standalone=True,
    )
    step = max(1, round(len(rows) / 10))
    axes(
        drawing,
        frame,
        x_ticks=[(x(rank), str(rank)) for rank in range(1, len(rows) + 1) if rank % step == 0],
        y_ticks=_y_ticks(y),
        x_title=gettext("Schools, ranked by their effect"),
        y_title=gettext("School effect (95% interval)"),
    )
    drawing.line(frame.x0, y(0), frame.x1, y(0), stroke="#111827", stroke_dasharray="4 4")
    for rank, row in enumerate(rows, start=1):
        colour = NETWORK if row.in_network else OTHER
        if row.lower.value is not None and row.upper.value is not None:
            drawing.line(x(rank), y(row.lower.value), x(rank), y(row.upper.value), stroke=colour)
        drawing.circle(x(rank), y(row.estimate.value), 3, fill=colour)
    legend(
        drawing,
        [
            (gettext("Network school"), NETWORK, "circle"),
            (gettext("Other school"), OTHER, "circle"),
        ],
        x=frame.x0,
        y=16,
    )
    return drawing.svg()


def scatter(report: SchoolReport, *, measure: str) -> str:
    """Attainment against disadvantage, schools against the odds marked, with the fitted line."""
    scale = report.scale
    title = (
        gettext("%(measure)s against the Equity Index")
        if scale.is_index
        else gettext("%(measure)s against disadvantaged pupils")
    ) % {"measure": measure}
    points = report.points
    if not points:
        return _empty(gettext("No school has both figures to plot."), title=title)
    low, high = report.band
    frame = Frame(WIDTH, 400)
    x = frame.x_scale([p.disadvantage for p in points] + [low, high], nice=True)
    y = frame.y_scale([p.value for p in points], pad=0.05, nice=True)
    kinds = {
        gettext_noop("Against the odds"): (ODDS, "diamond"),
        gettext_noop("Network school"): (NETWORK, "circle"),
        gettext_noop("Comparison school"): (OTHER, "square"),
    }
    association = report.association
    fitted = association is not None and association.slope == association.slope
    odds = sum(p.against_the_odds for p in points)
    drawing = Drawing(
        frame.width,
        frame.height,
        title=title,
        description=(
            gettext(
                "%(schools)s schools plotted by %(across)s and %(measure)s (up); %(odds)s "
                "against the odds, in the shaded band from %(band)s%(line)s. The figures are in "
                "the table on the page."
            )
            % {
                "schools": len(points),
                "across": (
                    gettext(
                        "their Equity Index (across; higher means more socio-economic barriers)"
                    )
                    if scale.is_index
                    else gettext("the share of disadvantaged pupils (across)")
                ),
                "measure": measure,
                "odds": odds,
                "band": (
                    gettext("%(low)s to %(high)s on the Equity Index")
                    if scale.is_index
                    else gettext("%(low)s%% to %(high)s%% disadvantaged")
                )
                % {"low": label(low), "high": label(high)},
                "line": gettext("; a dashed line shows the fitted association") if fitted else "",
            }
        ),
        standalone=True,
    )
    axes(
        drawing,
        frame,
        x_ticks=[(x(value), label(value)) for value in x.ticks()],
        y_ticks=_y_ticks(y),
        x_title=gettext("Equity Index") if scale.is_index else gettext("Disadvantaged pupils (%)"),
        y_title=measure,
    )
    drawing.rect(x(low), frame.y1, x(high) - x(low), frame.y0 - frame.y1, fill=ODDS, opacity=0.12)
    if fitted:
        ends = [min(p.disadvantage for p in points), max(p.disadvantage for p in points)]
        drawing.polyline(
            [(x(e), y(association.intercept + association.slope * e)) for e in ends],
            stroke="#444",
            stroke_dasharray="6 3",
            fill="none",
        )
    for point in points:
        kind = (
            "Against the odds"
            if point.against_the_odds
            else "Network school"
            if point.in_network
            else "Comparison school"
        )
        colour, shape = kinds[kind]
        drawing.marker(shape, x(point.disadvantage), y(point.value), 4.5, fill=colour)
    legend(drawing, [(gettext(kind), *style) for kind, style in kinds.items()], x=frame.x0, y=16)
    return drawing.svg()


def trend(report: SchoolReport, *, measure: str) -> str:
    """The network against its peers, the authority and the nation, year by year."""
    title = gettext("%(measure)s by year") % {"measure": measure}
    series: dict[str, list[tuple[int, float]]] = {name: [] for name in SERIES}
    for row in report.trend:
        for name, value in (
            ("Network", row.network.value),
            ("Peer schools", row.peers.value),
            ("Local authority", row.authority),
            ("Nation", row.nation),
        ):
            if value is not None:
                series[name].append((row.year, value))
    series = {name: values for name, values in series.items() if values}
    if not series:
        return _empty(gettext("No yearly figures to show."), title=title)
    years = sorted({year for values in series.values() for year, _ in values})
    frame = Frame(WIDTH, 360)
    # Years are ordinal: each gets a place of its own, as a missing year is not a gap in time.
    place = {year: index for index, year in enumerate(years)}
    x = frame.x_scale([-0.5, len(years) - 0.5])
    y = frame.y_scale(
        [value for values in series.values() for _, value in values], pad=0.05, nice=True
    )
    drawing = Drawing(
        frame.width,
        frame.height,
        title=title,
        description=(
            gettext(
                "Lines of %(measure)s from %(first)s to %(last)s for %(series)s. The figures are "
                "in the table on the page."
            )
            % {
                "measure": measure,
                "first": years[0],
                "last": years[-1],
                "series": ", ".join(gettext(NAMED[name]) for name in series),
            }
        ),
        standalone=True,
    )
    axes(
        drawing,
        frame,
        x_ticks=[(x(place[year]), str(year)) for year in years],
        y_ticks=_y_ticks(y),
        x_title=gettext("Year"),
        y_title=measure,
    )
    for name, values in series.items():
        colour, shape, dash = SERIES[name]
        positions = [(x(place[year]), y(value)) for year, value in values]
        if len(positions) > 1:
            drawing.polyline(
                positions, stroke=colour, stroke_width=2, stroke_dasharray=dash, fill="none"
            )
        for px, py in positions:
            drawing.marker(shape, px, py, 3.5, fill=colour)
    legend(
        drawing,
        [(gettext(name), SERIES[name][0], SERIES[name][1]) for name in series],
        x=frame.x0,
        y=16,
    )
    return drawing.svg()


VALUE_ADDED_SERIES = {
    # group key: legend label, colour, marker
    "network": (gettext_noop("Network"), NETWORK, "circle"),
    "peers": (gettext_noop("Peer schools"), "#6b7280", "square"),
    "authority": (gettext_noop("Local authority"), "#15803d", "diamond"),
    "all": (gettext_noop("All schools in the model"), "#7c3aed", "circle"),
}


def value_added(reports) -> str:
    """The network's value added year by year (one place per model), beside its peers, its
    authorities and every school of the model, each a point with its 95% interval and a dashed
    line at zero (the average school of the model). Only published figures are drawn."""
    title = gettext("The network's value added against peers, authority and all schools")
    places = []
    for report in reports:
        shown = [
            group
            for group in report.groups
            if None not in (group.estimate.value, group.lower.value, group.upper.value)
        ]
        if shown:
            places.append((report.label, shown))
    if not places:
        return _empty(gettext("No value added to show."), title=title)
    frame = Frame(WIDTH, 360)
    x = frame.x_scale([-0.5, len(places) - 0.5])
    y = frame.y_scale(
        [0.0] + [v for _, groups in places for g in groups for v in (g.lower.value, g.upper.value)],
        pad=0.05,
        nice=True,
    )
    keys = [key for key in VALUE_ADDED_SERIES if any(g.key == key for _, gs in places for g in gs)]
    drawing = Drawing(
        frame.width,
        frame.height,
        title=title,
        description=(
            gettext(
                "For %(years)s: the mean school effect of %(groups)s, each a point with a line "
                "across its 95%% interval; the dashed line is zero, the average school of the "
                "model. The figures are in the table on the page."
            )
            % {
                "years": ", ".join(label for label, _ in places),
                "groups": ", ".join(gettext(VALUE_ADDED_SERIES[key][0]).lower() for key in keys),
            }
        ),
        standalone=True,
    )
    axes(
        drawing,
        frame,
        x_ticks=[(x(index), label) for index, (label, _) in enumerate(places)],
        y_ticks=_y_ticks(y),
        x_title=gettext("Year of the model's pupils"),
        y_title=gettext("Mean school effect (95% interval)"),
    )
    drawing.line(frame.x0, y(0), frame.x1, y(0), stroke="#111827", stroke_dasharray="4 4")
    width = (x(1) - x(0)) if len(places) > 1 else (frame.x1 - frame.x0) / 2
    for index, (_, groups) in enumerate(places):
        for offset, group in enumerate(groups):
            _, colour, shape = VALUE_ADDED_SERIES[group.key]
            px = x(index) + (offset - (len(groups) - 1) / 2) * min(18.0, width / (len(groups) + 1))
            drawing.line(px, y(group.lower.value), px, y(group.upper.value), stroke=colour)
            drawing.marker(shape, px, y(group.estimate.value), 4, fill=colour)
    legend(
        drawing,
        [(gettext(VALUE_ADDED_SERIES[key][0]), *VALUE_ADDED_SERIES[key][1:]) for key in keys],
        x=frame.x0,
        y=16,
    )
    return drawing.svg()
