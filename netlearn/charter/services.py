"""Writes to the charter. Each service checks the policy itself; every saved change of the
charter's content makes a new `CharterVersion` (recording progress does not: it is a record
against the charter, not a change of it).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts import selectors as account_selectors
from netlearn.core.intake import MAX_EVIDENCE_BYTES, MEGABYTE
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Group, Network, School
from netlearn.notifications import services as notifications
from netlearn.notifications.models import NotificationKind

from . import policy
from .errors import (
    AlreadySignedOff,
    CannotSignOff,
    CharterError,
    CharterExists,
    InvalidGoal,
    InvalidProgress,
    NoCharter,
    NotProposed,
    ReasonRequired,
    StaleCharter,
    StaleEdit,
)
from .models import (
    Charter,
    CharterVersion,
    Commitment,
    CommitmentKind,
    Digression,
    DigressionKind,
    Goal,
    GoalSource,
    LearningFocus,
    ProgressEntry,
    SignOff,
)
from .snapshots import snapshot

FOCUS_FIELDS = (
    "title",
    "description",
    "pupils",
    "pupil_groups",
    "visible_when_achieved",
    "adult_learning_link",
)
# Changing any of these changes what the goal promised: a digression that needs a reason.
GOAL_TERMS = (
    "measure",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)
MAX_VALUE = Decimal("999999999.999")


def _text(value, *, limit: int | None = None, name: str = "text") -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise CharterError(
            _("The %(name)s contains a character that cannot be stored.") % {"name": name}
        )
    if limit is not None and len(value) > limit:
        raise CharterError(
            _("The %(name)s is longer than %(limit)s characters.") % {"name": name, "limit": limit}
        )
    return value


# One sitting's saves make one draft version, not a version each: a co-leader who adds a focus,
# its goals and a commitment in an afternoon has written one draft. Another person's change, a
# proposal or a day's gap starts the next version, so the history still shows who changed what.
DRAFT_SITTING = datetime.timedelta(hours=12)


def _open_draft(charter: Charter, by) -> CharterVersion | None:
    latest = charter.versions.order_by("-number").first()
    if (
        latest is not None
        and latest.proposed_at is None
        and latest.in_force_at is None
        and by is not None
        and latest.created_by_id == by.pk
        and latest.created_at >= timezone.now() - DRAFT_SITTING
    ):
        return latest
    return None


def _record_version(charter: Charter, *, by, summary: str) -> CharterVersion:
    """Snapshots the charter as it now stands, into the author's open draft if there is one.

    Caller holds the charter row locked.
    """
    charter.save(update_fields=["updated_at"])
    draft = _open_draft(charter, by)
    if draft is not None:
        draft.content = snapshot(charter)
        if summary not in draft.summary.split("; "):
            draft.summary = f"{draft.summary}; {summary}"[:300]
        draft.created_at = timezone.now()
        draft.save(update_fields=["content", "summary", "created_at"])
        return draft
    number = (charter.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return CharterVersion.objects.create(
        charter=charter,
        number=number,
        content=snapshot(charter),
        summary=summary[:300],
        created_by=by,
    )


def _refuse_if_stale(row, version: int | None, *, what: str, fields: tuple[str, ...]) -> None:
    """`row` as read under the charter's lock; `version` its revision when the edit was read."""
    if version is None or version == row.revision:
        return
    rows = []
    for name in fields:
        field = row._meta.get_field(name)
        display = getattr(row, f"get_{name}_display", None)
        value = display() if display else getattr(row, name)
        rows.append((str(field.verbose_name).capitalize(), "" if value is None else str(value)))
    raise StaleEdit(what, rows=rows, revision=row.revision)


def _locked(charter: Charter) -> Charter:
    # Versions are numbered per charter: lock the row so two saves cannot take the same number.
    return Charter.objects.select_for_update().get(pk=charter.pk)


# The charter --------------------------------------------------------------------------------


