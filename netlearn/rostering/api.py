"""The rostering part of the JSON API: a school lead imports the school's OneRoster bundle.

POST /api/v1/schools/{school_id}/roster, multipart, the .zip as `file` and, when the bundle's
schools do not show which one this is, `org_id`. A refusal answers 400 with every problem, each
naming its file, row and column; the sign-in slips of new pupils are in the answer, once.
"""

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from netlearn.core.api import Detail, Id
from netlearn.networks import selectors as network_selectors

from . import services
from .errors import ChooseOrg, RosterRefused

router = Router(tags=["rostering"])


class SlipOut(Schema):
    username: str
    name: str
    year_group: int
    class_name: str
    password: str


class RosterResultOut(Schema):
    org_id: str
    org_name: str
    changed: bool
    staff_invited: int
    staff_linked: int
    staff_not_invited: int
    staff_ended: int
    pupils_created: int
    pupils_updated: int
    pupils_left: int
    unchanged: int
    slips: list[SlipOut]


class ProblemOut(Schema):
    file: str | None
    row: int | None
    column: str | None
    message: str


class OrgOut(Schema):
    org_id: str
    name: str
    identifier: str


class RosterRefusedOut(Schema):
    detail: str
    problems: list[ProblemOut]
    orgs: list[OrgOut]


@router.post(
    "/schools/{school_id}/roster",
    response={200: RosterResultOut, 400: RosterRefusedOut, 403: Detail, 404: Detail},
)
def import_roster(
    request, school_id: Id, file: File[UploadedFile], org_id: Form[str | None] = None
):
    school = network_selectors.school_for(viewer=request.user, school_id=school_id)
    try:
        result = services.import_roster(
            school=school, by=request.user, file=file, org_id=(org_id or "")[:255] or None
        )
    except RosterRefused as refused:
        problems = [
            {
                "file": getattr(problem, "file", None),
                "row": problem.row,
                "column": problem.column,
                "message": problem.message,
            }
            for problem in refused.problems
        ]
        return Status(400, {"detail": str(refused), "problems": problems, "orgs": []})
    except ChooseOrg as choose:
        orgs = [
            {"org_id": source_id, "name": name, "identifier": identifier}
            for source_id, name, identifier in choose.orgs
        ]
        return Status(400, {"detail": str(choose), "problems": [], "orgs": orgs})
    return {
        "org_id": result.org.source_id,
        "org_name": result.org.name,
        "changed": result.changed,
        **{
            name: getattr(result, name)
            for name in (
                "staff_invited",
                "staff_linked",
                "staff_not_invited",
                "staff_ended",
                "pupils_created",
                "pupils_updated",
                "pupils_left",
                "unchanged",
            )
        },
        "slips": [
            {
                "username": slip.person.username,
                "name": slip.person.name,
                "year_group": slip.year_group,
                "class_name": slip.class_name,
                "password": slip.password,
            }
            for slip in result.slips
        ],
    }
