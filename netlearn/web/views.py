from pathlib import Path

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from netlearn.core import catalogues
from netlearn.core.home import personal_feed
from netlearn.core.languages import choices as language_choices
from netlearn.networks import selectors as network_selectors
from netlearn.notifications import selectors as notification_selectors
from netlearn.notifications import services as notification_services

from . import health as checks


@never_cache
def home(request):
    """What needs me (core/home.py): waiting, coming up, new since my last visit; then my
    networks. A fixed number of queries however many networks, notifications or activities."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    # Pupils have no network pages: their home is their pupil spaces.
    if request.user.is_pupil:
        return redirect("discussions:home")
    person = request.user
    visit = notification_services.record_home_visit(person=person)
    context = {
        "feed": personal_feed(person=person, since=visit.previous_seen_at),
        "networks": network_selectors.networks_for(viewer=person),
        "unread": notification_selectors.unread_count(viewer=person),
    }
    return render(request, "web/home.html", context)


@never_cache
def health(request):
    """For load balancers and monitors: 200 when the database, the cache, storage and the task
    worker all answer, 503 naming the one that does not (docs/operations.md#health)."""
    healthy, results = checks.run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503
    )


def translations(request):
    """How far each language's catalogue is translated, and what is left: for translators (no
    one's data, so open to every visitor). docs/languages.md says how to finish a catalogue."""
    locale_dir = Path(settings.LOCALE_PATHS[0])
    names = dict(language_choices())
    rows = [
        {"code": code, "name": names.get(code.replace("_", "-").lower(), code), "coverage": cover}
        for code in catalogues.languages_in(locale_dir)
        for cover in [catalogues.coverage(locale_dir, code)]
    ]
    return render(request, "web/translations.html", {"rows": rows})
