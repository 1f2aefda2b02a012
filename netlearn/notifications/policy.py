"""A notification is its recipient's alone: nobody else sees or marks it, not even a site admin."""

from django.db.models import Q

from netlearn.networks.access import access_for

from .models import Notification


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


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = ((Notification, can_view_notification, notification_scope),)
SCOPES_ALONE = ()
