"""A year of activity for each seed network, so calendars and attendance show real variation.

Activities are made through the services (no emails); the year's RSVPs, registers and feedback
are written in bulk, which keeps the whole demo quick. A network that already has activities is
left alone, so loading twice changes nothing.

Where the network has a charter, its learning activities serve the charter's foci, so the demo
draws the thread from aim to activity (docs/seed-practices.md#the-thread-from-aim-to-impact).
The charters are loaded first for that: the demo runs the apps' loaders in INSTALLED_APPS
order, where activities come before the charter.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.charter import demo as charter_demo
from netlearn.networks import selectors as network_selectors
from netlearn.networks.country import profile_of
from netlearn.networks.models import GroupKind, Network, Role

from . import selectors, services
from .models import (
    Action,
    ActionStatus,
    Activity,
    Attendance,
    Audience,
    Kind,
    Note,
    Occurrence,
    ReleaseRequest,
    ReleaseStatus,
    Response,
    Rsvp,
    VisitFeedback,
)


@dataclass(frozen=True)
class Series:
    title: str
    kind: str
    rule: str  # RRULE, or "" for a one-off
    months_ago: int  # when the first date falls, counted back from today
    hour: int
    minutes: int = 90
    group: str = ""  # a GroupKind: invite that group, else the whole network
    purpose: str = ""
    host: bool = False  # held at one of the network's schools
    description: str = ""


def common(profile) -> tuple[Series, ...]:
    """Every network's dates, in its country's words (a Kāhui Ako's principals have teacher-only
    days; England's headteachers have INSET days)."""
    terms = profile.terms
    return _common(
        heads=str(terms.heads).capitalize(), teacher_only_day=str(terms.teacher_only_day)
    )


def _common(*, heads: str, teacher_only_day: str) -> tuple[Series, ...]:
    return (
        Series(
            f"{heads}' strategic meeting",
            Kind.STRATEGIC_MEETING,
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH;COUNT=6",
            10,
            9,
            120,
            group=GroupKind.HEADTEACHER,
            description="The business of the network: budget, foci and the next steps.",
        ),
        Series(
            f"Shared {teacher_only_day}: assessment for learning",
            Kind.SHARED_CPD,
            "",
            5,
            9,
            360,
            host=True,
            description="Pooled budget: one speaker for every school.",
        ),
        Series(
            "Learning walk: classrooms that support behaviour for learning",
            Kind.LEARNING_WALK,
            "",
            3,
            9,
            150,
            host=True,
            purpose="How do classrooms and routines help pupils with behavioural difficulties "
            "settle to learn?",
        ),
    )


PLANS = {
    "tweedmouth": (
        Series(
            "Thinking lunch",
            Kind.THINKING_LUNCH,
            "FREQ=MONTHLY;BYDAY=2WE;COUNT=12",
            10,
            12,
            60,
            host=True,
            description="Bring lunch and a thinking-skills strategy you tried this month.",
        ),
        Series(
            "Lead learners meeting",
            Kind.LEARNING_MEETING,
            "FREQ=MONTHLY;BYDAY=1TU;COUNT=12",
            10,
            16,
            90,
            group=GroupKind.LEAD_LEARNERS,
            description="Two parts: the business of the network, then our own learning.",
        ),
        Series("Pupil voice conference", Kind.CONFERENCE, "", 4, 9, 330, host=True),
    ),
    "north-hartlepool": (
        Series(
            "Network launch event: Research Lesson Study",
            Kind.CONFERENCE,
            "",
            10,
            9,
            360,
            host=True,
            description="Externally facilitated: the lesson study process, then planning in "
            "triads.",
        ),
        Series(
            "Triad review and planning",
            Kind.LEARNING_MEETING,
            "FREQ=MONTHLY;BYDAY=3WE;COUNT=9",
            9,
            15,
            90,
            group=GroupKind.TRIAD,
        ),
        Series(
            "Writing day",
            Kind.WRITING_DAY,
            "",
            3,
            9,
            360,
            host=True,
            description="Each triad shapes its findings into an account for the network.",
        ),
        Series(
            "Lesson study sharing afternoon",
            Kind.LEARNING_MEETING,
            "",
            -1,
            13,
            150,
            host=True,
            description="Each triad shows one research lesson and what its case pupils did.",
        ),
    ),
    "pendle-small-schools": (
        Series(
            "Steering group meeting",
            Kind.STRATEGIC_MEETING,
            "FREQ=MONTHLY;BYDAY=3TH;COUNT=11",
            10,
            16,
            90,
            group=GroupKind.STEERING,
            host=True,
        ),
    ),
    "bransholme": (
        Series(
            "Co-operative learning coaching session",
            Kind.COACHING_SESSION,
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO;COUNT=16",
            10,
            15,
            75,
            group=GroupKind.DEVELOPMENT,
            host=True,
        ),
    ),
}


def load(*, admin) -> None:
    # The foci the activities serve; loading the charters again later changes nothing.
    charter_demo.load(admin=admin)
    for network in network_selectors.demo_networks():
        if Activity.objects.filter(network=network).exists():
            continue
        with transaction.atomic():
            _load_network(network, admin=admin)


def _load_network(network: Network, *, admin) -> None:
    rng = random.Random(f"{network.slug}-activities")
    profile = profile_of(network)
    zone = zoneinfo.ZoneInfo(profile.time_zone)
    schools = list(selectors.schools_of_network(network=network))
    if not schools:
        return
    organiser = network_selectors.first_holder_of(network=network, role=Role.CO_LEADER) or admin
    # How committed each school and person is: the spread the attendance report shows.
    school_keenness = {school.pk: rng.uniform(0.45, 0.98) for school in schools}
    plans = PLANS.get(network.slug, ()) + common(profile)
    foci = list(selectors.foci_to_serve(network=network))
    today = timezone.localdate()
    for number, series in enumerate(plans):
        group = (
            network_selectors.groups_of(network=network).filter(kind=series.group).first()
            if series.group
            else None
        )
        first_day = today - datetime.timedelta(days=30 * series.months_ago + rng.randint(0, 6))
        start = datetime.datetime.combine(first_day, datetime.time(series.hour), zone)
        activity = services.create_activity(
            network=network,
            by=admin,
            organiser=organiser,
            title=series.title,
            kind=series.kind,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=series.minutes),
            time_zone=zone.key,
            recurrence=series.rule,
            description=series.description,
            purpose=series.purpose,
            host_school=rng.choice(schools) if series.host else None,
            audience=Audience.SELECTED if group else Audience.NETWORK,
            groups=[group] if group else [],
            capacity=40 if series.kind == Kind.THINKING_LUNCH else None,
            cost=Decimal("1200.00") if series.kind == Kind.SHARED_CPD else None,
            paid_by="pooled" if series.kind == Kind.SHARED_CPD else "free",
            learning_focus=_focus_for(series, number, foci),
            notify=False,
        )
        _year_of_answers(activity, organiser, rng, school_keenness)
    _walk_feedback(network, rng)


