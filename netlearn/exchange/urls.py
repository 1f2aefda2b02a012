from django.urls import path

from . import views

app_name = "exchange"
P = "n/<slug:network_slug>/budgets/"
B = f"{P}<int:budget_id>/"
urlpatterns = [
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
