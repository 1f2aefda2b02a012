"""Pages of the network's money: budgets, a budget's ledger, forms, exports, release funding.

Views parse, call services, render. Fragments start with `_`; the full pages include them, so an
htmx swap and a page without JavaScript show the same HTML.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from netlearn.core.errors import NetlearnError
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for

from . import exports, joint, policy, release, selectors, services
from .errors import ExchangeError
from .forms import (
    BidForm,
    BookingForm,
    BudgetForm,
    CourseForm,
    CoverRateForm,
    DevolveForm,
    EntryForm,
    ExceptionForm,
    FacilityForm,
    FeedbackForm,
    LoanForm,
    OfferForm,
    OutcomeForm,
    PlacesForm,
    PurchaseForm,
    ReasonForm,
    RequestForm,
    ShareForm,
    SignUpForm,
    StatementForm,
)
from .models import GATED_PURPOSES, EntryKind, RequestStatus


def _network(request, network_slug):
    return selectors.network_for(viewer=request.user, network_slug=network_slug)


def _budget(request, network_slug, budget_id):
    network = _network(request, network_slug)
    return network, selectors.budget_for(viewer=request.user, network=network, budget_id=budget_id)


def _form_page(request, context, form, *, title, submit, cancel, intro=""):
    status = 400 if request.method == "POST" else 200
    context = {**context, "form": form, "title": title, "submit": submit, "cancel": cancel}
    context["intro"] = intro
    return render(request, "exchange/form.html", context, status=status)


@login_required
def budgets(request, network_slug):
    network = _network(request, network_slug)
    rows = list(selectors.budgets_for(viewer=request.user, network=network))
    fundings = list(
        selectors.release_funding_for(viewer=request.user, network=network).filter(
            person_id=request.user.pk
        )
    )
    context = {
        "network": network,
        "budgets": [(budget, selectors.figures_of(budget)) for budget in rows],
        "can_manage": policy.can_manage_budgets(request.user, network),
        "my_funding": fundings,
    }
    return render(request, "exchange/budgets.html", context)


@login_required
def new_budget(request, network_slug):
    network = _network(request, network_slug)
    if not policy.can_manage_budgets(request.user, network):
        raise PermissionDenied
    people = network_selectors.people_choices_in_network(network=network)
    form = BudgetForm(request.POST or None, people=people, initial={"holder": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.create_budget(network=network, by=request.user, **form.cleaned_data)
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("%(title)s is set up.") % {"title": budget.title})
            return redirect(budget.get_absolute_url())
    return _form_page(
        request,
        {"network": network},
        form,
        title="New budget",
        submit="Create the budget",
        cancel=_budgets_url(network),
    )


def _budgets_url(network):
    return reverse("exchange:budgets", args=[network.slug])


@login_required
def budget(request, network_slug, budget_id):
    network, budget = _budget(request, network_slug, budget_id)
    entries = selectors.entries_for(viewer=request.user, budget=budget).order_by(
        "-recorded_at", "-pk"
    )
    page = Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    full = policy.can_view_ledger(request.user, budget)
    gated = budget.purpose in GATED_PURPOSES and not budget.is_share
    standings = selectors.standings_of(network=network) if gated else []
    context = {
        "network": network,
        "budget": budget,
        "figures": selectors.figures_of(budget),
        "page": page,
        "full_ledger": full,
        "sees_lines": full or bool(page.object_list),
        "can_record": policy.can_record(request.user, budget),
        "can_manage": policy.can_manage_budgets(request.user, network) and not budget.is_share,
        "is_holder": policy.is_budget_holder(request.user, budget),
        "shares": list(selectors.shares_of(budget=budget)) if not budget.is_share else [],
        "school_totals": selectors.totals_by_school(budget=budget, viewer=request.user),
        "exceptions": list(selectors.exceptions_of(budget=budget)) if full else [],
        "standings": standings,
        "funders": selectors.funders_of(budget=budget) if full else [],
        "exception_requests": list(
            selectors.exception_requests_for(viewer=request.user, budget=budget)
        ),
        "schools_to_ask_for": [
            standing.school
            for standing in standings
            if standing.below
            and policy.can_request_exception(request.user, budget, standing.school)
        ],
    }
    template = "exchange/_ledger.html" if request.htmx else "exchange/budget.html"
    return render(request, template, context)


@login_required
def new_entry(request, network_slug, budget_id):
    network, budget = _budget(request, network_slug, budget_id)
    if not policy.can_record(request.user, budget):
        raise PermissionDenied
    schools = network_selectors.schools_in_network(network=network).order_by("name")
    form = EntryForm(
        request.POST or None,
        schools=schools,
        commitments=selectors.open_commitments_of(budget=budget),
        initial={"kind": request.GET.get("kind", "spending")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = _record(budget, request.user, data)
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{entry.get_kind_display()} recorded.")
            return redirect(budget.get_absolute_url())
    return _form_page(
        request,
        {"network": network, "budget": budget},
        form,
        title=f"Record an entry on {budget.title}",
        submit="Record",
        cancel=budget.get_absolute_url(),
        intro="Entries are never edited: a mistake is corrected by reversing it.",
    )


def _record(budget, by, data):
    common = {
        "budget": budget,
        "amount": data["amount"],
        "by": by,
        "description": data["description"],
        "school": data["school"],
        "occurred_on": data["occurred_on"],
    }
    if data["kind"] == "income":
        return services.record_income(
            **common,
            source=data["source"],
            funder=data["funder"],
            funder_reference=data["funder_reference"],
        )
    if data["kind"] == "commitment":
        return services.commit(**common, override_reason=data["override_reason"])
    return services.spend(
        **common, commitment=data["commitment"], override_reason=data["override_reason"]
    )


@login_required
def reverse_entry(request, network_slug, budget_id, ledger_entry_id):
    network, budget = _budget(request, network_slug, budget_id)
    entry = selectors.entry_for(viewer=request.user, budget=budget, entry_id=ledger_entry_id)
    if not policy.can_record(request.user, budget):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_entry(entry=entry, by=request.user, **form.cleaned_data)
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("The entry is reversed."))
            return redirect(budget.get_absolute_url())
    return _form_page(
        request,
        {"network": network, "budget": budget},
        form,
        title=f"Reverse: {entry.get_kind_display().lower()} of {entry.amount}",
        submit="Reverse the entry",
        cancel=budget.get_absolute_url(),
        intro=f"“{entry.description}”. A reversing entry undoes it; both stay in the ledger.",
    )


@login_required
@require_POST
def free_commitment(request, network_slug, budget_id, ledger_entry_id):
    network, budget = _budget(request, network_slug, budget_id)
    entry = selectors.entry_for(viewer=request.user, budget=budget, entry_id=ledger_entry_id)
    if not policy.can_record(request.user, budget):
        raise PermissionDenied
    if entry.kind != EntryKind.COMMITMENT:
        raise Http404
    try:
        services.free_commitment(
            commitment=entry,
            by=request.user,
            description=request.POST.get("description") or "No longer needed",
        )
    except ExchangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The commitment is freed."))
    return redirect(budget.get_absolute_url())


@login_required
def devolve(request, network_slug, budget_id):
    network, budget = _budget(request, network_slug, budget_id)
    if not policy.can_manage_budgets(request.user, network) or budget.is_share:
        raise PermissionDenied
    form = DevolveForm(
        request.POST or None,
        schools=network_selectors.schools_in_network(network=network).order_by("name"),
        groups=network_selectors.groups_in_network(network=network),
        people=network_selectors.people_choices_in_network(network=network),
    )
    if request.method == "POST" and form.is_valid():
        try:
            share = services.devolve(budget=budget, by=request.user, **form.cleaned_data)
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("%(title)s has its own balance now.") % {"title": share.title}
            )
            return redirect(budget.get_absolute_url())
    return _form_page(
        request,
        {"network": network, "budget": budget},
        form,
        title=f"Devolve a share of {budget.title}",
        submit="Devolve",
        cancel=budget.get_absolute_url(),
        intro="A school or group gets its own balance, drawn from this budget.",
    )


@login_required
def new_exception(request, network_slug, budget_id):
    network, budget = _budget(request, network_slug, budget_id)
    if not policy.is_budget_holder(request.user, budget):
        raise PermissionDenied
    form = ExceptionForm(
        request.POST or None,
        schools=network_selectors.schools_in_network(network=network).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            release.grant_exception(budget=budget, by=request.user, **form.cleaned_data)
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("The exception is recorded."))
            return redirect(budget.get_absolute_url())
    return _form_page(
        request,
        {"network": network, "budget": budget},
        form,
        title=f"Let a school draw on {budget.title} despite its attendance",
        submit="Record the exception",
        cancel=budget.get_absolute_url(),
        intro="The charter's rule is no attendance, no money; an exception is recorded with "
        "its reason and shown to the school's lead.",
    )


@login_required
@require_POST
def request_exception(request, network_slug, budget_id):
    network, budget = _budget(request, network_slug, budget_id)
    school = (
        network_selectors.schools_in_network(network=network)
        .filter(
            pk=request.POST.get("school") if str(request.POST.get("school", "")).isdigit() else None
        )
        .first()
    )
    if not policy.can_request_exception(request.user, budget, school):
        raise PermissionDenied
    try:
        services.request_exception(
            budget=budget, school=school, by=request.user, reason=request.POST.get("reason", "")
        )
    except NetlearnError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("Your request is with the budget holder."))
    return redirect(budget.get_absolute_url())


@login_required
@require_POST
def answer_exception_request(request, network_slug, budget_id, exception_request_id):
    network, budget = _budget(request, network_slug, budget_id)
    exception_request = selectors.exception_request_for(
        viewer=request.user, budget=budget, request_id=exception_request_id
    )
    try:
        release.answer_exception_request(
            exception_request=exception_request,
            by=request.user,
            grant=request.POST.get("decision") == "grant",
            note=request.POST.get("note", ""),
        )
    except NetlearnError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The request is answered."))
    return redirect(budget.get_absolute_url())


@login_required
def ledger_csv(request, network_slug, budget_id):
    return _ledger_export(request, network_slug, budget_id, "csv")


@login_required
def ledger_xlsx(request, network_slug, budget_id):
    return _ledger_export(request, network_slug, budget_id, "xlsx")


def _ledger_export(request, network_slug, budget_id, file_format):
    network, budget = _budget(request, network_slug, budget_id)
    if not policy.can_view_ledger(request.user, budget):
        raise PermissionDenied
    rows = exports.ledger_rows(selectors.entries_of(budget=budget), network.currency)
    name = f"ledger-{network.slug}-{budget.year}-{budget.purpose}-{budget.pk}.{file_format}"
    if file_format == "csv":
        return exports.csv_download(name, exports.LEDGER_HEADER, rows)
    return exports.xlsx_download(name, "Ledger", exports.LEDGER_HEADER, rows, network.currency)


@login_required
def statement(request, network_slug, budget_id):
    network, budget = _budget(request, network_slug, budget_id)
    if not policy.can_view_ledger(request.user, budget):
        raise PermissionDenied
    form = StatementForm(request.GET or None)
    file_format = request.GET.get("format")
    if request.GET and form.is_valid() and file_format in ("csv", "xlsx"):
        data = form.cleaned_data
        income, spending = selectors.statement_of(budget=budget, **data)
        rows = exports.statement_rows(budget=budget, income=income, spending=spending, **data)
        name = f"statement-{network.slug}-{budget.pk}-{data['start']}-{data['end']}.{file_format}"
        if file_format == "csv":
            return exports.csv_download(name, exports.STATEMENT_HEADER, rows)
        return exports.xlsx_download(
            name, "Statement", exports.STATEMENT_HEADER, rows, network.currency
        )
    context = {
        "network": network,
        "budget": budget,
        "form": form,
        "funders": selectors.funders_of(budget=budget),
    }
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "exchange/statement.html", context, status=status)


@login_required
def cover_rates(request, network_slug):
    network = _network(request, network_slug)
    can_manage = policy.can_manage_budgets(request.user, network)
    schools = network_selectors.schools_in_network(network=network).order_by("name")
    form = CoverRateForm(request.POST or None, schools=schools) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.set_cover_rate(network=network, by=request.user, **form.cleaned_data)
            except ExchangeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, gettext("The cover rate is set."))
                return redirect("exchange:cover_rates", network.slug)
    context = {
        "network": network,
        "rates": selectors.cover_rates_of(network=network),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/cover_rates.html", context, status=status)


@login_required
def release_funding(request, network_slug):
    network = _network(request, network_slug)
    fundings = list(selectors.release_funding_for(viewer=request.user, network=network))
    context = {
        "network": network,
        "fundings": fundings,
        "totals": selectors.release_totals(fundings),
        "focus_totals": selectors.release_totals(fundings, by="focus"),
    }
    return render(request, "exchange/release_funding.html", context)


# Exchange between schools (docs/exchange.md#exchange-between-schools) ----------------------------


def _board_network(request, network_slug):
    return selectors.board_network_for(viewer=request.user, network_slug=network_slug)


def _led_schools(request, network):
    return (
        network_selectors.schools_in_network(network=network)
        .filter(pk__in=list(access_for(request.user).led_school_ids))
        .order_by("name")
    )


def _board_url(network):
    return reverse("exchange:board", args=[network.slug])


@login_required
def board(request, network_slug):
    network = _board_network(request, network_slug)
    status = request.GET.get("status", "open")
    rows = selectors.requests_for(viewer=request.user, network=network)
    if status in RequestStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    loans = list(selectors.loans_for(viewer=request.user, network=network)[:50])
    context = {
        "network": network,
        "page": page,
        "status": status,
        "statuses": RequestStatus.choices,
        "facilities": list(selectors.facilities_for(viewer=request.user, network=network)),
        "loans": [(loan, policy.can_see_loan_recharge(request.user, loan)) for loan in loans],
        "can_post": _led_schools(request, network).exists(),
        "can_arrange": policy.can_manage_budgets(request.user, network)
        or bool(access_for(request.user).led_school_ids),
    }
    return render(request, "exchange/board.html", context)


@login_required
def new_request(request, network_slug):
    network = _board_network(request, network_slug)
    schools = _led_schools(request, network)
    if not schools.exists():
        raise PermissionDenied
    form = RequestForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.post_request(network=network, by=request.user, **form.cleaned_data)
        except NetlearnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("Your request is on the board; the other schools are told.")
            )
            return redirect(made.get_absolute_url())
    return _form_page(
        request,
        {"network": network},
        form,
        title="Ask the network's schools",
        submit="Post the request",
        cancel=_board_url(network),
    )


def _request(request, network_slug, exchange_request_id):
    network = _board_network(request, network_slug)
    return network, selectors.request_for(
        viewer=request.user, network=network, request_id=exchange_request_id
    )


@login_required
def exchange_request(request, network_slug, exchange_request_id):
    network, asked = _request(request, network_slug, exchange_request_id)
    offers = list(selectors.offers_of(request=asked))
    led = access_for(request.user).led_school_ids
    context = {
        "network": network,
        "asked": asked,
        "offers": [
            (
                offer,
                policy.can_see_offer_recharge(request.user, offer),
                asked.status == RequestStatus.OPEN
                and (
                    (asked.school_id in led and not offer.asker_agreed_by_id)
                    or (offer.school_id in led and not offer.offerer_agreed_by_id)
                ),
            )
            for offer in offers
        ],
        "can_offer": asked.status == RequestStatus.OPEN
        and _led_schools(request, network).exclude(pk=asked.school_id).exists(),
        "is_asker": asked.school_id in led,
        "feedback_form": FeedbackForm(),
    }
    return render(request, "exchange/request.html", context)


@login_required
def new_offer(request, network_slug, exchange_request_id):
    network, asked = _request(request, network_slug, exchange_request_id)
    schools = _led_schools(request, network).exclude(pk=asked.school_id)
    if not schools.exists():
        raise PermissionDenied
    form = OfferForm(
        request.POST or None,
        schools=schools,
        people=network_selectors.people_choices_in_network(network=network),
        facilities=selectors.facilities_for(viewer=request.user, network=network).filter(
            school__in=schools
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.make_offer(request=asked, by=request.user, **form.cleaned_data)
        except NetlearnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("Your offer is made; the asking school's lead is told.")
            )
            return redirect(asked.get_absolute_url())
    return _form_page(
        request,
        {"network": network},
        form,
        title=f"Offer: {asked.title}",
        submit="Make the offer",
        cancel=asked.get_absolute_url(),
        intro="Your offer counts as your school's agreement; the asking school's lead agrees next.",
    )


def _act(request, asked, action, done: str):
    try:
        action()
    except NetlearnError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(asked.get_absolute_url())


@login_required
@require_POST
def agree_offer(request, network_slug, exchange_request_id, offer_id):
    _, asked = _request(request, network_slug, exchange_request_id)
    offer = selectors.offer_of(request=asked, offer_id=offer_id)
    return _act(
        request, asked, lambda: services.agree_offer(offer=offer, by=request.user), "Agreed."
    )


@login_required
@require_POST
def close_request(request, network_slug, exchange_request_id):
    _, asked = _request(request, network_slug, exchange_request_id)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, gettext("Say how it went, in a line or two (under 1000 characters).")
        )
        return redirect(asked.get_absolute_url())
    return _act(
        request,
        asked,
        lambda: services.close_request(request=asked, by=request.user, **form.cleaned_data),
        "Done, with your feedback.",
    )


@login_required
@require_POST
def withdraw_request(request, network_slug, exchange_request_id):
    _, asked = _request(request, network_slug, exchange_request_id)
    return _act(
        request,
        asked,
        lambda: services.withdraw_request(request=asked, by=request.user),
        "Withdrawn.",
    )


@login_required
def new_facility(request, network_slug):
    network = _board_network(request, network_slug)
    schools = (
        network_selectors.schools_in_network(network=network).order_by("name")
        if policy.can_manage_budgets(request.user, network)
        else _led_schools(request, network)
    )
    if not schools.exists():
        raise PermissionDenied
    form = FacilityForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_facility(network=network, by=request.user, **form.cleaned_data)
        except NetlearnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("%(name)s is listed for the network's schools.") % {"name": made.name},
            )
            return redirect(made.get_absolute_url())
    return _form_page(
        request,
        {"network": network},
        form,
        title="List a facility",
        submit="List it",
        cancel=_board_url(network),
    )


@login_required
def facility(request, network_slug, facility_id):
    """A facility and its booking calendar: the coming bookings, by day."""
    network = _board_network(request, network_slug)
    item = selectors.facility_for(viewer=request.user, network=network, facility_id=facility_id)
    schools = _led_schools(request, network)
    form = BookingForm(request.POST or None, schools=schools)
    if request.method == "POST":
        if not schools.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                services.book_facility(facility=item, by=request.user, **form.cleaned_data)
            except NetlearnError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, gettext("%(name)s is booked.") % {"name": item.name})
                return redirect(item.get_absolute_url())
    bookings = list(
        selectors.bookings_of(facility=item, since=timezone.now() - datetime.timedelta(days=1))[
            :200
        ]
    )
    days: dict = {}
    for booking in bookings:
        days.setdefault(timezone.localtime(booking.starts_at).date(), []).append(booking)

    context = {
        "network": network,
        "facility": item,
        "days": sorted(days.items()),
        "form": form if schools.exists() else None,
        "may_cancel": {
            booking.pk for booking in bookings if policy.can_cancel_booking(request.user, booking)
        },
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/facility.html", context, status=status)


@login_required
@require_POST
def cancel_booking(request, network_slug, facility_id, booking_id):
    network = _board_network(request, network_slug)
    item = selectors.facility_for(viewer=request.user, network=network, facility_id=facility_id)
    booking = selectors.booking_of(facility=item, booking_id=booking_id)
    services.cancel_booking(booking=booking, by=request.user)
    messages.success(request, gettext("The booking is cancelled."))
    return redirect(item.get_absolute_url())


@login_required
def new_loan(request, network_slug):
    network = _board_network(request, network_slug)
    if not (
        policy.can_manage_budgets(request.user, network) or _led_schools(request, network).exists()
    ):
        raise PermissionDenied
    form = LoanForm(
        request.POST or None,
        people=network_selectors.people_choices_in_network(network=network),
        schools=network_selectors.schools_in_network(network=network).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.arrange_loan(network=network, by=request.user, **form.cleaned_data)
        except NetlearnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("The loan is arranged; both schools and the person are told.")
            )
            return redirect(loan.get_absolute_url())
    return _form_page(
        request,
        {"network": network},
        form,
        title="Arrange a staff loan or secondment",
        submit="Arrange it",
        cancel=_board_url(network),
    )


@login_required
def loan(request, network_slug, loan_id):
    network = _board_network(request, network_slug)
    item = selectors.loan_for(viewer=request.user, network=network, loan_id=loan_id)
    context = {
        "network": network,
        "loan": item,
        "sees_recharge": policy.can_see_loan_recharge(request.user, item),
    }
    return render(request, "exchange/loan.html", context)


# Joint courses, purchasing and bids (docs/exchange.md#joint-courses-purchasing-and-bids) ---------


def _joint_url(network):
    return reverse("exchange:joint", args=[network.slug])


@login_required
def joint_work(request, network_slug):
    """What the schools do together: joint courses, purchases and bids, as summaries."""
    network = _board_network(request, network_slug)
    viewer = request.user
    context = {
        "network": network,
        "courses": list(selectors.courses_for(viewer=viewer, network=network)[:100]),
        "purchases": list(selectors.purchases_for(viewer=viewer, network=network)[:100]),
        "bids": list(selectors.bids_for(viewer=viewer, network=network)[:100]),
        "can_start": policy.can_start_joint(viewer, network),
        "leads_a_school": _led_schools(request, network).exists(),
    }
    return render(request, "exchange/joint.html", context)


def _start_page(request, network, form, make, *, title, submit, done, intro=""):
    if request.method == "POST" and form.is_valid():
        try:
            made = make(form.cleaned_data)
        except NetlearnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(made.get_absolute_url())
    return _form_page(
        request,
        {"network": network},
        form,
        title=title,
        submit=submit,
        cancel=_joint_url(network),
        intro=intro,
    )


@login_required
def new_course(request, network_slug):
    network = _board_network(request, network_slug)
    schools = _led_schools(request, network)
    if not schools.exists():
        raise PermissionDenied
    form = CourseForm(request.POST or None, schools=schools)
    return _start_page(
        request,
        network,
        form,
        lambda data: joint.create_course(network=network, by=request.user, **data),
        title="List a joint course",
        submit="List the course",
        done="The course is listed; the other schools' leads are told.",
        intro="A course your school runs for pupils of the network's schools. Schools hold "
        "places as numbers of pupils; no pupil is named.",
    )


def _post_or_error(form, action) -> bool:
    """Runs `action` on a valid form; a refusal shows on the form, which shows its own errors."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except NetlearnError as error:
        form.add_error(None, str(error))
        return False
    return True


