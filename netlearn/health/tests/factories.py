import datetime

from django.utils import timezone

from netlearn.health import selectors, services


def soon():
    return timezone.now() + datetime.timedelta(days=7)


def survey(world, *, network=None, by=None, audience="staff", mode="anonymous", **kwargs):
    options = {
        "title": "How is the network doing?",
        "wave": "Autumn 2026",
        "closes_at": soon(),
        "questions": [
            {"kind": "likert", "text": "We trust one another."},
            {"kind": "ranking", "text": "Order these.", "options": ["Visits", "Planning", "Study"]},
        ],
    }
    options.update(kwargs)
    return services.create_survey(
        network=network or world.network,
        by=by or world.co_leader,
        audience=audience,
        mode=mode,
        **options,
    )


def framework(slug="nlc-characteristics"):
    return selectors.framework_with_slug(slug)
