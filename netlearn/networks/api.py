"""The networks part of the JSON API: networks, schools, people, roles and groups.

Every read goes through a selector scoped to the viewer, so another network's object answers 404
like a missing one; every write goes through a service, which checks the policy (403).
"""

import datetime
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from netlearn.core.api import Id, Pages, Text

from . import policy, selectors, services
from .models import (
    GroupKind,
    InvitationStatus,
    JoinRequestStatus,
    Phase,
    PostLevel,
    ProposalStatus,
    ProposedRole,
    Role,
    Setting,
)

router = Router(tags=["networks"])


def _viewer(request):
    return request.auth


def _visible_school_ids(request) -> frozenset[int] | None:
    """Schools the viewer may see (None: all), loaded once per request.

    A person's posts are listed only at these schools, so a colleague who also works in another
    network does not reveal that network's school.
    """
    if not hasattr(request, "_api_visible_school_ids"):
        viewer = _viewer(request)
        if policy.school_scope(viewer) == Q():
            request._api_visible_school_ids = None
        else:
            request._api_visible_school_ids = frozenset(
                selectors.schools_for(viewer=viewer).values_list("pk", flat=True)
            )
    return request._api_visible_school_ids


def _visible_posts(person, context) -> list:
    request = context["request"]
    visible = _visible_school_ids(request)
    posts = getattr(person, "current_posts", [])
    return [post for post in posts if visible is None or post.school_id in visible]


def _visible_roles(person, context) -> list:
    viewer = _viewer(context["request"])
    roles = getattr(person, "current_roles", [])
    return [role for role in roles if policy.can_view_network(viewer, role.network)]


# Schemas ------------------------------------------------------------------------------------


class SchoolRef(Schema):
    id: int
    name: str


class NetworkRef(Schema):
    slug: str
    name: str


class PersonRef(Schema):
    id: int
    name: str


class SchoolOut(Schema):
    id: int
    name: str
    country: str
    reference: str
    phase: str
    establishment_type: str
    authority: str
    setting: str
    roll: int | None
    fsm_percent: Decimal | None
    equity_index: int | None
    sen_percent: Decimal | None
    website: str
    is_closed: bool


class SchoolDetailOut(SchoolOut):
    networks: list[NetworkRef]
    can_change: bool

    @staticmethod
    def resolve_networks(school) -> list:
        return school.networks_list


class SchoolPatch(Schema):
    name: Text = Field(None, min_length=1, max_length=200)
    phase: Phase | None = None
    establishment_type: Text = Field(None, max_length=120)
    authority: Text = Field(None, max_length=120)
    setting: Setting | None = None
    # Strict: pydantic would read `false` as 0 (found by the API fuzzer).
    roll: StrictInt | None = Field(None, ge=0, le=2_147_483_647)
    fsm_percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=1)
    equity_index: StrictInt | None = Field(None, ge=0, le=32767)
    sen_percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=1)
    website: Text = Field(None, max_length=200)


class NetworkOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    currency: str
    language: str = Field(..., description="Default language of its pages; empty: its country's.")
    description: str
    founded: datetime.date | None
    school_count: int


class NetworkDetailOut(NetworkOut):
    can_manage: bool


class MembershipOut(Schema):
    id: int
    school: SchoolOut
    joined: datetime.date
    left: datetime.date | None


class MembershipIn(Schema):
    school_id: Id
    joined: datetime.date | None = None


class MembershipEndIn(Schema):
    left: datetime.date | None = None


class PostOut(Schema):
    school: SchoolRef
    job_title: str
    level: PostLevel
    leads_school: bool


class PersonRoleOut(Schema):
    network: NetworkRef
    role: Role
    school: SchoolRef | None


class PersonOut(Schema):
    id: int
    name: str
    kind: str
    email: str
    organisation_name: str
    bio: str
    expertise: list[str]
    posts: list[PostOut]
    roles: list[PersonRoleOut]

    @staticmethod
    def resolve_expertise(person) -> list[str]:
        return [tag.name for tag in person.expertise.all()]

    @staticmethod
    def resolve_posts(person, context) -> list:
        return _visible_posts(person, context)

    @staticmethod
    def resolve_roles(person, context) -> list:
        return _visible_roles(person, context)


class PeopleFilters(Schema):
    q: Text = Field("", max_length=100)
    expertise: Text = Field("", max_length=80)
    school: Id | None = None
    role: Role | None = None


