"""Writes to collaborative enquiry. Each service checks the policy itself and raises an
`EnquiryError` with a message for the person when a rule refuses the change; nothing is saved then.
Every write marks the enquiry active (`last_activity_at`), which the overview's staleness reads.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts import selectors as account_selectors
from netlearn.activities.models import Kind as ActivityKind
from netlearn.charter.models import Goal, LearningFocus
from netlearn.core.intake import MAX_EVIDENCE_BYTES, MEGABYTE
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import (
    Group,
    GroupKind,
    Network,
    School,
)
from netlearn.notifications import services as notifications
from netlearn.notifications.models import NotificationKind

from . import policy
from .errors import (
    AccountNotReady,
    EnquiryError,
    InvalidDataPoint,
    LooksLikeAName,
    NoCasePupil,
    TriadNotAcrossSchools,
    WrongMethod,
)
from .models import (
    Account,
    AccountStatus,
    ActDecision,
    Attachment,
    Audience,
    CasePupil,
    DataPoint,
    Enquiry,
    Method,
    Observation,
    PdsaCycle,
    Prediction,
    ResearchLesson,
    RuleSet,
    RunChartDefault,
    SpiralEntry,
    SpiralPhase,
    Stage,
    SubQuestion,
)

LESSONS_PER_CYCLE = 3  # docs/seed-practices.md#lesson-study: research lessons come in threes
MAX_VALUE = Decimal("999999999.999")
CASE_PUPIL_CODE = re.compile(r"^[A-Za-z0-9-]{1,8}$")
# Words that start with a capital in descriptions of pupils without naming them.
SCHOOL_WORDS = {
    "year", "key", "stage", "reception", "nursery", "pupil", "premium", "sen", "send", "eal",
    "english", "additional", "language", "maths", "mathematics", "literacy", "numeracy", "ks1",
    "ks2", "ks3", "ks4", "gifted", "talented", "looked", "after", "child", "boy", "girl", "a",
    "an", "the", "new", "zealand", "māori", "maori", "pasifika", "pacific", "te", "reo", "he",
    "she", "they", "often", "usually", "quiet", "confident", "reluctant", "able", "lower",
    "higher", "middle", "group", "table", "set", "free", "school", "meals", "fsm", "i", "in",
    "on", "with", "and", "but", "not", "very", "keen", "shy", "writes", "reads", "talks",
}  # fmt: skip
NAME_LIKE = re.compile(r"\b([A-Z][a-zà-ÿ'’-]+)\s+([A-Z][a-zà-ÿ'’-]+)\b")


def _text(value, *, limit: int | None = None, name: str = "text", required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise EnquiryError(
            _("The %(name)s contains a character that cannot be stored.") % {"name": name}
        )
    if limit is not None and len(value) > limit:
        raise EnquiryError(
            _("The %(name)s is longer than %(limit)s characters.") % {"name": name, "limit": limit}
        )
    if required and not value:
        raise EnquiryError(_("Please give the %(name)s.") % {"name": name})
    return value


def _touch(enquiry: Enquiry) -> None:
    enquiry.last_activity_at = timezone.now()
    Enquiry.objects.filter(pk=enquiry.pk).update(last_activity_at=enquiry.last_activity_at)


def _is_group_member(group: Group, person) -> bool:
    return network_selectors.own_group_places(person_id=person.pk).filter(group=group).exists()


def check_triad(group: Group) -> None:
    """docs/seed-practices.md#lesson-study: a triad is three teachers from three schools. Refuses
    a triad whose people share a school (their current posts)."""
    if group.kind != GroupKind.TRIAD:
        return
    seen: dict[int, str] = {}
    posts = (
        network_selectors.current_posts_in_group(group=group)
        .select_related("person", "school")
        .order_by("person__name")
    )
    by_school: dict[int, list[str]] = {}
    for post in posts:
        names = by_school.setdefault(post.school_id, [])
        if post.person.name not in names:
            names.append(post.person.name)
        seen[post.school_id] = post.school.name
    for school_id, names in by_school.items():
        if len(names) > 1:
            raise TriadNotAcrossSchools(
                _(
                    "A triad brings together teachers from different schools, but %(join)s both "
                    "work at %(seen)s. Change the triad's members first."
                )
                % {"join": " and ".join(names), "seen": seen[school_id]}
            )


def _in_network(network: Network, school: School) -> bool:
    return network_selectors.is_member_school(network=network, school=school)


def _group_schools(group: Group) -> list[School]:
    return list(network_selectors.schools_of_group(group=group))


def _terms(network, *, group, focus, goal, schools, started, ends, method, measure, unit):
    if group is None or group.network_id != network.pk:
        raise EnquiryError(_("Choose the group or triad of this network that runs the enquiry."))
    if focus is not None and focus.charter.network_id != network.pk:
        raise EnquiryError(_("That learning focus belongs to another network."))
    if goal is not None and goal.focus.charter.network_id != network.pk:
        raise EnquiryError(_("That goal belongs to another network."))
    if goal is not None and method != Method.PDSA:
        raise WrongMethod(_("Only a Plan–Do–Study–Act enquiry takes its measure from a goal."))
    if ends is not None and started is not None and ends < started:
        raise EnquiryError(_("The enquiry cannot end before it starts."))
    member_ids = {row["school_id"] for row in network_selectors.member_school_ids(network=network)}
    outside = [school.name for school in schools if school.pk not in member_ids]
    if outside:
        raise EnquiryError(
            _("%(join)s is not a school of this network.") % {"join": ", ".join(outside)}
        )
    if group.kind == GroupKind.TRIAD:
        check_triad(group)
    if goal is not None:
        measure = measure or goal.measure
        unit = unit or goal.unit
    return measure, unit


@transaction.atomic
def start_enquiry(
    *,
    network: Network,
    by,
    question: str,
    method: str,
    group: Group,
    focus: LearningFocus | None = None,
    goal: Goal | None = None,
    schools=(),
    summary: str = "",
    started: datetime.date | None = None,
    ends: datetime.date | None = None,
    measure: str = "",
    measure_unit: str = "",
) -> Enquiry:
    require(policy.can_start_enquiry(by, network))
    if not policy.can_start_for_any_group(by, network) and not _is_group_member(group, by):
        raise EnquiryError(_("You can start an enquiry only for a group or triad you belong to."))
    if method not in Method.values:
        raise EnquiryError(_("Choose one of the methods."))
    question = _text(question, limit=300, name="question", required=True)
    schools = list(schools) or _group_schools(group)
    started = started or timezone.localdate()
    measure, measure_unit = _terms(
        network,
        group=group,
        focus=focus,
        goal=goal,
        schools=schools,
        started=started,
        ends=ends,
        method=method,
        measure=_text(measure, limit=300, name="measure"),
        unit=_text(measure_unit, limit=40, name="unit"),
    )
    if focus is None and goal is not None:
        focus = goal.focus
    enquiry = Enquiry.objects.create(
        network=network,
        question=question,
        method=method,
        group=group,
        focus=focus,
        goal=goal,
        summary=_text(summary, limit=10000, name="summary"),
        started=started,
        ends=ends,
        measure=measure[:300],
        measure_unit=measure_unit[:40],
        created_by=by,
    )
    enquiry.schools.set(schools)
    return enquiry


@transaction.atomic
def update_enquiry(
    *,
    enquiry: Enquiry,
    by,
    question: str,
    stage: str,
    focus: LearningFocus | None = None,
    goal: Goal | None = None,
    schools=(),
    summary: str = "",
    ends: datetime.date | None = None,
    measure: str = "",
    measure_unit: str = "",
    baseline_points: int | None = None,
    run_chart_rules: str = "",
) -> Enquiry:
    require(policy.can_edit_enquiry(by, enquiry))
    if run_chart_rules and run_chart_rules not in RuleSet.values:
        raise EnquiryError(
            _("Choose the IHI or the Anhøj run-chart rules, or the network's default.")
        )
    if stage not in Stage.values:
        raise EnquiryError(_("Choose one of the stages."))
    schools = list(schools) or list(enquiry.schools.all())
    measure, measure_unit = _terms(
        enquiry.network,
        group=enquiry.group,
        focus=focus,
        goal=goal,
        schools=schools,
        started=enquiry.started,
        ends=ends,
        method=enquiry.method,
        measure=_text(measure, limit=300, name="measure"),
        unit=_text(measure_unit, limit=40, name="unit"),
    )
    if baseline_points is not None and not 1 <= baseline_points <= 1000:
        raise EnquiryError(_("The baseline is a number of points between 1 and 1000."))
    enquiry.question = _text(question, limit=300, name="question", required=True)
    enquiry.stage = stage
    enquiry.focus = focus or (goal.focus if goal else None)
    enquiry.goal = goal
    enquiry.summary = _text(summary, limit=10000, name="summary")
    enquiry.ends = ends
    enquiry.measure = measure[:300]
    enquiry.measure_unit = measure_unit[:40]
    enquiry.baseline_points = baseline_points
    enquiry.run_chart_rules = run_chart_rules or ""
    enquiry.last_activity_at = timezone.now()
    enquiry.save()
    enquiry.schools.set(schools)
    return enquiry


def _method(enquiry: Enquiry, method: str, what: str) -> None:
    if enquiry.method != method:
        raise WrongMethod(
            _("%(what)s belong to a %(label)s enquiry.")
            % {"what": what, "label": Method(method).label}
        )


# Research Lesson Study ------------------------------------------------------------------------


def check_no_name(text: str, *, name: str) -> None:
    """Refuses text that looks like a pupil's full name: two capitalised words in a row that are
    not words used to describe pupils ("Year 4", "Pupil Premium"). Errs towards refusing."""
    for first, second in NAME_LIKE.findall(text):
        if first.lower() not in SCHOOL_WORDS and second.lower() not in SCHOOL_WORDS:
            raise LooksLikeAName(
                _(
                    "The %(name)s looks as if it contains a name ('%(first)s %(second)s'). Case "
                    "pupils are known only by a code and a description, e.g. 'Year 4 boy, "
                    "confident talker, reluctant writer'."
                )
                % {"name": name, "first": first, "second": second}
            )


@transaction.atomic
def add_case_pupil(*, enquiry: Enquiry, by, code: str, description: str) -> CasePupil:
    require(policy.can_observe(by, enquiry))
    _method(enquiry, Method.LESSON_STUDY, "Case pupils")
    code = _text(code, name="code", required=True).upper()
    if not CASE_PUPIL_CODE.match(code):
        raise LooksLikeAName(
            _(
                "A case pupil's code is one to eight letters or digits with no spaces, such as A, "
                "B or P1: never the pupil's name."
            )
        )
    description = _text(description, limit=200, name="description", required=True)
    check_no_name(description, name="description")
    if enquiry.case_pupils.filter(code=code).exists():
        raise EnquiryError(_("There is already a case pupil %(code)s.") % {"code": code})
    pupil = CasePupil.objects.create(enquiry=enquiry, code=code, description=description)
    _touch(enquiry)
    return pupil


@transaction.atomic
def plan_lesson(
    *,
    enquiry: Enquiry,
    by,
    learning_goal: str,
    predictions: dict[int, str],
    taught_on: datetime.date | None = None,
    teacher=None,
    school: School | None = None,
    cycle: int | None = None,
) -> ResearchLesson:
    """Plans the next research lesson of the cycle, with a prediction for each case pupil."""
    require(policy.can_observe(by, enquiry))
    _method(enquiry, Method.LESSON_STUDY, "Research lessons")
    Enquiry.objects.select_for_update().filter(pk=enquiry.pk).first()  # numbers per enquiry
    pupils = list(enquiry.case_pupils.all())
    if not pupils:
        raise NoCasePupil(
            _(
                "A research lesson watches case pupils: add at least one case pupil (a code and a "
                "short description) before planning the lesson."
            )
        )
    learning_goal = _text(learning_goal, limit=5000, name="learning goal", required=True)
    texts = {
        pupil.pk: _text(predictions.get(pupil.pk), limit=5000, name=f"prediction for {pupil}")
        for pupil in pupils
    }
    if not any(texts.values()):
        raise EnquiryError(_("Say what you predict at least one case pupil will do."))
    if teacher is not None and not _is_group_member(enquiry.group, teacher):
        raise EnquiryError(_("The research lesson is taught by a member of the group."))
    if school is not None and not _in_network(enquiry.network, school):
        raise EnquiryError(_("%(name)s is not a school of this network.") % {"name": school.name})
    last = enquiry.lessons.aggregate(cycle=Max("cycle"))["cycle"] or 1
    if cycle is None:
        # Cycles of three research lessons (docs/seed-practices.md#lesson-study); the fourth
        # lesson opens the next cycle.
        full = enquiry.lessons.filter(cycle=last).count() >= LESSONS_PER_CYCLE
        cycle = last + 1 if full else last
    elif not 1 <= cycle <= last + 1:
        raise EnquiryError(_("Plan lessons in the current cycle or start the next one."))
    number = (enquiry.lessons.filter(cycle=cycle).aggregate(top=Max("number"))["top"] or 0) + 1
    lesson = ResearchLesson.objects.create(
        enquiry=enquiry,
        cycle=cycle,
        number=number,
        taught_on=taught_on,
        teacher=teacher,
        school=school,
        learning_goal=learning_goal,
    )
    Prediction.objects.bulk_create(
        Prediction(lesson=lesson, case_pupil_id=pupil_id, text=text)
        for pupil_id, text in texts.items()
        if text
    )
    if enquiry.stage == Stage.PLANNING:
        enquiry.stage = Stage.UNDER_WAY
        enquiry.save(update_fields=["stage"])
    _touch(enquiry)
    return lesson


@transaction.atomic
def record_observation(
    *, lesson: ResearchLesson, by, case_pupil_id, note: str, observed_at=None
) -> Observation:
    enquiry = lesson.enquiry
    require(policy.can_observe(by, enquiry))
    pupil = enquiry.case_pupils.filter(pk=case_pupil_id).first() if case_pupil_id else None
    if pupil is None:
        raise EnquiryError(_("Choose the case pupil you observed."))
    note = _text(note, limit=5000, name="note", required=True)
    observation = Observation.objects.create(
        lesson=lesson,
        case_pupil=pupil,
        observer=by,
        note=note,
        observed_at=observed_at or timezone.now(),
    )
    _touch(enquiry)
    return observation


@transaction.atomic
def record_discussion(
    *, lesson: ResearchLesson, by, discussion: str, next_changes: str, taught_on=None
) -> ResearchLesson:
    require(policy.can_edit_enquiry(by, lesson.enquiry))
    lesson.discussion = _text(discussion, limit=20000, name="discussion", required=True)
    lesson.next_changes = _text(next_changes, limit=10000, name="changes for the next lesson")
    if taught_on is not None:
        lesson.taught_on = taught_on
    lesson.save(update_fields=["discussion", "next_changes", "taught_on"])
    _touch(lesson.enquiry)
    return lesson


# Spiral of Inquiry ----------------------------------------------------------------------------


@transaction.atomic
def add_spiral_entry(*, enquiry: Enquiry, by, phase: str, notes: str, evidence: str = ""):
    require(policy.can_edit_enquiry(by, enquiry))
    _method(enquiry, Method.SPIRAL, "Spiral phases")
    if phase not in SpiralPhase.values:
        raise EnquiryError(_("Choose a phase of the spiral."))
    entry = SpiralEntry.objects.create(
        enquiry=enquiry,
        phase=phase,
        notes=_text(notes, limit=20000, name="notes", required=True),
        evidence=_text(evidence, limit=20000, name="evidence"),
        author=by,
    )
    if enquiry.stage == Stage.PLANNING:
        Enquiry.objects.filter(pk=enquiry.pk).update(stage=Stage.UNDER_WAY)
        enquiry.stage = Stage.UNDER_WAY
    _touch(enquiry)
    return entry


# Plan–Do–Study–Act ----------------------------------------------------------------------------


@transaction.atomic
def add_cycle(
    *, enquiry: Enquiry, by, change: str, prediction: str, plan: str = "", started=None
) -> PdsaCycle:
    require(policy.can_edit_enquiry(by, enquiry))
    _method(enquiry, Method.PDSA, "PDSA cycles")
    Enquiry.objects.select_for_update().filter(pk=enquiry.pk).first()
    number = (enquiry.cycles.aggregate(top=Max("number"))["top"] or 0) + 1
    cycle = PdsaCycle.objects.create(
        enquiry=enquiry,
        number=number,
        change=_text(change, limit=300, name="change", required=True),
        prediction=_text(prediction, limit=10000, name="prediction", required=True),
        plan=_text(plan, limit=10000, name="plan"),
        started=started or timezone.localdate(),
    )
    _touch(enquiry)
    return cycle


@transaction.atomic
def update_cycle(
    *, cycle: PdsaCycle, by, do_notes: str, study_notes: str, decision: str = ""
) -> PdsaCycle:
    require(policy.can_edit_enquiry(by, cycle.enquiry))
    if decision and decision not in ActDecision.values:
        raise EnquiryError(_("Act: choose adopt, adapt or abandon."))
    cycle.do_notes = _text(do_notes, limit=10000, name="notes on what happened")
    cycle.study_notes = _text(study_notes, limit=10000, name="study notes")
    cycle.decision = decision
    cycle.save(update_fields=["do_notes", "study_notes", "decision"])
    _touch(cycle.enquiry)
    return cycle


def parse_value(value) -> Decimal:
    text = str(value if value is not None else "").strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidDataPoint(
            _("'%(value)s' is not a number: a run chart plots numbers, such as 12 or 4.5.")
            % {"value": str(value)[:40]}
        ) from None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        raise InvalidDataPoint(_("The value must be a number below one billion."))
    return number.quantize(Decimal("0.001"))


@transaction.atomic
def add_data_point(
    *,
    enquiry: Enquiry,
    by,
    measured_on: datetime.date,
    value,
    note: str = "",
    starts_phase: bool = False,
) -> DataPoint:
    """A measurement for the run chart. No value is a measurement missed (the note says why);
    `starts_phase` marks the first point after a change was adopted."""
    require(policy.can_edit_enquiry(by, enquiry))
    _method(enquiry, Method.PDSA, "Run-chart data")
    if not isinstance(measured_on, datetime.date):
        raise InvalidDataPoint(_("Give the date the value was measured."))
    note = _text(note, limit=300, name="note")
    missing = value is None or not str(value).strip()
    if missing and not note:
        raise InvalidDataPoint(
            _("Give the value, or, when it was not measured, say why in the note.")
        )
    point = DataPoint.objects.create(
        enquiry=enquiry,
        measured_on=measured_on,
        value=None if missing else parse_value(value),
        note=note,
        starts_phase=bool(starts_phase),
        recorded_by=by,
    )
    _touch(enquiry)
    return point


@transaction.atomic
def set_run_chart_default(*, network, by, rules: str) -> RunChartDefault:
    """The rules the network's run charts are read by, unless an enquiry names its own."""
    require(policy.can_set_run_chart_rules(by, network))
    if rules not in RuleSet.values:
        raise EnquiryError(_("Choose the IHI or the Anhøj run-chart rules."))
    default, _created = RunChartDefault.objects.update_or_create(
        network=network, defaults={"rules": rules}
    )
    return default


