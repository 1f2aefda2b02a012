"""Who may see, post in, moderate and vote in discussion spaces.

Each rule gives a yes/no for one object and, where lists need it, a queryset scope, so list pages,
detail pages and the API agree. Checks read the person's reach, loaded once per person object
(`reach_for`), and cost no queries.

Pupils (docs/safety.md#pupil-spaces; the ICO Age Appropriate Design Code) see only pupil spaces
of their own school, or network-wide pupil spaces of their school's networks, and nothing else
of a network. Staff see the staff spaces of their networks; a pupil space is seen by the staff of
its school (of any member school, for a network-wide one), its moderators and the co-leaders.
External partners never see pupil spaces, and post only in the spaces of their groups and
those they moderate. Moderating is for the space's moderators, the
co-leaders, in a school's pupil space the school's lead, and the safeguarding leads: a
school's safeguarding lead (a NetworkRole with that school) for its pupil spaces, a network-wide
one for every pupil space of the network. A space of a group is for the group's members (in
person, or through their school), its moderators and the network's co-leaders.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from netlearn.accounts.models import Kind
from netlearn.core.policy import nothing
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import Access, access_for, load_access
from netlearn.networks.models import Role

from .models import (
    SCHOOL_AUDIENCES,
    Audience,
    ParentProfile,
    Post,
    PupilProfile,
    Space,
    Status,
    Thread,
)

# Co-leaders run the network; co-ordinators (lead learners) open its staff spaces too.
SPACE_OPENING_ROLES = (Role.CO_LEADER, Role.CO_ORDINATOR)


@dataclass(frozen=True)
class Reach:
    access: Access
    pupil_school_id: int | None = None
    pupil_year_group: int | None = None
    pupil_network_ids: frozenset[int] = frozenset()
    # Networks in which the person holds a post at a member school (network-wide pupil spaces).
    post_network_ids: frozenset[int] = frozenset()
    moderated_space_ids: frozenset[int] = frozenset()
    group_ids: frozenset[int] = frozenset()
    # Parents and whānau: their school, and the networks it belongs to.
    is_parent: bool = False
    parent_school_id: int | None = None
    parent_network_ids: frozenset[int] = frozenset()

    @property
    def person_id(self) -> int | None:
        return self.access.person_id

    @property
    def safeguarded_schools(self) -> frozenset[tuple[int, int]]:
        """(network, school) pairs the person is safeguarding lead for."""
        return frozenset(
            (network_id, school_id)
            for network_id, schools in self.access.schools_by_network(
                Role.SAFEGUARDING_LEAD
            ).items()
            if schools is not None
            for school_id in schools
        )

    @property
    def safeguarded_network_ids(self) -> frozenset[int]:
        """Networks where the person is safeguarding lead for every school."""
        return frozenset(
            network_id
            for network_id, schools in self.access.schools_by_network(
                Role.SAFEGUARDING_LEAD
            ).items()
            if schools is None
        )

    @property
    def co_led_network_ids(self) -> frozenset[int]:
        return frozenset(
            network_id for network_id, roles in self.access.roles.items() if Role.CO_LEADER in roles
        )


def reach_for(person) -> Reach:
    """The person's reach in discussions. Cached on the person object (one request, one load)."""
    access = access_for(person)
    if access.person_id is None:
        return Reach(access=access)
    cached = getattr(person, "_discussions_reach", None)
    if cached is not None and cached.access is access:
        return cached
    load_reaches([person])
    return person._discussions_reach