class RoleOut(Schema):
    id: int
    role: Role
    person: PersonRef
    school: SchoolRef | None
    started: datetime.date
    ended: datetime.date | None
    note: str


class RoleIn(Schema):
    person_id: Id
    role: Role
    school_id: Id | None = None
    started: datetime.date | None = None
    note: Text = Field("", max_length=200)


class RoleEndIn(Schema):
    ended: datetime.date | None = None


class RoleProposalOut(Schema):
    id: int
    network: NetworkRef | None
    person: PersonRef
    role: ProposedRole
    school: SchoolRef | None
    started: datetime.date | None
    note: str
    proposed_by: PersonRef | None
    proposed_at: datetime.datetime
    status: ProposalStatus
    decided_by: PersonRef | None
    decided_at: datetime.datetime | None


class RoleProposalIn(Schema):
    person_id: Id
    role: Role
    school_id: Id | None = None
    started: datetime.date | None = None
    note: Text = Field("", max_length=200)


class InvitationOut(Schema):
    id: int
    school: SchoolRef
    job_title: str
    level: PostLevel
    leads_school: bool
    invited_by: PersonRef | None
    created_at: datetime.datetime
    status: InvitationStatus
    answered_at: datetime.datetime | None


class GroupOut(Schema):
    id: int
    name: str
    kind: GroupKind
    purpose: str
    created_at: datetime.datetime
    people_count: int
    school_count: int


class MemberPersonOut(Schema):
    id: int
    name: str
    posts: list[PostOut]

    @staticmethod
    def resolve_posts(person, context) -> list:
        return _visible_posts(person, context)


class GroupMemberOut(Schema):
    id: int
    person: MemberPersonOut | None
    school: SchoolRef | None
    represents: str
    added_at: datetime.datetime


class GroupDetailOut(Schema):
    id: int
    name: str
    kind: GroupKind
    purpose: str
    created_at: datetime.datetime
    can_manage: bool
    members: list[GroupMemberOut]

    @staticmethod
    def resolve_members(group) -> list:
        return group.member_list


class GroupIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    kind: GroupKind = GroupKind.OTHER
    purpose: Text = Field("", max_length=5000)


class GroupPatch(Schema):
    name: Text = Field(None, min_length=1, max_length=150)
    kind: GroupKind = None
    purpose: Text = Field(None, max_length=5000)


class GroupMemberIn(Schema):
    person_id: Id | None = None
    school_id: Id | None = None
    represents: PostLevel | None = None


class RoleCount(Schema):
    role: str
    count: int


class LeadershipOut(Schema):
    leaders: int
    leaders_without_senior_post: int
    share_without_senior_post: int
    schools_with_leaders: int
    member_schools: int
    by_role: list[RoleCount]

    @staticmethod
    def resolve_by_role(distribution) -> list[dict]:
        return [{"role": role, "count": count} for role, count in distribution.by_role]


class SchoolFilters(Schema):
    q: Text = Field("", max_length=100)
    phase: Phase | None = None
    setting: Setting | None = None
    authority: Text = Field("", max_length=120)
    country: Text = Field("", max_length=3)


# Networks -----------------------------------------------------------------------------------


@router.get("/networks", response=list[NetworkOut])
@paginate(Pages)
def list_networks(request):
    return selectors.networks_for(viewer=_viewer(request))


@router.get("/networks/{slug:slug}", response=NetworkDetailOut)
def get_network(request, slug: str):
    viewer = _viewer(request)
    network = get_object_or_404(selectors.networks_for(viewer=viewer), slug=slug)
    network.can_manage = policy.can_manage_network(viewer, network)
    return network


class NetworkLanguage(StrEnum):
    """A network's default language (settings.LANGUAGES); empty: its country's."""

    COUNTRY = ""
    ENGLISH_UK = "en-gb"
    ENGLISH_NZ = "en-nz"
    MAORI = "mi"


class NetworkLanguageIn(Schema):
    language: NetworkLanguage


@router.put("/networks/{slug:slug}/language", response=NetworkDetailOut)
def set_network_language(request, slug: str, payload: NetworkLanguageIn):
    """A co-leader sets the network's default language."""
    viewer = _viewer(request)
    network = get_object_or_404(selectors.networks_for(viewer=viewer), slug=slug)
    services.set_network_language(network=network, by=viewer, language=payload.language.value)
    network.can_manage = policy.can_manage_network(viewer, network)
    return network


