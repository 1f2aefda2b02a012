"""Pages for the calendar, activities, registers, feedback, actions and release time.

Views parse, call services, render. The calendar feed authenticates by its secret key alone.
"""

import calendar as month_calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from netlearn.charter.snapshots import focus_word
from netlearn.core.errors import NetlearnError
from netlearn.core.related import grouped, related_links
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for

from . import hooks, ical, policy, selectors, services
from .errors import ActivityError
from .forms import (
    ActionForm,
    ActionStatusForm,
    ActivityForm,
    CommitmentForm,
    FeedbackForm,
    MoveOccurrenceForm,
    NoteForm,
    PeriodForm,
    RegisterForm,
    ReleaseDecisionForm,
    ReleaseRequestForm,
    RsvpForm,
)
from .models import Response


def _page(request, rows):
    return Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _network(request, network_slug):
    return network_selectors.network_for(viewer=request.user, slug=network_slug)


def _activity(request, network_slug, activity_id):
    network = _network(request, network_slug)
    return selectors.activity_for(viewer=request.user, network=network, activity_id=activity_id)


def _today() -> datetime.date:
    return timezone.localdate()


def _parse_date(text: str, default: datetime.date, fmt: str = "%Y-%m-%d") -> datetime.date:
    try:
        return datetime.datetime.strptime(text, fmt).date()
    except (TypeError, ValueError):
        return default


