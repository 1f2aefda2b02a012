"""Email about activities, each with its .ics; run as tasks once the change commits."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from netlearn.accounts import selectors as account_selectors

from .. import ical
from ..models import Activity


def _ics_for(activity: Activity, *, method: str) -> bytes:
    activity.dated_occurrences = list(activity.occurrences.all())
    return ical.calendar_for([activity], name=activity.title, method=method)


def _send(activity: Activity, people, *, subject: str, template: str, method: str) -> int:
    ics = _ics_for(activity, method=method)
    base_url = settings.SITE_URL.rstrip("/")
    messages = []
    for person in people:
        if not person.email:
            continue
        body = render_to_string(
            template, {"activity": activity, "person": person, "base_url": base_url}
        )
        message = EmailMessage(subject=subject, body=body, to=[person.email])
        message.attach("invite.ics", ics, f"text/calendar; method={method}; charset=utf-8")
        messages.append(message)
    return get_connection().send_messages(messages) or 0


def send_invitations(*, activity_id: int, person_ids: list[int]) -> int:
    """Emails each invitee the activity with an .ics to add to their calendar."""
    activity = Activity.objects.select_related("network", "host_school", "organiser").get(
        pk=activity_id
    )
    people = account_selectors.active_people(ids=person_ids)
    return _send(
        activity,
        people,
        subject=_("Invitation: %(title)s (%(network)s)")
        % {"title": activity.title, "network": activity.network.name},
        template="activities/invitation_email.txt",
        method="REQUEST",
    )


def send_cancellation(*, activity_id: int) -> int:
    activity = Activity.objects.select_related("network", "host_school", "organiser").get(
        pk=activity_id
    )
    people = account_selectors.people().filter(
        activity_invitations__activity=activity, is_active=True
    )
    return _send(
        activity,
        people,
        subject=_("Cancelled: %(title)s (%(network)s)")
        % {"title": activity.title, "network": activity.network.name},
        template="activities/cancellation_email.txt",
        method="CANCEL",
    )