@transaction.atomic
def start_charter(*, network: Network, by, purpose: str = "", shared_values: str = "") -> Charter:
    require(policy.can_edit_charter(by, network))
    already = CharterExists(_("%(network)s already has a charter.") % {"network": network})
    if Charter.objects.filter(network=network).exists():
        raise already
    try:
        # Two co-leaders starting it at once both pass the check above; the one-to-one key lets
        # one in. The savepoint keeps the loser's transaction usable (PostgreSQL aborts it).
        with transaction.atomic():
            charter = Charter.objects.create(
                network=network,
                purpose=_text(purpose, name="purpose", limit=10000),
                shared_values=_text(shared_values, name="shared values", limit=10000),
            )
    except IntegrityError:
        raise already from None
    _record_version(charter, by=by, summary="Charter started")
    return charter


CHARTER_TEXTS = {"purpose": "purpose", "shared_values": "shared values"}


@transaction.atomic
def update_charter(*, charter: Charter, by, version: int | None = None, **texts) -> CharterVersion:
    """Saves the purpose and/or shared values given in `texts`, and nothing else: a field not
    given keeps what the locked row holds, never a copy read before the lock.

    `version` is the charter's `revision` when the edit was read; if it was saved since, the
    edit is refused (`StaleCharter`, with the charter as it now stands).
    """
    unknown = set(texts) - set(CHARTER_TEXTS)
    if unknown:
        raise TypeError(f"update_charter() got unexpected fields: {', '.join(sorted(unknown))}")
    require(policy.can_edit_charter(by, charter.network))
    cleaned = {
        name: _text(value, name=CHARTER_TEXTS[name], limit=10000) for name, value in texts.items()
    }
    charter = _locked(charter)
    if version is not None and version != charter.revision:
        raise StaleCharter(charter)
    for name, value in cleaned.items():
        setattr(charter, name, value)
    charter.revision += 1
    charter.save(update_fields=[*cleaned, "revision"])
    return _record_version(charter, by=by, summary="Purpose and shared values changed")


# Learning foci ------------------------------------------------------------------------------


def _lead_group(network: Network, lead_group: Group | None) -> Group | None:
    if lead_group is not None and lead_group.network_id != network.pk:
        raise CharterError(_("The group that leads a focus must be one of the network's groups."))
    return lead_group


def _focus_values(values: dict) -> dict:
    cleaned = {}
    for name in FOCUS_FIELDS:
        limit = LearningFocus._meta.get_field(name).max_length or 10000
        cleaned[name] = _text(values.get(name, ""), limit=limit, name=name.replace("_", " "))
    if not cleaned["title"]:
        raise CharterError(_("Give the focus a title."))
    return cleaned


@transaction.atomic
def add_focus(*, charter: Charter, by, lead_group: Group | None = None, **values) -> LearningFocus:
    require(policy.can_edit_charter(by, charter.network))
    charter = _locked(charter)
    cleaned = _focus_values(values)
    position = (charter.foci.aggregate(top=Max("position"))["top"] or 0) + 1
    focus = LearningFocus.objects.create(
        charter=charter,
        lead_group=_lead_group(charter.network, lead_group),
        position=position,
        **cleaned,
    )
    _record_version(charter, by=by, summary=f"Focus added: {focus.title}")
    return focus


@transaction.atomic
def update_focus(
    *,
    focus: LearningFocus,
    by,
    lead_group: Group | None = None,
    version: int | None = None,
    **values,
) -> LearningFocus:
    """`version` is the focus's `revision` when the edit was read: a save made since refuses
    this one (`StaleEdit`)."""
    charter = focus.charter
    require(policy.can_edit_charter(by, charter.network))
    charter = _locked(charter)
    cleaned = _focus_values(values)
    focus.refresh_from_db(fields=[*FOCUS_FIELDS, "lead_group", "revision"])
    _refuse_if_stale(focus, version, what="focus", fields=(*FOCUS_FIELDS, "lead_group"))
    for name, value in cleaned.items():
        setattr(focus, name, value)
    focus.lead_group = _lead_group(charter.network, lead_group)
    focus.revision += 1
    # Only the fields edited: a focus dropped meanwhile stays dropped.
    focus.save(update_fields=[*cleaned, "lead_group", "revision"])
    _record_version(charter, by=by, summary=f"Focus changed: {focus.title}")
    return focus


