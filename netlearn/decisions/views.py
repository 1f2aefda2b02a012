"""Pages of group decisions: the log, a proposal, and the forms to propose, revise and close.
Views parse, call services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from netlearn.activities import selectors as activity_selectors
from netlearn.networks import selectors as network_selectors

from . import policy, selectors, services
from .errors import DecisionError
from .forms import FilingForm, GroupRuleForm, PositionForm, ProposalForm, ReviseForm
from .models import Method, Stance


def _network(request, network_slug):
    return selectors.network_for(viewer=request.user, network_slug=network_slug)


def _proposal(request, network_slug, decision_id):
    network = _network(request, network_slug)
    return selectors.proposal_for(viewer=request.user, network=network, proposal_id=decision_id)


def _labels(proposal) -> dict[int, str]:
    return {option.pk: option.label for option in proposal.options.all()}


def _describe(position, labels) -> str:
    """A named position in words, for the log and the proposal page."""
    if position is None:
        return ""
    if position.stance:
        return Stance(position.stance).label
    if position.scores:
        return "; ".join(f"{labels.get(int(k), '?')}: {v}" for k, v in position.scores.items())
    if not position.choice:
        return _("None of these")
    return _(", then ").join(labels.get(option, "?") for option in position.choice)


def _log_rows(proposals):
    rows = []
    for proposal in proposals:
        labels = _labels(proposal)
        positions = []
        if not proposal.is_secret and proposal.current_revision is not None:
            positions = [
                (position.person, _describe(position, labels), position.reason)
                for position in proposal.current_revision.positions.all()
            ]
        rows.append({"proposal": proposal, "positions": positions})
    return rows


@login_required
def decisions_log(request, network_slug):
    network = _network(request, network_slug)
    proposals = list(selectors.log_of(viewer=request.user, network=network))
    return render(
        request,
        "decisions/log.html",
        {
            "network": network,
            "open_rows": _log_rows([p for p in proposals if p.is_open]),
            "closed_rows": _log_rows([p for p in proposals if not p.is_open]),
            "can_propose": bool(
                selectors.groups_to_propose_to(viewer=request.user, network=network)
            ),
            "can_set_rules": policy.can_set_rules(request.user, network),
        },
    )


@login_required
def new_proposal(request, network_slug):
    network = _network(request, network_slug)
    groups = selectors.groups_to_propose_to(viewer=request.user, network=network)
    if not groups:
        raise PermissionDenied
    queryset = network_selectors.groups_of(network=network).filter(
        pk__in=[group.pk for group in groups]
    )
    meetings = selectors.meetings_to_file_under(viewer=request.user, network=network)
    form = ProposalForm(request.POST or None, groups=queryset, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.create_proposal(
                network=network,
                group=data["group"],
                by=request.user,
                title=data["title"],
                text=data["text"],
                method=data["method"],
                options=data["option_labels"],
                starts=data["starts"],
                is_secret=data["is_secret"],
                closes_at=data["closes_at"],
                activity=data["activity"],
                concerns_charter=data["concerns_charter"],
            )
        except DecisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Proposed: the group has been told."))
            return redirect("decisions:proposal", network.slug, proposal.pk)
    return _form_page(
        request,
        network,
        form,
        title=_("New proposal"),
        submit=_("Propose"),
        cancel=reverse("decisions:log", args=[network.slug]),
    )


def _form_page(request, network, form, *, title, submit, cancel, proposal=None):
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "decisions/form.html",
        {
            "network": network,
            "form": form,
            "title": title,
            "submit": submit,
            "cancel": cancel,
            "proposal": proposal,
        },
        status=status,
    )


def _detail_context(request, proposal, *, form=None, error=None):
    person = request.user
    decider_ids = selectors.decider_ids_of(proposal=proposal)
    options = selectors.options_of(proposal=proposal)
    labels = {option.pk: option.label for option in options}
    revision = proposal.current_revision
    can_take_part = policy.can_take_part(person, proposal, decider_ids=decider_ids)
    own = None
    voted = False
    if proposal.is_secret:
        voted = selectors.has_voted(revision=revision, person=person)
    else:
        own = selectors.position_of(revision=revision, person=person)
    if form is None and can_take_part and not voted:
        initial = {}
        if own is not None:
            initial = {"stance": own.stance, "reason": own.reason}
            if proposal.method == Method.VOTE and own.choice:
                initial["choice"] = str(own.choice[0])
            elif proposal.method == Method.TIME_POLL:
                initial["choice"] = [str(pk) for pk in own.choice]
            for rank, pk in enumerate(own.choice, start=1):
                initial[f"rank_{pk}"] = str(rank)
            for pk, value in own.scores.items():
                initial[f"score_{pk}"] = str(value)
        form = PositionForm(proposal=proposal, options=options, initial=initial)
    rows = []
    if not proposal.is_secret:
        rows = [
            {
                "person": row.person,
                "position": _describe(row.position, labels),
                "reason": row.position.reason if row.position else "",
                "updated_at": row.position.updated_at if row.position else None,
            }
            for row in selectors.position_table(proposal=proposal, revision=revision)
        ]
    history = []
    for earlier in selectors.revisions_of(proposal=proposal):
        if earlier.pk == revision.pk:
            continue
        history.append(
            {
                "revision": earlier,
                "positions": [
                    (position.person, _describe(position, labels), position.reason)
                    for position in earlier.positions.all()
                ],
            }
        )
    result_rows = []
    if policy.can_see_result(person, proposal) and proposal.result:
        totals = proposal.result.get("totals", {})
        rounds = proposal.result.get("rounds", [])
        result_rows = [
            {
                "label": option.label,
                "total": totals.get(str(option.pk)),
                "rounds": [round_["counts"].get(str(option.pk), "—") for round_ in rounds],
            }
            for option in options
        ]
    blocked = (
        proposal.method == Method.CONSENT
        and not proposal.is_secret
        and any(row["position"] == Stance.BLOCK.label for row in rows)
    )
    filed_at = None
    if proposal.activity_id and activity_selectors.visible_activity_ids(
        viewer=person, activity_ids=[proposal.activity_id]
    ):
        filed_at = proposal.activity
    filing_form = None
    if policy.can_manage(person, proposal):
        filing_form = FilingForm(
            initial={
                "activity": proposal.activity_id,
                "concerns_charter": proposal.concerns_charter,
            },
            meetings=selectors.meetings_to_file_under(viewer=person, network=proposal.network),
        )
    return {
        "filed_at": filed_at,
        "filing_form": filing_form,
        "network": proposal.network,
        "proposal": proposal,
        "revision": revision,
        "options": options,
        "form": form,
        "error": error,
        "rows": rows,
        "history": history,
        "can_take_part": can_take_part,
        "is_decider": policy.is_decider(person, proposal, decider_ids=decider_ids),
        "deciders": len(decider_ids),
        "voted": voted,
        "voter_count": selectors.voter_count(revision=revision) if proposal.is_secret else None,
        "own": own,
        "can_manage": policy.can_manage(person, proposal),
        "can_revise": policy.can_manage(person, proposal) and blocked,
        "can_see_result": policy.can_see_result(person, proposal),
        "result_rows": result_rows,
        "rounds": range(1, len(proposal.result.get("rounds", [])) + 1),
    }


@login_required
def proposal_detail(request, network_slug, decision_id):
    proposal = _proposal(request, network_slug, decision_id)
    return render(request, "decisions/proposal.html", _detail_context(request, proposal))


@login_required
@require_POST
def position(request, network_slug, decision_id):
    proposal = _proposal(request, network_slug, decision_id)
    options = selectors.options_of(proposal=proposal)
    form = PositionForm(request.POST, proposal=proposal, options=options)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if proposal.is_secret:
                services.cast_ballot(
                    proposal=proposal,
                    by=request.user,
                    choice=data["choice_ids"],
                    scores=data["scores"],
                )
            else:
                services.take_position(
                    proposal=proposal,
                    by=request.user,
                    stance=data.get("stance", ""),
                    reason=data.get("reason", ""),
                    choice=data["choice_ids"],
                    scores=data["scores"],
                )
        except DecisionError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Your position is recorded."))
            url = reverse("decisions:proposal", args=[network_slug, proposal.pk])
            # The whole page changes (positions, the count), not only the form: reload it.
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    else:
        error = (
            _("Check the form:")
            + " "
            + " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        )
    proposal.refresh_from_db()
    context = _detail_context(request, proposal, form=form if error else None, error=error)
    template = "decisions/_take_part.html" if request.htmx else "decisions/proposal.html"
    # htmx swaps only 2xx answers: the fragment carries the message, the full page the status.
    status = 400 if error and not request.htmx else 200
    return render(request, template, context, status=status)


@login_required
def revise(request, network_slug, decision_id):
    proposal = _proposal(request, network_slug, decision_id)
    if not policy.can_manage(request.user, proposal):
        raise PermissionDenied
    form = ReviseForm(
        request.POST or None,
        initial={"text": proposal.current_revision.text, "closes_at": proposal.closes_at},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.revise_proposal(
                proposal=proposal,
                by=request.user,
                text=data["text"],
                change_note=data["change_note"],
                closes_at=data["closes_at"],
            )
        except DecisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Revised: positions start again, and the group is told."))
            return redirect("decisions:proposal", network_slug, proposal.pk)
    return _form_page(
        request,
        proposal.network,
        form,
        title=_("Revise “%(title)s”") % {"title": proposal.title},
        submit=_("Revise"),
        cancel=reverse("decisions:proposal", args=[network_slug, proposal.pk]),
        proposal=proposal,
    )


@login_required
@require_POST
def close(request, network_slug, decision_id):
    proposal = _proposal(request, network_slug, decision_id)
    services.close_proposal(proposal=proposal, by=request.user)
    messages.success(request, _("Closed and counted: the group has been told."))
    return redirect("decisions:proposal", network_slug, proposal.pk)


@login_required
@require_POST
def file_proposal(request, network_slug, decision_id):
    """Files the decision under the meeting where it was taken and/or the charter."""
    proposal = _proposal(request, network_slug, decision_id)
    if not policy.can_manage(request.user, proposal):
        raise PermissionDenied
    meetings = selectors.meetings_to_file_under(viewer=request.user, network=proposal.network)
    form = FilingForm(request.POST, meetings=meetings)
    if form.is_valid():
        services.link_proposal(
            proposal=proposal,
            by=request.user,
            activity=form.cleaned_data["activity"],
            concerns_charter=form.cleaned_data["concerns_charter"],
        )
        messages.success(request, _("Filed: the meeting's page and the charter list it as chosen."))
    else:
        messages.error(request, _("Choose one of the network's meetings, or none."))
    return redirect("decisions:proposal", network_slug, proposal.pk)


@login_required
def group_rules(request, network_slug):
    network = _network(request, network_slug)
    can_set = policy.can_set_rules(request.user, network)
    groups = list(network_selectors.groups_of(network=network).order_by("name"))
    rules = selectors.rules_of(network=network)
    form = None
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        form = GroupRuleForm(request.POST)
        group = next((g for g in groups if str(g.pk) == request.POST.get("group")), None)
        if group is None:
            form.add_error(None, _("Choose one of the network's groups."))
        if form.is_valid():
            try:
                services.set_group_rule(
                    group=group,
                    by=request.user,
                    consent_rule=form.cleaned_data["consent_rule"],
                    quorum_percent=form.cleaned_data["quorum_percent"],
                )
            except DecisionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved the rule of %(group)s.") % {"group": group.name})
                return redirect("decisions:rules", network.slug)
    rows = [{"group": group, "rule": rules.get(group.pk)} for group in groups]
    return render(
        request,
        "decisions/rules.html",
        {"network": network, "rows": rows, "can_set": can_set, "form": form or GroupRuleForm()},
        status=400 if form is not None else 200,
    )