@router.get("/networks/{slug:slug}/leadership", response=LeadershipOut)
def get_leadership(request, slug: str):
    network = selectors.network_for(viewer=_viewer(request), slug=slug)
    return selectors.leadership_distribution(network=network)


# Schools of a network -----------------------------------------------------------------------


@router.get("/networks/{slug:slug}/schools", response=list[MembershipOut])
@paginate(Pages)
def list_network_schools(request, slug: str):
    network = selectors.network_for(viewer=_viewer(request), slug=slug)
    return selectors.current_memberships(network=network)


@router.post("/networks/{slug:slug}/schools", response={201: MembershipOut})
def add_network_school(request, slug: str, payload: MembershipIn):
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, slug=slug)
    # schools_for is every school for a site admin; others add only schools they can see.
    school = get_object_or_404(selectors.schools_for(viewer=viewer), pk=payload.school_id)
    membership = services.add_school_to_network(
        network=network, school=school, by=viewer, joined=payload.joined
    )
    return Status(201, membership)


@router.post("/networks/{slug:slug}/schools/{membership_id}/end", response=MembershipOut)
def end_network_school(request, slug: str, membership_id: int, payload: MembershipEndIn):
    network = selectors.network_for(viewer=_viewer(request), slug=slug)
    membership = get_object_or_404(selectors.current_memberships(network=network), pk=membership_id)
    return services.end_school_membership(
        membership=membership, by=_viewer(request), left=payload.left
    )


# People -------------------------------------------------------------------------------------


@router.get("/networks/{slug:slug}/people", response=list[PersonOut])
@paginate(Pages)
def list_network_people(request, slug: str, filters: Query[PeopleFilters]):
    network = selectors.network_for(viewer=_viewer(request), slug=slug)
    return selectors.people_in_network(
        network=network,
        q=filters.q,
        expertise=filters.expertise,
        school_id=filters.school,
        role=filters.role or "",
    )


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request, person_id: int):
    people = selectors.with_posts_and_roles(selectors.people_for(viewer=_viewer(request)))
    return get_object_or_404(people, pk=person_id)


# Roles --------------------------------------------------------------------------------------


@router.get("/networks/{slug:slug}/roles", response=list[RoleOut])
@paginate(Pages)
def list_roles(request, slug: str):
    network = selectors.network_for(viewer=_viewer(request), slug=slug)
    return selectors.current_roles(network=network)


def _role_terms(request, slug: str, payload) -> dict:
    """A role's terms as a grant or a proposal takes them, each object through the viewer's
    scope (a person or school they cannot see answers 404)."""
    viewer = _viewer(request)
    school = None
    if payload.school_id is not None:
        school = get_object_or_404(selectors.schools_for(viewer=viewer), pk=payload.school_id)
    return {
        "network": selectors.network_for(viewer=viewer, slug=slug),
        "person": get_object_or_404(selectors.people_for(viewer=viewer), pk=payload.person_id),
        "role": payload.role,
        "by": viewer,
        "school": school,
        "started": payload.started,
        "note": payload.note,
    }


@router.post("/networks/{slug:slug}/roles", response={201: RoleOut})
def assign_role(request, slug: str, payload: RoleIn):
    return Status(201, services.assign_role(**_role_terms(request, slug, payload)))


@router.post("/networks/{slug:slug}/roles/{role_id}/end", response=RoleOut)
def end_role(request, slug: str, role_id: int, payload: RoleEndIn):
    network = selectors.network_for(viewer=_viewer(request), slug=slug)
    network_role = get_object_or_404(selectors.current_roles(network=network), pk=role_id)
    return services.end_role(network_role=network_role, by=_viewer(request), ended=payload.ended)


# Sensitive roles take two people --------------------------------------------------------------


@router.get("/role-proposals", response=list[RoleProposalOut])
@paginate(Pages)
def list_role_proposals(request, pending: bool = False):
    return selectors.role_proposals_for(viewer=_viewer(request), pending_only=pending)


@router.post("/networks/{slug:slug}/role-proposals", response={201: RoleProposalOut})
def propose_role(request, slug: str, payload: RoleProposalIn):
    return Status(201, services.propose_role(**_role_terms(request, slug, payload)))