def load_reaches(people) -> None:
    """Loads and caches the reach of many people in a few queries, whatever their number, so a
    post's fan-out to its followers checks each one without a query per follower."""
    people = [person for person in people if person is not None]
    load_access(people)
    pending = [
        person
        for person in people
        if access_for(person).person_id is not None
        and not (
            getattr(person, "_discussions_reach", None) is not None
            and person._discussions_reach.access is access_for(person)
        )
    ]
    parents = [person for person in pending if getattr(person, "kind", None) == Kind.PARENT]
    pupils = [person for person in pending if person not in parents and access_for(person).is_pupil]
    staff = [person for person in pending if person not in parents and person not in pupils]

    if parents:
        parent_school = dict(
            ParentProfile.objects.filter(
                person_id__in=[person.pk for person in parents]
            ).values_list("person_id", "school_id")
        )
        networks = _networks_by_school(parent_school.values())
        for person in parents:
            school_id = parent_school.get(person.pk)
            person._discussions_reach = Reach(
                access=access_for(person),
                is_parent=True,
                parent_school_id=school_id,
                parent_network_ids=networks.get(school_id, frozenset()),
            )
    if pupils:
        year_groups = dict(
            PupilProfile.objects.filter(person_id__in=[person.pk for person in pupils]).values_list(
                "person_id", "year_group"
            )
        )
        networks = _networks_by_school(person.pupil_school_id for person in pupils)
        for person in pupils:
            person._discussions_reach = Reach(
                access=access_for(person),
                pupil_school_id=person.pupil_school_id,
                pupil_year_group=year_groups.get(person.pk),
                pupil_network_ids=networks.get(person.pupil_school_id, frozenset()),
            )
    if staff:
        by_id = {person.pk: person for person in staff}
        moderated: dict[int, set[int]] = {pk: set() for pk in by_id}
        # Someone in no network moderates nothing today (appointments_holding): no query.
        appointed = [pk for pk, person in by_id.items() if access_for(person).network_ids]
        for person_id, space_id, network_id, school_id in Space.moderators.through.objects.filter(
            person_id__in=appointed
        ).values_list("person_id", "space_id", "space__network_id", "space__school_id"):
            access = access_for(by_id[person_id])
            # appointments_holding, person by person.
            if network_id in access.network_ids and (
                school_id is None or school_id in access.school_ids
            ):
                moderated[person_id].add(space_id)
        school_ids = {school_id for person in staff for school_id in access_for(person).school_ids}
        networks = _networks_by_school(school_ids)
        groups = network_selectors.group_places_of_many(
            person_ids=list(by_id), school_ids=school_ids, while_school_is_member=True
        )
        for person in staff:
            access = access_for(person)
            group_ids = set(groups.by_person.get(person.pk, ()))
            for school_id in access.school_ids:
                group_ids.update(groups.by_school.get(school_id, ()))
            person._discussions_reach = Reach(
                access=access,
                post_network_ids=frozenset().union(
                    *(networks.get(school_id, frozenset()) for school_id in access.school_ids)
                ),
                moderated_space_ids=frozenset(moderated[person.pk]),
                group_ids=frozenset(group_ids),
            )


def _networks_by_school(school_ids) -> dict[int, frozenset[int]]:
    """school id → the networks it belongs to today (no query for no schools)."""
    found: dict[int, set[int]] = {}
    for network_id, school_id in network_selectors.memberships_of_schools(
        school_ids=[school_id for school_id in set(school_ids) if school_id is not None]
    ):
        found.setdefault(school_id, set()).add(network_id)
    return {school_id: frozenset(networks) for school_id, networks in found.items()}


def moderator_appointment_holds(person, space) -> bool:
    """Whether an appointment as the space's moderator still stands today.

    `Space.moderators` records who was appointed, not who may moderate: an appointment holds only
    while the person still holds what made them eligible, a current post at the space's school
    (for one school's space) and a place in the network today (a current post at a current
    member school, or a current role). Ending the post, the role or the school's membership
    ends the appointment at once, however it was ended: access is derived, never remembered.
    """
    access = access_for(person)
    if access.person_id is None or access.is_pupil:
        return False
    if space.network_id not in access.network_ids:
        return False
    return space.school_id is None or space.school_id in access.school_ids


def appointments_holding(access: Access, *, prefix: str = "") -> Q:
    """`moderator_appointment_holds` as a Q on spaces, for the person whose access is given."""
    if access.person_id is None or access.is_pupil:
        return nothing()
    return _p(prefix, network_id__in=list(access.network_ids)) & (
        _p(prefix, school__isnull=True) | _p(prefix, school_id__in=list(access.school_ids))
    )


def forget_reach(person) -> None:
    if hasattr(person, "_discussions_reach"):
        del person._discussions_reach


def _p(prefix: str, **lookups) -> Q:
    return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})