# Shared enquiry -------------------------------------------------------------------------------


@transaction.atomic
def add_sub_question(*, enquiry: Enquiry, by, school: School, question: str) -> SubQuestion:
    require(policy.can_edit_enquiry(by, enquiry))
    _method(enquiry, Method.SHARED, "Sub-questions")
    if not _in_network(enquiry.network, school):
        raise EnquiryError(_("%(name)s is not a school of this network.") % {"name": school.name})
    part = SubQuestion.objects.create(
        enquiry=enquiry,
        school=school,
        question=_text(question, limit=300, name="sub-question", required=True),
    )
    enquiry.schools.add(school)
    _touch(enquiry)
    return part


@transaction.atomic
def record_findings(*, part: SubQuestion, by, findings: str) -> SubQuestion:
    require(policy.can_edit_enquiry(by, part.enquiry))
    part.findings = _text(findings, limit=20000, name="findings", required=True)
    part.save(update_fields=["findings"])
    _touch(part.enquiry)
    return part


@transaction.atomic
def record_combined_review(*, enquiry: Enquiry, by, review: str) -> Enquiry:
    """The teacher-researchers review their work together and let the review shape the next
    phase (docs/seed-practices.md#shared-enquiry)."""
    require(policy.can_edit_enquiry(by, enquiry))
    _method(enquiry, Method.SHARED, "A combined review")
    if not enquiry.sub_questions.exists():
        raise EnquiryError(_("Split the question between schools before reviewing it together."))
    enquiry.combined_review = _text(review, limit=20000, name="review", required=True)
    enquiry.save(update_fields=["combined_review"])
    _touch(enquiry)
    return enquiry


