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
    network_ids: frozenset[int] = frozenset()
    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    school_ids: frozenset[int] = frozenset()
    led_school_ids: frozenset[int] = frozenset()

    def holds(self, *roles: str, in_network: int) -> bool:
        return bool(self.roles.get(in_network, frozenset()).intersection(roles))


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
        for network_id, role in (
            NetworkRole.objects.current().filter(person=person).values_list("network_id", "role")
        ):
            roles.setdefault(network_id, set()).add(role)
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
            network_ids=frozenset(network_ids),
            roles={network_id: frozenset(held) for network_id, held in roles.items()},
            school_ids=school_ids,
            led_school_ids=frozenset(school_id for school_id, leads in posts if leads),
        )
    person._netlearn_access = access
    return access


def forget_access(person) -> None:
    """Call after changing a person's posts or roles within the same request."""
    if hasattr(person, "_netlearn_access"):
        del person._netlearn_access