@router.get("/role-proposals/{proposal_id}", response=RoleProposalOut)
def get_role_proposal(request, proposal_id: int):
    return selectors.role_proposal_for(viewer=_viewer(request), proposal_id=proposal_id)


@router.post("/role-proposals/{proposal_id}/approve", response=RoleProposalOut)
def approve_role_proposal(request, proposal_id: int):
    viewer = _viewer(request)
    proposal = selectors.role_proposal_for(viewer=viewer, proposal_id=proposal_id)
    return services.approve_role_proposal(proposal=proposal, by=viewer)


@router.post("/role-proposals/{proposal_id}/refuse", response=RoleProposalOut)
def refuse_role_proposal(request, proposal_id: int):
    viewer = _viewer(request)
    proposal = selectors.role_proposal_for(viewer=viewer, proposal_id=proposal_id)
    return services.refuse_role_proposal(proposal=proposal, by=viewer)


# Invitations to a post ------------------------------------------------------------------------


@router.get("/me/invitations", response=list[InvitationOut])
@paginate(Pages)
def list_invitations(request):
    return selectors.invitations_for(viewer=_viewer(request))


@router.post("/me/invitations/{invitation_id}/accept", response=InvitationOut)
def accept_invitation(request, invitation_id: int):
    viewer = _viewer(request)
    invitation = selectors.invitation_for(viewer=viewer, invitation_id=invitation_id)
    services.accept_staff_invitation(invitation=invitation, by=viewer)
    invitation.refresh_from_db()
    return invitation


@router.post("/me/invitations/{invitation_id}/decline", response=InvitationOut)
def decline_invitation(request, invitation_id: int):
    viewer = _viewer(request)
    invitation = selectors.invitation_for(viewer=viewer, invitation_id=invitation_id)
    return services.decline_staff_invitation(invitation=invitation, by=viewer)


# Groups -------------------------------------------------------------------------------------


def _group_detail(request, group):
    group.can_manage = policy.can_manage_group(_viewer(request), group)
    group.member_list = list(selectors.members_of_group(group=group))
    return group


@router.get("/networks/{slug:slug}/groups", response=list[GroupOut])
@paginate(Pages)
def list_groups(request, slug: str):
    network = selectors.network_for(viewer=_viewer(request), slug=slug)
    return selectors.groups_in_network(network=network)


@router.post("/networks/{slug:slug}/groups", response={201: GroupDetailOut})
def create_group(request, slug: str, payload: GroupIn):
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, slug=slug)
    group = services.create_group(
        network=network, name=payload.name, kind=payload.kind, purpose=payload.purpose, by=viewer
    )
    return Status(201, _group_detail(request, group))


@router.get("/networks/{slug:slug}/groups/{group_id}", response=GroupDetailOut)
def get_group(request, slug: str, group_id: int):
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, slug=slug)
    group = selectors.group_for(viewer=viewer, network=network, group_id=group_id)
    return _group_detail(request, group)


@router.patch("/networks/{slug:slug}/groups/{group_id}", response=GroupDetailOut)
def update_group(request, slug: str, group_id: int, payload: GroupPatch):
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, slug=slug)
    group = selectors.group_for(viewer=viewer, network=network, group_id=group_id)
    changes = payload.dict(exclude_unset=True)
    group = services.update_group(
        group=group,
        by=viewer,
        name=changes.get("name", group.name),
        kind=changes.get("kind", group.kind),
        purpose=changes.get("purpose", group.purpose),
    )
    return _group_detail(request, group)


@router.post("/networks/{slug:slug}/groups/{group_id}/members", response={201: GroupMemberOut})
def add_group_member(request, slug: str, group_id: int, payload: GroupMemberIn):
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, slug=slug)
    group = selectors.group_for(viewer=viewer, network=network, group_id=group_id)
    person = school = None
    if payload.person_id is not None:
        person = get_object_or_404(selectors.people_for(viewer=viewer), pk=payload.person_id)
    if payload.school_id is not None:
        school = get_object_or_404(selectors.schools_for(viewer=viewer), pk=payload.school_id)
    member = services.add_group_member(
        group=group, by=viewer, person=person, school=school, represents=payload.represents or ""
    )
    return Status(201, get_object_or_404(selectors.members_of_group(group=group), pk=member.pk))


