"""Who may see or do what with activities, registers, feedback, actions and release time.

Each rule gives a yes/no for one object and, where lists need it, a queryset scope, so list pages,
detail pages, feeds and the API agree. Checks read the person's preloaded access and cost no
queries. Whether the viewer is invited to an activity is part of the activity as the selectors
load it (`viewer_invited`, annotated together with `invited_viewer_id`, the person it was
loaded for); an activity loaded another way, or for someone else, counts as not inviting them.
"""

from dataclasses import dataclass

from django.db.models import Q

from netlearn.core.policy import in_networks, nothing
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import Access, access_for
from netlearn.networks.models import Role

from .models import VISIT_KINDS, Activity, Audience, Invitation, Kind, ReleaseStatus

# Who schedules what (issue 14; docs/seed-practices.md#activities). Co-leaders run the network and
# schedule anything, its strategic meetings included. Co-ordinators (lead learners, who look after
# the network's business: docs/seed-practices.md#distributed-leadership) organise its learning
# for the whole network, but not the strategic meetings. A teacher schedules what is theirs: for a
# group they belong to (a triad's research lessons, docs/seed-practices.md#lesson-study), and at
# their own school as host (a walk or visit there may invite the whole network). An external
# partner supports the network: they run sessions only for a group a co-leader made them a member
# of.
NETWORK_SCHEDULING_ROLES = (Role.CO_LEADER, Role.CO_ORDINATOR)


def _co_led_network_ids(access) -> list[int]:
    return [network_id for network_id, roles in access.roles.items() if Role.CO_LEADER in roles]


def _invited(person, activity) -> bool:
    person_id = access_for(person).person_id
    return (
        person_id is not None
        and getattr(activity, "invited_viewer_id", None) == person_id
        and bool(getattr(activity, "viewer_invited", False))
    )


# Activities -----------------------------------------------------------------------------------


def activity_scope(person, *, prefix: str = "") -> Q:
    """Activities the person may see: the network's open ones, those they are invited to,
    organise or host, and every activity of a network they co-lead."""
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.person_id is None or access.is_pupil or not access.network_ids:
        return nothing()
    invited = Invitation.objects.filter(person_id=access.person_id).values("activity_id")
    visible = (
        Q(**{f"{prefix}audience": Audience.NETWORK})
        | Q(**{f"{prefix}organiser_id": access.person_id})
        | in_networks(_co_led_network_ids(access), prefix=prefix)
        | Q(**{f"{prefix}host_school_id__in": list(access.led_school_ids)})
        | Q(**{f"{prefix}pk__in": invited})
    )
    return in_networks(access.network_ids, prefix=prefix) & visible


def can_view_activity(person, activity) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    if access.is_pupil or activity.network_id not in access.network_ids:
        return False
    return (
        activity.audience == Audience.NETWORK
        or activity.organiser_id == access.person_id
        or access.holds(Role.CO_LEADER, in_network=activity.network_id)
        or activity.host_school_id in access.led_school_ids
        or _invited(person, activity)
    )


@dataclass(frozen=True)
class SchedulingReach:
    access: Access
    # Per network: the groups the person belongs to (in person, or through their school), and
    # the member schools where they hold a post (the schools they may host at).
    group_ids: dict[int, frozenset[int]]
    host_school_ids: dict[int, frozenset[int]]


def scheduling_reach(person) -> SchedulingReach:
    """Loaded once per person object, beside their access, so checks cost no queries."""
    access = access_for(person)
    cached = getattr(person, "_activities_scheduling", None)
    if cached is not None and cached.access is access:
        return cached
    groups: dict[int, set[int]] = {}
    hosts: dict[int, set[int]] = {}
    if access.person_id is not None and not access.is_pupil:
        for group_id, network_id in network_selectors.group_places_of(
            person_id=access.person_id, school_ids=access.school_ids
        ):
            groups.setdefault(network_id, set()).add(group_id)
        if access.school_ids and not access.is_partner:
            for network_id, school_id in network_selectors.memberships_of_schools(
                school_ids=access.school_ids
            ):
                hosts.setdefault(network_id, set()).add(school_id)
    reach = SchedulingReach(
        access=access,
        group_ids={key: frozenset(value) for key, value in groups.items()},
        host_school_ids={key: frozenset(value) for key, value in hosts.items()},
    )
    if access.person_id is not None:
        person._activities_scheduling = reach
    return reach


def can_create_activity(person, network) -> bool:
    """Whether the person may schedule anything at all in the network (the "New activity"
    link); `scheduling_refusal` decides each proposed activity."""
    # The access answers for most people: the groups and host schools (two queries) only when
    # it does not.
    access = access_for(person)
    if access.is_site_admin or access.holds(*NETWORK_SCHEDULING_ROLES, in_network=network.pk):
        return True
    if access.is_pupil or network.pk not in access.network_ids:
        return False
    reach = scheduling_reach(person)
    return bool(reach.group_ids.get(network.pk) or reach.host_school_ids.get(network.pk))


