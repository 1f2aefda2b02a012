"""Reads, always through the viewer's scope: another network's object 404s like a missing one."""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import policy
from .models import (
    LEADING_ROLES,
    SENIOR_LEVELS,
    Group,
    GroupMember,
    InvitationStatus,
    Network,
    NetworkMembership,
    NetworkRole,
    ProposalStatus,
    RoleAuditEntry,
    RoleProposal,
    School,
    StaffInvitation,
    StaffPost,
)


def networks_for(*, viewer) -> QuerySet[Network]:
    today = timezone.localdate()
    current = Q(memberships__joined__lte=today) & (
        Q(memberships__left__isnull=True) | Q(memberships__left__gt=today)
    )
    return Network.objects.filter(policy.network_scope(viewer)).annotate(
        school_count=Count("memberships", filter=current, distinct=True)
    )


def network_for(*, viewer, slug: str) -> Network:
    return get_object_or_404(Network.objects.filter(policy.network_scope(viewer)), slug=slug)


def current_memberships(*, network: Network) -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.current().filter(network=network).select_related("school")


def schools_in_network(*, network: Network) -> QuerySet[School]:
    member_ids = NetworkMembership.objects.current().filter(network=network).values("school_id")
    return School.objects.filter(pk__in=member_ids)


def schools_for(*, viewer) -> QuerySet[School]:
    return School.objects.filter(policy.school_scope(viewer))


def school_for(*, viewer, school_id: int) -> School:
    return get_object_or_404(schools_for(viewer=viewer), pk=school_id)


def filter_schools(
    schools: QuerySet[School],
    *,
    q: str = "",
    phase: str = "",
    setting: str = "",
    authority: str = "",
    country: str = "",
) -> QuerySet[School]:
    if q:
        schools = schools.filter(Q(name__icontains=q) | Q(reference=q))
    if phase:
        schools = schools.filter(phase=phase)
    if setting:
        schools = schools.filter(setting=setting)
    if authority:
        schools = schools.filter(authority=authority)
    if country:
        schools = schools.filter(country=country)
    return schools


def networks_of_school(*, viewer, school: School) -> QuerySet[Network]:
    """The school's current networks that the viewer may see."""
    return Network.objects.filter(policy.network_scope(viewer)).filter(
        pk__in=NetworkMembership.objects.current().filter(school=school).values("network_id")
    )


def people_for(*, viewer) -> QuerySet:
    Person = get_user_model()
    return Person.objects.filter(policy.people_scope(viewer))


def person_for(*, viewer, person_id: int):
    return get_object_or_404(people_for(viewer=viewer).prefetch_related("expertise"), pk=person_id)


def with_posts_and_roles(people: QuerySet) -> QuerySet:
    return people.prefetch_related(
        "expertise",
        Prefetch(
            "staff_posts",
            queryset=StaffPost.objects.current().select_related("school"),
            to_attr="current_posts",
        ),
        Prefetch(
            "network_roles",
            queryset=NetworkRole.objects.current().select_related("network", "school"),
            to_attr="current_roles",
        ),
    )


def people_in_network(
    *,
    network: Network,
    q: str = "",
    expertise: str = "",
    school_id: int | None = None,
    role: str = "",
) -> QuerySet:
    """The network's directory: people with a role in it or a post at one of its schools."""
    Person = get_user_model()
    member_schools = NetworkMembership.objects.current().filter(network=network).values("school_id")
    role_people = NetworkRole.objects.current().filter(network=network).values("person_id")
    post_people = (
        StaffPost.objects.current().filter(school_id__in=member_schools).values("person_id")
    )
    people = Person.objects.filter(Q(pk__in=role_people) | Q(pk__in=post_people)).exclude(
        kind="pupil"
    )
    if q:
        people = people.filter(Q(name__icontains=q) | Q(bio__icontains=q))
    if expertise:
        people = people.filter(expertise__name__icontains=expertise).distinct()
    if school_id:
        people = people.filter(
            pk__in=StaffPost.objects.current().filter(school_id=school_id).values("person_id")
        )
    if role:
        people = people.filter(
            pk__in=NetworkRole.objects.current()
            .filter(network=network, role=role)
            .values("person_id")
        )
    return with_posts_and_roles(people)


def people_choices_in_network(*, network: Network) -> QuerySet:
    """The network's people for a choice list: names only, none of the directory's extras."""
    return people_in_network(network=network).prefetch_related(None).only("id", "name", "username")


def current_roles(*, network: Network) -> QuerySet[NetworkRole]:
    return NetworkRole.objects.current().filter(network=network).select_related("person", "school")


def role_history(*, network: Network) -> QuerySet[NetworkRole]:
    return (
        NetworkRole.objects.filter(network=network)
        .select_related("person", "school")
        .order_by("-started")
    )


