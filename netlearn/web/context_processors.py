"""What the site's frame shows a person, decided by the policies, not by the templates."""

from netlearn.networks import policy as network_policy


def navigation(request):
    person = request.user
    if not person.is_authenticated:
        return {"navigation": {}}
    return {
        "navigation": {
            "networks": not person.is_pupil,
            # Django's admin makes its own check (is_staff and active); we only show the link.
            "admin": person.is_active and person.is_staff,
            "import_schools": network_policy.can_import_schools(person),
        }
    }
