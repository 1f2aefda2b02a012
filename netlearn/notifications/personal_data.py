"""What the notification centre holds about a person, for export and erasure
(docs/safety.md#retention-and-erasure)."""

from django.db.models import Q

from netlearn.accounts.personal_data import label, rows, scrub_identifiers

from .models import EmailPreference, HomeVisit, KindPreference, Notification

MODELS: tuple = (Notification, EmailPreference, HomeVisit, KindPreference)


def export(person) -> dict[str, list[dict]]:
    return {
        # The text names whoever acted ("Cora Leader mentioned you"): another person's data, so
        # the export keeps what the notification was about and where it points, not its words.
        label(Notification): rows(
            Notification.objects.filter(recipient=person).order_by("created_at", "pk"),
            person,
            exclude=("text",),
            extra=lambda notification: {"about": notification.get_kind_display()},
        ),
        label(EmailPreference): rows(EmailPreference.objects.filter(person=person), person),
        label(HomeVisit): rows(HomeVisit.objects.filter(person=person), person),
        label(KindPreference): rows(KindPreference.objects.filter(person=person), person),
    }


def erase(person) -> None:
    """A person's notifications and email choice are theirs alone: both go. Others'
    notifications that name them ("… mentioned you") keep their text with "Former member"."""
    Notification.objects.filter(recipient=person).delete()
    EmailPreference.objects.filter(person=person).delete()
    HomeVisit.objects.filter(person=person).delete()
    KindPreference.objects.filter(person=person).delete()
    named = Q(pk__in=[])
    for word in (person.name.strip(), person.username.strip()):
        if len(word) >= 3:
            named |= Q(text__icontains=word)
    scrub_identifiers(Notification.objects.filter(named), person)
