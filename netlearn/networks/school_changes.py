"""A closing school's memberships, staff posts, roles, group places, invitations, email domains
and join queue move to the school that continues it.

The contract: netlearn/core/school_records.py. Memberships are carried with their history: when
both schools are open members of the same network, the continuing school keeps one open
membership (the earlier joined) and the other is ended on the day of the change and carried too,
so the continuing school's page lists both (docs/school-changes.md#collisions).

A school has one lead after an amalgamation: when both schools have a lead, the longer-serving
lead (the earlier post; the earlier recorded on a tie) goes on leading, and the other's lead post
ends on the day and a post of the same title that does not lead begins, so their history shows
both (docs/school-changes.md#leads).
"""

from netlearn.core.school_records import carry_rows, count_rows, key

from .access import forget_access
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


def _one_lead(*, from_school, to_school, on) -> int:
    """Leaves the school that continues with the longer-serving lead; returns how many lead
    posts stepped down (ended, and followed by a post that does not lead)."""
    theirs = list(StaffPost.objects.current(on).filter(school=from_school, leads_school=True))
    ours = list(StaffPost.objects.current(on).filter(school=to_school, leads_school=True))
    if not theirs or not ours:
        return 0
    longest = min(theirs + ours, key=lambda post: (post.started, post.pk))
    stepping_down = ours if longest in theirs else theirs
    for post in stepping_down:
        day = max(on, post.started)
        post.ended = day
        post.save(update_fields=["ended"])
        StaffPost.objects.create(
            person=post.person,
            school=post.school,
            job_title=post.job_title,
            level=post.level,
            leads_school=False,
            started=day,
        )
        forget_access(post.person)
    return len(stepping_down)


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    _one_lead(from_school=from_school, to_school=to_school, on=on)
    carried = {
        key(NetworkMembership, "school"): _carry_memberships(
            from_school=from_school, to_school=to_school, on=on
        )
    }
    carried.update(carry_rows(FIELDS[1:], from_school=from_school, to_school=to_school))
    return carried