def schedules_for_whole_network(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or access.holds(*NETWORK_SCHEDULING_ROLES, in_network=network.pk)


def scheduling_refusal(
    person, network, *, kind, audience, groups=(), roles=(), host_school=None
) -> str | None:
    """Why the person may not schedule this activity, in words for them; None when they may.

    Assumes `can_create_activity`; people invited by name come along with a group or a host
    school the person may schedule for.
    """
    reach = scheduling_reach(person)
    access = reach.access
    if access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk):
        return None
    if kind == Kind.STRATEGIC_MEETING:
        return "Only the network's co-leaders schedule strategic meetings."
    if access.holds(Role.CO_ORDINATOR, in_network=network.pk):
        return None
    if roles:
        return "Inviting everyone who holds a role is for the co-leaders and co-ordinators."
    hosting = host_school is not None and host_school.pk in reach.host_school_ids.get(
        network.pk, frozenset()
    )
    if audience == Audience.NETWORK:
        if hosting and kind in VISIT_KINDS:
            return None
        return (
            "Only the co-leaders invite the whole network, except to a learning walk or visit "
            "your own school hosts. Invite a group you belong to instead."
        )
    own_groups = reach.group_ids.get(network.pk, frozenset())
    if hosting or (groups and all(group.pk in own_groups for group in groups)):
        return None
    return "Schedule for a group you belong to, or host the activity at your own school."


def can_manage_activity(person, activity) -> bool:
    """The organiser and the network's co-leaders change it, cancel it and take its register."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    if activity.network_id not in access.network_ids:
        return False
    return activity.organiser_id == access.person_id or access.holds(
        Role.CO_LEADER, in_network=activity.network_id
    )


def can_take_register(person, activity) -> bool:
    return can_manage_activity(person, activity)


def can_rsvp(person, activity) -> bool:
    """Staff of the network answer for themselves: invited, or the whole network is."""
    access = access_for(person)
    if access.person_id is None or access.is_pupil or activity.is_cancelled:
        return False
    if activity.network_id not in access.network_ids:
        return False
    return activity.audience == Audience.NETWORK or _invited(person, activity)


def can_post_note(person, activity) -> bool:
    return can_manage_activity(person, activity) or (
        can_view_activity(person, activity) and _invited(person, activity)
    )


def can_add_action(person, activity) -> bool:
    return can_manage_activity(person, activity)


def can_update_action(person, action) -> bool:
    access = access_for(person)
    return action.owner_id == access.person_id or can_manage_activity(person, action.activity)


# Learning walks and visits ------------------------------------------------------------------


def can_give_feedback(person, activity) -> bool:
    """Those who went on the walk or visit, and its organiser, record what they learned."""
    if not activity.is_visit:
        return False
    return can_manage_activity(person, activity) or (
        can_view_activity(person, activity) and _invited(person, activity)
    )


def can_view_all_feedback(person, activity) -> bool:
    """The organiser, the co-leaders, and the host school's lead, who hears about their school."""
    access = access_for(person)
    return can_manage_activity(person, activity) or (
        activity.host_school_id is not None
        and activity.host_school_id in access.led_school_ids
        and activity.network_id in access.network_ids
    )


# Release time -------------------------------------------------------------------------------


def can_request_release(person, activity) -> bool:
    """Teachers of the network's schools ask for cover to attend."""
    access = access_for(person)
    return (
        bool(access.school_ids)
        and not activity.is_cancelled
        and can_view_activity(person, activity)
        and activity.network_id in access.network_ids
    )


def can_decide_release(person, network_id: int) -> bool:
    """A co-leader approves funding from the network budget."""
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network_id)


def release_scope(person) -> Q:
    """Requests a person may see: their own, their school's (its lead), all in networks they
    co-lead."""
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.person_id is None or access.is_pupil:
        return nothing()
    in_networks = Q(activity__network_id__in=list(access.network_ids))
    return in_networks & (
        Q(person_id=access.person_id)
        | Q(school_id__in=list(access.led_school_ids))
        | Q(activity__network_id__in=_co_led_network_ids(access))
    )


def is_pending(release_request) -> bool:
    return release_request.status == ReleaseStatus.REQUESTED


# Attendance ---------------------------------------------------------------------------------


def can_change_activity_settings(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk)


def attendance_people_visibility(person, network) -> tuple[bool, frozenset[int], int | None]:
    """Whose attendance a person sees in a network: (everyone?, schools led, themself).

    Every member sees each school's rate (the network's commitment is shared); co-leaders see
    every person's, a school's lead their own staff's, and everyone their own.
    """
    access = access_for(person)
    everyone = access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk)
    return everyone, access.led_school_ids, access.person_id


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = ((Activity, can_view_activity, activity_scope),)
SCOPES_ALONE = (release_scope,)