# Spaces -------------------------------------------------------------------------------------


def space_scope(person, *, prefix: str = "") -> Q:
    reach = reach_for(person)
    access = reach.access
    if access.is_site_admin:
        return Q()
    if access.person_id is None:
        return nothing()
    if reach.is_parent:
        if reach.parent_school_id is None:
            return nothing()
        return (
            _p(prefix, audience=Audience.PARENTS, network_id__in=list(reach.parent_network_ids))
            & (_p(prefix, school__isnull=True) | _p(prefix, school_id=reach.parent_school_id))
            & _p(prefix, archived_at__isnull=True)
        )
    if access.is_pupil:
        if reach.pupil_school_id is None:
            return nothing()
        return (
            _p(prefix, audience=Audience.PUPILS, network_id__in=list(reach.pupil_network_ids))
            & (_p(prefix, school__isnull=True) | _p(prefix, school_id=reach.pupil_school_id))
            & _p(prefix, archived_at__isnull=True)
        )
    staff = _p(prefix, audience=Audience.STAFF, network_id__in=list(access.network_ids)) & (
        _p(prefix, group__isnull=True)
        | _p(prefix, group_id__in=list(reach.group_ids))
        | _p(prefix, network_id__in=list(reach.co_led_network_ids))
        | _p(prefix, pk__in=list(reach.moderated_space_ids))
    )
    if access.is_partner:
        return staff
    pupil_spaces = _p(prefix, audience__in=list(SCHOOL_AUDIENCES)) & (
        _p(prefix, network_id__in=list(reach.co_led_network_ids))
        | _p(prefix, pk__in=list(reach.moderated_space_ids))
        | (_p(prefix, audience=Audience.PUPILS) & _safeguarding(reach, prefix))
        | _p(
            prefix,
            school_id__in=list(access.school_ids),
            network_id__in=list(access.network_ids),
        )
        | _p(prefix, school__isnull=True, network_id__in=list(reach.post_network_ids))
    )
    return staff | pupil_spaces


def can_view_space(person, space) -> bool:
    reach = reach_for(person)
    access = reach.access
    if access.is_site_admin:
        return True
    if access.person_id is None:
        return False
    if reach.is_parent:
        return (
            space.audience == Audience.PARENTS
            and space.archived_at is None
            and reach.parent_school_id is not None
            and space.network_id in reach.parent_network_ids
            and space.school_id in (None, reach.parent_school_id)
        )
    if access.is_pupil:
        return (
            space.audience == Audience.PUPILS
            and space.archived_at is None
            and reach.pupil_school_id is not None
            and space.network_id in reach.pupil_network_ids
            and space.school_id in (None, reach.pupil_school_id)
        )
    if space.audience == Audience.STAFF:
        return space.network_id in access.network_ids and (
            space.group_id is None
            or space.group_id in reach.group_ids
            or space.network_id in reach.co_led_network_ids
            or space.pk in reach.moderated_space_ids
        )
    if access.is_partner:
        return False
    return (
        space.network_id in reach.co_led_network_ids
        or space.pk in reach.moderated_space_ids
        or _safeguards(reach, space)
        or (space.school_id in access.school_ids and space.network_id in access.network_ids)
        or (space.school_id is None and space.network_id in reach.post_network_ids)
    )


def _safeguards(reach: Reach, space) -> bool:
    return space.audience == Audience.PUPILS and (
        space.network_id in reach.safeguarded_network_ids
        or (
            space.school_id is not None
            and (space.network_id, space.school_id) in reach.safeguarded_schools
        )
    )


def _safeguarding(reach: Reach, prefix: str) -> Q:
    """Pupil spaces a safeguarding lead looks after, as a Q (the caller adds the audience)."""
    found = _p(prefix, network_id__in=list(reach.safeguarded_network_ids))
    for network_id, school_id in sorted(reach.safeguarded_schools):
        found |= _p(prefix, network_id=network_id, school_id=school_id)
    return found