@dataclass(frozen=True)
class LeadershipDistribution:
    """How leadership is spread: who leads something, and from which posts.

    docs/seed-practices.md#distributed-leadership."""

    leaders: int
    leaders_without_senior_post: int
    schools_with_leaders: int
    member_schools: int
    by_role: list[tuple[str, int]]

    @property
    def share_without_senior_post(self) -> int:
        return round(100 * self.leaders_without_senior_post / self.leaders) if self.leaders else 0


def leadership_distribution(*, network: Network) -> LeadershipDistribution:
    leading = NetworkRole.objects.current().filter(network=network, role__in=LEADING_ROLES)
    rows = list(leading.values_list("person_id", "role", "school_id"))
    leader_ids = {person_id for person_id, _, _ in rows}
    senior_ids = set(
        StaffPost.objects.current()
        .filter(person_id__in=leader_ids, level__in=SENIOR_LEVELS)
        .values_list("person_id", flat=True)
    )
    member_school_ids = set(
        NetworkMembership.objects.current()
        .filter(network=network)
        .values_list("school_id", flat=True)
    )
    leader_school_ids = {school_id for _, _, school_id in rows if school_id} | set(
        StaffPost.objects.current()
        .filter(person_id__in=leader_ids, school_id__in=member_school_ids)
        .values_list("school_id", flat=True)
    )
    counts = Counter(role for _, role, _ in rows)
    labels = dict(NetworkRole._meta.get_field("role").choices)
    return LeadershipDistribution(
        leaders=len(leader_ids),
        leaders_without_senior_post=len(leader_ids - senior_ids),
        schools_with_leaders=len(leader_school_ids & member_school_ids),
        member_schools=len(member_school_ids),
        by_role=[(labels[role], counts[role]) for role in LEADING_ROLES if counts[role]],
    )


def groups_in_network(*, network: Network) -> QuerySet[Group]:
    return Group.objects.filter(network=network).annotate(
        people_count=Count("members", filter=Q(members__person__isnull=False)),
        school_count=Count("members", filter=Q(members__school__isnull=False)),
    )


def group_for(*, viewer, network: Network, group_id: int) -> Group:
    return get_object_or_404(
        Group.objects.filter(policy.group_scope(viewer)).select_related("network"),
        network=network,
        pk=group_id,
    )


def members_of_group(*, group: Group) -> QuerySet[GroupMember]:
    return group.members.select_related("person", "school").prefetch_related(
        Prefetch(
            "person__staff_posts",
            queryset=StaffPost.objects.current().select_related("school"),
            to_attr="current_posts",
        )
    )


def groups_of_person(*, viewer, person) -> QuerySet[Group]:
    return (
        Group.objects.filter(policy.group_scope(viewer))
        .filter(members__person=person)
        .select_related("network")
    )


def staff_of_school(*, viewer, school: School) -> QuerySet[StaffPost]:
    """The school's current staff whom the viewer may see."""
    return (
        StaffPost.objects.current()
        .filter(school=school, person__in=people_for(viewer=viewer))
        .select_related("person")
        .order_by("level", "person__name")
    )


def roles_of_person(*, viewer, person) -> QuerySet[NetworkRole]:
    """The person's roles, current and past, in networks the viewer may see."""
    return (
        NetworkRole.objects.filter(
            person=person, network__in=Network.objects.filter(policy.network_scope(viewer))
        )
        .select_related("network", "school")
        .order_by("ended", "-started")
    )


def staff_post_for(*, viewer, school: School, post_id: int) -> StaffPost:
    return get_object_or_404(staff_of_school(viewer=viewer, school=school), pk=post_id)


def role_proposals_for(*, viewer, pending_only: bool = False) -> QuerySet[RoleProposal]:
    """Proposals of the networks the viewer runs (every one for a site admin)."""
    proposals = RoleProposal.objects.filter(policy.proposal_scope(viewer)).select_related(
        "network", "person", "school", "proposed_by", "decided_by"
    )
    if pending_only:
        proposals = proposals.filter(status=ProposalStatus.PENDING)
    return proposals


def role_proposal_for(*, viewer, proposal_id: int) -> RoleProposal:
    return get_object_or_404(role_proposals_for(viewer=viewer), pk=proposal_id)


def pending_proposals_of(*, network: Network) -> QuerySet[RoleProposal]:
    return RoleProposal.objects.filter(
        network=network, status=ProposalStatus.PENDING
    ).select_related("person", "school", "proposed_by")


def audit_of_proposal(*, proposal: RoleProposal) -> QuerySet[RoleAuditEntry]:
    return proposal.audit.select_related("actor").order_by("at", "pk")


def invitations_for(*, viewer, pending_only: bool = True) -> QuerySet[StaffInvitation]:
    invitations = StaffInvitation.objects.filter(policy.invitation_scope(viewer)).select_related(
        "school", "invited_by"
    )
    if pending_only:
        invitations = invitations.filter(status=InvitationStatus.PENDING)
    return invitations


def invitation_for(*, viewer, invitation_id: int) -> StaffInvitation:
    return get_object_or_404(invitations_for(viewer=viewer), pk=invitation_id)