def _focus_for(series: Series, number: int, foci: list):
    """The learning activities share out the charter's foci in turn; strategic meetings run the
    whole network and serve none."""
    if not foci or series.kind == Kind.STRATEGIC_MEETING:
        return None
    return foci[number % len(foci)]


def _year_of_answers(activity, organiser, rng, school_keenness) -> None:
    """RSVPs for coming dates; RSVPs and a register for past ones; a few dates cancelled."""
    now = timezone.now()
    invitations = list(activity.invitations.all())
    keenness = {
        invitation.person_id: school_keenness.get(invitation.school_id, 0.6) * rng.uniform(0.7, 1.1)
        for invitation in invitations
    }
    rsvps, marks = [], []
    sign_in_ids = _sign_in_ids()
    occurrences = list(activity.occurrences.all())
    for index, occurrence in enumerate(occurrences):
        if activity.recurrence and index == 4 and len(occurrences) > 6:
            # Snow, an Ofsted visit: one date of a long series is called off.
            occurrence.cancelled_at = occurrence.starts_at - datetime.timedelta(days=2)
            occurrence.save(update_fields=["cancelled_at"])
            continue
        past = occurrence.starts_at < now
        for invitation in invitations:
            if not past and invitation.person_id in sign_in_ids:
                continue  # a coming date the demo's sign-ins still have to answer
            likely = min(keenness[invitation.person_id], 0.98)
            going = rng.random() < likely + 0.1
            rsvps.append(
                Rsvp(
                    occurrence=occurrence,
                    person_id=invitation.person_id,
                    response=Response.GOING if going else Response.NOT_GOING,
                    responded_at=occurrence.starts_at - datetime.timedelta(days=rng.randint(2, 20)),
                )
            )
            if past:
                marks.append(
                    Attendance(
                        occurrence=occurrence,
                        person_id=invitation.person_id,
                        school_id=invitation.school_id,
                        present=going and rng.random() < 0.92,
                        recorded_by=organiser,
                        recorded_at=occurrence.ends_at,
                    )
                )
        if past:
            occurrence.register_taken_at = occurrence.ends_at
    Rsvp.objects.bulk_create(rsvps)
    Attendance.objects.bulk_create(marks)
    Occurrence.objects.bulk_update(
        [o for o in occurrences if o.register_taken_at], ["register_taken_at"]
    )
    past = [o for o in occurrences if o.starts_at < now and not o.cancelled_at]
    if past:
        Note.objects.create(
            activity=activity,
            author=organiser,
            body="Notes: what each school tried since last time, and what we agreed next.",
            created_at=past[-1].ends_at,
        )
        owners = [invitation.person_id for invitation in invitations[:3]]
        for number, owner_id in enumerate(owners):
            Action.objects.create(
                activity=activity,
                title=("Share the strategy with staff", "Book the next venue", "Send photos")[
                    number
                ],
                owner_id=owner_id,
                due=past[-1].starts_at.date() + datetime.timedelta(days=21),
                status=ActionStatus.DONE if number == 0 else ActionStatus.OPEN,
                created_by=organiser,
            )
    for invitation in invitations[3:5]:
        decided = invitation.person_id % 2 == 0
        ReleaseRequest.objects.create(
            activity=activity,
            person_id=invitation.person_id,
            school_id=invitation.school_id,
            sessions=Decimal("1"),
            reason="Cover for my class so I can attend.",
            status=ReleaseStatus.APPROVED if decided else ReleaseStatus.REQUESTED,
            amount=Decimal("180.00") if decided else None,
            decided_by=organiser if decided else None,
            decided_at=now if decided else None,
        )


