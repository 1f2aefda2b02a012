"""What a person can reach, loaded once per person object so policy checks cost no queries."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from netlearn.core.reach import REACH_GENERATION_KEY, current_generation, read_reach

from .models import NetworkMembership, NetworkRole, StaffPost


@dataclass(frozen=True)
class Access:
    person_id: int | None = None
    is_site_admin: bool = False
    is_pupil: bool = False
    is_partner: bool = False
    is_parent: bool = False
    network_ids: frozenset[int] = frozenset()
    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    # (network id, role) → the schools the role is held for; None among them: for the whole
    # network (a safeguarding lead or data lead of every school).
    role_schools: dict[tuple[int, str], frozenset[int | None]] = field(default_factory=dict)
    school_ids: frozenset[int] = frozenset()
    led_school_ids: frozenset[int] = frozenset()
    # Networks the person may read but does not belong to: a programme's evaluator reads the
    # charters of the networks that consented (`core.reach`). Never part of `network_ids`.
    evaluated_network_ids: frozenset[int] = frozenset()

    def holds(self, *roles: str, in_network: int) -> bool:
        return bool(self.roles.get(in_network, frozenset()).intersection(roles))

    def holds_for_school(self, role: str, *, in_network: int, school_id: int | None) -> bool:
        """Whether the role is held for the school, or for the whole network."""
        schools = self.role_schools.get((in_network, role), frozenset())
        return None in schools or (school_id is not None and school_id in schools)

    def schools_by_network(self, role: str) -> dict[int, frozenset[int] | None]:
        """network id → the schools the role is held for there (None: for every school)."""
        return {
            network_id: None if None in schools else frozenset(schools)
            for (network_id, held), schools in self.role_schools.items()
            if held == role
        }


ANONYMOUS = Access()


# How long a person's access is remembered between requests at most. Every change to the rows it
# is read from forgets it at once (`core.reach`); this only bounds how long a change made outside
# the ORM (a database console) could go unseen.
REMEMBERED_SECONDS = 60


def access_for(person) -> Access:
    """The person's reach today: cached on the person object (one request, one load) and, between
    requests, remembered in the cache until any role, post or membership changes (`core.reach`)."""
    if person is None or not person.is_authenticated or not person.is_active:
        return ANONYMOUS
    cached = getattr(person, "_netlearn_access", None)
    if cached is not None:
        return cached
    if person.kind == "pupil":
        load_access([person])  # no query to save
        return person._netlearn_access
    key = f"netlearn:access:{timezone.localdate().isoformat()}:{person.pk}"
    found = cache.get_many([REACH_GENERATION_KEY, key])
    generation = current_generation(found.get(REACH_GENERATION_KEY))
    remembered = found.get(key)
    if remembered is not None and remembered[0] == generation:
        # What the person row itself says is read from the row this request loaded.
        person._netlearn_access = replace(
            remembered[1],
            is_site_admin=person.is_superuser,
            is_partner=person.kind == "partner",
            is_parent=person.kind == "parent",
        )
        return person._netlearn_access
    load_access([person])
    if not _inside_a_transaction():
        cache.set(key, (generation, person._netlearn_access), REMEMBERED_SECONDS)
    return person._netlearn_access


def _inside_a_transaction() -> bool:
    """Rows read inside an open transaction may yet be rolled back, so they are not remembered.
    A test's own transaction (Django's TestCase) does not count: all a test does is inside it."""
    return connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def load_access(people) -> None:
    """Loads and caches the access of many people in three queries, whatever their number (and
    one per provider of read-only reach, `core.reach`): a notification's fan-out checks each
    follower's reach and must not query per follower."""
    staff = {
        person.pk: person
        for person in people
        if person is not None
        and person.is_authenticated
        and person.is_active
        and getattr(person, "_netlearn_access", None) is None
    }
    for person in list(staff.values()):
        if person.kind == "pupil":
            # Pupils see only their own profile until pupil spaces open to them.
            person._netlearn_access = Access(person_id=person.pk, is_pupil=True)
            del staff[person.pk]
    if not staff:
        return
    roles: dict[int, dict[int, set[str]]] = {pk: {} for pk in staff}
    role_schools: dict[int, dict[tuple[int, str], set[int | None]]] = {pk: {} for pk in staff}
    for person_id, network_id, role, school_id in (
        NetworkRole.objects.current()
        .filter(person_id__in=list(staff))
        .order_by()  # the models' ordering joins people and schools for nothing here
        .values_list("person_id", "network_id", "role", "school_id")
    ):
        roles[person_id].setdefault(network_id, set()).add(role)
        role_schools[person_id].setdefault((network_id, role), set()).add(school_id)
    posts: dict[int, list[tuple[int, bool]]] = {pk: [] for pk in staff}
    for person_id, school_id, leads in (
        StaffPost.objects.current()
        .filter(person_id__in=list(staff))
        .order_by()
        .values_list("person_id", "school_id", "leads_school")
    ):
        posts[person_id].append((school_id, leads))
    all_school_ids = {school_id for held in posts.values() for school_id, _ in held}
    networks_of_school: dict[int, set[int]] = {}
    if all_school_ids:
        for network_id, school_id in (
            NetworkMembership.objects.current()
            .filter(school_id__in=all_school_ids)
            .order_by()
            .values_list("network_id", "school_id")
        ):
            networks_of_school.setdefault(school_id, set()).add(network_id)
    evaluated = read_reach(list(staff))
    for person_id, person in staff.items():
        school_ids = frozenset(school_id for school_id, _ in posts[person_id])
        network_ids = set(roles[person_id])
        for school_id in school_ids:
            network_ids.update(networks_of_school.get(school_id, ()))
        person._netlearn_access = Access(
            person_id=person_id,
            is_site_admin=person.is_superuser,
            is_partner=person.kind == "partner",
            is_parent=person.kind == "parent",
            network_ids=frozenset(network_ids),
            roles={network_id: frozenset(held) for network_id, held in roles[person_id].items()},
            role_schools={
                key: frozenset(schools) for key, schools in role_schools[person_id].items()
            },
            school_ids=school_ids,
            led_school_ids=frozenset(school_id for school_id, leads in posts[person_id] if leads),
            evaluated_network_ids=evaluated.get(person_id, frozenset()),
        )


def forget_access(person) -> None:
    """Call after changing a person's posts or roles within the same request."""
    if hasattr(person, "_netlearn_access"):
        del person._netlearn_access
