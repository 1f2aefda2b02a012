"""Pages for networks, schools, people and groups. Views parse, call services, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from netlearn.core import intake
from netlearn.core.home import network_feed
from netlearn.core.intake import FileRefused
from netlearn.core.related import grouped, related_links

from . import policy, selectors, services
from .errors import NetworkError
from .forms import (
    PICKER_LIMIT,
    AddSchoolForm,
    AmalgamateSchoolsForm,
    AssignRoleForm,
    CloseSchoolForm,
    EmailDomainForm,
    EndDateForm,
    GroupForm,
    GroupMemberForm,
    ImportSchoolsForm,
    InviteColleaguesForm,
    JoinRequestApprovalForm,
    NetworkLanguageForm,
    PeopleFilterForm,
    ProposalDecisionForm,
    ProposeSiteAdminForm,
    RoleHoldersForm,
    SchoolFilterForm,
    SchoolForm,
    SignInRulesForm,
    StaffMemberForm,
)
from .imports import MAX_FILE_BYTES, Problem, SchoolFileRefused
from .models import (
    SCHOOL_PROFILE_FIELDS,
    SITE_ADMIN,
    GroupKind,
    Network,
    NetworkMembership,
    Role,
    RoleProposal,
    School,
)


def _page(request, rows, param="page"):
    return Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get(param))


def _managed_network(request, network_slug):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    if not policy.can_manage_network(request.user, network):
        raise PermissionDenied
    return network


@login_required
def my_networks(request):
    networks = selectors.networks_for(viewer=request.user)
    context = {
        "networks": networks,
        "invitation_count": selectors.invitations_for(viewer=request.user).count(),
        "proposal_count": selectors.role_proposals_for(
            viewer=request.user, pending_only=True
        ).count(),
    }
    return render(request, "networks/my_networks.html", context)


@login_required
def network_home(request, network_slug):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    # The table shows a person's name and a school's: not the rest of two wide rows.
    roles = (
        selectors.current_roles(network=network)
        .exclude(role=Role.MEMBER)
        .only("role", "note", "started", "person__name", "school__name")
    )
    # Three lists that grow with the network, each a page at a time under its own parameter.
    context = {
        "network": network,
        # Coming up and new in the network, from every app (core/home.py).
        "feed": network_feed(person=request.user, network=network),
        "memberships": _page(
            request,
            selectors.current_memberships(network=network).order_by(
                "school__name", "-joined", "pk"
            ),
            "schools",
        ),
        "groups": _page(
            request, selectors.groups_in_network(network=network).order_by("name", "pk"), "groups"
        ),
        "roles": _page(request, roles.order_by("role", "person__name", "pk"), "roles"),
        "leadership": selectors.leadership_distribution(network=network),
        "can_manage": policy.can_manage_network(request.user, network),
    }
    return render(request, "networks/network_home.html", context)


@login_required
def network_schools(request, network_slug):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    form = SchoolFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {key: value for key, value in filters.items() if value}
    memberships = selectors.school_rows(network=network)
    if chosen:
        # Unfiltered, every current membership's school is in the network: no subquery needed.
        schools = selectors.filter_schools(selectors.schools_in_network(network=network), **chosen)
        memberships = memberships.filter(school__in=schools)
    context = {
        "network": network,
        "form": form,
        "page": _page(request, memberships),
        "can_manage": policy.can_manage_network(request.user, network),
        "authorities": selectors.authorities_in_network(network=network),
    }
    template = "networks/_school_rows.html" if request.htmx else "networks/schools.html"
    return render(request, template, context)


def _candidate_schools(request, network):
    """Schools a co-leader may add: those they can already see, and those in no network yet."""
    in_network = NetworkMembership.objects.current().filter(network=network).values("school_id")
    in_any_network = NetworkMembership.objects.current().values("school_id")
    visible = selectors.schools_for(viewer=request.user)
    unattached = School.objects.exclude(pk__in=in_any_network)
    # A closed school is no longer offered (docs/school-changes.md).
    return (visible | unattached).exclude(pk__in=in_network).filter(is_closed=False).distinct()


@login_required
def add_school(request, network_slug):
    network = _managed_network(request, network_slug)
    candidates = _candidate_schools(request, network)
    query = request.GET.get("q", "").strip()
    form = AddSchoolForm(request.POST or None, schools=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.add_school_to_network(
                network=network,
                school=form.cleaned_data["school"],
                by=request.user,
                joined=form.cleaned_data["joined"],
            )
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(school)s has joined %(network)s.")
                % {"school": membership.school, "network": network},
            )
            return redirect("networks:schools", network.slug)
    matches = selectors.filter_schools(candidates, q=query)[:25] if query else []
    context = {"network": network, "form": form, "query": query, "matches": matches}
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/add_school.html", context, status=status)


@login_required
@require_POST
def end_membership(request, network_slug, membership_id):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    membership = get_object_or_404(selectors.current_memberships(network=network), pk=membership_id)
    if not policy.can_manage_network(request.user, network):
        raise PermissionDenied
    form = EndDateForm(request.POST)
    if form.is_valid():
        try:
            services.end_school_membership(
                membership=membership, by=request.user, left=form.cleaned_data["date"]
            )
        except NetworkError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(school)s has left %(network)s.")
                % {"school": membership.school, "network": network},
            )
    else:
        messages.error(request, _("Give the leaving date as a date."))
    return redirect("networks:schools", network.slug)


@login_required
def people_directory(request, network_slug):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    # The school filter shows names only.
    schools = selectors.schools_in_network(network=network).only("id", "name")
    form = PeopleFilterForm(request.GET or None, schools=schools)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.directory_of_network(
        network=network,
        q=filters.get("q", ""),
        expertise=filters.get("expertise", ""),
        school_id=filters["school"].pk if filters.get("school") else None,
        role=filters.get("role", ""),
    )
    page = _page(request, people)
    details = selectors.directory_details(
        network=network, person_ids=[person.pk for person in page.object_list]
    )
    for person in page.object_list:
        person.details = details[person.pk]
    context = {"network": network, "form": form, "page": page}
    template = "networks/_people_rows.html" if request.htmx else "networks/people.html"
    return render(request, template, context)


@login_required
def roles(request, network_slug):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    can_manage = policy.can_manage_network(request.user, network)
    form = None
    if can_manage:
        form = AssignRoleForm(
            request.POST or None,
            # Only a posted form looks a person up; building the candidates' query cost a GET
            # about 3 ms (issue 23).
            people=_role_candidates(request) if request.method == "POST" else None,
            # The school choice shows names only.
            schools=selectors.schools_in_network(network=network).only("id", "name"),
            search_url=reverse("networks:role_candidates", args=[network.slug]),
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        # A sensitive role from this form becomes a proposal: one person never gives it alone.
        give = services.propose_role if policy.is_sensitive_role(role) else services.assign_role
        try:
            given = give(
                network=network,
                by=request.user,
                person=form.cleaned_data["person"],
                role=role,
                school=form.cleaned_data["school"],
                started=form.cleaned_data["started"],
                note=form.cleaned_data["note"],
            )
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            if isinstance(given, RoleProposal):
                messages.success(
                    request,
                    _(
                        "You have proposed %(person)s as %(role)s. It takes effect when another "
                        "co-leader or a site admin approves it; every co-leader has been told."
                    )
                    % {"person": given.person, "role": given.get_role_display()},
                )
            else:
                messages.success(
                    request,
                    _("%(person)s is now %(role)s.")
                    % {"person": given.person, "role": given.get_role_display()},
                )
            return redirect("networks:roles", network.slug)
    context = {
        "network": network,
        "form": form,
        "current": _page(request, selectors.role_rows(network=network)),
        "history": _page(request, selectors.past_role_rows(network=network), "past"),
        "proposals": selectors.pending_proposals_of(network=network) if can_manage else [],
        "leadership": selectors.leaders_in_network(network=network),
        "can_manage": can_manage,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/roles.html", context, status=status)


def _role_candidates(request):
    return selectors.people_for(viewer=request.user).exclude(kind="pupil")


def _person_choices(request, people, field_name="person"):
    """The picker's partial: up to PICKER_LIMIT people of `people` whose name or username
    matches what was typed."""
    query = (request.GET.get(f"{field_name}_q") or request.GET.get("q") or "").strip()[:100]
    found = []
    if query:
        found = list(
            selectors.people_matching(people, q=query)
            .order_by("name", "pk")
            .only("pk", "name", "username")[: PICKER_LIMIT + 1]
        )
    context = {
        "people": found[:PICKER_LIMIT],
        "more": len(found) > PICKER_LIMIT,
        "query": query,
        "field_name": field_name,
    }
    return render(request, "networks/_person_choices.html", context)


@login_required
def role_candidates(request, network_slug):
    _managed_network(request, network_slug)
    return _person_choices(request, _role_candidates(request))


@login_required
@require_POST
def end_role(request, network_slug, role_id):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    network_role = get_object_or_404(selectors.current_roles(network=network), pk=role_id)
    if not policy.can_manage_network(request.user, network):
        raise PermissionDenied
    form = EndDateForm(request.POST)
    try:
        if not form.is_valid():
            raise NetworkError(_("Give the end date as a date."))
        services.end_role(
            network_role=network_role, by=request.user, ended=form.cleaned_data["date"]
        )
    except NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(person)s no longer holds %(role)s.")
            % {"person": network_role.person, "role": network_role.get_role_display()},
        )
    return redirect("networks:roles", network.slug)


@login_required
def create_group(request, network_slug):
    network = _managed_network(request, network_slug)
    form = GroupForm(
        request.POST or None, initial={"kind": request.GET.get("kind", "")}, network=network
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(network=network, by=request.user, **form.cleaned_data)
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The group “%(group)s” is ready: now add its members.") % {"group": group},
            )
            return redirect(group)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "networks/group_form.html", {"network": network, "form": form}, status=status
    )


def _group_context(request, network, group, member_form=None):
    can_manage = policy.can_manage_group(request.user, group)
    if can_manage and member_form is None:
        member_form = _member_form(request, network, group, data=None)
    return {
        "network": network,
        "group": group,
        "members": _page(
            request, selectors.member_rows_of_group(group=group).order_by("added_at", "pk")
        ),
        "can_manage": can_manage,
        "member_form": member_form,
        "role_form": RoleHoldersForm() if can_manage else None,
        "is_triad": group.kind == GroupKind.TRIAD,
        "is_steering": group.kind == GroupKind.STEERING,
    }


def _member_candidates(network, group):
    in_group = group.members.filter(person__isnull=False).values("person_id")
    return selectors.people_choices_in_network(network=network).exclude(pk__in=in_group)


def _member_form(request, network, group, data):
    # Only a posted form looks a person up (the picker searches through its own endpoint);
    # building the candidates' query cost the group page several ms (issue 23).
    people = _member_candidates(network, group) if data is not None else None
    # The school choice shows names only.
    schools = (
        selectors.schools_in_network(network=network)
        .exclude(pk__in=group.members.filter(school__isnull=False).values("school_id"))
        .only("id", "name")
    )
    if group.kind == GroupKind.TRIAD:
        schools = schools.none()
    search_url = reverse("networks:group_member_candidates", args=[network.slug, group.pk])
    return GroupMemberForm(data, people=people, schools=schools, search_url=search_url)


@login_required
def group_member_candidates(request, network_slug, group_id):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    group = selectors.group_for(viewer=request.user, network=network, group_id=group_id)
    if not policy.can_manage_group(request.user, group):
        raise PermissionDenied
    return _person_choices(request, _member_candidates(network, group))


@login_required
def group_detail(request, network_slug, group_id):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    group = selectors.group_for(viewer=request.user, network=network, group_id=group_id)
    return render(request, "networks/group.html", _group_context(request, network, group))


@login_required
def edit_group(request, network_slug, group_id):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    group = selectors.group_for(viewer=request.user, network=network, group_id=group_id)
    if not policy.can_manage_group(request.user, group):
        raise PermissionDenied
    initial = {"name": group.name, "kind": group.kind, "purpose": group.purpose}
    form = GroupForm(request.POST or None, initial=initial, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group(group=group, by=request.user, **form.cleaned_data)
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The group is saved."))
            return redirect(group)
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "form": form, "group": group}
    return render(request, "networks/group_form.html", context, status=status)


@login_required
@require_POST
def add_group_member(request, network_slug, group_id):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    group = selectors.group_for(viewer=request.user, network=network, group_id=group_id)
    if not policy.can_manage_group(request.user, group):
        raise PermissionDenied
    form = _member_form(request, network, group, data=request.POST)
    status = 400
    if form.is_valid():
        try:
            member = services.add_group_member(
                group=group,
                by=request.user,
                person=form.cleaned_data["person"],
                school=form.cleaned_data["school"],
                represents=form.cleaned_data["represents"],
            )
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            status = 200
            if not request.htmx:
                messages.success(
                    request,
                    _("%(member)s has joined %(group)s.") % {"member": member, "group": group},
                )
                return redirect(group)
            form = None
    context = _group_context(request, network, group, member_form=form)
    if status == 200:
        context["added"] = True
    template = "networks/_group_members.html" if request.htmx else "networks/group.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def add_role_holders(request, network_slug, group_id):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    group = selectors.group_for(viewer=request.user, network=network, group_id=group_id)
    if not policy.can_manage_group(request.user, group):
        raise PermissionDenied
    form = RoleHoldersForm(request.POST)
    context_extra, status = {}, 400
    if not form.is_valid():
        context_extra["role_error"] = _("Choose a role.")
    else:
        try:
            added = services.add_role_holders_to_group(
                group=group, role=form.cleaned_data["role"], by=request.user
            )
        except NetworkError as error:
            context_extra["role_error"] = str(error)
        else:
            status = 200
            context_extra["added_count"] = added
            if not request.htmx:
                messages.success(request, f"{added} joined {group}.")
                return redirect(group)
    context = {**_group_context(request, network, group), **context_extra}
    template = "networks/_group_members.html" if request.htmx else "networks/group.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def remove_group_member(request, network_slug, group_id, member_id):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    group = selectors.group_for(viewer=request.user, network=network, group_id=group_id)
    member = get_object_or_404(group.members, pk=member_id)
    services.remove_group_member(member=member, by=request.user)
    if request.htmx:
        return render(
            request, "networks/_group_members.html", _group_context(request, network, group)
        )
    messages.success(
        request, _("%(member)s has left %(group)s.") % {"member": member, "group": group}
    )
    return redirect(group)


@login_required
def school_detail(request, school_id):
    school = selectors.school_for(viewer=request.user, school_id=school_id)
    invitations = selectors.invitations_of_school(viewer=request.user, school=school)
    changes = list(selectors.changes_of_school(school=school))
    for change in changes:
        change.carried_rows = services.carried_counts(change.carried)
    context = {
        "school": school,
        "networks": selectors.networks_of_school(viewer=request.user, school=school),
        "staff": selectors.staff_of_school(viewer=request.user, school=school),
        "can_change": policy.can_change_school(request.user, school),
        "can_manage_staff": policy.can_manage_staff(request.user, school),
        "invitations": _page(request, invitations, param="invitations"),
        "pending_join_requests": selectors.join_requests_of_school(
            viewer=request.user, school=school, pending_only=True
        ).count(),
        "related": grouped(related_links("school", viewer=request.user, obj=school)),
        "changes": changes,
        "membership_history": selectors.membership_history_of_school(
            viewer=request.user, school=school
        ),
        "can_close": not school.is_closed and _may_change_schools(request.user, [school]),
    }
    return render(request, "networks/school.html", context)


# School changes: closures and amalgamations (docs/school-changes.md) ---------------------------


def _may_change_schools(person, schools) -> bool:
    return policy.can_change_schools(
        person, selectors.current_network_ids_by_school(schools=schools)
    )


@login_required
def school_changes(request, network_slug):
    network = selectors.network_for(viewer=request.user, slug=network_slug)
    changes = selectors.school_changes_in_network(network=network)
    context = {
        "network": network,
        "page": _page(request, changes),
        "can_manage": policy.can_manage_network(request.user, network),
    }
    return render(request, "networks/school_changes.html", context)


@login_required
def amalgamate_schools(request, network_slug):
    """Step one chooses the schools; step two shows what will move and asks to confirm; the
    service checks everything again and does it all or nothing."""
    network = _managed_network(request, network_slug)
    form = AmalgamateSchoolsForm(
        request.POST or None, schools=selectors.open_schools_in_network(network=network)
    )
    preview = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            terms = {
                "schools": list(form.cleaned_data["schools"]),
                "continuing": form.cleaned_data["continuing"],
                "name": form.cleaned_data["name"],
                "phase": form.cleaned_data["phase"],
                "on": form.cleaned_data["on"],
                "reason": form.cleaned_data["reason"],
                "by": request.user,
            }
            try:
                if request.POST.get("confirm") == "yes":
                    change = services.amalgamate_schools(**terms)
                else:
                    preview = services.preview_amalgamation(**terms)
                    status = 200
            except NetworkError as error:
                form.add_error(None, str(error))
                preview = None
            else:
                if preview is None:
                    messages.success(
                        request,
                        _("%(school)s is formed from %(join)s.")
                        % {
                            "school": change.school,
                            "join": ", ".join(str(s) for s in change.predecessors.all()),
                        },
                    )
                    return redirect(change.school)
    context = {"network": network, "form": form, "preview": preview}
    return render(request, "networks/amalgamate_schools.html", context, status=status)


@login_required
def close_school(request, school_id):
    school = selectors.school_for(viewer=request.user, school_id=school_id)
    if not _may_change_schools(request.user, [school]):
        raise PermissionDenied
    form = CloseSchoolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.close_school(school=school, by=request.user, **form.cleaned_data)
            except NetworkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("%(school)s is recorded as closed.") % {"school": school}
                )
                return redirect(school)
    context = {
        "school": school,
        "form": form,
        "records": services.records_of_schools(schools=[school]),
    }
    return render(request, "networks/close_school.html", context, status=status)


@login_required
def edit_school(request, school_id):
    school = selectors.school_for(viewer=request.user, school_id=school_id)
    if not policy.can_change_school(request.user, school):
        raise PermissionDenied
    form = SchoolForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        services.update_school(
            school=school,
            by=request.user,
            **{name: form.cleaned_data[name] for name in SCHOOL_PROFILE_FIELDS},
        )
        messages.success(request, _("The school's details are saved."))
        return redirect(school)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "networks/school_form.html", {"school": school, "form": form}, status=status
    )


@login_required
def add_staff_member(request, school_id):
    school = selectors.school_for(viewer=request.user, school_id=school_id)
    if not policy.can_manage_staff(request.user, school):
        raise PermissionDenied
    form = StaffMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_staff_member(school=school, by=request.user, **form.cleaned_data)
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                services.STAFF_INVITATION_SENT.format(
                    email=form.cleaned_data["email"].strip(), school=school
                ),
            )
            return redirect(school)
    status = 400 if request.method == "POST" else 200
    context = {"school": school, "form": form}
    return render(request, "networks/staff_member_form.html", context, status=status)


@login_required
def invite_colleagues(request, school_id):
    school = selectors.school_for(viewer=request.user, school_id=school_id)
    if not policy.can_manage_staff(request.user, school):
        raise PermissionDenied
    groups = selectors.groups_an_inviter_manages(viewer=request.user, school=school)
    form = InviteColleaguesForm(request.POST or None, request.FILES or None, groups=groups)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["colleagues"]
            if form.cleaned_data["file"]:
                text = intake.decode(intake.read_limited(form.cleaned_data["file"]))
            read = services.invite_colleagues(
                school=school,
                by=request.user,
                text=text,
                level=form.cleaned_data["level"],
                job_title=form.cleaned_data["job_title"],
                groups=form.cleaned_data["group_list"],
            )
        except FileRefused as refused:
            problems = refused.problems
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "We have sent an invitation to each of the %(read)s addresses that can be "
                    "given a post at %(school)s. Each post begins when its owner accepts."
                )
                % {"read": read, "school": school},
            )
            return redirect(f"{school.get_absolute_url()}#invitations")
    status = 400 if request.method == "POST" else 200
    context = {"school": school, "form": form, "problems": problems}
    return render(request, "networks/invite_colleagues.html", context, status=status)


@login_required
@require_POST
def revoke_staff_invitation(request, school_id, invitation_id):
    return _change_invitation(request, school_id, invitation_id, services.revoke_staff_invitation)


@login_required
@require_POST
def resend_staff_invitation(request, school_id, invitation_id):
    return _change_invitation(request, school_id, invitation_id, services.resend_staff_invitation)


def _change_invitation(request, school_id, invitation_id, change):
    school = selectors.school_for(viewer=request.user, school_id=school_id)
    invitation = selectors.invitation_of_school(
        viewer=request.user, school=school, invitation_id=invitation_id
    )
    try:
        invitation = change(invitation=invitation, by=request.user)
    except NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The invitation to %(invited_email)s is %(lower)s.")
            % {"invited_email": invitation.invited_email, "lower": invitation.state.lower()},
        )
    return redirect(f"{school.get_absolute_url()}#invitations")


@login_required
@require_POST
def end_staff_post(request, school_id, post_id):
    school = selectors.school_for(viewer=request.user, school_id=school_id)
    post = selectors.staff_post_for(viewer=request.user, school=school, post_id=post_id)
    if not policy.can_manage_staff(request.user, school):
        raise PermissionDenied
    form = EndDateForm(request.POST)
    try:
        if not form.is_valid():
            raise NetworkError(_("Give the end date as a date."))
        services.end_staff_post(post=post, by=request.user, ended=form.cleaned_data["date"])
    except NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(person)s's post at %(school)s has ended.")
            % {"person": post.person, "school": school},
        )
    return redirect(school)


@login_required
def person_detail(request, person_id):
    person = selectors.person_for(viewer=request.user, person_id=person_id)
    context = {
        "person": person,
        "posts": person.staff_posts.current()
        .select_related("school")
        .filter(school__in=selectors.schools_for(viewer=request.user)),
        "roles": selectors.roles_of_person(viewer=request.user, person=person),
        "groups": selectors.groups_of_person(viewer=request.user, person=person),
        "is_self": person.pk == request.user.pk,
        "related": grouped(related_links("person", viewer=request.user, obj=person)),
    }
    return render(request, "networks/person.html", context)


IMPORT_TEMPLATE = "networks/import_schools.html"
# Room for the form's other fields and the multipart framing around the file.
_BODY_ALLOWANCE = 64 * 1024


def _managed_networks(person):
    ids = policy.managed_network_ids(person)
    networks = Network.objects.all() if ids is None else Network.objects.filter(pk__in=ids)
    return networks.order_by("name"), ids is not None


@login_required
@csrf_exempt  # _import_schools checks the token, once an oversized body has been refused unread.
def import_schools(request):
    person = request.user
    if not policy.can_import_schools(person):
        raise Http404
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_FILE_BYTES + _BODY_ALLOWANCE:
            networks, required = _managed_networks(person)
            form = ImportSchoolsForm(networks=networks, network_required=required)
            too_large = Problem(
                None,
                None,
                _("The file is larger than %(size)s MB.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            )
            return render(
                request, IMPORT_TEMPLATE, {"form": form, "problems": [too_large]}, status=400
            )
    return _import_schools(request)


@csrf_protect
def _import_schools(request):
    person = request.user
    networks, required = _managed_networks(person)
    result, problems, status = None, [], 200
    if request.method == "POST":
        form = ImportSchoolsForm(
            request.POST, request.FILES, networks=networks, network_required=required
        )
        if form.is_valid():
            try:
                result = services.import_schools(
                    file=form.cleaned_data["file"], by=person, network=form.cleaned_data["network"]
                )
            except SchoolFileRefused as exc:
                problems, status = exc.problems, 400
            else:
                form = ImportSchoolsForm(networks=networks, network_required=required)
        else:
            status = 400
    else:
        form = ImportSchoolsForm(networks=networks, network_required=required)
    context = {"form": form, "result": result, "problems": problems}
    return render(request, IMPORT_TEMPLATE, context, status=status)


@login_required
def role_proposals(request):
    """Sensitive roles waiting for a second person, and those decided, in the viewer's reach."""
    proposals = selectors.role_proposals_for(viewer=request.user)
    context = {
        "pending": proposals.filter(status="pending"),
        "decided": _page(request, proposals.exclude(status="pending")),
        "can_propose_site_admin": policy.can_propose_role(request.user, SITE_ADMIN),
    }
    return render(request, "networks/role_proposals.html", context)


