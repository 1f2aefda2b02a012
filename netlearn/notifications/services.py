"""Writes: make notifications, mark them read, choose how often to get email, send the mail.

`notify` is what other apps call. Mail waits for the commit of the transaction that made the
notification, and every send first claims its rows (`emailed_at`, `digested_at` set by an UPDATE
that only matches unsent rows), so a retried task or a second digest run sends nothing twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Kind, Person
from netlearn.core.deferred import after_commit

from . import policy
from .errors import NotificationError
from .models import (
    WORKFLOW_KINDS,
    Channel,
    EmailFrequency,
    EmailPreference,
    HomeVisit,
    KindPreference,
    Notification,
    NotificationKind,
)

logger = logging.getLogger(__name__)

MAX_TEXT = 300
DIGEST_PERIODS = {
    EmailFrequency.DAILY: datetime.timedelta(days=1),
    EmailFrequency.WEEKLY: datetime.timedelta(days=7),
}
# A digest lists at most this many notifications; the rest wait in the centre.
DIGEST_MAX_ROWS = 50
# Visits to the home closer together than this are one sitting: "new since my last visit" keeps
# its items when the page is reloaded or a link is followed and the person comes back.
VISIT_SITTING = datetime.timedelta(minutes=30)


def default_frequency(person: Person) -> str:
    """Staff get a daily digest; pupils (no email: docs/safety.md#pupil-spaces) and people
    without an address none."""
    if person.kind == Kind.PUPIL or not person.email:
        return EmailFrequency.NEVER
    return EmailFrequency.DAILY


def frequency_for(person: Person) -> str:
    if person.kind == Kind.PUPIL or not person.email:
        return EmailFrequency.NEVER
    stored = EmailPreference.objects.filter(person=person).values_list("frequency", flat=True)
    return stored.first() or default_frequency(person)


# A kind nobody chose a channel for follows the person's email frequency: the behaviour from
# before channels per kind, unchanged for everyone who never chooses one.
FREQUENCY_CHANNEL = {
    EmailFrequency.IMMEDIATE: Channel.IMMEDIATE,
    EmailFrequency.DAILY: Channel.DIGEST,
    EmailFrequency.WEEKLY: Channel.DIGEST,
    EmailFrequency.NEVER: Channel.IN_APP,
}


def channels_for(person: Person) -> dict[str, str]:
    """Each kind's channel for the person: their choice, or what their frequency gives."""
    if person.kind == Kind.PUPIL or not person.email:
        return dict.fromkeys(NotificationKind.values, Channel.IN_APP)
    base = FREQUENCY_CHANNEL[frequency_for(person)]
    chosen = dict(KindPreference.objects.filter(person=person).values_list("kind", "channel"))
    return {kind: chosen.get(kind, base) for kind in NotificationKind.values}


def chosen_channels(person: Person) -> dict[str, str]:
    """Only the kinds the person chose a channel for."""
    return dict(KindPreference.objects.filter(person=person).values_list("kind", "channel"))


def digest_period_of(frequency: str) -> str:
    """The digest a person gets: their frequency's, or the daily one when they chose a digest for
    some kinds while their frequency is at once or never."""
    return frequency if frequency in DIGEST_PERIODS else EmailFrequency.DAILY


def notify(
    *,
    recipients: Iterable[Person],
    kind: str,
    text: str,
    url: str = "",
    urgent: bool = False,
) -> list[Notification]:
    """Puts a notification in each recipient's centre (once per person).

    `urgent` mails it at once whatever the person's preference: a safeguarding report must reach
    its lead now (docs/safety.md#reporting-and-moderation), not in tomorrow's digest. Callers
    decide who may see what the notification points at; the text holds nothing more than that.
    """
    people = {
        person.pk: person
        for person in recipients
        if person is not None
        and person.is_active
        and not (kind in WORKFLOW_KINDS and person.kind == Kind.PUPIL)
    }
    text = " ".join(text.replace("\x00", "").split())[:MAX_TEXT]
    made = Notification.objects.bulk_create(
        [
            Notification(recipient_id=person_id, kind=kind, text=text, url=url[:500])
            for person_id in people
        ]
    )
    chosen = dict(
        EmailPreference.objects.filter(person_id__in=list(people)).values_list(
            "person_id", "frequency"
        )
    )

    by_kind = dict(
        KindPreference.objects.filter(person_id__in=list(people), kind=kind).values_list(
            "person_id", "channel"
        )
    )

    def mails_at_once(person: Person) -> bool:
        if person.kind == Kind.PUPIL or not person.email:
            return False
        if urgent:
            return True
        frequency = chosen.get(person.pk, default_frequency(person))
        channel = by_kind.get(person.pk, FREQUENCY_CHANNEL[frequency])
        return channel == Channel.IMMEDIATE

    # bulk_create gives ids on PostgreSQL and SQLite (RETURNING), which the mail task needs.
    to_mail = [
        notification.pk for notification in made if mails_at_once(people[notification.recipient_id])
    ]
    if to_mail:
        after_commit("netlearn.notifications.tasks.send_immediate_emails", to_mail)
    return made


def notify_on_commit(
    *, recipients: Iterable[Person], kind: str, text: str, url: str = "", exclude=None
) -> None:
    """`notify`, once the caller's transaction commits: a workflow's notification never tells
    of a change that was rolled back, and a retried transaction tells once. `exclude` (the person
    who acted) is never told of what they did themselves. Recipients are chosen now, inside the
    transaction, from what it sees."""
    excluded = getattr(exclude, "pk", exclude)
    people = [person for person in recipients if person is not None and person.pk != excluded]
    if not people:
        return
    transaction.on_commit(
        lambda: notify(recipients=people, kind=kind, text=text, url=url), robust=False
    )


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def send_immediate_emails(notification_ids: list[int]) -> int:
    """Mails each notification alone. Safe to run twice: a row is claimed before it is sent."""
    sent = 0
    for notification in Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient"):
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed or not notification.recipient.email:
            continue
        body = f"{notification.text}\n\n{_absolute(notification.url)}\n\n{_footer()}"
        send_mail(
            f"Netlearn: {notification.text[:120]}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
        sent += 1
    return sent


def send_digest(*, subject: str, body: str, recipient: str) -> None:
    """The task's body: mails one digest that `send_digests` wrote and claimed."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])


def _footer() -> str:
    settings_url = _absolute("/notifications/settings/")
    return gettext("Choose how often Netlearn emails you: %(url)s") % {"url": settings_url}


@transaction.atomic
def send_digests(*, period: str, now: datetime.datetime | None = None) -> int:
    """One mail per person whose preference is `period`, with what is new since their last
    digest. Rows are marked as they are claimed, so running twice sends nothing twice. Each mail
    is queued as a task once this commits; returns how many were queued."""
    if period not in DIGEST_PERIODS:
        raise NotificationError(gettext("Choose the daily or the weekly digest."))
    now = now or timezone.now()
    pending = Notification.objects.filter(
        emailed_at__isnull=True,
        digested_at__isnull=True,
        created_at__lte=now,
        recipient__is_active=True,
    ).exclude(recipient__kind=Kind.PUPIL)
    recipient_ids = set(pending.values_list("recipient_id", flat=True).distinct())
    chosen = dict(
        EmailPreference.objects.filter(person_id__in=recipient_ids).values_list(
            "person_id", "frequency"
        )
    )
    own_channels: dict[int, dict[str, str]] = {}
    for person_id, kind, channel in KindPreference.objects.filter(
        person_id__in=recipient_ids
    ).values_list("person_id", "kind", "channel"):
        own_channels.setdefault(person_id, {})[kind] = channel
    mails = 0
    reachable = account_selectors.people().filter(pk__in=recipient_ids).exclude(email="")
    for person in reachable.order_by("pk"):
        frequency = chosen.get(person.pk, default_frequency(person))
        base = FREQUENCY_CHANNEL[frequency]
        own = own_channels.get(person.pk, {})
        kinds = [kind for kind in NotificationKind.values if own.get(kind, base) == Channel.DIGEST]
        if not kinds or digest_period_of(frequency) != period:
            continue
        rows = list(
            pending.filter(recipient=person, kind__in=kinds)
            .select_for_update()
            .order_by("created_at", "pk")[:DIGEST_MAX_ROWS]
        )
        if not rows:
            continue
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(digested_at=now)
        lines = [f"- {row.text}\n  {_absolute(row.url)}" for row in rows]
        if period == EmailFrequency.DAILY:
            heading = gettext("Your daily Netlearn digest: %(count)s new.") % {"count": len(rows)}
        else:
            heading = gettext("Your weekly Netlearn digest: %(count)s new.") % {"count": len(rows)}
        body = "\n".join([heading, "", *lines, "", _footer()])
        recipient = person.email
        subject = gettext("Netlearn: %(count)s new since your last digest") % {"count": len(rows)}
        # Sent after the commit: a rolled-back run must not leave mails that claim nothing.
        after_commit("netlearn.notifications.tasks.send_digest", subject, body, recipient)
        mails += 1
    logger.info("Queued %s %s digests", mails, period)
    return mails


@transaction.atomic
def mark_read(*, notification: Notification, by: Person) -> Notification:
    if not policy.can_view_notification(by, notification):
        raise NotificationError(gettext("That notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, by: Person) -> int:
    return Notification.objects.filter(policy.notification_scope(by), read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_email_frequency(*, person: Person, frequency: str) -> EmailPreference:
    if not policy.can_choose_email(person):
        raise NotificationError(gettext("Pupil accounts never get email."))
    if frequency not in EmailFrequency.values:
        raise NotificationError(gettext("Choose how often to get email."))
    if frequency != EmailFrequency.NEVER and not person.email:
        raise NotificationError(gettext("Add an email address to your profile first."))
    preference, _ = EmailPreference.objects.update_or_create(
        person=person, defaults={"frequency": frequency, "updated_at": timezone.now()}
    )
    return preference


def record_home_visit(*, person: Person, now: datetime.datetime | None = None) -> HomeVisit:
    """Notes that the person looked at their home. Returns the visit; its `previous_seen_at` is
    where "new since my last visit" starts. One or two queries."""
    now = now or timezone.now()
    visit = HomeVisit.objects.filter(person=person).first()
    if visit is None:
        visit, _ = HomeVisit.objects.get_or_create(person=person, defaults={"seen_at": now})
        return visit
    if now - visit.seen_at >= VISIT_SITTING:
        # Conditional on the stored time, so two tabs opened together move it once.
        HomeVisit.objects.filter(pk=visit.pk, seen_at=visit.seen_at).update(
            previous_seen_at=visit.seen_at, seen_at=now
        )
        visit.previous_seen_at, visit.seen_at = visit.seen_at, now
    return visit


@transaction.atomic
def set_kind_channels(*, person: Person, channels: dict[str, str | None]) -> dict[str, str]:
    """Chooses a channel per kind; an empty choice returns the kind to the email frequency.
    Checks every choice before changing any. Returns every kind's channel."""
    if not policy.can_choose_email(person):
        raise NotificationError(gettext("Pupil accounts never get email."))
    for kind, channel in channels.items():
        if kind not in NotificationKind.values:
            raise NotificationError(
                gettext("There is no kind of notification called %(kind)s.") % {"kind": f"{kind!r}"}
            )
        if channel not in (None, "", *Channel.values):
            raise NotificationError(
                gettext("Choose in Netlearn only, email at once, or the digest.")
            )
        if channel not in (None, "", Channel.IN_APP) and not person.email:
            raise NotificationError(gettext("Add an email address to your profile first."))
    now = timezone.now()
    for kind, channel in channels.items():
        if channel:
            KindPreference.objects.update_or_create(
                person=person, kind=kind, defaults={"channel": channel, "updated_at": now}
            )
        else:
            KindPreference.objects.filter(person=person, kind=kind).delete()
    return channels_for(person)
