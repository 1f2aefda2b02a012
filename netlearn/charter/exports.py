"""The charter as a PDF, typeset from its own template by WeasyPrint (`core.pdf`).

Every character survives: the fonts are embedded, so a Kāhui Ako keeps its macrons. The PDF is
tagged (PDF/UA-1) and numbers its pages. The printable page (`charter/print.html`) remains for
printing from the browser.
"""

from netlearn.core.pdf import pdf_from_template

from .trajectory import format_value


def _goal_rows(goal_view) -> list[tuple[str, str, str]]:
    goal = goal_view.goal
    rows = [("Baseline", f"{goal.baseline_date:%d %b %Y}", format_value(goal.baseline_value))]
    rows += [
        ("Progress", f"{entry.measured_on:%d %b %Y}", format_value(entry.value))
        for entry in goal_view.entries
    ]
    rows.append(("Target", f"{goal.target_date:%d %b %Y}", format_value(goal.target_value)))
    return rows


def charter_pdf(context) -> bytes:
    foci = [
        {
            "view": view,
            "goals": [(goal_view, _goal_rows(goal_view)) for goal_view in view.goals],
        }
        for view in context["foci"]
    ]
    return pdf_from_template("charter/charter_pdf.html", {**context, "pdf_foci": foci})