def can_moderate(person, space) -> bool:
    reach = reach_for(person)
    access = reach.access
    if access.is_site_admin:
        return True
    if access.person_id is None or access.is_pupil:
        return False
    return (
        space.network_id in reach.co_led_network_ids
        or space.pk in reach.moderated_space_ids
        or _safeguards(reach, space)
        or (
            space.audience in SCHOOL_AUDIENCES
            and space.school_id is not None
            and space.school_id in access.led_school_ids
            and space.network_id in access.network_ids
        )
    )


def moderation_scope(person, *, prefix: str = "") -> Q:
    """Spaces the person moderates (as a Q on spaces, or on rows through `prefix`)."""
    reach = reach_for(person)
    access = reach.access
    if access.is_site_admin:
        return Q()
    if access.person_id is None or access.is_pupil:
        return nothing()
    return (
        _p(prefix, network_id__in=list(reach.co_led_network_ids))
        | _p(prefix, pk__in=list(reach.moderated_space_ids))
        | _p(
            prefix,
            audience__in=list(SCHOOL_AUDIENCES),
            school_id__in=list(access.led_school_ids),
            network_id__in=list(access.network_ids),
        )
        | (_p(prefix, audience=Audience.PUPILS) & _safeguarding(reach, prefix))
    )


def can_manage_space(person, space) -> bool:
    """Its mode, moderators and archiving: the co-leaders, and a school's lead for its space."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    if access.is_pupil or access.person_id is None:
        return False
    return access.holds(Role.CO_LEADER, in_network=space.network_id) or (
        space.audience in SCHOOL_AUDIENCES
        and space.school_id is not None
        and space.school_id in access.led_school_ids
        and space.network_id in access.network_ids
    )


def can_open_staff_space(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or access.holds(*SPACE_OPENING_ROLES, in_network=network.pk)


def can_open_pupil_space(person, network, school=None) -> bool:
    """Co-leaders open pupil spaces for any school or all of them; a school's lead for theirs."""
    access = access_for(person)
    if access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk):
        return True
    if access.is_pupil or network.pk not in access.network_ids:
        return False
    if school is None:
        return bool(access.led_school_ids)  # may open one for a school they lead
    return school.pk in access.led_school_ids


def can_post(person, space) -> bool:
    """Those who see a space post in it, but an external partner reads the staff rooms and
    takes part only where a co-leader made them a group's member or a space's moderator."""
    reach = reach_for(person)
    access = reach.access
    if space.archived_at is not None or access.person_id is None:
        return False
    if not can_view_space(person, space):
        return False
    if access.is_partner and not access.is_site_admin:
        return space.group_id in reach.group_ids or space.pk in reach.moderated_space_ids
    return True


def can_change_network_settings(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk)


def can_view_moderation(person, network) -> bool:
    """The network's moderation pages: anyone who moderates a space in it (the queue is scoped)."""
    reach = reach_for(person)
    access = reach.access
    if access.is_site_admin:
        return True
    if access.person_id is None or access.is_pupil or network.pk not in access.network_ids:
        return False
    return (
        network.pk in reach.co_led_network_ids
        or bool(reach.moderated_space_ids)
        or bool(access.led_school_ids)
        or network.pk in reach.safeguarded_network_ids
        or any(network_id == network.pk for network_id, _ in reach.safeguarded_schools)
    )


# Threads and posts --------------------------------------------------------------------------


def thread_scope(person, *, prefix: str = "") -> Q:
    reach = reach_for(person)
    visible = (
        _p(prefix, status=Status.PUBLISHED)
        | _p(prefix, author_id=reach.person_id)
        | moderation_scope(person, prefix=f"{prefix}space__")
    )
    return space_scope(person, prefix=f"{prefix}space__") & visible


def can_view_thread(person, thread) -> bool:
    if not can_view_space(person, thread.space):
        return False
    return (
        thread.status == Status.PUBLISHED
        or (thread.author_id is not None and thread.author_id == reach_for(person).person_id)
        or can_moderate(person, thread.space)
    )


def post_scope(person, *, prefix: str = "") -> Q:
    """Posts the person may read: published ones in threads they see, their own, or all of a
    space they moderate."""
    reach = reach_for(person)
    visible = (
        _p(prefix, status=Status.PUBLISHED)
        | _p(prefix, author_id=reach.person_id)
        | moderation_scope(person, prefix=f"{prefix}thread__space__")
    )
    return thread_scope(person, prefix=f"{prefix}thread__") & visible


