"""What a person can reach, loaded once per person object so policy checks cost no queries."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def access_for(person) -> Access:
    """The person's reach today. Cached on the person object (one request, one load)."""
    if person is None or not person.is_authenticated or not person.is_active:
        return ANONYMOUS
    cached = getattr(person, "_netlearn_access", None)
    if cached is not None:
        return cached
    if person.kind == "pupil":
        # Pupils see only their own profile until pupil spaces open to them.
        access = Access(person_id=person.pk, is_pupil=True, is_site_admin=False)
    else:
        roles: dict[int, set[str]] = {}
        role_schools: dict[tuple[int, str], set[int | None]] = {}
        for network_id, role, school_id in (
            NetworkRole.objects.current()
            .filter(person=person)
            .values_list("network_id", "role", "school_id")
        ):
            roles.setdefault(network_id, set()).add(role)
            role_schools.setdefault((network_id, role), set()).add(school_id)
        posts = list(
            StaffPost.objects.current()
            .filter(person=person)
            .values_list("school_id", "leads_school")
        )
        school_ids = frozenset(school_id for school_id, _ in posts)
        network_ids = set(roles)
        if school_ids:
            network_ids.update(
                NetworkMembership.objects.current()
                .filter(school_id__in=school_ids)
                .values_list("network_id", flat=True)
            )
        access = Access(
            person_id=person.pk,
            is_site_admin=person.is_superuser,
            is_partner=person.kind == "partner",
            is_parent=person.kind == "parent",
            network_ids=frozenset(network_ids),
            roles={network_id: frozenset(held) for network_id, held in roles.items()},
            role_schools={key: frozenset(schools) for key, schools in role_schools.items()},
            school_ids=school_ids,
            led_school_ids=frozenset(school_id for school_id, leads in posts if leads),
        )
    person._netlearn_access = access
    return access


def forget_access(person) -> None:
    """Call after changing a person's posts or roles within the same request."""
    if hasattr(person, "_netlearn_access"):
        del person._netlearn_access
