"""Impact pages: a network's measures and datasets, the import (upload → map columns → preview →
confirm), school results with their charts, model runs with their progress, and the charter link.
Views parse, call selectors and services, and render; every figure shown comes from the
selectors' published (disclosure-controlled) form.
"""

import csv
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netlearn.charter import selectors as charter_selectors
from netlearn.core.downloads import as_download, spreadsheet_text
from netlearn.core.policy import require
from netlearn.core.rate_limits import Limit, too_many_requests

from . import charts, imports, policy, selectors, services
from .errors import ImpactError, ImportRefused
from .forms import BandForm, LinkForm, MappingForm, MeasureForm, RunForm, UploadForm
from .models import DatasetKind, RunStatus


def _svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    # Shown through <img>, where an SVG never runs script; opened alone, it may not either.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=60"
    return response


# docs/safety.md#rate-limits: exports are limited. Suppressed tables downloaded without end are
# how an outsider would try to difference figures back out; a person's ordinary use stays far below.
CSV_EXPORTS = Limit("impact-csv-export", "IMPACT_CSV_EXPORT_LIMIT", "IMPACT_CSV_EXPORT_WINDOW")


def limited_export(view):
    """Counts the download against the person's CSV limit; past it, 429 and no file."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not CSV_EXPORTS.attempt(f"person:{request.user.pk}"):
            return too_many_requests(
                request,
                CSV_EXPORTS,
                _(
                    "You have downloaded %(count)s tables within %(window)s. "
                    "Try again in %(window)s."
                )
                % {"count": CSV_EXPORTS.count, "window": CSV_EXPORTS.window_text},
            )
        return view(request, *args, **kwargs)

    return wrapper


def csv_cell(cell):
    """A cell as written to a CSV file. A measure's name is typed by a person and heads a column,
    so headers are guarded like any other text; figures stay numbers (a negative one is no formula).
    """
    return spreadsheet_text(cell) if isinstance(cell, str) else cell


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = as_download(
        HttpResponse(), filename=filename, content_type="text/csv; charset=utf-8", sandbox=False
    )
    writer = csv.writer(response)
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response


@login_required
def overview(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    return render(
        request,
        "impact/overview.html",
        {
            "network": network,
            "datasets": [
                (dataset, selectors.dataset_rows(dataset))
                for dataset in selectors.datasets_of(viewer=request.user, network=network)
            ],
            "measures": selectors.measures_of(network=network),
            "can_import": policy.can_import(request.user, network),
            "can_link": policy.can_link_goal(request.user, network),
            "threshold": selectors.rules_for(network).threshold,
        },
    )


@login_required
def upload(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    require(policy.can_import(request.user, network))
    form = UploadForm(
        request.POST or None, request.FILES or None, measures=selectors.measures_of(network=network)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pending = services.start_import(
                network=network,
                by=request.user,
                measure=data["measure"],
                kind=data["kind"],
                dataset_name=data["dataset_name"],
                source=data["source"],
                upload=data["file"],
            )
        except ImpactError as error:
            form.add_error("file", str(error))
        else:
            return redirect(pending.get_absolute_url())
    return render(request, "impact/upload.html", {"network": network, "form": form})


@login_required
def mapping(request, impact_pending_id):
    pending = selectors.pending_for(viewer=request.user, pending_id=impact_pending_id)
    header = imports.read_header(pending.text)
    guessed = imports.guess_mapping(header, pending.kind, measure_code=pending.measure.code)
    form = MappingForm(
        request.POST or None, kind=pending.kind, header=header, initial_mapping=guessed
    )
    context = {
        "network": pending.network,
        "pending": pending,
        "form": form,
        "header": header,
        "problems": [],
        "preview": None,
    }
    if request.method == "POST" and form.is_valid():
        arguments = {
            "mapping": form.mapping(),
            "extra": form.extra(),
            "comparison": form.comparison(),
        }
        try:
            if request.POST.get("action") == "import":
                dataset = services.import_dataset(pending=pending, by=request.user, **arguments)
                messages.success(
                    request, _("Imported %(file)s.") % {"file": pending.file_name or _("the file")}
                )
                return redirect(dataset.get_absolute_url())
            parsed = services.parse_pending(pending, **arguments)
        except ImportRefused as refused:
            context["problems"] = refused.problems
        except ImpactError as error:
            context["problems"] = [str(error)]
        else:
            context["preview"] = _preview(parsed)
    status = 400 if context["problems"] else 200
    return render(request, "impact/mapping.html", context, status=status)


def _preview(parsed) -> dict:
    """The first rows as they will be stored, and totals of the whole file."""
    fields = list(parsed.mapping)
    rows = []
    for row in parsed.rows[: imports.PREVIEW_ROWS]:
        cells = [row.get(key, row.get("context", {}).get(key)) for key in fields if key != "school"]
        rows.append({"row": row["row"], "cells": cells})
    return {
        "fields": [key for key in fields if key != "school"],
        "rows": rows,
        "total": len(parsed.rows),
        "schools": len({row["school_id"] for row in parsed.rows}),
        "years": sorted({row["year"] for row in parsed.rows}),
        "comparison": sum(1 for row in parsed.rows if row.get("is_comparison")),
        "skipped": parsed.skipped,
    }


@login_required
@require_POST
def discard(request, impact_pending_id):
    pending = selectors.pending_for(viewer=request.user, pending_id=impact_pending_id)
    network = pending.network
    services.discard_import(pending=pending, by=request.user)
    messages.info(request, _("The upload was discarded; nothing was imported."))
    return redirect("impact:overview", network.slug)


@login_required
def define_measure(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    require(policy.can_define_measure(request.user, network))
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.define_measure(network=network, by=request.user, **form.cleaned_data)
        except ImpactError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The measure is ready for imports."))
            return redirect("impact:overview", network.slug)
    return render(request, "impact/measure_form.html", {"network": network, "form": form})


def _band(request, network) -> tuple[float, float]:
    """The band asked for, or the default of the network's disadvantage measure (FSM % or the
    Equity Index)."""
    form = BandForm(request.GET or None)
    low, high = selectors.disadvantage_scale(network).band
    if form.is_valid():
        low = form.cleaned_data["low"] if form.cleaned_data["low"] is not None else low
        high = form.cleaned_data["high"] if form.cleaned_data["high"] is not None else high
    return (low, high) if low <= high else (high, low)


@login_required
def dataset(request, impact_dataset_id):
    item = selectors.dataset_for(viewer=request.user, dataset_id=impact_dataset_id)
    network = item.network
    context = {
        "network": network,
        "dataset": item,
        "can_run": policy.can_run_model(request.user, network),
        "can_see_records": policy.can_view_pupil_records(request.user, network),
        "threshold": selectors.rules_for(network).threshold,
    }
    if item.kind == DatasetKind.SCHOOL:
        band = _band(request, network)
        context["report"] = selectors.school_report(dataset=item, band=band)
        context["band"] = band
        context["query"] = request.GET.urlencode()
    else:
        context["summary"] = selectors.school_summary(dataset=item)
        context["runs"] = selectors.runs_of(dataset=item)
        context["run_form"] = RunForm(initial={"formula": _default_formula(item)})
    return render(request, "impact/dataset.html", context)


def _default_formula(item) -> str:
    outcome = item.columns.get("outcome", "outcome")
    prior = item.columns.get("prior")
    if prior and " " not in prior and " " not in outcome:
        return f"{outcome} ~ {prior} + (1|school)"
    return "outcome ~ prior + (1|school)"


def _school_dataset(request, impact_dataset_id):
    item = selectors.dataset_for(viewer=request.user, dataset_id=impact_dataset_id)
    if item.kind != DatasetKind.SCHOOL:
        raise Http404
    return item, selectors.school_report(dataset=item, band=_band(request, item.network))


@login_required
def scatter_svg(request, impact_dataset_id):
    item, report = _school_dataset(request, impact_dataset_id)
    return _svg_response(charts.scatter(report, measure=item.measure.name))


@login_required
def trend_svg(request, impact_dataset_id):
    item, report = _school_dataset(request, impact_dataset_id)
    return _svg_response(charts.trend(report, measure=item.measure.name))


@login_required
@limited_export
def schools_csv(request, impact_dataset_id):
    item, report = _school_dataset(request, impact_dataset_id)
    return _csv_response(
        f"impact-{item.pk}-schools-{report.year}.csv",
        [
            "school",
            "year",
            item.measure.name,
            "pupils",
            report.scale.name,
            "quartile",
            "against the odds",
        ],
        (
            [
                row.school,
                row.year,
                row.value.shown,
                row.cohort.shown,
                "" if row.disadvantage is None else row.disadvantage,
                row.quartile,
                row.against_the_odds
                if row.against_the_odds == "c"
                else ("yes" if row.against_the_odds else "no"),
            ]
            for row in report.rows
        ),
    )


@login_required
@limited_export
def trend_csv(request, impact_dataset_id):
    item, report = _school_dataset(request, impact_dataset_id)
    return _csv_response(
        f"impact-{item.pk}-trend.csv",
        ["year", "network", "network pupils", "peer schools", "peer pupils", "authority", "nation"],
        (
            [
                row.year,
                row.network.shown,
                row.network_pupils.shown,
                row.peers.shown,
                row.peer_pupils.shown,
                "" if row.authority is None else row.authority,
                "" if row.nation is None else row.nation,
            ]
            for row in report.trend
        ),
    )


@login_required
def records(request, impact_dataset_id):
    item = selectors.dataset_for(viewer=request.user, dataset_id=impact_dataset_id)
    require(policy.can_view_pupil_records(request.user, item.network))
    page = Paginator(selectors.pupil_records(viewer=request.user, dataset=item), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "impact/records.html",
        {"network": item.network, "dataset": item, "page": page},
    )


@login_required
@require_POST
def request_run(request, impact_dataset_id):
    item = selectors.dataset_for(viewer=request.user, dataset_id=impact_dataset_id)
    require(policy.can_run_model(request.user, item.network))
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = services.request_run(
                dataset=item,
                by=request.user,
                formula=form.cleaned_data["formula"],
                reml=not form.cleaned_data["ml"],
            )
        except ImpactError as error:
            messages.error(request, str(error))
        else:
            return redirect(run.get_absolute_url())
    else:
        messages.error(request, _("Write the model's formula."))
    return redirect(item.get_absolute_url())


@login_required
def run(request, impact_run_id):
    item = selectors.run_for(viewer=request.user, run_id=impact_run_id)
    context = {
        "network": item.dataset.network,
        "run": item,
        "report": selectors.run_report(run=item) if item.status == RunStatus.DONE else None,
    }
    if request.htmx:
        return render(request, "impact/_run_status.html", context)
    return render(request, "impact/run.html", context)


@login_required
def effects_svg(request, impact_run_id):
    item = selectors.run_for(viewer=request.user, run_id=impact_run_id)
    return _svg_response(charts.caterpillar(selectors.run_report(run=item)))


@login_required
@limited_export
def effects_csv(request, impact_run_id):
    item = selectors.run_for(viewer=request.user, run_id=impact_run_id)
    report = selectors.run_report(run=item)
    return _csv_response(
        f"impact-run-{item.pk}-school-effects.csv",
        ["school", "effect", "lower 95%", "upper 95%", "pupils"],
        (
            [row.school, row.estimate.shown, row.lower.shown, row.upper.shown, row.n.shown]
            for row in report.effects
        ),
    )


@login_required
def goals(request, network_slug):
    """Co-leaders choose which charter goals take their figures from a measure."""
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    can_link = policy.can_link_goal(request.user, network)
    charter = charter_selectors.charter_of(viewer=request.user, network=network)
    goal_list = [
        goal
        for focus in (charter_selectors.foci_of(charter=charter) if charter else [])
        for goal in focus.active_goals
    ]
    measures = list(selectors.measures_of(network=network))
    if request.method == "POST":
        require(can_link)
        form = LinkForm(request.POST)
        goal = next(
            (g for g in goal_list if form.is_valid() and g.pk == form.cleaned_data["goal"]), None
        )
        if goal is None:
            messages.error(request, _("Choose a goal of this network's charter."))
        else:
            chosen = form.cleaned_data.get("measure")
            measure = next((m for m in measures if m.pk == chosen), None)
            try:
                if measure is None:
                    services.unlink_goal(goal=goal, by=request.user)
                    messages.info(
                        request, _("“%(goal)s” is entered by hand again.") % {"goal": goal.measure}
                    )
                else:
                    services.link_goal(goal=goal, measure=measure, by=request.user)
                    messages.success(
                        request,
                        _("“%(goal)s” now takes its figures from %(measure)s.")
                        % {"goal": goal.measure, "measure": measure.name},
                    )
            except ImpactError as error:
                messages.error(request, str(error))
        return redirect("impact:goals", network.slug)
    links = selectors.goal_links_of(network=network)
    return render(
        request,
        "impact/goals.html",
        {
            "network": network,
            "goals": [(goal, links.get(goal.pk)) for goal in goal_list],
            "measures": measures,
            "can_link": can_link,
            "charter_url": reverse("charter:detail", args=[network.slug]),
        },
    )


@login_required
def value_added(request, network_slug):
    """The network's value added against peers, authority and all schools, year by year."""
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    return render(
        request,
        "impact/value_added.html",
        {
            "network": network,
            "reports": selectors.network_value_added(viewer=request.user, network=network),
            "threshold": selectors.rules_for(network).threshold,
        },
    )


@login_required
def value_added_svg(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    return _svg_response(
        charts.value_added(selectors.network_value_added(viewer=request.user, network=network))
    )
