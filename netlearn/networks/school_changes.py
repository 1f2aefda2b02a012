"""A closing school's memberships, staff posts, roles, group places, invitations, email domains
and join queue move to the school that continues it.

The contract: netlearn/core/school_records.py. Memberships are carried with their history: when
both schools are open members of the same network, the continuing school keeps one open
membership (the earlier joined) and the other is ended on the day of the change and carried too,
so the continuing school's page lists both (docs/school-changes.md#collisions).
"""

from netlearn.core.school_records import carry_rows, count_rows, key

from .models import (
    GroupMember,
    JoinRequest,
    NetworkMembership,
    NetworkRole,
    RoleProposal,
    School,
    SchoolChange,
    SchoolEmailDomain,
    StaffInvitation,
    StaffPost,
)

FIELDS = (
    (NetworkMembership, "school"),
    (StaffPost, "school"),
    (NetworkRole, "school"),
    (GroupMember, "school"),
    (RoleProposal, "school"),
    (StaffInvitation, "school"),
    (SchoolEmailDomain, "school"),
    (JoinRequest, "school"),
)
# The history of the change itself stays with the schools it names.
KEPT = (
    (School, "successor"),
    (SchoolChange, "school"),
    (SchoolChange.predecessors.through, "school"),
)


def count_school(*, school) -> dict[str, int]:
    return count_rows(FIELDS, school=school)


def _carry_memberships(*, from_school, to_school, on) -> dict[str, int]:
    open_there = {
        membership.network_id: membership
        for membership in NetworkMembership.objects.filter(school=to_school, left__isnull=True)
    }
    for membership in NetworkMembership.objects.filter(school=from_school, left__isnull=True):
        other = open_there.get(membership.network_id)
        if other is None:
            continue
        # Both are open members: the earlier joined stays open, the other ends on the day.
        ending = membership if membership.joined >= other.joined else other
        ending.left = max(on, ending.joined)
        ending.save(update_fields=["left"])
    moved = NetworkMembership.objects.filter(school=from_school).update(school=to_school)
    return {"moved": moved, "kept": 0}


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    carried = {
        key(NetworkMembership, "school"): _carry_memberships(
            from_school=from_school, to_school=to_school, on=on
        )
    }
    carried.update(carry_rows(FIELDS[1:], from_school=from_school, to_school=to_school))
    return carried