@router.delete("/networks/{slug:slug}/groups/{group_id}/members/{member_id}", response={204: None})
def remove_group_member(request, slug: str, group_id: int, member_id: int):
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, slug=slug)
    group = selectors.group_for(viewer=viewer, network=network, group_id=group_id)
    member = get_object_or_404(selectors.members_of_group(group=group), pk=member_id)
    services.remove_group_member(member=member, by=viewer)
    return Status(204, None)


# Schools ------------------------------------------------------------------------------------


def _school_detail(request, school):
    viewer = _viewer(request)
    school.networks_list = list(selectors.networks_of_school(viewer=viewer, school=school))
    school.can_change = policy.can_change_school(viewer, school)
    return school


@router.get("/schools", response=list[SchoolOut])
@paginate(Pages)
def list_schools(request, filters: Query[SchoolFilters]):
    return selectors.filter_schools(
        selectors.schools_for(viewer=_viewer(request)),
        q=filters.q,
        phase=filters.phase or "",
        setting=filters.setting or "",
        authority=filters.authority,
        country=filters.country,
    )


@router.get("/schools/{school_id}", response=SchoolDetailOut)
def get_school(request, school_id: int):
    school = selectors.school_for(viewer=_viewer(request), school_id=school_id)
    return _school_detail(request, school)


@router.patch("/schools/{school_id}", response=SchoolDetailOut)
def update_school(request, school_id: int, payload: SchoolPatch):
    viewer = _viewer(request)
    school = selectors.school_for(viewer=viewer, school_id=school_id)
    changes = payload.dict(exclude_unset=True)
    for name in ("name", "establishment_type", "authority", "website", "phase", "setting"):
        # Text columns store a missing value as "", never NULL.
        if name in changes and changes[name] is None:
            changes[name] = ""
    school = services.update_school(school=school, by=viewer, **changes)
    return _school_detail(request, school)


# School changes: closures and amalgamations (docs/school-changes.md) ---------------------------


class SchoolChangeCarriedOut(Schema):
    key: str
    label: str
    moved: int
    kept: int


class SchoolChangeOut(Schema):
    id: int
    kind: str
    school: SchoolRef
    predecessors: list[SchoolRef]
    formed_new: bool
    on: datetime.date
    reason: str
    created_at: datetime.datetime
    carried: list[SchoolChangeCarriedOut]

    @staticmethod
    def resolve_predecessors(change) -> list:
        return list(change.predecessors.all())

    @staticmethod
    def resolve_carried(change) -> list:
        return services.carried_counts(change.carried)


class SchoolClosureIn(Schema):
    on: datetime.date | None = None
    reason: Text = Field(..., max_length=2000)


class SchoolAmalgamationIn(Schema):
    school_ids: list[Id] = Field(..., min_length=1, max_length=50)
    continuing_school_id: Id | None = None
    name: Text = Field("", max_length=200)
    phase: Phase | None = None
    on: datetime.date | None = None
    reason: Text = Field("", max_length=2000)


class SchoolAmalgamationPreviewOut(Schema):
    carried: list[SchoolChangeCarriedOut]


@router.get("/schools/{school_id}/changes", response=list[SchoolChangeOut])
@paginate(Pages)
def list_school_changes(request, school_id: int):
    school = selectors.school_for(viewer=_viewer(request), school_id=school_id)
    return selectors.changes_of_school(school=school)


@router.post("/schools/{school_id}/closure", response={201: SchoolChangeOut})
def close_school(request, school_id: int, payload: SchoolClosureIn):
    viewer = _viewer(request)
    school = selectors.school_for(viewer=viewer, school_id=school_id)
    change = services.close_school(school=school, by=viewer, on=payload.on, reason=payload.reason)
    return Status(201, change)


def _amalgamation_terms(request, payload: SchoolAmalgamationIn) -> dict:
    """The schools named, each fetched through the viewer's scope: one they cannot see is 404."""
    viewer = _viewer(request)
    visible = selectors.schools_for(viewer=viewer)
    return {
        "schools": [get_object_or_404(visible, pk=pk) for pk in payload.school_ids],
        "continuing": get_object_or_404(visible, pk=payload.continuing_school_id)
        if payload.continuing_school_id
        else None,
        "name": payload.name,
        "phase": payload.phase or "",
        "on": payload.on,
        "reason": payload.reason,
        "by": viewer,
    }


