"""The charter part of the JSON API: read for members, write for co-leaders, through the policy.

Reads go through selectors scoped to the viewer (another network's charter answers 404); writes go
through services, which check the policy (403) and the charter's rules (400).
"""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages, Text
from netlearn.networks import selectors as network_selectors

from . import policy, selectors, services, trajectory
from .models import CommitmentKind, GoalSource

router = Router(tags=["charter"])

Value = Decimal


def _viewer(request):
    return request.auth


def _charter(request, slug: str):
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    return network, selectors.charter_for(viewer=viewer, network=network)


# Schemas ------------------------------------------------------------------------------------


class VersionRef(Schema):
    id: int
    number: int
    in_force_at: datetime.datetime | None


class CharterOut(Schema):
    network: str
    purpose: str
    shared_values: str
    in_force: VersionRef | None
    latest_version: int
    version: int = Field(
        ...,
        description="How many times the purpose and shared values were saved. Send it back in "
        "a PATCH to have the change refused (409) if someone saved them since.",
    )
    focus_word: str
    can_edit: bool


class CharterPatch(Schema):
    purpose: Text = Field(None, max_length=10000)
    shared_values: Text = Field(None, max_length=10000)
    version: int | None = Field(
        None, ge=0, description="The `version` read: answers 409 if the charter changed since."
    )


class CheckOut(Schema):
    criterion: str
    passed: bool
    missing: str
    why: str
    rule: str


class FocusOut(Schema):
    id: int
    title: str
    description: str
    pupils: str
    pupil_groups: str
    visible_when_achieved: str
    adult_learning_link: str
    lead_group_id: Id | None
    lead_group: str | None
    version: int = Field(
        ...,
        validation_alias="revision",
        description="How many times it was saved. Send it back in a PUT to have the change "
        "refused (409) if someone saved it since.",
    )

    @staticmethod
    def resolve_lead_group(focus) -> str | None:
        return focus.lead_group.name if focus.lead_group else None


class FocusDetailOut(FocusOut):
    checks: list[CheckOut]


class FocusIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    description: Text = Field("", max_length=10000)
    pupils: Text = Field("", max_length=300)
    pupil_groups: Text = Field("", max_length=300)
    visible_when_achieved: Text = Field("", max_length=10000)
    adult_learning_link: Text = Field("", max_length=10000)
    lead_group_id: Id | None = None


class GoalOut(Schema):
    id: int
    focus_id: Id
    version: int = Field(
        ...,
        validation_alias="revision",
        description="How many times it was saved. Send it back in a PUT to have the change "
        "refused (409) if someone saved it since.",
    )
    measure: str
    unit: str
    baseline_value: Decimal
    baseline_date: datetime.date
    target_value: Decimal
    target_date: datetime.date
    source: GoalSource
    source_note: str
    status: str
    status_rule: str = trajectory.RULE

    @staticmethod
    def resolve_status(goal) -> str:
        return trajectory.status(goal, goal.progress.all()).key


class GoalIn(Schema):
    measure: Text = Field(..., min_length=1, max_length=300)
    unit: Text = Field(..., min_length=1, max_length=40)
    baseline_value: Decimal = Field(..., ge=-999_999_999, le=999_999_999, decimal_places=3)
    baseline_date: datetime.date
    target_value: Decimal = Field(..., ge=-999_999_999, le=999_999_999, decimal_places=3)
    target_date: datetime.date
    source: GoalSource = GoalSource.MANUAL
    source_note: Text = Field("", max_length=300)


class FocusChangeIn(FocusIn):
    version: int | None = Field(
        None, ge=0, description="The `version` read: answers 409 if it was saved since."
    )


class GoalChangeIn(GoalIn):
    reason: Text = Field("", max_length=5000)
    version: int | None = Field(
        None, ge=0, description="The `version` read: answers 409 if it was saved since."
    )


class ProgressOut(Schema):
    id: int
    measured_on: datetime.date
    value: Decimal
    note: str
    has_evidence: bool

    @staticmethod
    def resolve_has_evidence(entry) -> bool:
        return bool(entry.evidence)


class ProgressIn(Schema):
    measured_on: datetime.date
    value: Decimal = Field(..., ge=-999_999_999, le=999_999_999, decimal_places=3)
    note: Text = Field("", max_length=5000)


class CommitmentOut(Schema):
    id: int
    text: str
    binds: str
    how_checked: str
    kind: CommitmentKind
    attendance_threshold: int | None
    version: int = Field(
        ...,
        validation_alias="revision",
        description="How many times it was saved. Send it back in a PUT to have the change "
        "refused (409) if someone saved it since.",
    )


class CommitmentIn(Schema):
    text: Text = Field(..., min_length=1, max_length=5000)
    binds: Text = Field(..., min_length=1, max_length=200)
    how_checked: Text = Field("", max_length=5000)
    kind: CommitmentKind = CommitmentKind.GENERAL
    attendance_threshold: int | None = Field(None, ge=1, le=100)


class CommitmentChangeIn(CommitmentIn):
    version: int | None = Field(
        None, ge=0, description="The `version` read: answers 409 if it was saved since."
    )


