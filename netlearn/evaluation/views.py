"""Programme pages: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netlearn.accounts import selectors as account_selectors

from . import forms, policy, selectors, services
from .errors import EvaluationError


@login_required
def programme_list(request):
    programmes = selectors.programmes_for(viewer=request.user)
    return render(
        request,
        "evaluation/programme_list.html",
        {
            "programmes": programmes,
            "can_create": policy.can_create_programme(request.user),
        },
    )


@login_required
def create_programme(request):
    if not policy.can_create_programme(request.user):
        raise Http404
    form = forms.ProgrammeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except EvaluationError as exc:
            error = str(exc)
        else:
            return redirect("evaluation:detail", programme.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "evaluation/form.html",
        {"form": form, "error": error, "title": _("New programme"), "submit": _("Create")},
        status=status,
    )


def _detail_context(request, programme):
    return {
        "programme": programme,
        "view": selectors.side_by_side(programme=programme),
        "memberships": [
            m for m in selectors.memberships_of(programme=programme) if not m.is_consented
        ]
        if policy.can_view_invitations(request.user, programme)
        else None,
        "evaluators": selectors.evaluators_of(programme=programme),
        "can_invite": policy.can_invite(request.user, programme),
        "can_appoint": policy.can_appoint_evaluator(request.user, programme),
        "invite_form": forms.InviteForm(),
        "evaluator_form": forms.EvaluatorForm(),
    }


@login_required
def programme_detail(request, programme_slug):
    programme = selectors.programme_for(viewer=request.user, slug=programme_slug)
    return render(request, "evaluation/programme_detail.html", _detail_context(request, programme))


@login_required
@require_POST
def invite(request, programme_slug):
    programme = selectors.programme_for(viewer=request.user, slug=programme_slug)
    form = forms.InviteForm(request.POST)
    if form.is_valid():
        services.ask_network(
            programme=programme, network_slug=form.cleaned_data["network"], by=request.user
        )
        messages.success(request, _(services.ASKED))
        return redirect("evaluation:detail", programme.slug)
    context = {**_detail_context(request, programme), "invite_form": form}
    return render(request, "evaluation/programme_detail.html", context, status=400)


@login_required
@require_POST
def appoint(request, programme_slug):
    programme = selectors.programme_for(viewer=request.user, slug=programme_slug)
    if not policy.can_appoint_evaluator(request.user, programme):
        raise PermissionDenied
    form = forms.EvaluatorForm(request.POST)
    if form.is_valid():
        person = (
            account_selectors.people_with_usernames([form.cleaned_data["username"]])
            .filter(is_active=True)
            .first()
        )
        if person is None:
            form.add_error("username", _("Nobody has that username."))
        else:
            try:
                services.appoint_evaluator(
                    programme=programme,
                    person=person,
                    by=request.user,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except EvaluationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("%(name)s evaluates it now.") % {"name": person.name or person.username},
                )
                return redirect("evaluation:detail", programme.slug)
    context = {**_detail_context(request, programme), "evaluator_form": form}
    return render(request, "evaluation/programme_detail.html", context, status=400)


@login_required
def network_programmes(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    return render(
        request,
        "evaluation/network_programmes.html",
        {
            "network": network,
            "memberships": selectors.memberships_of_network(network=network),
            "can_decide": policy.can_consent(request.user, network),
        },
    )


def _membership(request, network_slug, programme_membership_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    membership = selectors.membership_for(
        viewer=request.user, membership_id=programme_membership_id
    )
    if membership.network_id != network.pk:
        raise Http404
    return network, membership


@login_required
@require_POST
def consent(request, network_slug, programme_membership_id):
    network, membership = _membership(request, network_slug, programme_membership_id)
    try:
        services.consent(membership=membership, by=request.user)
    except EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "%(network)s joins %(programme)s: its evaluators see its charter, golden threads, "
                "engagement and outcomes beside the other networks'."
            )
            % {"network": network.name, "programme": membership.programme.name},
        )
    return redirect("evaluation:network_programmes", network.slug)


@login_required
@require_POST
def withdraw(request, network_slug, programme_membership_id):
    network, membership = _membership(request, network_slug, programme_membership_id)
    try:
        services.withdraw(membership=membership, by=request.user)
    except EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(network)s has left %(programme)s.")
            % {"network": network.name, "programme": membership.programme.name},
        )
    return redirect("evaluation:network_programmes", network.slug)