@router.post("/school-amalgamations/preview", response=SchoolAmalgamationPreviewOut)
def preview_school_amalgamation(request, payload: SchoolAmalgamationIn):
    """What the amalgamation would move and keep; nothing changes."""
    return {"carried": services.preview_amalgamation(**_amalgamation_terms(request, payload))}


@router.post("/school-amalgamations", response={201: SchoolChangeOut})
def amalgamate_schools(request, payload: SchoolAmalgamationIn):
    change = services.amalgamate_schools(**_amalgamation_terms(request, payload))
    return Status(201, change)


# Invitations a school sends ------------------------------------------------------------------


class SentInvitationOut(Schema):
    id: int
    name: str = Field(..., validation_alias="invited_name")
    email: str = Field(..., validation_alias="invited_email")
    job_title: str
    level: PostLevel
    status: InvitationStatus
    state: str = Field(
        ..., description="The status in words; a pending one past its date reads “Expired”."
    )
    created_at: datetime.datetime
    sent_at: datetime.datetime | None
    times_sent: int
    expires_at: datetime.datetime
    answered_at: datetime.datetime | None
    group_ids: list[int]

    @staticmethod
    def resolve_group_ids(invitation) -> list[int]:
        return [group.pk for group in invitation.groups.all()]


class ColleagueIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    email: Text = Field(..., min_length=3, max_length=254)
    job_title: Text = Field("", max_length=120)


class InviteColleaguesIn(Schema):
    colleagues: list[ColleagueIn] = Field(..., min_length=1, max_length=200)
    job_title: Text = Field("", max_length=120, description="For each colleague given none.")
    level: PostLevel = PostLevel.TEACHER
    group_ids: list[Id] = Field(default_factory=list, max_length=50)


class InvitationsSentOut(Schema):
    read: int
    detail: str


def _managed_school(request, school_id: int):
    viewer = _viewer(request)
    school = selectors.school_for(viewer=viewer, school_id=school_id)
    if not policy.can_manage_staff(viewer, school):
        raise PermissionDenied
    return viewer, school


@router.get("/schools/{school_id}/invitations", response=list[SentInvitationOut])
@paginate(Pages)
def list_sent_invitations(request, school_id: int):
    """Empty to anyone but those who manage the school's staff."""
    viewer = _viewer(request)
    school = selectors.school_for(viewer=viewer, school_id=school_id)
    return selectors.invitations_of_school(viewer=viewer, school=school)


@router.post("/schools/{school_id}/invitations", response={202: InvitationsSentOut})
def invite_colleagues(request, school_id: int, payload: InviteColleaguesIn):
    """Invites every colleague listed, or nobody (400 naming the first problem's row). The
    answer is the same whether or not an address already had an account."""
    viewer, school = _managed_school(request, school_id)
    groups = {
        group.pk: group
        for group in selectors.groups_an_inviter_manages(viewer=viewer, school=school)
    }
    unknown = [pk for pk in payload.group_ids if pk not in groups]
    if unknown:
        raise Http404
    lines = "\n".join(
        ",".join(_csv_cell(value) for value in (each.name, each.email, each.job_title))
        for each in payload.colleagues
    )
    read = services.invite_colleagues(
        school=school,
        by=viewer,
        text=lines,
        level=payload.level,
        job_title=payload.job_title,
        groups=[groups[pk] for pk in payload.group_ids],
    )
    detail = f"Invitations sent to the addresses that can be given a post at {school}."
    return Status(202, {"read": read, "detail": detail})


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@router.post(
    "/schools/{school_id}/invitations/{invitation_id}/withdraw", response=SentInvitationOut
)
def withdraw_invitation(request, school_id: int, invitation_id: int):
    viewer, school = _managed_school(request, school_id)
    invitation = selectors.invitation_of_school(
        viewer=viewer, school=school, invitation_id=invitation_id
    )
    return services.revoke_staff_invitation(invitation=invitation, by=viewer)


@router.post("/schools/{school_id}/invitations/{invitation_id}/resend", response=SentInvitationOut)
def resend_invitation(request, school_id: int, invitation_id: int):
    viewer, school = _managed_school(request, school_id)
    invitation = selectors.invitation_of_school(
        viewer=viewer, school=school, invitation_id=invitation_id
    )
    return services.resend_staff_invitation(invitation=invitation, by=viewer)


# How a school's people sign in: email domains, single sign-on rules, the join queue -----------


