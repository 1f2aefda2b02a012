from django.urls import path

from . import views

app_name = "exchange"
P = "n/<slug:network_slug>/budgets/"
B = f"{P}<int:budget_id>/"
X = "n/<slug:network_slug>/exchange/"
R = f"{X}requests/<int:exchange_request_id>/"
F = f"{X}facilities/<int:facility_id>/"
J = f"{X}joint/"
urlpatterns = [
    path(X, views.board, name="board"),
    path(J, views.joint_work, name="joint"),
    path(f"{J}courses/new/", views.new_course, name="new_course"),
    path(f"{J}courses/<int:joint_course_id>/", views.joint_course, name="joint_course"),
    path(
        f"{J}courses/<int:joint_course_id>/places/<int:school_id>/release/",
        views.release_places,
        name="release_places",
    ),
    path(f"{J}purchases/new/", views.new_purchase, name="new_purchase"),
    path(f"{J}purchases/<int:purchase_id>/", views.purchase, name="purchase"),
    path(f"{J}purchases/<int:purchase_id>/place/", views.place_purchase, name="place_purchase"),
    path(
        f"{J}purchases/<int:purchase_id>/shares/<int:school_id>/opt-out/",
        views.opt_out,
        name="opt_out",
    ),
    path(f"{J}bids/new/", views.new_bid, name="new_bid"),
    path(f"{J}bids/<int:joint_bid_id>/", views.joint_bid, name="joint_bid"),
    path(f"{J}bids/<int:joint_bid_id>/outcome/", views.bid_outcome, name="bid_outcome"),
    path(f"{X}requests/new/", views.new_request, name="new_request"),
    path(R, views.exchange_request, name="request"),
    path(f"{R}offers/new/", views.new_offer, name="new_offer"),
    path(f"{R}offers/<int:offer_id>/agree/", views.agree_offer, name="agree_offer"),
    path(f"{R}close/", views.close_request, name="close_request"),
    path(f"{R}withdraw/", views.withdraw_request, name="withdraw_request"),
    path(f"{X}facilities/new/", views.new_facility, name="new_facility"),
    path(F, views.facility, name="facility"),
    path(f"{F}bookings/<int:booking_id>/cancel/", views.cancel_booking, name="cancel_booking"),
    path(f"{X}loans/new/", views.new_loan, name="new_loan"),
    path(f"{X}loans/<int:loan_id>/", views.loan, name="loan"),
    path(P, views.budgets, name="budgets"),
    path(f"{P}new/", views.new_budget, name="new_budget"),
    path(f"{P}cover-rates/", views.cover_rates, name="cover_rates"),
    path(f"{P}release/", views.release_funding, name="release_funding"),
    path(B, views.budget, name="budget"),
    path(f"{B}entries/new/", views.new_entry, name="new_entry"),
    path(f"{B}entries/<int:ledger_entry_id>/reverse/", views.reverse_entry, name="reverse_entry"),
    path(f"{B}entries/<int:ledger_entry_id>/free/", views.free_commitment, name="free_commitment"),
    path(f"{B}devolve/", views.devolve, name="devolve"),
    path(f"{B}exceptions/new/", views.new_exception, name="new_exception"),
    path(f"{B}exception-requests/", views.request_exception, name="request_exception"),
    path(
        f"{B}exception-requests/<int:exception_request_id>/answer/",
        views.answer_exception_request,
        name="answer_exception_request",
    ),
    path(f"{B}ledger.csv", views.ledger_csv, name="ledger_csv"),
    path(f"{B}ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path(f"{B}statement/", views.statement, name="statement"),
]
