"""Progress reports and writing-day compilations in the JSON API.

Reads go through the same selectors as the pages (a draft, or another network's report, answers
404 to whoever may not see it); writes through the services, which check the policy (403) and the
reports' rules (400, or 409 for a version that is not open). A report's contents are the same data
the page, the PDF and the XLSX render: tables whose cells are the figures as shown.
"""

import datetime
from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages
from netlearn.enquiry import selectors as enquiry_selectors
from netlearn.enquiry import services as enquiry_services

from . import documents, policy, selectors, services
from .models import PeriodKind

router = Router(tags=["reports"])
Narrative = Annotated[str, Field(max_length=services.NARRATIVE_LIMIT, pattern=r"^[^\x00]*$")]
Title = Annotated[str, Field(min_length=1, max_length=services.TITLE_LIMIT, pattern=r"^[^\x00]*$")]
VersionNumber = Annotated[int, Field(ge=1, le=1_000_000)]

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The document as a tagged PDF (PDF/UA-1).",
            "content": {documents.PDF_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
XLSX_RESPONSE = {
    "responses": {
        200: {
            "description": "The report's tables, one sheet each.",
            "content": {documents.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class ProgressReportOut(Schema):
    id: int
    title: str
    period_kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    published_at: datetime.datetime | None


class ReportVersionOut(Schema):
    number: int
    status: str
    submitted_at: datetime.datetime | None
    published_at: datetime.datetime | None


class ReportTableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    empty: str


class ReportSectionOut(Schema):
    key: str
    title: str
    paragraphs: list[str]
    items: list[str]
    tables: list[ReportTableOut]


class ReportNarrativeOut(Schema):
    summary: str
    highlights: str
    challenges: str
    next_steps: str


class ProgressReportDetailOut(ProgressReportOut):
    version: ReportVersionOut
    versions: list[ReportVersionOut]
    narrative: ReportNarrativeOut
    sections: list[ReportSectionOut]


class ProgressReportIn(Schema):
    title: Title
    period_kind: Literal["term", "year", "years"]
    starts_on: datetime.date
    ends_on: datetime.date


class ReportNarrativeIn(Schema):
    summary: Narrative | None = None
    highlights: Narrative | None = None
    challenges: Narrative | None = None
    next_steps: Narrative | None = None


class CompiledAccountOut(Schema):
    id: int
    title: str
    question: str
    what_we_tried: str
    what_we_learned: str
    evidence: str
    what_others_could_try: str
    schools: list[str]


class WritingDayCompilationOut(Schema):
    writing_day_id: int
    title: str
    starts_at: datetime.datetime
    accounts: list[CompiledAccountOut]


def _network(request, slug: str):
    return selectors.network_for(viewer=request.auth, network_slug=slug)


def _report(request, slug: str, progress_report_id: int):
    network = _network(request, slug)
    return selectors.report_for(viewer=request.auth, network=network, report_id=progress_report_id)


def _report_out(report) -> dict:
    return {
        "id": report.pk,
        "title": report.title,
        "period_kind": report.period_kind,
        "starts_on": report.starts_on,
        "ends_on": report.ends_on,
        "published_at": report.published_at,
    }


def _version_out(version) -> dict:
    return {
        "number": version.number,
        "status": version.status,
        "submitted_at": version.submitted_at,
        "published_at": version.published_at,
    }


def _detail_out(request, report, number: int | None = None) -> dict:
    version = selectors.version_to_show(viewer=request.auth, report=report, number=number)
    document = selectors.document_of(viewer=request.auth, report=report, version=version)
    visible = selectors.versions_of(report=report)
    if not policy.can_draft(request.auth, report.network):
        visible = visible.filter(status="published")
    return {
        **_report_out(report),
        "version": _version_out(version),
        "versions": [_version_out(v) for v in visible],
        "narrative": {key: getattr(version, key) for key, _ in selectors.NARRATIVE},
        "sections": document.contents["sections"],
    }


@router.get("/networks/{slug:slug}/reports", response=list[ProgressReportOut])
@paginate(Pages)
def list_reports(request, slug: str):
    network = _network(request, slug)
    return [_report_out(r) for r in selectors.reports_for(viewer=request.auth, network=network)]


@router.post("/networks/{slug:slug}/reports", response={201: ProgressReportDetailOut})
def create_report(request, slug: str, payload: ProgressReportIn):
    """Starts a report (co-leaders and co-ordinators) with an empty draft as version 1."""
    network = _network(request, slug)
    report = services.create_report(
        network=network,
        by=request.auth,
        title=payload.title,
        period_kind=PeriodKind(payload.period_kind),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, _detail_out(request, _report(request, slug, report.pk)))


@router.get("/networks/{slug:slug}/reports/{progress_report_id}", response=ProgressReportDetailOut)
def get_report(request, slug: str, progress_report_id: Id, version: VersionNumber | None = None):
    """The report as the page shows it: the latest published version (or the numbered one);
    those who draft see the open version when none is published."""
    return _detail_out(request, _report(request, slug, progress_report_id), version)


@router.patch(
    "/networks/{slug:slug}/reports/{progress_report_id}/narrative", response=ProgressReportDetailOut
)
def edit_narrative(request, slug: str, progress_report_id: Id, payload: ReportNarrativeIn):
    """Rewrites the open version's narrative sections given (others are kept)."""
    report = _report(request, slug, progress_report_id)
    sections = {key: value for key, value in payload.dict().items() if value is not None}
    services.edit_narrative(report=report, by=request.auth, **sections)
    return _detail_out(request, _report(request, slug, progress_report_id))


@router.post(
    "/networks/{slug:slug}/reports/{progress_report_id}/submit", response=ProgressReportDetailOut
)
def submit_report(request, slug: str, progress_report_id: Id):
    report = _report(request, slug, progress_report_id)
    services.submit_for_review(report=report, by=request.auth)
    return _detail_out(request, _report(request, slug, progress_report_id))


@router.post(
    "/networks/{slug:slug}/reports/{progress_report_id}/publish", response=ProgressReportDetailOut
)
def publish_report(request, slug: str, progress_report_id: Id):
    """Publishes the version in review; its figures are stored as they stand now."""
    report = _report(request, slug, progress_report_id)
    services.publish_report(report=report, by=request.auth)
    return _detail_out(request, _report(request, slug, progress_report_id))


@router.post(
    "/networks/{slug:slug}/reports/{progress_report_id}/revise",
    response={201: ProgressReportDetailOut},
)
def revise_report(request, slug: str, progress_report_id: Id):
    """Opens the next version of a published report, its narrative copied from the latest."""
    report = _report(request, slug, progress_report_id)
    version = services.start_revision(report=report, by=request.auth)
    return Status(
        201, _detail_out(request, _report(request, slug, progress_report_id), version.number)
    )


@router.get("/networks/{slug:slug}/reports/{progress_report_id}/pdf", openapi_extra=PDF_RESPONSE)
def report_pdf(request, slug: str, progress_report_id: Id, version: VersionNumber | None = None):
    report = _report(request, slug, progress_report_id)
    shown = selectors.version_to_show(viewer=request.auth, report=report, number=version)
    document = selectors.document_of(viewer=request.auth, report=report, version=shown)
    pdf = documents.pdf_from_template(
        "reports/report_pdf.html",
        {"network": report.network, "report": report, "document": document},
    )
    return documents.pdf_response(pdf, filename=f"report-{report.pk}-v{shown.number}.pdf")


@router.get("/networks/{slug:slug}/reports/{progress_report_id}/xlsx", openapi_extra=XLSX_RESPONSE)
def report_xlsx(request, slug: str, progress_report_id: Id, version: VersionNumber | None = None):
    report = _report(request, slug, progress_report_id)
    shown = selectors.version_to_show(viewer=request.auth, report=report, number=version)
    document = selectors.document_of(viewer=request.auth, report=report, version=shown)
    return documents.xlsx_response(
        documents.report_xlsx(document), filename=f"report-{report.pk}-v{shown.number}.xlsx"
    )


class LinkAccountIn(Schema):
    account_id: Id


@router.post(
    "/networks/{slug:slug}/writing-days/{writing_day_id}/accounts",
    response=WritingDayCompilationOut,
)
def link_account(request, slug: str, writing_day_id: Id, payload: LinkAccountIn):
    """Files an account the viewer may edit under the writing day it was written at; it joins
    the compilation once published."""
    network = _network(request, slug)
    day = selectors.writing_day_for(
        viewer=request.auth, network=network, writing_day_id=writing_day_id
    )
    account = enquiry_selectors.account_for(
        viewer=request.auth, network=network, account_id=payload.account_id
    )
    enquiry_services.link_account_to_writing_day(account=account, writing_day=day, by=request.auth)
    return get_compilation(request, slug, writing_day_id)


def _compilation(request, slug: str, writing_day_id: int):
    network = _network(request, slug)
    day = selectors.writing_day_for(
        viewer=request.auth, network=network, writing_day_id=writing_day_id
    )
    return selectors.compilation_of(viewer=request.auth, network=network, writing_day=day)


@router.get(
    "/networks/{slug:slug}/writing-days/{writing_day_id}", response=WritingDayCompilationOut
)
def get_compilation(request, slug: str, writing_day_id: Id):
    """A writing day's published accounts, compiled for the network."""
    compilation = _compilation(request, slug, writing_day_id)
    day = compilation.writing_day
    return {
        "writing_day_id": day.pk,
        "title": day.title,
        "starts_at": day.starts_at,
        "accounts": [
            {
                "id": a.pk,
                "title": a.title,
                "question": a.question,
                "what_we_tried": a.what_we_tried,
                "what_we_learned": a.what_we_learned,
                "evidence": a.evidence,
                "what_others_could_try": a.what_others_could_try,
                "schools": [school.name for school in a.enquiry.schools.all()],
            }
            for a in compilation.accounts
        ],
    }


@router.get("/networks/{slug:slug}/writing-days/{writing_day_id}/pdf", openapi_extra=PDF_RESPONSE)
def compilation_pdf(request, slug: str, writing_day_id: Id):
    compilation = _compilation(request, slug, writing_day_id)
    pdf = documents.pdf_from_template(
        "reports/writing_day_pdf.html",
        {"network": compilation.network, "compilation": compilation},
    )
    return documents.pdf_response(pdf, filename=f"writing-day-{compilation.writing_day.pk}.pdf")
