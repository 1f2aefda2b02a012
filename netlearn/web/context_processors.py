"""What the site's frame shows a person, decided by the policies, not by the templates."""

from django.utils.functional import SimpleLazyObject

from netlearn.networks import policy as network_policy
from netlearn.notifications import selectors as notification_selectors


def navigation(request):
    person = request.user
    if not person.is_authenticated:
        return {"navigation": {}}
    return {
        "navigation": {
            # Pupils and parents see their own spaces, nothing of a network.
            "networks": person.kind not in ("pupil", "parent"),
            # Django's admin makes its own check (is_staff and active); we only show the link.
            "admin": person.is_active and person.is_staff,
            "import_schools": network_policy.can_import_schools(person),
            # Counted only when the frame shows it; pupils get no unread badge (no nudges:
            # ICO Age Appropriate Design Code, docs/safety.md#pupil-spaces).
            "unread_notifications": SimpleLazyObject(
                lambda: 0 if person.is_pupil else notification_selectors.unread_count(viewer=person)
            ),
        }
    }
