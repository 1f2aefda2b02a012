"""Schools joining and leaving networks, and the networks a person is part of."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.core import newcomers
from netlearn.core.policy import require

from .. import policy
from ..access import forget_access
from ..errors import AlreadyMember, InvalidDates, SchoolClosed
from ..models import Network, NetworkMembership, NetworkRole, PostLevel, School, StaffPost

# A join recorded as beginning longer ago than this is history (a school that joined in 2005, a
# head in post for years), not a newcomer to welcome (docs/programmes.md#induction).
NEWCOMER_DAYS = 30


def _today() -> datetime.date:
    return timezone.localdate()


def is_recent(day: datetime.date) -> bool:
    return day >= _today() - datetime.timedelta(days=NEWCOMER_DAYS)


def heads_of_school(school: School) -> list:
    """The school's current leads or, if none is recorded, its headteachers: one each."""
    posts = StaffPost.objects.current().filter(school=school).select_related("person")
    chosen = [post for post in posts if post.leads_school] or [
        post for post in posts if post.level == PostLevel.HEAD
    ]
    people = {post.person.pk: post.person for post in sorted(chosen, key=lambda p: p.pk)}
    return list(people.values())


@transaction.atomic
def add_school_to_network(
    *, network: Network, school: School, by, joined: datetime.date | None = None
) -> NetworkMembership:
    require(policy.can_manage_network(by, network))
    if school.is_closed:
        raise SchoolClosed(
            _("%(school)s has closed: a closed school cannot join a network.") % {"school": school}
        )
    if NetworkMembership.objects.filter(network=network, school=school, left__isnull=True).exists():
        raise AlreadyMember(
            _("%(school)s is already a member of %(network)s.")
            % {"school": school, "network": network}
        )
    membership = NetworkMembership.objects.create(
        network=network, school=school, joined=joined or _today()
    )
    forget_access(by)
    if is_recent(membership.joined):
        for head in heads_of_school(school):
            newcomers.announce_newcomer(
                network=network, school=school, person=head, kind=newcomers.NEW_SCHOOL
            )
    return membership


@transaction.atomic
def end_school_membership(
    *, membership: NetworkMembership, by, left: datetime.date | None = None
) -> NetworkMembership:
    require(policy.can_manage_network(by, membership.network))
    left = left or _today()
    if left < membership.joined:
        raise InvalidDates(_("A school cannot leave before it joined."))
    membership.left = left
    membership.save(update_fields=["left"])
    forget_access(by)
    return membership


def network_ids_of_person(person) -> set[int]:
    """Networks in which the person holds a role or works at a member school today."""
    role_networks = (
        NetworkRole.objects.current().filter(person=person).values_list("network_id", flat=True)
    )
    post_schools = StaffPost.objects.current().filter(person=person).values("school_id")
    school_networks = (
        NetworkMembership.objects.current()
        .filter(school_id__in=post_schools)
        .values_list("network_id", flat=True)
    )
    return set(role_networks) | set(school_networks)
