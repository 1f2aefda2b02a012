"""Reads, always through the viewer's scope: another network's object 404s like a missing one."""

import copy
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.core.home import WAITING, HomeContext, HomeItem

from . import country, policy
from .access import access_for
from .models import (
    LEADING_ROLES,
    SENIOR_LEVELS,
    Group,
    GroupMember,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Network,
    NetworkMembership,
    NetworkRole,
    ProposalStatus,
    Role,
    RoleAuditEntry,
    RoleProposal,
    School,
    SchoolChange,
    SchoolEmailDomain,
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


def default_language_of(*, person) -> str:
    """The default language of the first network the person belongs to (networks/country.py);
    an empty string when they belong to none. Asked at sign-in: the reach is loaded on a copy,
    so the person object the caller holds keeps no cached reach (it may gain roles after)."""
    probe = copy.copy(person)
    probe.__dict__.pop("_netlearn_access", None)
    network_ids = access_for(probe).network_ids
    if not network_ids:
        return ""
    network = Network.objects.filter(pk__in=network_ids).order_by("pk").only("country", "language")
    first = network.first()
    return country.language_of(first) if first is not None else ""


def network_for(*, viewer, slug: str) -> Network:
    return get_object_or_404(Network.objects.filter(policy.network_scope(viewer)), slug=slug)


def network_with_slug(*, slug: str) -> Network | None:
    """Unscoped: for the demo seeds and commands, which act as the site."""
    return Network.objects.filter(slug=slug).first()


def demo_networks() -> QuerySet[Network]:
    """The networks the demo seeds, in the order they were made."""
    return Network.objects.filter(is_demo=True).order_by("pk")


def first_holder_of(*, network: Network, role: str):
    """The first person (by the roles' order) holding the role in the network today, or None."""
    held = (
        NetworkRole.objects.current()
        .filter(network=network, role=role)
        .select_related("person")
        .first()
    )
    return held.person if held else None


def current_memberships(*, network: Network) -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.current().filter(network=network).select_related("school")


def school_rows(*, network: Network) -> QuerySet[NetworkMembership]:
    """The network's current memberships with what the schools list shows of each school."""
    return current_memberships(network=network).only(
        "id",
        "network_id",
        "joined",
        "left",
        "school__name",
        "school__is_closed",
        "school__phase",
        "school__establishment_type",
        "school__authority",
        "school__setting",
        "school__roll",
        "school__country",
        "school__equity_index",
        "school__fsm_percent",
        "school__sen_percent",
    )


def authorities_in_network(*, network: Network) -> QuerySet:
    """The authorities (or regions) of the network's current schools, each once, by name."""
    return (
        NetworkMembership.objects.current()
        .filter(network=network)
        .exclude(school__authority="")
        .order_by("school__authority")
        .values_list("school__authority", flat=True)
        .distinct()
    )


def schools_in_network(*, network: Network) -> QuerySet[School]:
    member_ids = NetworkMembership.objects.current().filter(network=network).values("school_id")
    return School.objects.filter(pk__in=member_ids)


def member_school_ids(*, network: Network | int) -> QuerySet:
    """The network's current member schools as a subquery of ids (`school_id__in=…`)."""
    return NetworkMembership.objects.current().filter(network=network).values("school_id")


def is_member_school(*, network: Network, school: School) -> bool:
    return NetworkMembership.objects.current().filter(network=network, school=school).exists()


def network_ids_of_schools(*, school_ids) -> frozenset[int]:
    """The networks the schools belong to today."""
    if not school_ids:
        return frozenset()
    return frozenset(
        NetworkMembership.objects.current()
        .filter(school_id__in=list(school_ids))
        .values_list("network_id", flat=True)
    )


def memberships_of_schools(*, school_ids) -> list[tuple[int, int]]:
    """(network id, school id) of the schools' current memberships."""
    return list(
        NetworkMembership.objects.current()
        .filter(school_id__in=list(school_ids))
        .values_list("network_id", "school_id")
    )


def current_memberships_of_school(*, school: School) -> QuerySet[NetworkMembership]:
    """The school's memberships today, latest joined first, with their networks."""
    return NetworkMembership.objects.current().filter(school=school).select_related("network")


def current_network_ids_by_school(*, schools) -> dict[int, frozenset[int]]:
    """school id → the networks it is a member of today (empty for none)."""
    found: dict[int, set[int]] = {school.pk: set() for school in schools}
    for school_id, network_id in (
        NetworkMembership.objects.current()
        .filter(school_id__in=list(found))
        .values_list("school_id", "network_id")
    ):
        found[school_id].add(network_id)
    return {school_id: frozenset(networks) for school_id, networks in found.items()}


def current_networks_of_school(*, school: School) -> QuerySet[Network]:
    """The school's networks today, unscoped: for callers that already may see the school."""
    return Network.objects.filter(
        pk__in=NetworkMembership.objects.current().filter(school=school).values("network_id")
    )


def groups_of(*, network: Network) -> QuerySet[Group]:
    return Group.objects.filter(network=network)


def group_of(*, network: Network, group_id: int) -> Group:
    return get_object_or_404(groups_of(network=network), pk=group_id)


def group_places_of(
    *, person_id: int, school_ids, while_school_is_member: bool = False
) -> list[tuple[int, int]]:
    """(group id, network id) of the groups the person is in, in person or through a school.

    `while_school_is_member`: a school's place counts only while the school is in the group's
    network.
    """
    through_school = Q(school_id__in=list(school_ids))
    if while_school_is_member:
        school_still_member = NetworkMembership.objects.current().filter(
            network_id=OuterRef("group__network_id"), school_id=OuterRef("school_id")
        )
        through_school &= Exists(school_still_member)
    return list(
        GroupMember.objects.filter(Q(person_id=person_id) | through_school).values_list(
            "group_id", "group__network_id"
        )
    )


@dataclass(frozen=True)
class GroupPlaces:
    """Groups of many people at once: person id → group ids held in person, school id → group
    ids held through the school."""

    by_person: dict[int, set[int]]
    by_school: dict[int, set[int]]


def group_places_of_many(
    *, person_ids, school_ids, while_school_is_member: bool = False
) -> GroupPlaces:
    """`group_places_of` for many people in one query (a notification's fan-out)."""
    person_ids, school_ids = set(person_ids), set(school_ids)
    through_school = Q(school_id__in=list(school_ids))
    if while_school_is_member:
        school_still_member = NetworkMembership.objects.current().filter(
            network_id=OuterRef("group__network_id"), school_id=OuterRef("school_id")
        )
        through_school &= Exists(school_still_member)
    places = GroupPlaces(by_person={}, by_school={})
    for person_id, school_id, group_id in GroupMember.objects.filter(
        Q(person_id__in=list(person_ids)) | through_school
    ).values_list("person_id", "school_id", "group_id"):
        if person_id is not None and person_id in person_ids:
            places.by_person.setdefault(person_id, set()).add(group_id)
        if school_id is not None and school_id in school_ids:
            places.by_school.setdefault(school_id, set()).add(group_id)
    return places


def role_holder_ids(
    *, network_id: int, roles, for_school: bool = False, school_id: int | None = None
) -> QuerySet:
    """Who holds one of the roles in the network today, as a subquery of person ids.

    `for_school`: only those holding it for `school_id` or for the whole network (with no
    `school_id`, for the whole network only).
    """
    holders = NetworkRole.objects.current().filter(network_id=network_id, role__in=list(roles))
    if for_school:
        held_there = Q(school__isnull=True)
        if school_id is not None:
            held_there |= Q(school_id=school_id)
        holders = holders.filter(held_there)
    return holders.values("person_id")


def school_lead_ids(*, school_ids) -> QuerySet:
    """The leads of the schools today, as a subquery of person ids."""
    return (
        StaffPost.objects.current()
        .filter(school_id__in=school_ids, leads_school=True)
        .values("person_id")
    )


def lead_posts_of_schools(*, schools) -> QuerySet[StaffPost]:
    """The schools' current leads' posts, with their people, by name."""
    return (
        StaffPost.objects.current()
        .filter(school__in=schools, leads_school=True)
        .select_related("person")
        .order_by("person__name")
    )


def staff_ids_in_groups(*, groups) -> QuerySet:
    """Who holds a post today at a school that is a member of one of the groups (person ids)."""
    return (
        StaffPost.objects.current()
        .filter(school__group_memberships__group__in=groups)
        .values("person_id")
    )


def schools_by_id(ids) -> dict[int, School]:
    return School.objects.in_bulk(ids)


def home_schools(*, network: Network, person_ids) -> dict[int, int]:
    """Each person's school in the network today: a current post at a member school, else the
    school their role is held for."""
    schools = {}
    for person_id, school_id in (
        NetworkRole.objects.current()
        .filter(network=network, person_id__in=person_ids, school__isnull=False)
        .values_list("person_id", "school_id")
    ):
        schools.setdefault(person_id, school_id)
    for person_id, school_id in (
        StaffPost.objects.current()
        .filter(person_id__in=person_ids, school_id__in=member_school_ids(network=network))
        .order_by("-leads_school", "started")
        .values_list("person_id", "school_id")
    ):
        schools[person_id] = school_id
    return schools


def staff_ids_of_schools(*, school_ids) -> QuerySet:
    """Who holds a post at one of the schools today, as a subquery of person ids."""
    return StaffPost.objects.current().filter(school_id__in=school_ids).values("person_id")


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
    return account_selectors.people().filter(policy.people_scope(viewer))


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


def people_of_network(*, network: Network) -> QuerySet:
    """People with a role in the network today or a post at one of its schools; never pupils."""
    role_people = (
        NetworkRole.objects.current().filter(network=network).order_by().values("person_id")
    )
    post_people = staff_ids_of_schools(school_ids=member_school_ids(network=network)).order_by()
    # One IN over the UNION of two indexed lookups (roles by network, posts by school): an OR of
    # two IN subqueries made PostgreSQL test every person in the country against both (issue 23:
    # 87 ms at 100,000 people).
    return (
        account_selectors.people()
        .filter(pk__in=role_people.union(post_people))
        .exclude(kind="pupil")
    )


def people_in_network(*, network: Network, **filters) -> QuerySet:
    """The network's directory: people with a role in it or a post at one of its schools, with
    their posts and roles; `filters` as `people_filtered`."""
    return with_posts_and_roles(people_filtered(network=network, **filters))


def directory_of_network(*, network: Network, **filters) -> QuerySet:
    """`people_in_network` for the directory page: names only, and `directory_details` for the
    page's people. Whole rows of people, schools and networks and a model for every post, role
    and tag were most of the page's cost (issue 23)."""
    return people_filtered(network=network, **filters).only("id", "name", "kind")


@dataclass
class DirectoryDetails:
    posts: list[tuple[str, str]] = field(default_factory=list)  # (job title, school name)
    roles: list[str] = field(default_factory=list)  # labels of the roles in this network
    expertise: list[str] = field(default_factory=list)


def directory_details(*, network: Network, person_ids) -> dict[int, DirectoryDetails]:
    """What the directory shows of each person beside their name, in three queries: current
    posts (by school name, then job title), current roles in this network (by role) and
    expertise (by name), as the models order them."""
    person_ids = list(person_ids)
    details = {person_id: DirectoryDetails() for person_id in person_ids}
    for person_id, job_title, school_name in (
        StaffPost.objects.current()
        .filter(person_id__in=person_ids)
        .values_list("person_id", "job_title", "school__name")
    ):
        details[person_id].posts.append((job_title, school_name))
    labels = dict(NetworkRole._meta.get_field("role").flatchoices)
    for person_id, role in (
        NetworkRole.objects.current()
        .filter(network=network, person_id__in=person_ids)
        .order_by("role", "pk")
        .values_list("person_id", "role")
    ):
        details[person_id].roles.append(str(labels.get(role, role)))
    for person_id, name in account_selectors.expertise_of_people(person_ids=person_ids):
        details[person_id].expertise.append(name)
    return details


def people_filtered(
    *,
    network: Network,
    q: str = "",
    expertise: str = "",
    school_id: int | None = None,
    role: str = "",
) -> QuerySet:
    """The network's directory narrowed by a search (name or bio), an expertise tag, a school
    and a role held in the network."""
    people = people_of_network(network=network)
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
    return people


def people_matching(people: QuerySet, *, q: str) -> QuerySet:
    """People whose name holds `q`, or whose username is `q` (a picker's search)."""
    return people.filter(Q(name__icontains=q) | Q(username__iexact=q.lstrip("@")))


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
    # Three queries, none ordered: the models' default orderings would join the people and
    # schools only to sort rows that are counted.
    leading = NetworkRole.objects.current().filter(network=network, role__in=LEADING_ROLES)
    rows = list(leading.order_by().values_list("person_id", "role", "school_id"))
    leader_ids = {person_id for person_id, _, _ in rows}
    # The leaders' current posts anywhere, once, for both their seniority and their schools.
    posts = list(
        StaffPost.objects.current()
        .filter(person_id__in=leader_ids)
        .order_by()
        .values_list("person_id", "school_id", "level")
    )
    senior_ids = {person_id for person_id, _, level in posts if level in SENIOR_LEVELS}
    member_school_ids = set(
        NetworkMembership.objects.current()
        .filter(network=network)
        .order_by()
        .values_list("school_id", flat=True)
    )
    leader_school_ids = {school_id for _, _, school_id in rows if school_id} | {
        school_id for _, school_id, _ in posts
    }
    counts = Counter(role for _, role, _ in rows)
    labels = dict(NetworkRole._meta.get_field("role").choices)
    return LeadershipDistribution(
        leaders=len(leader_ids),
        leaders_without_senior_post=len(leader_ids - senior_ids),
        schools_with_leaders=len(leader_school_ids & member_school_ids),
        member_schools=len(member_school_ids),
        by_role=[(str(labels[role]), counts[role]) for role in LEADING_ROLES if counts[role]],
    )


def _members_count(**kind) -> Subquery:
    # COUNT without GROUP BY gives 0 for a group with no such member (no Coalesce needed).
    return Subquery(
        GroupMember.objects.filter(group=OuterRef("pk"), **kind)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n"),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class Leaders:
    leaders: int
    leaders_without_senior_post: int


def leaders_in_network(*, network: Network) -> Leaders:
    """How many people lead something in the network, and how many of them hold no senior post
    in any school: `leadership_distribution`'s first two figures in one query, for the roles
    page, which shows no more of it."""
    senior_post = StaffPost.objects.current().filter(
        person_id=OuterRef("person_id"), level__in=SENIOR_LEVELS
    )
    figures = (
        NetworkRole.objects.current()
        .filter(network=network, role__in=LEADING_ROLES)
        .aggregate(
            leaders=Count("person_id", distinct=True),
            without_senior_post=Count("person_id", distinct=True, filter=~Exists(senior_post)),
        )
    )
    return Leaders(figures["leaders"], figures["without_senior_post"])


def role_rows(*, network: Network) -> QuerySet[NetworkRole]:
    """The network's current roles with only what the roles page shows of their people and
    schools."""
    return (
        current_roles(network=network)
        .only(*_ROLE_ROW_FIELDS, "note")
        .order_by("role", "person__name", "pk")
    )


def past_role_rows(*, network: Network) -> QuerySet[NetworkRole]:
    return role_history(network=network).exclude(ended__isnull=True).only(*_ROLE_ROW_FIELDS)


_ROLE_ROW_FIELDS = (
    "id",
    "network_id",
    "role",
    "started",
    "ended",
    "person__name",
    "school__name",
)


def groups_in_network(*, network: Network) -> QuerySet[Group]:
    # Counted per group in a subquery rather than over a join with GROUP BY: PostgreSQL then
    # reads the members of the groups shown through the (group, …) indexes instead of scanning
    # every member of every group, and a count of the groups needs no join at all.
    return Group.objects.filter(network=network).annotate(
        people_count=_members_count(person__isnull=False),
        school_count=_members_count(school__isnull=False),
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


def member_rows_of_group(*, group: Group) -> QuerySet[GroupMember]:
    """`members_of_group` with only what the group page shows: names (and usernames, a person's
    name when they have none), their current posts' job titles and school names."""
    return (
        group.members.select_related("person", "school")
        .only(
            "id",
            "group_id",
            "represents",
            "added_at",
            "person__name",
            "person__username",
            "school__name",
        )
        .prefetch_related(
            Prefetch(
                "person__staff_posts",
                queryset=StaffPost.objects.current()
                .select_related("school")
                .only("id", "person_id", "job_title", "school__name"),
                to_attr="current_posts",
            )
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
        invitations = invitations.filter(
            status=InvitationStatus.PENDING, expires_at__gt=timezone.now()
        )
    return invitations


def invitations_of_school(*, viewer, school) -> QuerySet[StaffInvitation]:
    """Every invitation the school has sent, newest first, for those who manage its staff: the
    name and address they typed, and where each stands."""
    if not policy.can_manage_staff(viewer, school):
        return StaffInvitation.objects.none()
    return (
        StaffInvitation.objects.filter(school=school)
        .select_related("invited_by")
        .prefetch_related("groups")
    )


def invitation_of_school(*, viewer, school, invitation_id: int) -> StaffInvitation:
    return get_object_or_404(invitations_of_school(viewer=viewer, school=school), pk=invitation_id)


def holds_post_or_pending_invitation(*, person_id: int, school) -> bool:
    """Whether the person works at the school now or has an invitation there still open (for a
    roster import, which has checked the caller's right)."""
    return (
        StaffPost.objects.current().filter(person_id=person_id, school=school).exists()
        or StaffInvitation.objects.filter(
            person_id=person_id,
            school=school,
            status=InvitationStatus.PENDING,
            expires_at__gt=timezone.now(),
        ).exists()
    )


def current_posts_at(*, person_id: int, school) -> QuerySet[StaffPost]:
    return StaffPost.objects.current().filter(person_id=person_id, school=school)


def groups_an_inviter_manages(*, viewer, school) -> list[Group]:
    """Groups of the school's networks that `viewer` may place an invited colleague in."""
    networks = NetworkMembership.objects.current().filter(school=school).values("network_id")
    groups = Group.objects.filter(network_id__in=networks).select_related("network")
    return [group for group in groups if policy.can_manage_group(viewer, group)]


def invitation_for(*, viewer, invitation_id: int) -> StaffInvitation:
    return get_object_or_404(invitations_for(viewer=viewer), pk=invitation_id)


# Groups, schools and networks as enquiry, library and impact ask for them --------------------
# (Other apps' questions of who belongs where; the membership selectors above answer the rest.)


def own_group_places(*, person_id: int) -> QuerySet[GroupMember]:
    """The person's places in groups in person (not through their school); none for no one."""
    return GroupMember.objects.filter(person_id=person_id, person__isnull=False)


def person_ids_in_groups(*, group_ids) -> QuerySet:
    """Who is in one of the groups in person, as a subquery of person ids."""
    return GroupMember.objects.filter(group_id__in=group_ids, person__isnull=False).values(
        "person_id"
    )


def current_posts_in_group(*, group: Group) -> QuerySet[StaffPost]:
    """The current posts of the group's people (a triad's teachers and their schools)."""
    return StaffPost.objects.current().filter(
        person_id__in=person_ids_in_groups(group_ids=[group.pk])
    )


def schools_of_group(*, group: Group) -> QuerySet[School]:
    """The schools in the group: whole schools, and those where its people hold a post today."""
    whole_schools = GroupMember.objects.filter(group=group, school__isnull=False).values(
        "school_id"
    )
    posts = current_posts_in_group(group=group).values("school_id")
    return School.objects.filter(Q(pk__in=whole_schools) | Q(pk__in=posts))


def schools_with_ids(*, school_ids) -> QuerySet[School]:
    return School.objects.filter(pk__in=school_ids)


def schools_with_reference() -> QuerySet[School]:
    """Every school of the register with a reference (URN or school number), in any network."""
    return School.objects.exclude(reference="")


def networks_with_ids(*, network_ids) -> QuerySet[Network]:
    return Network.objects.filter(pk__in=network_ids)


def current_posts_at_school(*, school_id: int) -> QuerySet[StaffPost]:
    return StaffPost.objects.current().filter(school_id=school_id)


# The home ("what needs me") ---------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """Sensitive roles waiting for the person as the second person (policy.can_decide_proposal:
    never their own proposal, never a role for themselves), and invitations to a post waiting for
    their answer. Two queries."""
    access = access_for(context.person)
    if context.network is not None or access.person_id is None or access.is_pupil:
        return []
    proposals = role_proposals_for(viewer=context.person, pending_only=True).exclude(
        Q(proposed_by_id=access.person_id) | Q(person_id=access.person_id)
    )
    if not access.is_site_admin:
        co_led = [n for n in access.network_ids if access.holds(Role.CO_LEADER, in_network=n)]
        proposals = proposals.filter(network_id__in=co_led)
    items = [
        HomeItem(
            section=WAITING,
            kind="Role",
            title=f"Approve or refuse {proposal.person} as {proposal.get_role_display()}",
            url=reverse("networks:role_proposal", args=[proposal.pk]),
            when=proposal.proposed_at,
            network=proposal.network.name if proposal.network else "",
        )
        for proposal in proposals.order_by("-proposed_at", "pk")[: context.limit]
    ]
    invitations = invitations_for(viewer=context.person).order_by("-pk")[: context.limit]
    items += [
        HomeItem(
            section=WAITING,
            kind="Invitation",
            title=f"Answer the invitation to a post at {invitation.school}",
            url=reverse("networks:invitations"),
            when=invitation.created_at,
        )
        for invitation in invitations
    ]
    return items


# Single sign-on ------------------------------------------------------------------------------


def email_domain_of_address(email: str) -> SchoolEmailDomain | None:
    """The school domain an address is at (for the sign-in, which checks who may sign in)."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    return SchoolEmailDomain.objects.select_related("school").filter(domain=domain).first()


def school_requiring_sso_for(person) -> School | None:
    """A school where the person works today whose staff must use single sign-on."""
    post = (
        StaffPost.objects.current()
        .filter(person_id=person.pk, school__sso_required=True)
        .select_related("school")
        .first()
    )
    return post.school if post else None


def pupil_may_use_sso(person, *, email_domain: SchoolEmailDomain | None = None) -> bool:
    """A pupil whose school lets its pupils use single sign-on (from its pupils' domain, when
    a domain is given)."""
    school = person.pupil_school
    if school is None or not school.pupils_use_sso:
        return False
    return email_domain is None or (email_domain.for_pupils and email_domain.school_id == school.pk)


def latest_join_request_of(*, person_id: int) -> JoinRequest | None:
    return JoinRequest.objects.filter(person_id=person_id).select_related("school").first()


def email_domains_of_school(*, viewer, school) -> QuerySet[SchoolEmailDomain]:
    if not policy.can_manage_sign_in(viewer, school):
        return SchoolEmailDomain.objects.none()
    return SchoolEmailDomain.objects.filter(school=school).select_related("added_by")


def email_domain_of_school(*, viewer, school, domain_id: int) -> SchoolEmailDomain:
    return get_object_or_404(email_domains_of_school(viewer=viewer, school=school), pk=domain_id)


def join_requests_of_school(*, viewer, school, pending_only: bool = False):
    """The school's join queue, for those who answer it: pending first, newest first."""
    if not policy.can_manage_sign_in(viewer, school):
        return JoinRequest.objects.none()
    requests = JoinRequest.objects.filter(school=school).select_related("decided_by")
    if pending_only:
        requests = requests.filter(status=JoinRequestStatus.PENDING)
    waiting = Case(When(status=JoinRequestStatus.PENDING, then=0), default=1)
    return requests.order_by(waiting, "-requested_at", "-pk")


def join_request_of_school(*, viewer, school, join_request_id: int) -> JoinRequest:
    return get_object_or_404(
        join_requests_of_school(viewer=viewer, school=school), pk=join_request_id
    )


def member_school_ids_by_network(*, network_ids) -> dict[int, set[int]]:
    """network id → the ids of its current member schools. One query, however many networks."""
    members: dict[int, set[int]] = {network_id: set() for network_id in network_ids}
    for network_id, school_id in (
        NetworkMembership.objects.current()
        .filter(network_id__in=list(network_ids))
        .values_list("network_id", "school_id")
    ):
        members[network_id].add(school_id)
    return members


# School changes: closures and amalgamations (docs/school-changes.md) ---------------------------


def changes_of_school(*, school: School) -> QuerySet[SchoolChange]:
    """The closures and amalgamations the school took part in, newest first."""
    return (
        SchoolChange.objects.filter(Q(school=school) | Q(predecessors=school))
        .distinct()
        .select_related("school", "by")
        .prefetch_related("predecessors")
        .order_by("-on", "-pk")
    )


def school_changes_in_network(*, network: Network) -> QuerySet[SchoolChange]:
    """Changes of schools that are or were members of the network."""
    were_members = NetworkMembership.objects.filter(network=network).values("school_id")
    return (
        SchoolChange.objects.filter(Q(school__in=were_members) | Q(predecessors__in=were_members))
        .distinct()
        .select_related("school", "by")
        .prefetch_related("predecessors")
        .order_by("-on", "-pk")
    )


def open_schools_in_network(*, network: Network) -> QuerySet[School]:
    """The network's member schools that have not closed: those a change may name."""
    return schools_in_network(network=network).filter(is_closed=False).order_by("name", "pk")


def membership_history_of_school(*, viewer, school: School) -> QuerySet[NetworkMembership]:
    """Every membership the school has had, in the networks the viewer may see."""
    return (
        NetworkMembership.objects.filter(school=school)
        .filter(network__in=Network.objects.filter(policy.network_scope(viewer)))
        .select_related("network")
        .order_by("network__name", "joined", "pk")
    )


def group_member_rows(*, network: Network) -> list[tuple[int, str, str, int | None, int | None]]:
    """(group id, group name, group kind, person id, school id) for every member of every group of
    the network: a person or a whole school."""
    return list(
        GroupMember.objects.filter(group__network=network)
        .order_by("group_id", "pk")
        .values_list("group_id", "group__name", "group__kind", "person_id", "school_id")
    )