@login_required
def joint_course(request, network_slug, joint_course_id):
    network = _board_network(request, network_slug)
    course = selectors.course_for(viewer=request.user, network=network, course_id=joint_course_id)
    schools = _led_schools(request, network)
    form = PlacesForm(request.POST or None, schools=schools)
    if request.method == "POST":
        if not schools.exists():
            raise PermissionDenied
        if _post_or_error(
            form, lambda data: joint.hold_places(course=course, by=request.user, **data)
        ):
            messages.success(request, gettext("Your school's places are held."))
            return redirect(course.get_absolute_url())
    context = {
        "network": network,
        "course": course,
        "allocations": list(selectors.places_of(course=course)),
        "led_school_ids": access_for(request.user).led_school_ids,
        "form": form if schools.exists() else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/joint_course.html", context, status=status)


@login_required
@require_POST
def release_places(request, network_slug, joint_course_id, school_id):
    network = _board_network(request, network_slug)
    course = selectors.course_for(viewer=request.user, network=network, course_id=joint_course_id)
    allocation = selectors.allocation_of(course=course, school_id=school_id)
    return _act(
        request,
        course,
        lambda: joint.release_places(allocation=allocation, by=request.user),
        f"{allocation.school.name}'s places are given back.",
    )


@login_required
def new_purchase(request, network_slug):
    network = _board_network(request, network_slug)
    if not policy.can_start_joint(request.user, network):
        raise PermissionDenied
    form = PurchaseForm(
        request.POST or None, budgets=selectors.purchase_budgets_of(network=network)
    )
    return _start_page(
        request,
        network,
        form,
        lambda data: joint.propose_purchase(network=network, by=request.user, **data),
        title="Propose a joint purchase",
        submit="Propose it",
        done="The purchase is proposed; the schools' leads are told.",
        intro="Schools opt in with their share; the budget holder places it once enough join.",
    )


@login_required
def purchase(request, network_slug, purchase_id):
    network = _board_network(request, network_slug)
    proposal = selectors.purchase_for(viewer=request.user, network=network, purchase_id=purchase_id)
    schools = _led_schools(request, network)
    form = ShareForm(request.POST or None, schools=schools)
    if request.method == "POST":
        if not schools.exists():
            raise PermissionDenied
        if _post_or_error(
            form, lambda data: joint.opt_in(proposal=proposal, by=request.user, **data)
        ):
            messages.success(request, gettext("Your school has joined with its share."))
            return redirect(proposal.get_absolute_url())
    context = {
        "network": network,
        "proposal": proposal,
        "shares": list(selectors.shares_of_purchase(proposal=proposal)),
        "led_school_ids": access_for(request.user).led_school_ids,
        "form": form if schools.exists() and proposal.status == "open" else None,
        "may_place": proposal.status == "open"
        and policy.can_place_purchase(request.user, proposal),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/purchase.html", context, status=status)


@login_required
@require_POST
def place_purchase(request, network_slug, purchase_id):
    network = _board_network(request, network_slug)
    proposal = selectors.purchase_for(viewer=request.user, network=network, purchase_id=purchase_id)
    return _act(
        request,
        proposal,
        lambda: joint.place_purchase(proposal=proposal, by=request.user),
        "Placed: each school's share is in the ledger as its contribution.",
    )


@login_required
@require_POST
def opt_out(request, network_slug, purchase_id, school_id):
    network = _board_network(request, network_slug)
    proposal = selectors.purchase_for(viewer=request.user, network=network, purchase_id=purchase_id)
    share = selectors.share_of(proposal=proposal, school_id=school_id)
    return _act(
        request,
        proposal,
        lambda: joint.opt_out(share=share, by=request.user),
        f"{share.school.name} has left the purchase.",
    )


@login_required
def new_bid(request, network_slug):
    network = _board_network(request, network_slug)
    if not policy.can_start_joint(request.user, network):
        raise PermissionDenied
    form = BidForm(request.POST or None)
    return _start_page(
        request,
        network,
        form,
        lambda data: joint.propose_bid(network=network, by=request.user, **data),
        title="Start a joint bid",
        submit="Start the bid",
        done="The bid is started; the schools' leads are told.",
    )


@login_required
def joint_bid(request, network_slug, joint_bid_id):
    network = _board_network(request, network_slug)
    bid = selectors.bid_for(viewer=request.user, network=network, bid_id=joint_bid_id)
    schools = _led_schools(request, network)
    form = SignUpForm(request.POST or None, schools=schools)
    if request.method == "POST":
        if not schools.exists():
            raise PermissionDenied
        if _post_or_error(form, lambda data: joint.sign_up(bid=bid, by=request.user, **data)):
            messages.success(request, gettext("Your school has signed up to the bid."))
            return redirect(bid.get_absolute_url())
    context = {
        "network": network,
        "bid": bid,
        "schools": list(selectors.schools_of_bid(bid=bid)),
        "form": form if schools.exists() and bid.status == "open" else None,
        "may_record": bid.status == "open" and policy.can_record_bid_outcome(request.user, bid),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/joint_bid.html", context, status=status)


@login_required
def bid_outcome(request, network_slug, joint_bid_id):
    network = _board_network(request, network_slug)
    bid = selectors.bid_for(viewer=request.user, network=network, bid_id=joint_bid_id)
    if not policy.can_record_bid_outcome(request.user, bid):
        raise PermissionDenied
    form = OutcomeForm(request.POST or None, budgets=selectors.grant_budgets_of(network=network))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            joint.record_bid_outcome(
                bid=bid,
                won=data["outcome"] == "won",
                by=request.user,
                note=data["note"],
                budget=data["budget"],
                amount=data["amount"],
                funder_reference=data["funder_reference"],
            )
        except NetlearnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("The outcome is recorded."))
            return redirect(bid.get_absolute_url())
    return _form_page(
        request,
        {"network": network},
        form,
        title=f"Outcome: {bid.title}",
        submit="Record the outcome",
        cancel=bid.get_absolute_url(),
        intro="A won bid's grant is recorded as income in the budget you choose, with the "
        "funder's reference for their statement.",
    )
