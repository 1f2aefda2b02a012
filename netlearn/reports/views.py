"""Pages of a network's progress reports and writing-day compilations: parse, call, render.

The page, the PDF and the XLSX of a report are drawn from one `Document` (selectors.document_of):
the same contents through the same `_document.html`, so the figures agree wherever they are read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netlearn.enquiry import selectors as enquiry_selectors
from netlearn.enquiry import services as enquiry_services
from netlearn.enquiry.errors import EnquiryError

from . import documents, policy, selectors, services
from .errors import ReportError
from .forms import LinkAccountForm, NarrativeForm, ReportForm


def _network(request, network_slug):
    return selectors.network_for(viewer=request.user, network_slug=network_slug)


def _report(request, network_slug, progress_report_id):
    network = _network(request, network_slug)
    return network, selectors.report_for(
        viewer=request.user, network=network, report_id=progress_report_id
    )


def _version_number(request) -> int | None:
    raw = request.GET.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 9 else None


def _document(request, report):
    version = selectors.version_to_show(
        viewer=request.user, report=report, number=_version_number(request)
    )
    return selectors.document_of(viewer=request.user, report=report, version=version)


@login_required
def report_list(request, network_slug):
    network = _network(request, network_slug)
    may_draft = policy.can_draft(request.user, network)
    context = {
        "network": network,
        "reports": list(selectors.reports_for(viewer=request.user, network=network)),
        "writing_days": list(selectors.writing_days_of(viewer=request.user, network=network)[:20]),
        "can_draft": may_draft,
        "form": ReportForm() if may_draft else None,
    }
    return render(request, "reports/list.html", context)


@login_required
def create(request, network_slug):
    network = _network(request, network_slug)
    if not policy.can_draft(request.user, network):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(network=network, by=request.user, **form.cleaned_data)
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Report started: write its narrative, then ask for review.")
            )
            return redirect("reports:detail", network.slug, report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/create.html", {"network": network, "form": form}, status=status)


def _detail_context(request, network, report, document, form=None):
    may_draft = policy.can_draft(request.user, network)
    version = document.version
    return {
        "network": network,
        "report": report,
        "document": document,
        "version": version,
        "versions": list(selectors.versions_of(report=report)) if may_draft else [],
        "can_draft": may_draft,
        "can_publish": policy.can_publish(request.user, network),
        "form": form
        or (
            NarrativeForm(initial={key: getattr(version, key) for key, _ in selectors.NARRATIVE})
            if may_draft and version.is_open
            else None
        ),
    }


@login_required
def detail(request, network_slug, progress_report_id):
    network, report = _report(request, network_slug, progress_report_id)
    document = _document(request, report)
    return render(
        request, "reports/detail.html", _detail_context(request, network, report, document)
    )


@login_required
def edit_narrative(request, network_slug, progress_report_id):
    network, report = _report(request, network_slug, progress_report_id)
    if not policy.can_draft(request.user, network):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("reports:detail", network.slug, report.pk)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            services.edit_narrative(report=report, by=request.user, **form.cleaned_data)
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Narrative saved."))
            return redirect("reports:detail", network.slug, report.pk)
    version = selectors.open_version_of(report=report) or selectors.version_to_show(
        viewer=request.user, report=report
    )
    document = selectors.document_of(viewer=request.user, report=report, version=version)
    context = _detail_context(request, network, report, document, form=form)
    return render(request, "reports/detail.html", context, status=400)


def _step(request, network_slug, progress_report_id, service, done: str):
    network, report = _report(request, network_slug, progress_report_id)
    if not policy.can_draft(request.user, network):
        raise PermissionDenied
    try:
        service(report=report, by=request.user)
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("reports:detail", network.slug, report.pk)


@login_required
@require_POST
def submit(request, network_slug, progress_report_id):
    return _step(
        request, network_slug, progress_report_id, services.submit_for_review, _("Sent for review.")
    )


@login_required
@require_POST
def publish(request, network_slug, progress_report_id):
    return _step(
        request, network_slug, progress_report_id, services.publish_report, _("Published.")
    )


@login_required
@require_POST
def revise(request, network_slug, progress_report_id):
    return _step(
        request,
        network_slug,
        progress_report_id,
        services.start_revision,
        _("A new version is open."),
    )


@login_required
def report_pdf(request, network_slug, progress_report_id):
    network, report = _report(request, network_slug, progress_report_id)
    document = _document(request, report)
    pdf = documents.pdf_from_template(
        "reports/report_pdf.html", {"network": network, "report": report, "document": document}
    )
    filename = f"report-{network.slug}-{report.pk}-v{document.version.number}.pdf"
    return documents.pdf_response(pdf, filename=filename)


@login_required
def report_xlsx(request, network_slug, progress_report_id):
    network, report = _report(request, network_slug, progress_report_id)
    document = _document(request, report)
    filename = f"report-{network.slug}-{report.pk}-v{document.version.number}.xlsx"
    return documents.xlsx_response(documents.report_xlsx(document), filename=filename)


# Writing days ---------------------------------------------------------------------------------


def _writing_day(request, network_slug, writing_day_id):
    network = _network(request, network_slug)
    day = selectors.writing_day_for(
        viewer=request.user, network=network, writing_day_id=writing_day_id
    )
    return network, day


@login_required
def writing_day(request, network_slug, writing_day_id):
    network, day = _writing_day(request, network_slug, writing_day_id)
    return _writing_day_page(request, network, day)


def _writing_day_page(request, network, day, form=None, status=200):
    compilation = selectors.compilation_of(viewer=request.user, network=network, writing_day=day)
    linkable = enquiry_selectors.accounts_to_link(viewer=request.user, network=network)
    if form is None and linkable:
        form = LinkAccountForm(accounts=linkable)
    context = {"network": network, "compilation": compilation, "form": form}
    return render(request, "reports/writing_day.html", context, status=status)


@login_required
def writing_day_pdf(request, network_slug, writing_day_id):
    network, day = _writing_day(request, network_slug, writing_day_id)
    compilation = selectors.compilation_of(viewer=request.user, network=network, writing_day=day)
    pdf = documents.pdf_from_template(
        "reports/writing_day_pdf.html", {"network": network, "compilation": compilation}
    )
    return documents.pdf_response(pdf, filename=f"writing-day-{network.slug}-{day.pk}.pdf")


@login_required
@require_POST
def link_account(request, network_slug, writing_day_id):
    network, day = _writing_day(request, network_slug, writing_day_id)
    linkable = enquiry_selectors.accounts_to_link(viewer=request.user, network=network)
    form = LinkAccountForm(request.POST, accounts=linkable)
    if not linkable:
        raise PermissionDenied
    if form.is_valid():
        account = next(a for a in linkable if a.pk == form.cleaned_data["account"])
        try:
            enquiry_services.link_account_to_writing_day(
                account=account, writing_day=day, by=request.user
            )
        except EnquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "“%(title)s” is filed under this writing day; it joins the compilation once "
                    "published."
                )
                % {"title": account.title},
            )
            return redirect("reports:writing_day", network.slug, day.pk)
    return _writing_day_page(request, network, day, form=form, status=400)