def _bounds(first: datetime.date, last: datetime.date) -> tuple:
    """A day either side, so activities in any time zone that fall on these dates are found."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first - datetime.timedelta(days=1), datetime.time.min, zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=2), datetime.time.min, zone)
    return start, end


def _by_local_day(occurrences) -> dict:
    days = {}
    for occurrence in occurrences:
        days.setdefault(occurrence.local_start.date(), []).append(occurrence)
    return days


# Calendar -----------------------------------------------------------------------------------


@login_required
def calendar_month(request, network_slug):
    network = _network(request, network_slug)
    today = _today()
    first = _parse_date(request.GET.get("month", "") + "-01", today.replace(day=1))
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    start, end = _bounds(first, last)
    occurrences = selectors.occurrences_between(
        viewer=request.user, start=start, end=end, network=network
    )
    days = _by_local_day(occurrences)
    # A day's weekday and month names, each formatted once (the `date` filter's own
    # formatting) rather than once for each of the month's 35 to 42 days.
    names: dict[tuple[str, int], str] = {}

    def name(day, letter, key):
        if (letter, key) not in names:
            names[letter, key] = formats.date_format(day, letter)
        return names[letter, key]

    weeks = [
        [
            (
                day,
                days.get(day, []),
                day.month == first.month,
                name(day, "l", day.weekday()),
                name(day, "F", day.month),
            )
            for day in week
        ]
        for week in month_calendar.Calendar().monthdatescalendar(first.year, first.month)
    ]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    context = {
        "network": network,
        "first": first,
        "weeks": weeks,
        "today": today,
        "previous": previous,
        "following": following,
        "can_create": policy.can_create_activity(request.user, network),
    }
    return render(request, "activities/calendar_month.html", context)


@login_required
def calendar_week(request, network_slug):
    network = _network(request, network_slug)
    today = _today()
    chosen = _parse_date(request.GET.get("week", ""), today)
    monday = chosen - datetime.timedelta(days=chosen.weekday())
    sunday = monday + datetime.timedelta(days=6)
    start, end = _bounds(monday, sunday)
    days = _by_local_day(
        selectors.occurrences_between(viewer=request.user, start=start, end=end, network=network)
    )
    week = [
        (monday + datetime.timedelta(days=n), days.get(monday + datetime.timedelta(days=n), []))
        for n in range(7)
    ]
    context = {
        "network": network,
        "week": week,
        "monday": monday,
        "today": today,
        "previous": monday - datetime.timedelta(days=7),
        "following": monday + datetime.timedelta(days=7),
        "can_create": policy.can_create_activity(request.user, network),
    }
    return render(request, "activities/calendar_week.html", context)


@login_required
def calendar_list(request, network_slug):
    """Coming (or past) activities; ?focus=<id>: those serving one focus of the charter."""
    network = _network(request, network_slug)
    learning_focus = None
    if request.GET.get("focus"):
        learning_focus = selectors.focus_for(
            viewer=request.user, network=network, focus_id=request.GET["focus"]
        )
    now = timezone.now()
    past = request.GET.get("when") == "past"
    far = now + datetime.timedelta(days=3660) if not past else now
    since = now - datetime.timedelta(days=3660) if past else now
    occurrences = selectors.occurrences_between(
        viewer=request.user,
        start=since,
        end=far,
        network=network,
        learning_focus=learning_focus,
    )
    if past:
        occurrences = occurrences.order_by("-starts_at", "-pk")
    context = {
        "network": network,
        "page": _page(request, occurrences),
        "past": past,
        "learning_focus": learning_focus,
        "focus_word": focus_word(network),
        "can_create": policy.can_create_activity(request.user, network),
    }
    return render(request, "activities/calendar_list.html", context)


# Activities ---------------------------------------------------------------------------------


def _activity_form(request, network, data=None, initial=None, activity=None):
    return ActivityForm(
        data,
        initial=initial,
        schools=selectors.schools_of_network(network=network),
        groups=selectors.groups_of_network(network=network),
        people=selectors.people_of_network(network=network),
        foci=selectors.foci_to_serve(
            network=network, keep_id=activity.learning_focus_id if activity else None
        ),
        focus_word=focus_word(network),
    )


def _activity_values(form) -> dict:
    data = dict(form.cleaned_data)
    data["groups"] = list(data["groups"])
    data["people"] = list(data["people"])
    return data


@login_required
def create_activity(request, network_slug):
    network = _network(request, network_slug)
    if not policy.can_create_activity(request.user, network):
        raise PermissionDenied
    # From a focus's list of activities: "New activity serving this focus".
    initial = {
        "learning_focus": request.GET.get("focus"),
        "time_zone": selectors.time_zone_of(network=network),
    }
    form = _activity_form(request, network, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                network=network, by=request.user, **_activity_values(form)
            )
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("%(title)s is in the calendar; invitations are sent.")
                % {"title": activity.title},
            )
            return redirect(activity.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {
        "network": network,
        "form": form,
        "activity": None,
        "for_whole_network": policy.schedules_for_whole_network(request.user, network),
    }
    return render(request, "activities/activity_form.html", context, status=status)


@login_required
def edit_activity(request, network_slug, activity_id):
    activity = _activity(request, network_slug, activity_id)
    network = activity.network
    if not policy.can_manage_activity(request.user, activity):
        raise PermissionDenied
    initial = {
        **{field: getattr(activity, field) for field in services.ACTIVITY_FIELDS},
        "starts_at": activity.local_start,
        "ends_at": datetime.datetime.combine(activity.last_day, datetime.time())
        if activity.all_day
        else activity.local_end,
        "rsvp_closes_at": activity.rsvp_closes_at.astimezone(activity.zone)
        if activity.rsvp_closes_at
        else None,
        "exception_dates": ", ".join(activity.exception_dates),
        "repeats": "custom" if activity.recurrence else "",
        "groups": list(activity.audience_groups.all()),
        "roles": activity.audience_roles,
    }
    form = _activity_form(
        request, network, request.POST or None, initial=initial, activity=activity
    )
    if request.method == "POST" and form.is_valid():
        values = _activity_values(form)
        try:
            services.update_activity(
                activity=activity,
                by=request.user,
                groups=values.pop("groups"),
                roles=values.pop("roles"),
                people=values.pop("people"),
                **values,
            )
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("The activity is updated; calendars will follow."))
            return redirect(activity.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "form": form, "activity": activity}
    return render(request, "activities/activity_form.html", context, status=status)


@login_required
def activity_detail(request, network_slug, activity_id):
    activity = _activity(request, network_slug, activity_id)
    person = request.user
    occurrences = list(selectors.occurrences_of(activity=activity))
    for occurrence in occurrences:
        occurrence.activity = activity
    answers = selectors.rsvps_of_person(person=person, occurrences=occurrences)
    now = timezone.now()
    rows = [
        {
            "occurrence": occurrence,
            "rsvp": answers.get(occurrence.pk),
            "open": now < services.rsvp_closes_at(occurrence) and not occurrence.is_cancelled,
            "started": now >= occurrence.starts_at,
        }
        for occurrence in occurrences
    ]
    can_manage = policy.can_manage_activity(person, activity)
    context = {
        "network": activity.network,
        "activity": activity,
        "rows": rows,
        "can_manage": can_manage,
        "can_rsvp": policy.can_rsvp(person, activity),
        "can_post_note": policy.can_post_note(person, activity),
        "can_add_action": policy.can_add_action(person, activity),
        "can_give_feedback": policy.can_give_feedback(person, activity),
        "can_request_release": policy.can_request_release(person, activity),
        "notes": selectors.notes_for(activity=activity),
        "actions": selectors.actions_for(activity=activity),
        "feedback": selectors.feedback_for(activity=activity, viewer=person)
        if activity.is_visit
        else [],
        "invited_count": activity.invitations.count(),
        "note_form": NoteForm(),
        "action_form": ActionForm(people=selectors.people_of_network(network=activity.network))
        if can_manage
        else None,
        "status_form": ActionStatusForm(),
        "person_id": access_for(person).person_id,
        "focus_word": focus_word(activity.network),
        "related": grouped(related_links("activity", viewer=person, obj=activity)),
    }
    return render(request, "activities/activity.html", context)


@login_required
@require_POST
def cancel_activity(request, network_slug, activity_id):
    activity = _activity(request, network_slug, activity_id)
    if not policy.can_manage_activity(request.user, activity):
        raise PermissionDenied
    try:
        services.cancel_activity(activity=activity, by=request.user)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("%(title)s is cancelled; invitees are told.") % {"title": activity.title},
        )
    return redirect(activity.get_absolute_url())


@login_required
def move_occurrence(request, network_slug, activity_id, occurrence_id):
    activity = _activity(request, network_slug, activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    if not policy.can_manage_activity(request.user, activity):
        raise PermissionDenied
    initial = {"starts_at": occurrence.local_start, "ends_at": occurrence.local_end}
    form = MoveOccurrenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.move_occurrence(
                occurrence=occurrence, by=request.user, **form.cleaned_data
            )
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("The date is moved to %(local_start)s.")
                % {"local_start": f"{moved.local_start:%A %d %B %Y, %H:%M}"},
            )
            return redirect(activity.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"network": activity.network, "activity": activity, "occurrence": occurrence}
    context["form"] = form
    return render(request, "activities/move_occurrence.html", context, status=status)


@login_required
@require_POST
def cancel_occurrence(request, network_slug, activity_id, occurrence_id):
    activity = _activity(request, network_slug, activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    if not policy.can_manage_activity(request.user, activity):
        raise PermissionDenied
    try:
        services.cancel_occurrence(occurrence=occurrence, by=request.user)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("%(local_start)s is cancelled.")
            % {"local_start": f"{occurrence.local_start:%d %B %Y}"},
        )
    return redirect(activity.get_absolute_url())


@login_required
@require_POST
def rsvp(request, network_slug, activity_id, occurrence_id):
    activity = _activity(request, network_slug, activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    if not policy.can_rsvp(request.user, activity):
        raise PermissionDenied
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Answer going or not going."))
        return redirect(activity.get_absolute_url())
    try:
        answer = services.respond(
            occurrence=occurrence, person=request.user, response=form.cleaned_data["response"]
        )
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        if answer.response == Response.WAITING:
            position = services.waiting_position(answer)
            messages.warning(
                request,
                gettext(
                    "This date is full (%(capacity)s places): you are number %(position)s on the "
                    "waiting list, and will be given a place if one comes free."
                )
                % {"capacity": activity.capacity, "position": position},
            )
        elif answer.response == Response.GOING:
            messages.success(request, gettext("You are going. See you there."))
        else:
            messages.success(request, gettext("Thank you: you are marked as not going."))
    return redirect(activity.get_absolute_url())


@login_required
def register(request, network_slug, activity_id, occurrence_id):
    activity = _activity(request, network_slug, activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    if not policy.can_take_register(request.user, activity):
        raise PermissionDenied
    lines = selectors.register_for(occurrence=occurrence, viewer=request.user)
    invitees = selectors.invitees_of(activity=activity)
    form = RegisterForm(request.POST or None, people=invitees)
    if request.method == "POST" and form.is_valid():
        present = [person.pk for person in form.cleaned_data["present"]]
        try:
            services.take_register(occurrence=occurrence, by=request.user, present_ids=present)
        except NetlearnError as error:  # the register also settles release funding (hooks.py)
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("The register has %(count)s present.") % {"count": len(present)}
            )
            return redirect(activity.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {
        "network": activity.network,
        "activity": activity,
        "occurrence": occurrence,
        "lines": lines,
        "form": form,
        "opens": occurrence.starts_at,
        "is_open": timezone.now() >= occurrence.starts_at,
    }
    return render(request, "activities/register.html", context, status=status)


@login_required
def feedback(request, network_slug, activity_id):
    activity = _activity(request, network_slug, activity_id)
    if not activity.is_visit:
        raise Http404
    can_give = policy.can_give_feedback(request.user, activity)
    form = FeedbackForm(request.POST or None) if can_give else None
    if request.method == "POST":
        if not can_give:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.give_feedback(activity=activity, by=request.user, **form.cleaned_data)
            except ActivityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, gettext("Your feedback is recorded; the host school sees it.")
                )
                return redirect(activity.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {
        "network": activity.network,
        "activity": activity,
        "form": form,
        "feedback": selectors.feedback_for(activity=activity, viewer=request.user),
    }
    return render(request, "activities/feedback.html", context, status=status)


@login_required
@require_POST
def add_note(request, network_slug, activity_id):
    activity = _activity(request, network_slug, activity_id)
    if not policy.can_post_note(request.user, activity):
        raise PermissionDenied
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ActivityError(gettext("Write the note before posting it."))
        services.post_note(activity=activity, by=request.user, body=form.cleaned_data["body"])
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The note is posted to the network."))
    return redirect(activity.get_absolute_url())


@login_required
@require_POST
def add_action(request, network_slug, activity_id):
    activity = _activity(request, network_slug, activity_id)
    if not policy.can_add_action(request.user, activity):
        raise PermissionDenied
    form = ActionForm(request.POST, people=selectors.people_of_network(network=activity.network))
    try:
        if not form.is_valid():
            raise ActivityError(gettext("Give the action and its owner."))
        services.add_action(activity=activity, by=request.user, **form.cleaned_data)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The action is added."))
    return redirect(activity.get_absolute_url())


@login_required
@require_POST
def action_status(request, network_slug, action_id):
    network = _network(request, network_slug)
    action = selectors.action_for(viewer=request.user, network=network, action_id=action_id)
    if not policy.can_update_action(request.user, action):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.set_action_status(
            action=action, by=request.user, status=form.cleaned_data["status"]
        )
        messages.success(
            request,
            gettext("“%(title)s” is %(lower)s.")
            % {"title": action.title, "lower": action.get_status_display().lower()},
        )
    else:
        messages.error(request, gettext("Choose open, done or dropped."))
    return redirect(request.POST.get("next") or reverse("activities:my_actions"))


@login_required
def my_actions(request):
    context = {"page": _page(request, selectors.actions_of(viewer=request.user))}
    return render(request, "activities/my_actions.html", context)


# Release time -------------------------------------------------------------------------------


@login_required
def request_release(request, network_slug, activity_id):
    activity = _activity(request, network_slug, activity_id)
    if not policy.can_request_release(request.user, activity):
        raise PermissionDenied
    form = ReleaseRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_release(activity=activity, by=request.user, **form.cleaned_data)
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Your request for cover is with the co-leaders."))
            return redirect("activities:release_requests", activity.network.slug)
    status = 400 if request.method == "POST" else 200
    context = {"network": activity.network, "activity": activity, "form": form}
    return render(request, "activities/release_form.html", context, status=status)


@login_required
def release_requests(request, network_slug):
    network = _network(request, network_slug)
    page = _page(request, selectors.release_requests_for(viewer=request.user, network=network))
    context = {
        "network": network,
        "page": page,
        "visible_activity_ids": selectors.visible_activity_ids(
            viewer=request.user, activity_ids=[item.activity_id for item in page.object_list]
        ),
        "can_decide": policy.can_decide_release(request.user, network.pk),
        "decision_form": ReleaseDecisionForm(),
    }
    return render(request, "activities/release_requests.html", context)


@login_required
@require_POST
def decide_release(request, network_slug, request_id):
    network = _network(request, network_slug)
    release_request = selectors.release_request_for(
        viewer=request.user, network=network, request_id=request_id
    )
    if not policy.can_decide_release(request.user, network.pk):
        raise PermissionDenied
    form = ReleaseDecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ActivityError(gettext("Approve or decline, with the funding approved."))
        services.decide_release(
            release_request=release_request,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
        )
    except NetlearnError as error:  # approval also commits the release budget (hooks.py)
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("%(person)s's request is decided.") % {"person": release_request.person},
        )
    return redirect("activities:release_requests", network.slug)


# Attendance ---------------------------------------------------------------------------------


@login_required
def attendance(request, network_slug):
    network = _network(request, network_slug)
    today = _today()
    form = PeriodForm(request.GET or None)
    start, end = today - datetime.timedelta(days=365), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    report = selectors.attendance_report(viewer=request.user, network=network, start=start, end=end)
    can_change = policy.can_change_activity_settings(request.user, network)
    context = {
        "network": network,
        "form": form,
        "report": report,
        "can_change": can_change,
        # The charter's commitment, when there is one, is changed in the charter, not here.
        "commitment_form": CommitmentForm(initial={"percent": report.threshold})
        if can_change and report.commitment is None
        else None,
    }
    return render(request, "activities/attendance.html", context)


@login_required
@require_POST
def attendance_commitment(request, network_slug):
    network = _network(request, network_slug)
    if not policy.can_change_activity_settings(request.user, network):
        raise PermissionDenied
    form = CommitmentForm(request.POST)
    try:
        if not form.is_valid():
            raise ActivityError(gettext("The commitment is a percentage from 0 to 100."))
        services.set_attendance_commitment(
            network=network, by=request.user, percent=Decimal(form.cleaned_data["percent"])
        )
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The attendance commitment is saved."))
    return redirect("activities:attendance", network.slug)


# Feeds --------------------------------------------------------------------------------------


@login_required
def calendar_feeds(request):
    """The person's feed link: made (or made anew) and revoked here; shown once when made."""
    person = request.user
    if person.is_pupil:
        raise Http404
    secret = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_feed_token(person=person)
            messages.success(request, gettext("Your calendar feed link no longer works."))
        else:
            _, secret = services.create_feed_token(person=person)
    feed_url = None
    if secret:
        feed_url = settings.SITE_URL.rstrip("/") + reverse("activities:feed") + f"?key={secret}"
    context = {
        "token": selectors.live_feed_token(person=person),
        "feed_url": feed_url,
        "secret": secret,
        "networks": network_selectors.networks_for(viewer=person),
        "base_feed_url": settings.SITE_URL.rstrip("/") + reverse("activities:feed"),
    }
    return render(request, "activities/feeds.html", context, status=200)


@require_GET
def feed(request):
    """An iCalendar feed. Calendar apps send no cookies, so the key in the URL is the only
    credential: a session is never used, and an unknown or revoked key answers 404.

    ?key=…: what the key's owner is invited to or organises. &network=slug: every activity of
    that network its owner may see. With no key at all, a person is sent to sign in (or, once
    signed in, to the page that makes their key).
    """
    key = request.GET.get("key", "")
    if not key:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return redirect("activities:feeds")
    person = selectors.person_for_feed_token(services.hash_feed_secret(key))
    if person is None:
        raise Http404
    network = None
    slug = request.GET.get("network", "")
    if slug:
        network = network_selectors.network_for(viewer=person, slug=slug)
    activities = selectors.feed_activities(viewer=person, network=network)
    name = f"{network.name} (Netlearn)" if network else f"{person.name} (Netlearn)"
    # Other apps' events (a staff loan, a booking, a release day) join through the hook.
    extra = hooks.feed_events(viewer=person, network=network)
    body = ical.calendar_for(activities, name=name, extra=extra)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="netlearn.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