@login_required
def role_proposal(request, proposal_id):
    proposal = selectors.role_proposal_for(viewer=request.user, proposal_id=proposal_id)
    can_decide = proposal.is_pending and policy.can_decide_proposal(request.user, proposal)
    form = ProposalDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            decide = (
                services.approve_role_proposal
                if form.cleaned_data["decision"] == "approve"
                else services.refuse_role_proposal
            )
            try:
                decide(proposal=proposal, by=request.user)
            except NetworkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your decision is recorded and every co-leader told."))
                return redirect("networks:role_proposal", proposal.pk)
    context = {
        "proposal": proposal,
        "can_decide": can_decide,
        "form": form,
        "audit": selectors.audit_of_proposal(proposal=proposal),
    }
    return render(request, "networks/role_proposal.html", context, status=status)


@login_required
def propose_site_admin(request):
    if not policy.can_propose_role(request.user, SITE_ADMIN):
        raise Http404
    form = ProposeSiteAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose_site_admin(
                person=form.cleaned_data["person"], by=request.user
            )
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "You have proposed %(person)s as a site admin. It takes effect when another "
                    "site admin approves it."
                )
                % {"person": proposal.person},
            )
            return redirect("networks:role_proposal", proposal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/propose_site_admin.html", {"form": form}, status=status)


@login_required
def invitations(request):
    """Posts offered to the signed-in person; they begin only when accepted."""
    pending = selectors.invitations_for(viewer=request.user)
    return render(request, "networks/invitations.html", {"invitations": pending})


@login_required
@require_POST
def accept_invitation(request, invitation_id):
    return _answer_invitation(request, invitation_id, accept=True)


@login_required
@require_POST
def decline_invitation(request, invitation_id):
    return _answer_invitation(request, invitation_id, accept=False)


def _answer_invitation(request, invitation_id, *, accept: bool):
    invitation = selectors.invitation_for(viewer=request.user, invitation_id=invitation_id)
    try:
        if accept:
            post = services.accept_staff_invitation(invitation=invitation, by=request.user)
            messages.success(
                request,
                _("You are now %(job_title)s at %(school)s.")
                % {"job_title": post.job_title, "school": post.school},
            )
        else:
            services.decline_staff_invitation(invitation=invitation, by=request.user)
            messages.success(
                request,
                _("You have declined the invitation from %(school)s.")
                % {"school": invitation.school},
            )
    except NetworkError as error:
        messages.error(request, str(error))
    return redirect("networks:invitations")


# How the school's people sign in: its email domains, single sign-on rules and join queue ------


def _school_to_manage_sign_in(request, school_id):
    school = selectors.school_for(viewer=request.user, school_id=school_id)
    if not policy.can_manage_sign_in(request.user, school):
        raise PermissionDenied
    return school


def _sign_in_page(request, school, *, status=200, **forms):
    requests = selectors.join_requests_of_school(viewer=request.user, school=school)
    context = {
        "school": school,
        "domains": selectors.email_domains_of_school(viewer=request.user, school=school),
        "domain_form": forms.get("domain_form") or EmailDomainForm(),
        "rules_form": forms.get("rules_form")
        or SignInRulesForm(
            initial={"sso_required": school.sso_required, "pupils_use_sso": school.pupils_use_sso}
        ),
        "approval_form": JoinRequestApprovalForm(),
        "join_requests": _page(request, requests, param="requests"),
    }
    return render(request, "networks/school_sign_in.html", context, status=status)


@login_required
def school_sign_in(request, school_id):
    school = _school_to_manage_sign_in(request, school_id)
    return _sign_in_page(request, school)


@login_required
@require_POST
def add_email_domain(request, school_id):
    school = _school_to_manage_sign_in(request, school_id)
    form = EmailDomainForm(request.POST)
    if form.is_valid():
        try:
            domain = services.add_email_domain(school=school, by=request.user, **form.cleaned_data)
        except NetworkError as error:
            form.add_error("domain", str(error))
        else:
            messages.success(
                request,
                _("Addresses at %(domain)s are now %(school)s's.")
                % {"domain": domain, "school": school},
            )
            return redirect("networks:school_sign_in", school_id=school.pk)
    return _sign_in_page(request, school, status=400, domain_form=form)


@login_required
@require_POST
def remove_email_domain(request, school_id, domain_id):
    school = _school_to_manage_sign_in(request, school_id)
    domain = selectors.email_domain_of_school(
        viewer=request.user, school=school, domain_id=domain_id
    )
    services.remove_email_domain(email_domain=domain, by=request.user)
    messages.success(
        request, _("Sign-ins from %(domain)s are refused from now on.") % {"domain": domain}
    )
    return redirect("networks:school_sign_in", school_id=school.pk)


@login_required
@require_POST
def set_sign_in_rules(request, school_id):
    school = _school_to_manage_sign_in(request, school_id)
    form = SignInRulesForm(request.POST)
    if form.is_valid():
        try:
            services.set_sign_in_rules(school=school, by=request.user, **form.cleaned_data)
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The school's sign-in rules are saved."))
            return redirect("networks:school_sign_in", school_id=school.pk)
    return _sign_in_page(request, school, status=400, rules_form=form)


@login_required
@require_POST
def approve_join_request(request, school_id, join_request_id):
    school = _school_to_manage_sign_in(request, school_id)
    join_request = selectors.join_request_of_school(
        viewer=request.user, school=school, join_request_id=join_request_id
    )
    form = JoinRequestApprovalForm(request.POST)
    try:
        if not form.is_valid():
            raise NetworkError(_("Give the colleague's job title and the level of the post."))
        services.approve_join_request(
            join_request=join_request, by=request.user, **form.cleaned_data
        )
    except NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s now works at %(school)s on Netlearn.")
            % {"name": join_request.name, "school": school},
        )
    return redirect(reverse("networks:school_sign_in", args=[school.pk]) + "#join-requests")


@login_required
@require_POST
def decline_join_request(request, school_id, join_request_id):
    school = _school_to_manage_sign_in(request, school_id)
    join_request = selectors.join_request_of_school(
        viewer=request.user, school=school, join_request_id=join_request_id
    )
    try:
        services.decline_join_request(join_request=join_request, by=request.user)
    except NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The request from %(email)s is declined.") % {"email": join_request.email}
        )
    return redirect(reverse("networks:school_sign_in", args=[school.pk]) + "#join-requests")


@login_required
@require_POST
def network_language(request, network_slug):
    """A co-leader sets the network's default language (its people's pages, unless they choose)."""
    network = _managed_network(request, network_slug)
    form = NetworkLanguageForm(request.POST)
    if form.is_valid():
        services.set_network_language(
            network=network, by=request.user, language=form.cleaned_data["language"]
        )
        messages.success(request, _("The network's language is saved."))
    else:
        messages.error(request, _("Netlearn does not speak that language yet."))
    return redirect("networks:home", network.slug)
