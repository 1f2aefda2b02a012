"""Pages of the charter. Views parse, call services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netlearn.core.downloads import as_download
from netlearn.core.related import grouped, related_links
from netlearn.networks import policy as network_policy
from netlearn.networks.models import Country

from . import focus_check, policy, selectors, services, trajectory
from .errors import CharterError, CharterExists, StaleCharter, StaleEdit
from .exports import charter_pdf as render_charter_pdf
from .forms import (
    CharterForm,
    CommitmentChangeForm,
    CommitmentForm,
    CompareForm,
    FocusChangeForm,
    FocusForm,
    GoalChangeForm,
    GoalForm,
    ProgressForm,
    ReasonForm,
    SignOffForm,
)
from .snapshots import diff, focus_word, lines


def _words(network) -> dict:
    nz = network.country == Country.NEW_ZEALAND
    word = focus_word(network)
    return {
        "focus_word": word,
        "foci_word": _("Achievement challenges") if nz else _("Learning foci"),
        "focus_word_lower": word.lower(),
        "is_nz": nz,
    }


def _base(request, network_slug, *, need_charter=True):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    charter = (
        selectors.charter_for(viewer=request.user, network=network)
        if need_charter
        else selectors.charter_of(viewer=request.user, network=network)
    )
    context = {
        "network": network,
        "charter": charter,
        "can_edit": policy.can_edit_charter(request.user, network),
        # The calendar and registers are the network's members' (not a programme's evaluator's).
        "can_view_activities": network_policy.can_view_network(request.user, network),
        **_words(network),
    }
    return network, charter, context


def _require_edit(context):
    if not context["can_edit"]:
        raise PermissionDenied


def _form_page(request, context, form, *, title, submit, intro="", cancel=None, status=None):
    context = {
        **context,
        "form": form,
        "title": title,
        "submit": submit,
        "intro": intro,
        "cancel": cancel or reverse("charter:detail", args=[context["network"].slug]),
        "multipart": form.is_multipart(),
    }
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render(request, "charter/form.html", context, status=status)


def _yours_beside_theirs(request, context, make_form, stale: StaleEdit):
    """The refused edit stays in its form, now carrying the current revision: saving it again is
    a choice made having seen what the other person saved, shown above it."""
    data = request.POST.copy()
    data["version"] = stale.revision
    form = make_form(data)
    form.add_error(None, str(stale))
    context["meanwhile"] = stale.rows
    return form


def _summary_context(request, network, charter):
    foci = [selectors.focus_view(focus) for focus in selectors.foci_of(charter=charter)]
    proposal = selectors.open_proposal(charter=charter)
    rows = selectors.sign_off_table(viewer=request.user, version=proposal) if proposal else []
    return {
        "foci": foci,
        "commitments": selectors.commitments_of(charter=charter),
        "proposal": proposal,
        "proposal_rows": rows,
        "proposal_signed": sum(1 for row in rows if row.sign_off and row.is_member),
        "proposal_needed": sum(1 for row in rows if row.is_member),
        "latest": selectors.latest_version(charter=charter),
        "can_propose": policy.can_propose(request.user, network),
        "digressions": selectors.latest_digressions(charter=charter),
        "status_rule": trajectory.RULE,
    }


@login_required
def charter_detail(request, network_slug):
    network, charter, context = _base(request, network_slug, need_charter=False)
    if charter is None:
        return render(request, "charter/no_charter.html", context)
    context.update(_summary_context(request, network, charter))
    context["related"] = grouped(related_links("charter", viewer=request.user, obj=network))
    return render(request, "charter/detail.html", context)


@login_required
def edit_charter(request, network_slug):
    network, charter, context = _base(request, network_slug, need_charter=False)
    _require_edit(context)
    initial = (
        {
            "purpose": charter.purpose,
            "shared_values": charter.shared_values,
            "version": charter.revision,
        }
        if charter
        else {}
    )
    form = CharterForm(request.POST or None, initial=initial)
    status = None
    if request.method == "POST" and form.is_valid():
        texts = {name: form.cleaned_data[name] for name in ("purpose", "shared_values")}
        read_at = form.cleaned_data["version"]
        saved_meanwhile = None
        if charter is not None and read_at is None:
            # The start form, read before someone else started the charter.
            saved_meanwhile = charter
        else:
            try:
                if charter is None:
                    services.start_charter(network=network, by=request.user, **texts)
                else:
                    services.update_charter(
                        charter=charter, by=request.user, version=read_at, **texts
                    )
            except StaleCharter as stale:
                saved_meanwhile = stale.charter
            except CharterExists:
                saved_meanwhile = selectors.charter_of(viewer=request.user, network=network)
            except CharterError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The charter is saved in the working draft."))
                return redirect("charter:detail", network.slug)
        if saved_meanwhile is not None:
            # Yours stays in the form, now carrying the current version: saving it again is a
            # choice made having seen what the other person saved.
            data = request.POST.copy()
            data["version"] = saved_meanwhile.revision
            form = CharterForm(data)
            form.add_error(None, str(StaleCharter(saved_meanwhile)))
            context["meanwhile"] = [
                ("Purpose", saved_meanwhile.purpose),
                (_("Shared values"), saved_meanwhile.shared_values),
            ]
            status = 409
    title = (
        _("Purpose and shared values")
        if charter
        else _("Start the charter of %(network)s") % {"network": network}
    )
    return _form_page(request, context, form, title=title, submit=_("Save"), status=status)


# Foci ---------------------------------------------------------------------------------------


@login_required
def add_focus(request, network_slug):
    network, charter, context = _base(request, network_slug)
    _require_edit(context)
    form = FocusForm(request.POST or None, network=network, focus_word=context["focus_word"])
    if request.method == "POST" and form.is_valid():
        try:
            focus = services.add_focus(charter=charter, by=request.user, **form.cleaned_data)
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("“%(title)s” is in the charter: see how it reads.") % {"title": focus.title},
            )
            return redirect("charter:focus", network.slug, focus.pk)
    return _form_page(
        request,
        context,
        form,
        title=_("New %(focus_word)s") % {"focus_word": context["focus_word_lower"]},
        submit=_("Save and check"),
        intro=_("After saving, the focus is checked against the criteria of successful foci."),
    )


@login_required
def focus_detail(request, network_slug, focus_id):
    network, charter, context = _base(request, network_slug)
    focus = selectors.focus_for(viewer=request.user, charter=charter, focus_id=focus_id)
    context.update(
        {
            "view": selectors.focus_view(focus),
            "criteria": focus_check.CRITERIA,
            "status_rule": trajectory.RULE,
        }
    )
    return render(request, "charter/focus.html", context)


@login_required
def edit_focus(request, network_slug, focus_id):
    network, charter, context = _base(request, network_slug)
    focus = selectors.focus_for(viewer=request.user, charter=charter, focus_id=focus_id)
    _require_edit(context)

    def make_form(data):
        return FocusChangeForm(
            data,
            instance=focus,
            initial={"version": focus.revision},
            network=network,
            focus_word=context["focus_word"],
        )

    form = make_form(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_focus(focus=focus, by=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            form, status = _yours_beside_theirs(request, context, make_form, stale), 409
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The focus is saved in the charter's working draft."))
            return redirect("charter:focus", network.slug, focus.pk)
    focus.refresh_from_db()
    return _form_page(
        request,
        context,
        form,
        title=_("Edit “%(title)s”") % {"title": focus.title},
        submit=_("Save and check"),
        cancel=reverse("charter:focus", args=[network.slug, focus.pk]),
        status=status,
    )


@login_required
def drop_focus(request, network_slug, focus_id):
    network, charter, context = _base(request, network_slug)
    focus = selectors.focus_for(viewer=request.user, charter=charter, focus_id=focus_id)
    _require_edit(context)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.drop_focus(focus=focus, by=request.user, reason=form.cleaned_data["reason"])
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("“%(title)s” is dropped; the reason is on record.") % {"title": focus.title},
            )
            return redirect("charter:detail", network.slug)
    return _form_page(
        request,
        context,
        form,
        title=_("Drop “%(title)s”") % {"title": focus.title},
        submit=_("Drop it"),
        intro=_("Dropping a focus is a digression from the charter: the reason is kept."),
        cancel=reverse("charter:focus", args=[network.slug, focus.pk]),
    )


# Goals --------------------------------------------------------------------------------------


@login_required
def add_goal(request, network_slug, focus_id):
    network, charter, context = _base(request, network_slug)
    focus = selectors.focus_for(viewer=request.user, charter=charter, focus_id=focus_id)
    _require_edit(context)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal(focus=focus, by=request.user, **form.cleaned_data)
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The goal is in the charter."))
            return redirect("charter:focus", network.slug, focus.pk)
    return _form_page(
        request,
        context,
        form,
        title=_("New goal for “%(title)s”") % {"title": focus.title},
        submit=_("Save goal"),
        intro=_("A goal runs from a baseline (value and date) to a target (value and date)."),
        cancel=reverse("charter:focus", args=[network.slug, focus.pk]),
    )


def _goal_initial(goal):
    return {
        "measure": goal.measure,
        "unit": goal.unit,
        "baseline_value": trajectory.format_value(goal.baseline_value),
        "baseline_date": goal.baseline_date,
        "target_value": trajectory.format_value(goal.target_value),
        "target_date": goal.target_date,
        "source": goal.source,
        "source_note": goal.source_note,
        "version": goal.revision,
    }


@login_required
def edit_goal(request, network_slug, goal_id):
    network, charter, context = _base(request, network_slug)
    goal = selectors.goal_for(viewer=request.user, charter=charter, goal_id=goal_id)
    _require_edit(context)

    def make_form(data):
        return GoalChangeForm(data, initial=_goal_initial(goal))

    form = make_form(request.POST or None)
    back = reverse("charter:focus", args=[network.slug, goal.focus_id])
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(goal=goal, by=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            form, status = _yours_beside_theirs(request, context, make_form, stale), 409
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The goal is saved in the charter's working draft."))
            return redirect(back)
    return _form_page(
        request,
        context,
        form,
        title=_("Change “%(measure)s”") % {"measure": goal.measure},
        submit=_("Save goal"),
        cancel=back,
        status=status,
    )


@login_required
def drop_goal(request, network_slug, goal_id):
    network, charter, context = _base(request, network_slug)
    goal = selectors.goal_for(viewer=request.user, charter=charter, goal_id=goal_id)
    _require_edit(context)
    form = ReasonForm(request.POST or None)
    back = reverse("charter:focus", args=[network.slug, goal.focus_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.drop_goal(goal=goal, by=request.user, reason=form.cleaned_data["reason"])
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The goal is dropped; the reason is on record."))
            return redirect(back)
    return _form_page(
        request,
        context,
        form,
        title=_("Drop “%(measure)s”") % {"measure": goal.measure},
        submit=_("Drop it"),
        intro=_("Dropping a goal is a digression from the charter: the reason is kept."),
        cancel=back,
    )


@login_required
def add_progress(request, network_slug, goal_id):
    network, charter, context = _base(request, network_slug)
    goal = selectors.goal_for(viewer=request.user, charter=charter, goal_id=goal_id)
    if not policy.can_record_progress(request.user, network):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, request.FILES or None)
    back = reverse("charter:focus", args=[network.slug, goal.focus_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.record_progress(goal=goal, by=request.user, **form.cleaned_data)
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The progress entry is recorded."))
            return redirect(f"{back}#goal-{goal.pk}")
    return _form_page(
        request,
        context,
        form,
        title=_("Record progress: %(measure)s (%(unit)s)")
        % {"measure": goal.measure, "unit": goal.unit},
        submit=_("Record progress"),
        cancel=back,
    )


@login_required
def evidence(request, network_slug, entry_id):
    network, charter, context = _base(request, network_slug)
    entry = selectors.entry_for(viewer=request.user, charter=charter, entry_id=entry_id)
    if not entry.evidence:
        raise Http404
    filename = entry.evidence_name or entry.evidence.name.rsplit("/", 1)[-1]
    response = FileResponse(entry.evidence.open("rb"), as_attachment=True, filename=filename)
    return as_download(response, filename=filename)


# Commitments --------------------------------------------------------------------------------


@login_required
def add_commitment(request, network_slug):
    network, charter, context = _base(request, network_slug)
    _require_edit(context)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_commitment(charter=charter, by=request.user, **form.cleaned_data)
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The commitment is in the charter."))
            return redirect(f"{reverse('charter:detail', args=[network.slug])}#commitments")
    return _form_page(
        request,
        context,
        form,
        title=_("New protocol or commitment"),
        submit=_("Save commitment"),
        intro=_("Protocols and “contracts” make members accountable to one another."),
    )


@login_required
def edit_commitment(request, network_slug, commitment_id):
    network, charter, context = _base(request, network_slug)
    commitment = selectors.commitment_for(
        viewer=request.user, charter=charter, commitment_id=commitment_id
    )
    _require_edit(context)
    initial = {
        "text": commitment.text,
        "binds": commitment.binds,
        "how_checked": commitment.how_checked,
        "kind": commitment.kind,
        "attendance_threshold": commitment.attendance_threshold,
        "version": commitment.revision,
    }

    def make_form(data):
        return CommitmentChangeForm(data, initial=initial)

    form = make_form(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_commitment(commitment=commitment, by=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            form, status = _yours_beside_theirs(request, context, make_form, stale), 409
        except CharterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The commitment is saved in the charter's working draft."))
            return redirect(f"{reverse('charter:detail', args=[network.slug])}#commitments")
    return _form_page(
        request, context, form, title=_("Change a commitment"), submit=_("Save"), status=status
    )


@login_required
@require_POST
def remove_commitment(request, network_slug, commitment_id):
    network, charter, context = _base(request, network_slug)
    commitment = selectors.commitment_for(
        viewer=request.user, charter=charter, commitment_id=commitment_id
    )
    _require_edit(context)
    services.remove_commitment(commitment=commitment, by=request.user)
    messages.success(request, _("The commitment is removed; the earlier versions keep it."))
    return redirect(f"{reverse('charter:detail', args=[network.slug])}#commitments")


# Versions, proposals and sign-off -----------------------------------------------------------


@login_required
def history(request, network_slug):
    network, charter, context = _base(request, network_slug)
    versions = list(selectors.versions_of(charter=charter))
    form = CompareForm(request.GET or None)
    older = newer = None
    rows = []
    if form.is_valid():
        older = selectors.version_numbered(charter=charter, number=form.cleaned_data["a"])
        newer = selectors.version_numbered(charter=charter, number=form.cleaned_data["b"])
        if older is None or newer is None:
            form.add_error(None, _("Choose two versions of this charter."))
    elif not request.GET and len(versions) >= 2:
        older, newer = versions[1], versions[0]
        form = CompareForm(initial={"a": older.number, "b": newer.number})
    if older is not None and newer is not None:
        if older.number > newer.number:
            older, newer = newer, older
        rows = diff(older.content, newer.content, focus_label=context["focus_word"])
    context.update(
        {
            "versions": versions,
            "form": form,
            "older": older,
            "newer": newer,
            "rows": rows,
            "changes": sum(1 for row in rows if row.kind != "same"),
            "digressions": selectors.digressions_of(charter=charter),
        }
    )
    return render(request, "charter/history.html", context)


def _version_context(request, context, version):
    context.update(
        {
            "version": version,
            "lines": lines(version.content, focus_label=context["focus_word"]),
            "rows": selectors.sign_off_table(viewer=request.user, version=version),
            "can_propose": policy.can_propose(request.user, context["network"])
            and version.in_force_at is None
            and not version.is_open_proposal,
        }
    )
    return context


@login_required
def version_detail(request, network_slug, version_id):
    network, charter, context = _base(request, network_slug)
    version = selectors.version_for(viewer=request.user, charter=charter, version_id=version_id)
    return render(request, "charter/version.html", _version_context(request, context, version))


@login_required
@require_POST
def propose(request, network_slug, version_id):
    network, charter, context = _base(request, network_slug)
    version = selectors.version_for(viewer=request.user, charter=charter, version_id=version_id)
    _require_edit(context)
    try:
        services.propose_version(version=version, by=request.user)
    except CharterError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(version)s is proposed for adoption: each member school's lead signs it off.")
            % {"version": version},
        )
    if request.POST.get("next") == "charter":
        return redirect("charter:detail", network.slug)
    return redirect("charter:version", network.slug, version.pk)


@login_required
@require_POST
def sign_off(request, network_slug, version_id):
    network, charter, context = _base(request, network_slug)
    version = selectors.version_for(viewer=request.user, charter=charter, version_id=version_id)
    form = SignOffForm(request.POST)
    status = 200
    if not form.is_valid():
        messages.error(
            request,
            _("Tick the box to confirm you have read this version and sign it off for your school.")
            if "confirm" in form.errors
            else _("Choose the school you sign off for."),
        )
        status = 400
    else:
        school = get_object_or_404(
            services.schools_to_sign(network), pk=form.cleaned_data["school"]
        )
        if not policy.can_sign_off(request.user, network, school):
            raise PermissionDenied
        try:
            services.sign_off(version=version, school=school, by=request.user)
        except CharterError as error:
            messages.error(request, str(error))
            status = 400
        else:
            version.refresh_from_db()
            note = (
                " Every member school has signed: it is now in force."
                if version.in_force_at
                else ""
            )
            messages.success(
                request,
                _("%(school)s has signed off %(version)s.%(note)s")
                % {"school": school, "version": version, "note": note},
            )
    if request.htmx:
        version.refresh_from_db()
        charter.refresh_from_db()
        context = _version_context(request, context, version)
        return render(request, "charter/_sign_offs.html", context, status=status)
    return redirect("charter:version", network.slug, version.pk)


# Exports ------------------------------------------------------------------------------------


@login_required
def print_charter(request, network_slug):
    network, charter, context = _base(request, network_slug)
    context.update(_summary_context(request, network, charter))
    return render(request, "charter/print.html", context)


@login_required
def charter_pdf(request, network_slug):
    network, charter, context = _base(request, network_slug)
    context.update(_summary_context(request, network, charter))
    pdf = render_charter_pdf(context)
    return as_download(
        HttpResponse(pdf), filename=f"charter-{network.slug}.pdf", content_type="application/pdf"
    )