# Evidence -------------------------------------------------------------------------------------


@transaction.atomic
def add_attachment(
    *, enquiry: Enquiry, by, title: str, file, is_pupil_work: bool = False
) -> Attachment:
    require(policy.can_edit_enquiry(by, enquiry))
    if file is None:
        raise EnquiryError(_("Choose a file to attach."))
    if file.size > MAX_EVIDENCE_BYTES:
        raise EnquiryError(
            _("The file is larger than %(value)s MB.") % {"value": MAX_EVIDENCE_BYTES // MEGABYTE}
        )
    attachment = Attachment(
        enquiry=enquiry,
        title=_text(title, limit=200, name="title", required=True),
        file_name=_text(file.name, limit=200, name="file name")[:200],
        is_pupil_work=is_pupil_work,
        uploaded_by=by,
    )
    attachment.file = file
    attachment.save()
    _touch(enquiry)
    return attachment


# Accounts -------------------------------------------------------------------------------------


@transaction.atomic
def link_account_to_writing_day(*, account: Account, writing_day, by) -> Account:
    """Files the account under the writing day it was written at (or, with None, under none).
    The day's accounts compile into one document (docs/seed-practices.md#writing-days).
    Caller loaded `account` through `account_for` (the policy reads the viewer's group from it)."""
    require(policy.can_edit_account(by, account))
    if writing_day is not None:
        if writing_day.network_id != account.enquiry.network_id:
            raise EnquiryError(_("The writing day belongs to another network."))
        if writing_day.kind != ActivityKind.WRITING_DAY:
            raise EnquiryError(_("Choose an activity that is a writing day."))
    account.writing_day = writing_day
    account.save(update_fields=["writing_day"])
    return account


@transaction.atomic
def write_account(
    *,
    enquiry: Enquiry,
    by,
    title: str,
    question: str,
    what_we_tried: str,
    what_we_learned: str,
    evidence: str = "",
    what_others_could_try: str = "",
    audience: str = Audience.NETWORK,
) -> Account:
    """Writes (or rewrites) the enquiry's account. Rewriting a reviewed or published account
    sends it back to draft: the group reviews what it publishes."""
    require(policy.can_edit_enquiry(by, enquiry))
    if audience not in Audience.values:
        raise EnquiryError(_("Choose who may read the account."))
    values = {
        "title": _text(title, limit=200, name="title", required=True),
        "question": _text(question, limit=5000, name="question", required=True),
        "what_we_tried": _text(what_we_tried, limit=20000, name="what we tried", required=True),
        "what_we_learned": _text(
            what_we_learned, limit=20000, name="what we learned", required=True
        ),
        "evidence": _text(evidence, limit=20000, name="evidence"),
        "what_others_could_try": _text(
            what_others_could_try, limit=20000, name="what others could try"
        ),
        "audience": audience,
        "written_by": by,
        "status": AccountStatus.DRAFT,
        "reviewed_by": None,
        "reviewed_at": None,
        "published_at": None,
        "updated_at": timezone.now(),
    }
    account, _created = Account.objects.update_or_create(enquiry=enquiry, defaults=values)
    if enquiry.stage in (Stage.PLANNING, Stage.UNDER_WAY):
        Enquiry.objects.filter(pk=enquiry.pk).update(stage=Stage.WRITING_UP)
        enquiry.stage = Stage.WRITING_UP
    _touch(enquiry)
    # Who must act: the group reviews what one of them wrote (policy.can_review_account).
    notifications.notify_on_commit(
        recipients=_group_people(enquiry),
        kind=NotificationKind.ACCOUNT_REVIEW,
        text=f"The account “{account.title}” of your group awaits review",
        url=account.get_absolute_url(),
        exclude=by,
    )
    return account


def _group_people(enquiry: Enquiry, *also):
    """The enquiry's group as people (its members in person, as `policy.in_group` counts them),
    and `also`."""
    in_group = network_selectors.person_ids_in_groups(group_ids=[enquiry.group_id])
    return account_selectors.people().filter(Q(pk__in=in_group) | Q(pk__in=[*also]))


@transaction.atomic
def review_account(*, account: Account, by) -> Account:
    if not policy.can_edit_account(by, account):
        raise PermissionDenied
    if account.status != AccountStatus.DRAFT:
        raise AccountNotReady(_("The account has already been reviewed."))
    if account.written_by_id == by.pk:
        raise AccountNotReady(_("Another member of the group reviews the account, not its writer."))
    account.status = AccountStatus.REVIEWED
    account.reviewed_by = by
    account.reviewed_at = timezone.now()
    account.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _touch(account.enquiry)
    return account


@transaction.atomic
def publish_account(*, account: Account, by) -> Account:
    if not policy.can_edit_account(by, account):
        raise PermissionDenied
    if account.status != AccountStatus.REVIEWED:
        raise AccountNotReady(_("The group reviews an account before it is published."))
    account.status = AccountStatus.PUBLISHED
    account.published_at = timezone.now()
    account.save(update_fields=["status", "published_at"])
    Enquiry.objects.filter(pk=account.enquiry_id).update(
        stage=Stage.COMPLETE, last_activity_at=timezone.now()
    )
    account.enquiry.stage = Stage.COMPLETE
    notifications.notify_on_commit(
        recipients=_group_people(account.enquiry, account.written_by_id),
        kind=NotificationKind.ACCOUNT_PUBLISHED,
        text=f"Your group's account “{account.title}” is published",
        url=account.get_absolute_url(),
        exclude=by,
    )
    return account