class VersionOut(Schema):
    id: int
    number: int
    summary: str
    created_at: datetime.datetime
    proposed_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    in_force_at: datetime.datetime | None


class SignOffOut(Schema):
    school_id: Id
    school: str
    is_member: bool
    leads: list[str]
    signed_by: str | None
    signed_at: datetime.datetime | None


class VersionDetailOut(VersionOut):
    content: dict
    sign_offs: list[SignOffOut]


class SignOffIn(Schema):
    school_id: Id


# The charter --------------------------------------------------------------------------------


def _charter_out(request, network, charter):
    latest = selectors.versions_of(charter=charter).first()
    return {
        "network": network.slug,
        "purpose": charter.purpose,
        "shared_values": charter.shared_values,
        "in_force": charter.in_force,
        "latest_version": latest.number if latest else 0,
        "version": charter.revision,
        "focus_word": "achievement challenge" if network.country == "NZ" else "learning focus",
        "can_edit": policy.can_edit_charter(_viewer(request), network),
    }


@router.get("/networks/{slug:slug}/charter", response=CharterOut)
def get_charter(request, slug: str):
    network, charter = _charter(request, slug)
    return _charter_out(request, network, charter)


@router.patch("/networks/{slug:slug}/charter", response=CharterOut)
def update_charter(request, slug: str, payload: CharterPatch):
    network, charter = _charter(request, slug)
    # Only the fields sent change; the others keep what the locked row holds, so concurrent
    # patches of different fields both stand.
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    saved = services.update_charter(
        charter=charter, by=_viewer(request), version=version, **changes
    ).charter
    # The charter as this request saved it, with its version: what a later PATCH may send back.
    return _charter_out(request, network, saved)


# Foci ---------------------------------------------------------------------------------------


def _focus_detail(focus):
    results = selectors.focus_view(focus).checks
    focus.checks = [
        {
            "criterion": result.criterion.quote,
            "passed": result.passed,
            "missing": "" if result.passed else result.missing,
            "why": result.criterion.why,
            "rule": result.criterion.rule,
        }
        for result in results
    ]
    return focus


def _lead_group(network, lead_group_id):
    if lead_group_id is None:
        return None
    return network_selectors.group_of(network=network, group_id=lead_group_id)


@router.get("/networks/{slug:slug}/charter/foci", response=list[FocusOut])
@paginate(Pages)
def list_foci(request, slug: str):
    network, charter = _charter(request, slug)
    return selectors.foci_of(charter=charter)


@router.post("/networks/{slug:slug}/charter/foci", response={201: FocusDetailOut})
def add_focus(request, slug: str, payload: FocusIn):
    network, charter = _charter(request, slug)
    values = payload.dict(exclude={"lead_group_id"})
    focus = services.add_focus(
        charter=charter,
        by=_viewer(request),
        lead_group=_lead_group(network, payload.lead_group_id),
        **values,
    )
    return Status(201, _focus_detail(focus))


@router.get("/networks/{slug:slug}/charter/foci/{focus_id}", response=FocusDetailOut)
def get_focus(request, slug: str, focus_id: int):
    network, charter = _charter(request, slug)
    focus = selectors.focus_for(viewer=_viewer(request), charter=charter, focus_id=focus_id)
    return _focus_detail(focus)


@router.put("/networks/{slug:slug}/charter/foci/{focus_id}", response=FocusDetailOut)
def update_focus(request, slug: str, focus_id: int, payload: FocusChangeIn):
    network, charter = _charter(request, slug)
    focus = selectors.focus_for(viewer=_viewer(request), charter=charter, focus_id=focus_id)
    values = payload.dict(exclude={"lead_group_id"})
    focus = services.update_focus(
        focus=focus,
        by=_viewer(request),
        lead_group=_lead_group(network, payload.lead_group_id),
        **values,
    )
    return _focus_detail(
        selectors.focus_for(viewer=_viewer(request), charter=charter, focus_id=focus.pk)
    )


# Goals --------------------------------------------------------------------------------------


@router.get("/networks/{slug:slug}/charter/foci/{focus_id}/goals", response=list[GoalOut])
@paginate(Pages)
def list_goals(request, slug: str, focus_id: int):
    network, charter = _charter(request, slug)
    focus = selectors.focus_for(viewer=_viewer(request), charter=charter, focus_id=focus_id)
    return selectors.goals_of(focus=focus)


@router.post("/networks/{slug:slug}/charter/foci/{focus_id}/goals", response={201: GoalOut})
def add_goal(request, slug: str, focus_id: int, payload: GoalIn):
    network, charter = _charter(request, slug)
    focus = selectors.focus_for(viewer=_viewer(request), charter=charter, focus_id=focus_id)
    goal = services.add_goal(focus=focus, by=_viewer(request), **payload.dict())
    return Status(201, goal)


@router.get("/networks/{slug:slug}/charter/goals/{goal_id}", response=GoalOut)
def get_goal(request, slug: str, goal_id: int):
    network, charter = _charter(request, slug)
    return selectors.goal_for(viewer=_viewer(request), charter=charter, goal_id=goal_id)