@transaction.atomic
def drop_focus(*, focus: LearningFocus, by, reason: str) -> Digression:
    charter = focus.charter
    require(policy.can_edit_charter(by, charter.network))
    reason = _text(reason, name="reason", limit=5000)
    if not reason:
        raise ReasonRequired(
            _("Say why the focus is dropped: the charter records it as a digression.")
        )
    charter = _locked(charter)
    focus.dropped_at = timezone.now()
    focus.save(update_fields=["dropped_at"])
    version = _record_version(charter, by=by, summary=f"Focus dropped: {focus.title}")
    return Digression.objects.create(
        charter=charter,
        kind=DigressionKind.FOCUS_DROPPED,
        focus=focus,
        what=focus.title[:300],
        reason=reason,
        version=version,
        recorded_by=by,
    )


# Goals --------------------------------------------------------------------------------------


def _number(value, name: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidGoal(
            _("The %(name)s must be a number, such as 64 or 2.5.") % {"name": name}
        ) from None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        raise InvalidGoal(
            _("The %(name)s must be a number between −999,999,999 and 999,999,999.")
            % {"name": name}
        )
    return number.quantize(Decimal("0.001"))


def _goal_terms(*, measure, unit, baseline_value, baseline_date, target_value, target_date) -> dict:
    measure = _text(measure, name="measure", limit=300)
    unit = _text(unit, name="unit", limit=40)
    if not measure:
        raise InvalidGoal(_("Say what the goal measures."))
    if not unit:
        raise InvalidGoal(_("Give the unit of the measure, such as “% of pupils” or “points”."))
    if not isinstance(baseline_date, datetime.date) or not isinstance(target_date, datetime.date):
        raise InvalidGoal(_("Give the baseline date and the target date as dates."))
    if target_date <= baseline_date:
        raise InvalidGoal(_("The target date must come after the baseline date."))
    baseline_value = _number(baseline_value, "baseline value")
    target_value = _number(target_value, "target value")
    if target_value == baseline_value:
        raise InvalidGoal(
            _(
                "The target equals the baseline, so the goal measures no change: give a target "
                "above or below the baseline."
            )
        )
    return {
        "measure": measure,
        "unit": unit,
        "baseline_value": baseline_value,
        "baseline_date": baseline_date,
        "target_value": target_value,
        "target_date": target_date,
    }


@transaction.atomic
def add_goal(
    *,
    focus: LearningFocus,
    by,
    measure: str,
    unit: str,
    baseline_value,
    baseline_date: datetime.date,
    target_value,
    target_date: datetime.date,
    source: str = GoalSource.MANUAL,
    source_note: str = "",
) -> Goal:
    charter = focus.charter
    require(policy.can_edit_charter(by, charter.network))
    terms = _goal_terms(
        measure=measure,
        unit=unit,
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=target_date,
    )
    if focus.dropped_at is not None:
        raise CharterError(_("This focus has been dropped from the charter."))
    charter = _locked(charter)
    goal = Goal.objects.create(
        focus=focus,
        source=source if source in GoalSource.values else GoalSource.MANUAL,
        source_note=_text(source_note, name="source", limit=300),
        **terms,
    )
    _record_version(charter, by=by, summary=f"Goal added: {goal.measure}")
    return goal


@transaction.atomic
def update_goal(
    *,
    goal: Goal,
    by,
    reason: str = "",
    measure: str,
    unit: str,
    baseline_value,
    baseline_date: datetime.date,
    target_value,
    target_date: datetime.date,
    source: str = GoalSource.MANUAL,
    source_note: str = "",
    version: int | None = None,
) -> Goal:
    """Changes a goal. Changing what it promises (measure, unit, baseline or target) is a
    digression: it needs a reason, which the charter keeps. `version` is the goal's `revision`
    when the edit was read: a save made since refuses this one (`StaleEdit`)."""
    charter = goal.focus.charter
    require(policy.can_edit_charter(by, charter.network))
    terms = _goal_terms(
        measure=measure,
        unit=unit,
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=target_date,
    )
    charter = _locked(charter)
    # What the goal promised is read under the lock: a change saved meanwhile is the "before".
    goal.refresh_from_db(fields=[*GOAL_TERMS, "source", "source_note", "dropped_at", "revision"])
    _refuse_if_stale(goal, version, what="goal", fields=(*GOAL_TERMS, "source", "source_note"))
    changed = [name for name in GOAL_TERMS if getattr(goal, name) != terms[name]]
    reason = _text(reason, name="reason", limit=5000)
    if changed and not reason:
        raise ReasonRequired(
            _(
                "Say why the goal changes: the charter keeps the original as a marker against "
                "which "
                "to chart digressions."
            )
        )
    before = f"{goal.measure} ({goal.unit}): {goal.baseline_value} → {goal.target_value}"
    for name, value in terms.items():
        setattr(goal, name, value)
    goal.source = source if source in GoalSource.values else GoalSource.MANUAL
    goal.source_note = _text(source_note, name="source", limit=300)
    goal.revision += 1
    # Only the fields edited: a goal dropped meanwhile stays dropped.
    goal.save(update_fields=[*terms, "source", "source_note", "revision"])
    version = _record_version(charter, by=by, summary=f"Goal changed: {goal.measure}")
    if changed:
        Digression.objects.create(
            charter=charter,
            kind=DigressionKind.GOAL_CHANGED,
            goal=goal,
            focus=goal.focus,
            what=f"Was: {before}"[:300],
            reason=reason,
            version=version,
            recorded_by=by,
        )
    return goal


@transaction.atomic
def drop_goal(*, goal: Goal, by, reason: str) -> Digression:
    charter = goal.focus.charter
    require(policy.can_edit_charter(by, charter.network))
    reason = _text(reason, name="reason", limit=5000)
    if not reason:
        raise ReasonRequired(
            _("Say why the goal is dropped: the charter records it as a digression.")
        )
    charter = _locked(charter)
    goal.dropped_at = timezone.now()
    goal.save(update_fields=["dropped_at"])
    version = _record_version(charter, by=by, summary=f"Goal dropped: {goal.measure}")
    return Digression.objects.create(
        charter=charter,
        kind=DigressionKind.GOAL_DROPPED,
        goal=goal,
        focus=goal.focus,
        what=goal.measure[:300],
        reason=reason,
        version=version,
        recorded_by=by,
    )


@transaction.atomic
def record_progress(
    *,
    goal: Goal,
    by,
    measured_on: datetime.date,
    value,
    note: str = "",
    evidence=None,
) -> ProgressEntry:
    require(policy.can_record_progress(by, goal.focus.charter.network))
    if goal.dropped_at is not None:
        raise InvalidProgress(_("This goal has been dropped from the charter."))
    if not isinstance(measured_on, datetime.date):
        raise InvalidProgress(_("Give the date of the measurement."))
    if measured_on < goal.baseline_date:
        raise InvalidProgress(_("Progress is measured after the baseline date."))
    if measured_on > timezone.localdate():
        raise InvalidProgress(_("A measurement cannot be dated in the future."))
    try:
        value = _number(value, "value")
    except InvalidGoal as error:
        raise InvalidProgress(str(error)) from None
    if evidence is not None and evidence.size > MAX_EVIDENCE_BYTES:
        raise InvalidProgress(
            _("The evidence file is larger than %(value)s MB.")
            % {"value": MAX_EVIDENCE_BYTES // MEGABYTE}
        )
    entry = ProgressEntry(
        goal=goal,
        measured_on=measured_on,
        value=value,
        note=_text(note, name="note", limit=5000),
        recorded_by=by,
    )
    if evidence is not None:
        entry.evidence_name = _text(evidence.name, limit=200, name="file name")[:200]
        entry.evidence = evidence
    entry.save()
    return entry


@transaction.atomic
def record_measured_progress(*, goal: Goal, measured_on: datetime.date, value, note: str):
    """Progress from imported data (the impact app), one entry per goal and date: importing the
    same figures again updates it. The caller has checked that the importer may import data."""
    value = _number(value, "value")
    entry = goal.progress.filter(measured_on=measured_on, recorded_by__isnull=True).first()
    if entry is None:
        return ProgressEntry.objects.create(
            goal=goal, measured_on=measured_on, value=value, note=note[:5000]
        )
    entry.value, entry.note = value, note[:5000]
    entry.save(update_fields=["value", "note"])
    return entry


def withdraw_measured_progress(*, goal: Goal, measured_on: datetime.date) -> int:
    """Removes the progress the impact app recorded for a date, when its figure may no longer be
    published (disclosure control); entries people recorded stay. Returns entries removed."""
    removed, _ = goal.progress.filter(measured_on=measured_on, recorded_by__isnull=True).delete()
    return removed


@transaction.atomic
def mark_goal_source(*, goal: Goal, from_data: bool, note: str) -> Goal:
    """Says where a goal's figures come from (the impact app links it to a measure). The
    caller has checked that the person may edit the charter; not a change of the goal's terms."""
    goal.source = GoalSource.IMPACT if from_data else GoalSource.MANUAL
    goal.source_note = note[:300]
    goal.save(update_fields=["source", "source_note"])
    return goal


# Commitments --------------------------------------------------------------------------------


def _commitment_values(*, text, binds, how_checked, kind, attendance_threshold) -> dict:
    text = _text(text, name="commitment", limit=5000)
    binds = _text(binds, name="“whom it binds”", limit=200)
    if not text:
        raise CharterError(_("Write the commitment."))
    if not binds:
        raise CharterError(_("Say whom the commitment binds."))
    if kind not in CommitmentKind.values:
        raise CharterError(_("Choose the kind of commitment."))
    if kind == CommitmentKind.ATTENDANCE:
        if attendance_threshold is None or not 1 <= attendance_threshold <= 100:
            raise CharterError(_("An attendance commitment needs a threshold between 1 and 100%."))
    else:
        attendance_threshold = None
    return {
        "text": text,
        "binds": binds,
        "how_checked": _text(how_checked, name="“how it is checked”", limit=5000),
        "kind": kind,
        "attendance_threshold": attendance_threshold,
    }


@transaction.atomic
def add_commitment(
    *,
    charter: Charter,
    by,
    text: str,
    binds: str,
    how_checked: str = "",
    kind: str = CommitmentKind.GENERAL,
    attendance_threshold: int | None = None,
) -> Commitment:
    require(policy.can_edit_charter(by, charter.network))
    values = _commitment_values(
        text=text,
        binds=binds,
        how_checked=how_checked,
        kind=kind,
        attendance_threshold=attendance_threshold,
    )
    charter = _locked(charter)
    commitment = Commitment.objects.create(charter=charter, **values)
    _record_version(charter, by=by, summary="Commitment added")
    return commitment


@transaction.atomic
def update_commitment(
    *,
    commitment: Commitment,
    by,
    text: str,
    binds: str,
    how_checked: str = "",
    kind: str = CommitmentKind.GENERAL,
    attendance_threshold: int | None = None,
    version: int | None = None,
) -> Commitment:
    """`version` is the commitment's `revision` when the edit was read: a save made since
    refuses this one (`StaleEdit`)."""
    charter = commitment.charter
    require(policy.can_edit_charter(by, charter.network))
    values = _commitment_values(
        text=text,
        binds=binds,
        how_checked=how_checked,
        kind=kind,
        attendance_threshold=attendance_threshold,
    )
    charter = _locked(charter)
    current = Commitment.objects.filter(pk=commitment.pk).first()
    if current is None:
        raise CharterError(_("That commitment was removed while you were changing it."))
    _refuse_if_stale(current, version, what="commitment", fields=tuple(values))
    for name, value in values.items():
        setattr(commitment, name, value)
    commitment.revision = current.revision + 1
    commitment.save(update_fields=[*values, "revision"])
    _record_version(charter, by=by, summary="Commitment changed")
    return commitment


@transaction.atomic
def remove_commitment(*, commitment: Commitment, by) -> CharterVersion:
    charter = commitment.charter
    require(policy.can_edit_charter(by, charter.network))
    charter = _locked(charter)
    commitment.delete()
    return _record_version(charter, by=by, summary="Commitment removed")


# Proposal and sign-off ----------------------------------------------------------------------


@transaction.atomic
def propose_version(*, version: CharterVersion, by) -> CharterVersion:
    """Opens a version for sign-off. An earlier open proposal is withdrawn: one at a time."""
    charter = _locked(version.charter)
    require(policy.can_propose(by, charter.network))
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if version.in_force_at is not None:
        raise CharterError(_("%(version)s has already come into force.") % {"version": version})
    if version.is_open_proposal:
        raise CharterError(
            _("%(version)s is already proposed for adoption.") % {"version": version}
        )
    now = timezone.now()
    charter.versions.filter(
        proposed_at__isnull=False, withdrawn_at__isnull=True, in_force_at__isnull=True
    ).update(withdrawn_at=now)
    version.proposed_at = now
    version.proposed_by = by
    version.withdrawn_at = None
    version.save(update_fields=["proposed_at", "proposed_by", "withdrawn_at"])
    network = charter.network
    # Who must act: the lead of each school whose sign-off the version needs.
    leads = account_selectors.people().filter(
        pk__in=network_selectors.school_lead_ids(
            school_ids=network_selectors.member_school_ids(network=network)
        )
    )
    notifications.notify_on_commit(
        recipients=leads,
        kind=NotificationKind.CHARTER_PROPOSED,
        text=f"{version} of the charter of {network} awaits your school's sign-off",
        url=reverse("charter:version", args=[network.slug, version.pk]),
        exclude=by,
    )
    return version


def schools_to_sign(network: Network):
    """The schools whose sign-off a proposal needs: the network's current member schools."""
    return network_selectors.schools_in_network(network=network)


@transaction.atomic
def sign_off(*, version: CharterVersion, school: School, by) -> SignOff:
    """A school's lead signs a proposed version off for their school.

    The rule for coming into force: a proposed version comes into force when every school that is
    a member of the network today has signed it off. It replaces the version in force before it.
    """
    charter = _locked(version.charter)
    network = charter.network
    require(policy.can_sign_off(by, network, school))
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_open_proposal:
        raise NotProposed(_("%(version)s is not open for sign-off.") % {"version": version})
    required = set(schools_to_sign(network).values_list("pk", flat=True))
    if school.pk not in required:
        raise CannotSignOff(
            _("%(school)s is not a member school of %(network)s.")
            % {"school": school, "network": network}
        )
    if version.sign_offs.filter(school=school).exists():
        raise AlreadySignedOff(
            _("%(school)s has already signed off %(version)s.")
            % {"school": school, "version": version}
        )
    signed = SignOff.objects.create(version=version, school=school, signed_by=by)
    signed_ids = set(version.sign_offs.values_list("school_id", flat=True))
    if required <= signed_ids:
        version.in_force_at = timezone.now()
        version.save(update_fields=["in_force_at"])
        charter.in_force = version
        charter.save(update_fields=["in_force"])
        signatory_ids = version.sign_offs.values("signed_by_id")
        told = account_selectors.people().filter(
            Q(pk=version.proposed_by_id) | Q(pk__in=signatory_ids)
        )
        notifications.notify_on_commit(
            recipients=told,
            kind=NotificationKind.CHARTER_ADOPTED,
            text=f"{version} of the charter of {network} is adopted: every school signed it off",
            url=reverse("charter:version", args=[network.slug, version.pk]),
            exclude=by,
        )
    return signed


def require_charter(network: Network) -> Charter:
    charter = Charter.objects.filter(network=network).first()
    if charter is None:
        raise NoCharter(_("%(network)s has no charter yet.") % {"network": network})
    return charter