class EmailDomainOut(Schema):
    id: int
    domain: str
    for_pupils: bool
    added_at: datetime.datetime


class EmailDomainIn(Schema):
    domain: Text = Field(..., min_length=1, max_length=253, description="e.g. birch.sch.uk")
    for_pupils: bool = False


class SignInRulesOut(Schema):
    sso_required: bool = Field(..., description="Password sign-in is refused for its staff.")
    pupils_use_sso: bool


class SignInRulesIn(Schema):
    sso_required: bool
    pupils_use_sso: bool


class JoinRequestOut(Schema):
    id: int
    name: str
    email: str
    provider: str
    status: JoinRequestStatus
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None


class JoinRequestApprovalIn(Schema):
    job_title: Text = Field(..., min_length=1, max_length=120)
    level: PostLevel = PostLevel.TEACHER


def _sign_in_school(request, school_id: int):
    viewer = _viewer(request)
    school = selectors.school_for(viewer=viewer, school_id=school_id)
    if not policy.can_manage_sign_in(viewer, school):
        raise PermissionDenied
    return viewer, school


@router.get("/schools/{school_id}/email-domains", response=list[EmailDomainOut])
@paginate(Pages)
def list_email_domains(request, school_id: int):
    """Empty to anyone but the school's lead and site admins."""
    viewer = _viewer(request)
    school = selectors.school_for(viewer=viewer, school_id=school_id)
    return selectors.email_domains_of_school(viewer=viewer, school=school)


@router.post("/schools/{school_id}/email-domains", response={201: EmailDomainOut})
def add_email_domain(request, school_id: int, payload: EmailDomainIn):
    viewer, school = _sign_in_school(request, school_id)
    domain = services.add_email_domain(
        school=school, by=viewer, domain=payload.domain, for_pupils=payload.for_pupils
    )
    return Status(201, domain)


@router.delete("/schools/{school_id}/email-domains/{domain_id}", response={204: None})
def remove_email_domain(request, school_id: int, domain_id: int):
    viewer, school = _sign_in_school(request, school_id)
    domain = selectors.email_domain_of_school(viewer=viewer, school=school, domain_id=domain_id)
    services.remove_email_domain(email_domain=domain, by=viewer)
    return Status(204, None)


@router.get("/schools/{school_id}/sign-in-rules", response=SignInRulesOut)
def get_sign_in_rules(request, school_id: int):
    """Whoever sees the school may read how its staff sign in (only its lead changes it)."""
    return selectors.school_for(viewer=_viewer(request), school_id=school_id)


@router.put("/schools/{school_id}/sign-in-rules", response=SignInRulesOut)
def set_sign_in_rules(request, school_id: int, payload: SignInRulesIn):
    viewer, school = _sign_in_school(request, school_id)
    return services.set_sign_in_rules(
        school=school,
        by=viewer,
        sso_required=payload.sso_required,
        pupils_use_sso=payload.pupils_use_sso,
    )


@router.get("/schools/{school_id}/join-requests", response=list[JoinRequestOut])
@paginate(Pages)
def list_join_requests(request, school_id: int, pending: bool = False):
    """The school's join queue, pending first; empty to anyone but its lead and site admins."""
    viewer = _viewer(request)
    school = selectors.school_for(viewer=viewer, school_id=school_id)
    return selectors.join_requests_of_school(viewer=viewer, school=school, pending_only=pending)


@router.post(
    "/schools/{school_id}/join-requests/{join_request_id}/approve", response=JoinRequestOut
)
def approve_join_request(
    request, school_id: int, join_request_id: int, payload: JoinRequestApprovalIn
):
    viewer, school = _sign_in_school(request, school_id)
    join_request = selectors.join_request_of_school(
        viewer=viewer, school=school, join_request_id=join_request_id
    )
    services.approve_join_request(
        join_request=join_request, by=viewer, job_title=payload.job_title, level=payload.level
    )
    join_request.refresh_from_db()
    return join_request


@router.post(
    "/schools/{school_id}/join-requests/{join_request_id}/decline", response=JoinRequestOut
)
def decline_join_request(request, school_id: int, join_request_id: int):
    viewer, school = _sign_in_school(request, school_id)
    join_request = selectors.join_request_of_school(
        viewer=viewer, school=school, join_request_id=join_request_id
    )
    return services.decline_join_request(join_request=join_request, by=viewer)
