"""The toolkit every app's `policy.py` and services build their rules from.

Rules themselves stay in each app's `policy.py`: a yes/no for one object and a queryset scope for
lists. These pieces read the person's preloaded access (`networks.access.Access`), so they cost
no queries either.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q


def require(allowed: bool) -> None:
    """Refuses what a rule does not allow: 403 on a page and from the API."""
    if not allowed:
        raise PermissionDenied


def nothing() -> Q:
    """The scope of someone who may see none of a kind: matches no row, at no cost."""
    return Q(pk__in=[])


def is_staff(access) -> bool:
    """Signed in, and neither a pupil nor a parent: the people staff rules speak of (partners
    included). Pupils and parents hold accounts too, but what staff share is not theirs to read."""
    return access.person_id is not None and not access.is_pupil and not access.is_parent


def in_networks(network_ids, *, prefix: str = "") -> Q:
    """Rows of these networks; `prefix` reaches the row through a relation (`"activity__"`)."""
    return Q(**{f"{prefix}network_id__in": list(network_ids)})