@router.put("/networks/{slug:slug}/charter/goals/{goal_id}", response=GoalOut)
def update_goal(request, slug: str, goal_id: int, payload: GoalChangeIn):
    network, charter = _charter(request, slug)
    goal = selectors.goal_for(viewer=_viewer(request), charter=charter, goal_id=goal_id)
    services.update_goal(goal=goal, by=_viewer(request), **payload.dict())
    return selectors.goal_for(viewer=_viewer(request), charter=charter, goal_id=goal_id)


@router.get("/networks/{slug:slug}/charter/goals/{goal_id}/progress", response=list[ProgressOut])
@paginate(Pages)
def list_progress(request, slug: str, goal_id: int):
    network, charter = _charter(request, slug)
    goal = selectors.goal_for(viewer=_viewer(request), charter=charter, goal_id=goal_id)
    return selectors.progress_of(goal=goal)


@router.post("/networks/{slug:slug}/charter/goals/{goal_id}/progress", response={201: ProgressOut})
def record_progress(request, slug: str, goal_id: int, payload: ProgressIn):
    network, charter = _charter(request, slug)
    goal = selectors.goal_for(viewer=_viewer(request), charter=charter, goal_id=goal_id)
    entry = services.record_progress(goal=goal, by=_viewer(request), **payload.dict())
    return Status(201, entry)


# Commitments --------------------------------------------------------------------------------


@router.get("/networks/{slug:slug}/charter/commitments", response=list[CommitmentOut])
@paginate(Pages)
def list_commitments(request, slug: str):
    network, charter = _charter(request, slug)
    return selectors.commitments_of(charter=charter)


@router.post("/networks/{slug:slug}/charter/commitments", response={201: CommitmentOut})
def add_commitment(request, slug: str, payload: CommitmentIn):
    network, charter = _charter(request, slug)
    commitment = services.add_commitment(charter=charter, by=_viewer(request), **payload.dict())
    return Status(201, commitment)


@router.get("/networks/{slug:slug}/charter/commitments/{commitment_id}", response=CommitmentOut)
def get_commitment(request, slug: str, commitment_id: int):
    network, charter = _charter(request, slug)
    return selectors.commitment_for(
        viewer=_viewer(request), charter=charter, commitment_id=commitment_id
    )


@router.put("/networks/{slug:slug}/charter/commitments/{commitment_id}", response=CommitmentOut)
def update_commitment(request, slug: str, commitment_id: int, payload: CommitmentChangeIn):
    network, charter = _charter(request, slug)
    commitment = selectors.commitment_for(
        viewer=_viewer(request), charter=charter, commitment_id=commitment_id
    )
    return services.update_commitment(commitment=commitment, by=_viewer(request), **payload.dict())


# Versions and sign-off ----------------------------------------------------------------------


def _version_detail(request, version):
    rows = selectors.sign_off_table(viewer=_viewer(request), version=version)
    version.sign_offs_list = [
        {
            "school_id": row.school.pk,
            "school": row.school.name,
            "is_member": row.is_member,
            "leads": [lead.name for lead in row.leads],
            "signed_by": row.sign_off.signed_by.name
            if row.sign_off and row.sign_off.signed_by
            else None,
            "signed_at": row.sign_off.signed_at if row.sign_off else None,
        }
        for row in rows
    ]
    return version


class VersionDetail(VersionDetailOut):
    @staticmethod
    def resolve_sign_offs(version) -> list:
        return version.sign_offs_list


@router.get("/networks/{slug:slug}/charter/versions", response=list[VersionOut])
@paginate(Pages)
def list_versions(request, slug: str):
    network, charter = _charter(request, slug)
    return selectors.versions_of(charter=charter)


@router.get("/networks/{slug:slug}/charter/versions/{version_id}", response=VersionDetail)
def get_version(request, slug: str, version_id: int):
    network, charter = _charter(request, slug)
    version = selectors.version_for(viewer=_viewer(request), charter=charter, version_id=version_id)
    return _version_detail(request, version)


@router.post("/networks/{slug:slug}/charter/versions/{version_id}/propose", response=VersionDetail)
def propose_version(request, slug: str, version_id: int):
    network, charter = _charter(request, slug)
    version = selectors.version_for(viewer=_viewer(request), charter=charter, version_id=version_id)
    version = services.propose_version(version=version, by=_viewer(request))
    return _version_detail(request, version)


@router.post(
    "/networks/{slug:slug}/charter/versions/{version_id}/sign-offs",
    response={201: VersionDetail},
)
def sign_off(request, slug: str, version_id: int, payload: SignOffIn):
    network, charter = _charter(request, slug)
    viewer = _viewer(request)
    version = selectors.version_for(viewer=viewer, charter=charter, version_id=version_id)
    school = get_object_or_404(services.schools_to_sign(network), pk=payload.school_id)
    services.sign_off(version=version, school=school, by=viewer)
    version.refresh_from_db()
    return Status(201, _version_detail(request, version))