def _sign_in_ids() -> set[int]:
    # Imported here: the demo app loads this module, not the other way round.
    from netlearn.demo.seed import SIGN_INS

    usernames = [username for _, username, _ in SIGN_INS]
    return set(account_selectors.people_with_usernames(usernames).values_list("pk", flat=True))


def _walk_feedback(network, rng) -> None:
    walk = Activity.objects.filter(network=network, kind=Kind.LEARNING_WALK).first()
    if walk is None:
        return
    came = Attendance.objects.filter(occurrence__activity=walk, present=True)
    rows = []
    for mark in came.exclude(school=walk.host_school)[:3]:
        rows.append(
            VisitFeedback(
                activity=walk,
                author_id=mark.person_id,
                school_id=mark.school_id,
                what_we_saw="Calm starts: a meet-and-greet at the door and a task on the board.",
                what_we_learned="Routines are taught explicitly in September and revisited.",
                what_we_will_try="A shared entry routine across our Year 5 classes.",
                feedback_to_host=rng.choice(
                    [
                        "Visitors praised the reading corners and asked about the visual "
                        "timetables.",
                        "Consistency between classes stood out; transitions after lunch were "
                        "less settled.",
                    ]
                ),
            )
        )
    VisitFeedback.objects.bulk_create(rows)
