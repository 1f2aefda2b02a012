"""A notification is its recipient's alone: nobody else sees or marks it, not even a site admin."""

from django.db.models import Q

from netlearn.networks.access import access_for


def notification_scope(person) -> Q:
    person_id = access_for(person).person_id
    return Q(recipient_id=person_id) if person_id is not None else Q(pk__in=[])


def can_view_notification(person, notification) -> bool:
    person_id = access_for(person).person_id
    return person_id is not None and notification.recipient_id == person_id


def can_choose_email(person) -> bool:
    """Pupils have no email (docs/safety.md#pupil-spaces): they get the centre, never mail."""
    access = access_for(person)
    return access.person_id is not None and not access.is_pupil