def can_view_post(person, post) -> bool:
    if not can_view_thread(person, post.thread):
        return False
    return (
        post.status == Status.PUBLISHED
        or (post.author_id is not None and post.author_id == reach_for(person).person_id)
        or can_moderate(person, post.thread.space)
    )


def can_reply(person, thread) -> bool:
    return thread.status == Status.PUBLISHED and can_post(person, thread.space)


def can_edit_post(person, post) -> bool:
    """Authors edit their own words (moderators see the history); moderators edit too."""
    if post.status == Status.REMOVED or post.thread.space.archived_at is not None:
        return False
    own = post.author_id is not None and post.author_id == reach_for(person).person_id
    return (own and can_view_post(person, post)) or can_moderate(person, post.thread.space)


def can_view_history(person, post) -> bool:
    return can_moderate(person, post.thread.space)


def can_report(person, post_or_poll) -> bool:
    space = post_or_poll.space if hasattr(post_or_poll, "question") else post_or_poll.thread.space
    if hasattr(post_or_poll, "question"):
        return can_view_space(person, space)
    return can_view_post(person, post_or_poll)


# Polls --------------------------------------------------------------------------------------


def can_create_poll(person, space) -> bool:
    return space.archived_at is None and can_moderate(person, space)


def can_vote(person, poll) -> bool:
    """Pupils of the space's audience (and year groups) vote in a pupil space; staff in theirs."""
    reach = reach_for(person)
    space = poll.space
    if poll.is_closed() or not can_view_space(person, space):
        return False
    if space.audience == Audience.PUPILS:
        if not reach.access.is_pupil:
            return False
        year_groups = poll.year_group_list()
        return not year_groups or reach.pupil_year_group in year_groups
    if space.audience == Audience.PARENTS:
        return reach.is_parent
    return not reach.access.is_pupil


def can_close_poll(person, poll) -> bool:
    return can_moderate(person, poll.space)


# Pupil accounts -----------------------------------------------------------------------------


def can_manage_pupils(person, school) -> bool:
    """A school's staff (its lead or anyone with a post there) make and reset pupil accounts."""
    access = access_for(person)
    return access.is_site_admin or (not access.is_pupil and school.pk in access.school_ids)


def can_subscribe(person, space_or_thread) -> bool:
    """Anyone who reads a space or a thread may follow it."""
    if hasattr(space_or_thread, "audience"):
        return can_view_space(person, space_or_thread)
    return can_view_thread(person, space_or_thread)


def can_invite_parents(person, school) -> bool:
    """A school's staff invite its parents and whānau, as they make its pupil accounts."""
    return can_manage_pupils(person, school)


# Names ---------------------------------------------------------------------------------------


def name_seen_by(viewer, person) -> str:
    """The name `viewer` sees for `person` in discussions.

    A pupil's full name stays within their school: its pupils and staff (and site admins, who
    manage accounts) see it; everyone else, pupils and staff of other schools alike, sees the
    public name the pupil's school set (PupilProfile.public_name), by default their first name and
    school. Callers load `author__pupil_profile` and `author__pupil_school` with the person.
    """
    if person is None:
        return ""
    if person.kind != Kind.PUPIL:
        return person.name
    school_id = person.pupil_school_id
    access = access_for(viewer)
    if access.person_id == person.pk or access.is_site_admin:
        return person.name
    if access.is_pupil:
        if school_id is not None and getattr(viewer, "pupil_school_id", None) == school_id:
            return person.name
    elif school_id in access.school_ids:
        return person.name
    return public_name(person)


def public_name(pupil) -> str:
    profile = getattr(pupil, "pupil_profile", None)
    if profile is not None and profile.public_name:
        return profile.public_name
    first_name = (pupil.name or "").split(" ")[0].strip() or "A pupil"
    school = pupil.pupil_school
    return f"{first_name}, {school.name}" if school is not None else first_name


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = (
    (Space, can_view_space, space_scope),
    (Space, can_moderate, moderation_scope),
    (Thread, can_view_thread, thread_scope),
    (Post, can_view_post, post_scope),
)
SCOPES_ALONE = ()
