"""Charts of the impact pages: Vega-Lite specifications built with Altair, drawn to SVG on the
server by vl-convert. The browser receives a plain SVG image (`<img src=…svg>`, served with a
CSP that forbids scripts), never JavaScript or a third-party request (the site's CSP).

Each chart draws only published figures (`selectors`): suppressed schools are absent, and each
chart's page carries the same figures as a table and a CSV download.
"""

from __future__ import annotations

import altair as alt
import vl_convert

from .selectors import RunReport, SchoolReport

NETWORK = "#1f5fa8"
OTHER = "#9aa5b1"
ODDS = "#c2410c"
WIDTH = 560


def _svg(chart: alt.TopLevelMixin) -> str:
    return vl_convert.vegalite_to_svg(chart.to_dict())


def _empty(message: str) -> str:
    chart = (
        alt.Chart(alt.Data(values=[{"text": message}]))
        .mark_text(size=14)
        .encode(text="text:N")
        .properties(width=WIDTH, height=60)
    )
    return _svg(chart)


def caterpillar(report: RunReport) -> str:
    """School effects sorted, each with its 95% interval; the network's schools highlighted."""
    rows = [
        {
            "rank": rank,
            "school": row.school,
            "estimate": row.estimate.value,
            "lower": row.lower.value,
            "upper": row.upper.value,
            "group": "Network school" if row.in_network else "Other school",
        }
        for rank, row in enumerate(
            (row for row in report.effects if row.estimate.value is not None), start=1
        )
    ]
    if not rows:
        return _empty("No school effects to show.")
    data = alt.Data(values=rows)
    colour = alt.Color(
        "group:N",
        scale=alt.Scale(domain=["Network school", "Other school"], range=[NETWORK, OTHER]),
        legend=alt.Legend(title=None, orient="top"),
    )
    x = alt.X("rank:Q", title="Schools, ranked by their effect", axis=alt.Axis(tickMinStep=1))
    bars = (
        alt.Chart(data)
        .mark_rule()
        .encode(
            x=x,
            y=alt.Y("lower:Q", title="School effect (95% interval)"),
            y2="upper:Q",
            color=colour,
        )
    )
    points = (
        alt.Chart(data).mark_point(filled=True, size=30).encode(x=x, y="estimate:Q", color=colour)
    )
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(strokeDash=[4, 4]).encode(y="y:Q")
    return _svg((bars + points + zero).properties(width=WIDTH, height=320))


def scatter(report: SchoolReport, *, measure: str) -> str:
    """Attainment against disadvantage, schools against the odds marked, with the fitted line."""
    rows = [
        {
            "school": point.label,
            "disadvantage": point.disadvantage,
            "value": point.value,
            "kind": (
                "Against the odds"
                if point.against_the_odds
                else "Network school"
                if point.in_network
                else "Comparison school"
            ),
        }
        for point in report.points
    ]
    if not rows:
        return _empty("No school has both figures to plot.")
    low, high = report.band
    band = (
        alt.Chart(alt.Data(values=[{"low": low, "high": high}]))
        .mark_rect(opacity=0.12, color=ODDS)
        .encode(x="low:Q", x2="high:Q")
    )
    points = (
        alt.Chart(alt.Data(values=rows))
        .mark_point(filled=True, size=60)
        .encode(
            x=alt.X("disadvantage:Q", title="Disadvantaged pupils (%)"),
            y=alt.Y("value:Q", title=measure, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["Against the odds", "Network school", "Comparison school"],
                    range=[ODDS, NETWORK, OTHER],
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            shape=alt.Shape("kind:N", legend=None),
        )
    )
    layers = [band, points]
    association = report.association
    if association is not None and association.slope == association.slope:
        xs = [min(row["disadvantage"] for row in rows), max(row["disadvantage"] for row in rows)]
        line = [
            {"disadvantage": x, "value": association.intercept + association.slope * x} for x in xs
        ]
        layers.append(
            alt.Chart(alt.Data(values=line))
            .mark_line(color="#444", strokeDash=[6, 3])
            .encode(x="disadvantage:Q", y="value:Q")
        )
    return _svg(alt.layer(*layers).properties(width=WIDTH, height=340))


def trend(report: SchoolReport, *, measure: str) -> str:
    """The network against its peers, the authority and the nation, year by year."""
    rows = []
    for row in report.trend:
        for series, value in (
            ("Network", row.network.value),
            ("Peer schools", row.peers.value),
            ("Local authority", row.authority),
            ("Nation", row.nation),
        ):
            if value is not None:
                rows.append({"year": row.year, "series": series, "value": value})
    if not rows:
        return _empty("No yearly figures to show.")
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("value:Q", title=measure, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(
                    domain=["Network", "Peer schools", "Local authority", "Nation"],
                    range=[NETWORK, "#6b7280", "#15803d", "#7c3aed"],
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None),
        )
        .properties(width=WIDTH, height=300)
    )
    return _svg(chart)
