"""Pages of network health: the self-evaluation overview, surveys, answering, results, judging.
Views parse, call services, render."""

import csv

import networkx as nx
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netlearn.core.downloads import spreadsheet_text
from netlearn.networks.access import access_for

from . import collaboration, engagement, policy, results, selectors, self_evaluation, services
from .errors import HealthError
from .forms import JudgementForm, SurveyForm
from .models import QuestionKind


def _survey(request, network_slug, survey_id):
    return selectors.survey_for(viewer=request.user, network_slug=network_slug, survey_id=survey_id)


@login_required
def overview(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    return render(
        request,
        "health/overview.html",
        {
            "network": network,
            "views": self_evaluation.overview_of(network=network, viewer=request.user),
            "level": policy.results_level(request.user, network),
            "judgements": [
                (judgement, selectors.target_of(judgement))
                for judgement in selectors.judgements_of(network=network)
            ],
            "can_manage": policy.can_manage(request.user, network),
            "sees_surveys": access_for(request.user).is_site_admin
            or network.pk in access_for(request.user).network_ids,
        },
    )


@login_required
def surveys(request, network_slug):
    found = list(selectors.surveys_of_viewer(viewer=request.user, network_slug=network_slug))
    network = found[0].network if found else None
    if network is None:
        network = selectors.network_for(viewer=request.user, network_slug=network_slug)
        if (
            not access_for(request.user).is_site_admin
            and network.pk not in access_for(request.user).network_ids
        ):
            raise Http404
    answered = {
        survey.pk for survey in found if selectors.has_responded(survey=survey, person=request.user)
    }
    return render(
        request,
        "health/surveys.html",
        {
            "network": network,
            "surveys": found,
            "answered": answered,
            "can_manage": policy.can_manage(request.user, network),
            "is_staff_view": policy.can_view_health(request.user, network),
        },
    )


@login_required
def new_survey(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    if not policy.can_manage(request.user, network):
        raise PermissionDenied
    form = SurveyForm(
        request.POST or None,
        frameworks=selectors.frameworks(),
        items=selectors.bank_items(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.create_survey(
                network=network,
                by=request.user,
                title=data["title"],
                audience=data["audience"],
                mode=data["mode"],
                wave=data["wave"],
                closes_at=data["closes_at"],
                threshold=data["threshold"],
                framework=data["framework"],
                items=list(data["items"]),
                questions=data["own_questions"],
            )
        except HealthError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Survey opened: its audience has been invited."))
            return redirect("health:survey", network.slug, survey.pk)
    return render(
        request,
        "health/form.html",
        {
            "network": network,
            "form": form,
            "title": _("New survey"),
            "submit": _("Open the survey"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _parse_answers(request, questions) -> dict:
    answers = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.RANKING:
            places = [
                request.POST.get(f"{name}_{index}", "") for index in range(len(question.options))
            ]
            if any(places):
                answers[str(question.pk)] = places
        elif question.kind == QuestionKind.NAME_GENERATOR:
            answers[str(question.pk)] = request.POST.getlist(name)
        else:
            answers[str(question.pk)] = request.POST.get(name, "")
    return answers


def _answer_context(survey, questions, request) -> list[dict]:
    labels = selectors.name_choice_labels(survey=survey)
    own = selectors.own_answers(survey=survey, person=request.user) or {}
    rows = []
    for question in questions:
        rows.append(
            {
                "question": question,
                "choices": labels.get(question.names, []) if question.names else [],
                "places": list(range(1, len(question.options) + 1)),
                "own": own.get(str(question.pk)),
            }
        )
    return rows


@login_required
def survey_page(request, network_slug, survey_id):
    survey = _survey(request, network_slug, survey_id)
    questions = selectors.questions_of(survey=survey)
    error = None
    status = 200
    if request.method == "POST":
        try:
            services.respond(
                survey=survey, by=request.user, answers=_parse_answers(request, questions)
            )
        except HealthError as exc:
            error = str(exc)
            status = 409 if getattr(exc, "status", 400) == 409 else 400
        else:
            messages.success(request, _("Thank you: your response is recorded."))
            return redirect("health:survey", network_slug, survey.pk)
    invited = len(selectors.audience_of(survey=survey))
    responded = selectors.response_count(survey=survey)
    return render(
        request,
        "health/survey.html",
        {
            "network": survey.network,
            "survey": survey,
            "rows": _answer_context(survey, questions, request),
            "error": error,
            "has_responded": selectors.has_responded(survey=survey, person=request.user),
            "can_respond": policy.can_respond(request.user, survey),
            "can_manage": policy.can_manage(request.user, survey.network),
            "results_level": policy.results_level(request.user, survey.network),
            "can_read_own": policy.can_read_own_answers(request.user, survey),
            "is_pupil": access_for(request.user).is_pupil,
            "invited": invited,
            "responded": responded,
            "rate": round(100 * responded / invited) if invited else None,
            "likert_points": [1, 2, 3, 4, 5],
        },
        status=status,
    )


def _results_for(request, survey):
    level = policy.results_level(request.user, survey.network)
    if level is None:
        raise PermissionDenied
    only = access_for(request.user).led_school_ids if level == policy.SCHOOL else None
    return results.survey_results(
        survey,
        questions=selectors.questions_of(survey=survey),
        sheets=selectors.sheets_of(survey=survey),
        school_names=selectors.schools_of(network=survey.network),
        only_school_ids=only,
        with_texts=level == policy.NETWORK,
    )


@login_required
def survey_results(request, network_slug, survey_id):
    survey = _survey(request, network_slug, survey_id)
    return render(
        request,
        "health/results.html",
        {
            "network": survey.network,
            "survey": survey,
            "results": _results_for(request, survey),
            "threshold": survey.threshold,
        },
    )


def _safe_cell(value) -> str:
    # A spreadsheet runs a cell starting with a formula sign (docs/safety.md): the one guard.
    return spreadsheet_text(value)


@login_required
def survey_results_csv(request, network_slug, survey_id):
    survey = _survey(request, network_slug, survey_id)
    found = _results_for(request, survey)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    writer = csv.writer(response)
    writer.writerow(["question", "dimension", "breakdown", "group", "n", "mean", "lower", "upper"])
    for result in found:
        lines = []
        if result.overall is not None:
            lines.append(("overall", result.overall))
        lines += [("school", row) for row in result.by_school]
        lines += [("role", row) for row in result.by_role]
        lines += [("option", row) for row in result.options]
        for breakdown, row in lines:
            writer.writerow(
                [_safe_cell(result.text), _safe_cell(result.dimension), breakdown]
                + [_safe_cell(cell) for cell in row.as_csv()]
            )
    return response


@login_required
@require_POST
def close(request, network_slug, survey_id):
    survey = _survey(request, network_slug, survey_id)
    try:
        services.close_survey(survey=survey, by=request.user)
    except HealthError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The survey is closed."))
    return redirect("health:survey", network_slug, survey.pk)


@login_required
@require_POST
def remind(request, network_slug, survey_id):
    survey = _survey(request, network_slug, survey_id)
    try:
        count = services.remind(survey=survey, by=request.user)
    except HealthError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Reminded %(count)s who have not answered yet.") % {"count": count}
        )
    return redirect("health:survey", network_slug, survey.pk)


@login_required
def judge(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    if not policy.can_manage(request.user, network):
        raise PermissionDenied
    form = JudgementForm(
        request.POST or None,
        dimensions=selectors.dimensions(),
        targets=selectors.next_step_targets(viewer=request.user, network=network),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_judgement(
                network=network,
                by=request.user,
                dimension=data["dimension"],
                wave=data["wave"],
                level=data["level"],
                summary=data["summary"],
                evidence=data["evidence"],
                next_step=data["next_step"],
                next_target=data["next_target"],
            )
        except HealthError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Judgement recorded."))
            return redirect("health:overview", network.slug)
    return render(
        request,
        "health/form.html",
        {
            "network": network,
            "form": form,
            "title": _("Judge a dimension"),
            "submit": _("Record"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _map(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    if not policy.can_view_map(request.user, network):
        raise PermissionDenied
    with_people = policy.can_view_map_people(request.user, network)
    return network, collaboration.map_of(network=network, with_people=with_people)


def _change(now, before) -> str:
    if now is None or before is None:
        return ""
    difference = now - before
    return f"{'+' if difference >= 0 else ''}{difference:.2f}"


@login_required
def collaboration_map(request, network_slug):
    network, found = _map(request, network_slug)
    school_graph = collaboration.school_graph(found)
    context = {
        "network": network,
        "found": found,
        "school_svg": collaboration.draw(
            school_graph,
            found.school_measures,
            title=_("Ties between the schools of %(network)s") % {"network": network},
        ),
        "school_rows": [
            {
                "name": name,
                "degree": found.school_measures.degree.get(pk, 0),
                "betweenness": round(found.school_measures.betweenness.get(pk, 0), 3),
                "broker": pk in dict(found.school_measures.brokers),
                "isolated": pk in found.school_measures.isolates,
            }
            for pk, name in sorted(found.schools.items(), key=lambda item: item[1])
        ],
        "isolated_schools": [found.schools[pk] for pk in found.school_measures.isolates],
        "broker_schools": [found.schools[pk] for pk, _betweenness in found.school_measures.brokers],
        "school_density_change": _change(
            found.school_measures.density, found.previous_schools.density
        ),
    }
    if found.with_people:
        people = found.people_measures
        context.update(
            {
                "people_svg": collaboration.draw(
                    collaboration.people_graph(found),
                    people,
                    title=_("Who works with whom in %(network)s") % {"network": network},
                ),
                "people_rows": [
                    {
                        "name": name,
                        "school": found.schools.get(school, ""),
                        "degree": people.degree.get(pk, 0),
                        "betweenness": round(people.betweenness.get(pk, 0), 3),
                        "broker": pk in dict(people.brokers),
                        "isolated": pk in people.isolates,
                    }
                    for pk, (name, school) in sorted(
                        found.people.items(), key=lambda item: item[1][0]
                    )
                ],
                "brokers": [found.people[pk][0] for pk, _betweenness in people.brokers],
                "density_change": _change(people.density, found.previous_people.density),
                "across_change": _change(people.across_share, found.previous_people.across_share),
            }
        )
    return render(request, "health/map.html", context)


@login_required
def collaboration_map_csv(request, network_slug):
    network, found = _map(request, network_slug)
    graph = collaboration.graph_for_export(found)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-map.csv"'
    writer = csv.writer(response)
    writer.writerow(["source", "source_group", "target", "target_group", "weight", "across"])
    for a, b, data in sorted(graph.edges(data=True)):
        group_a, group_b = graph.nodes[a].get("group", ""), graph.nodes[b].get("group", "")
        writer.writerow(
            [
                _safe_cell(graph.nodes[a].get("label", a)),
                _safe_cell(found.schools.get(int(group_a), "") if group_a.isdigit() else ""),
                _safe_cell(graph.nodes[b].get("label", b)),
                _safe_cell(found.schools.get(int(group_b), "") if group_b.isdigit() else ""),
                data.get("weight", 1),
                "yes" if group_a != group_b else "no",
            ]
        )
    return response


@login_required
def collaboration_map_graphml(request, network_slug):
    network, found = _map(request, network_slug)
    graph = collaboration.graph_for_export(found)
    response = HttpResponse(
        "\n".join(nx.generate_graphml(graph)), content_type="application/graphml+xml"
    )
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-map.graphml"'
    return response


def _engagement(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    if not policy.can_view_engagement(request.user, network):
        raise PermissionDenied
    level = policy.results_level(request.user, network)
    only = access_for(request.user).led_school_ids if level == policy.SCHOOL else None
    return network, level, engagement.engagement_of(network=network, only_school_ids=only)


@login_required
def engagement_page(request, network_slug):
    network, level, found = _engagement(request, network_slug)
    return render(
        request,
        "health/engagement.html",
        {
            "network": network,
            "found": found,
            "caution": engagement.CAUTION,
            "only_own": level == policy.SCHOOL,
        },
    )


@login_required
def engagement_csv(request, network_slug):
    network, _level, found = _engagement(request, network_slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-engagement.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "school",
            "attendance",
            "enquiries",
            "trials",
            "ties",
            "value_added",
            "lower",
            "upper",
            "against_peers",
            "measure",
            "years",
        ]
    )
    for row in found.rows:
        writer.writerow(
            [
                _safe_cell(row.school),
                row.attendance,
                row.enquiries,
                row.trials,
                row.ties,
                row.value_added.shown,
                row.lower.shown,
                row.upper.shown,
                row.against_peers.shown,
                _safe_cell(found.measure),
                found.years,
            ]
        )
    # The caution travels with the figures, as the last line.
    writer.writerow([_safe_cell(f"Note: {engagement.CAUTION}")])
    return response
