"""Forms check the shape of what was typed; services decide whether the money rules allow it."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ExchangeKind, FacilityKind, IncomeSource, LoanKind, Purpose

DateInput = forms.DateInput(attrs={"type": "date"})


class AmountField(forms.DecimalField):
    """Pounds or dollars with pence or cents: at most two places, refused (never rounded)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})


class BudgetForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices)
    year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        initial=lambda: datetime.date.today().year,
        help_text=gettext_lazy("The year it starts: 2026 for 2026–27."),
    )
    name = forms.CharField(required=False, max_length=200, help_text=gettext_lazy("Optional."))
    holder = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Budget holder"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = people


class EntryForm(forms.Form):
    KINDS = [("income", "Income"), ("commitment", "Commitment"), ("spending", "Spending")]

    kind = forms.ChoiceField(choices=KINDS, label=gettext_lazy("Entry"))
    amount = AmountField()
    description = forms.CharField(label=gettext_lazy("Why"), max_length=500)
    school = forms.ModelChoiceField(
        queryset=None, required=False, help_text=gettext_lazy("Whose money it is.")
    )
    source = forms.ChoiceField(
        choices=[("", "—"), *IncomeSource.choices],
        required=False,
        help_text=gettext_lazy("Income only."),
    )
    funder = forms.CharField(required=False, max_length=200, help_text=gettext_lazy("Income only."))
    funder_reference = forms.CharField(
        required=False,
        max_length=100,
        help_text=gettext_lazy("The funder's reference, for their statement."),
    )
    commitment = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text=gettext_lazy("Spending only: the commitment it settles."),
    )
    occurred_on = forms.DateField(widget=DateInput, required=False, label=gettext_lazy("Date"))
    override_reason = forms.CharField(
        required=False,
        max_length=500,
        label=gettext_lazy("Override (budget holder only)"),
        help_text=gettext_lazy("Why the budget may go below zero."),
    )

    def __init__(self, *args, schools, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["commitment"].queryset = commitments
        self.fields["commitment"].label_from_instance = lambda entry: (
            f"{entry.description} ({entry.recorded_at:%d %b %Y})"
        )


class ReasonForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Why"), max_length=500)
    override_reason = forms.CharField(
        required=False, max_length=500, label=gettext_lazy("Override (budget holder only)")
    )


class DevolveForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, required=False)
    group = forms.ModelChoiceField(queryset=None, required=False)
    amount = AmountField()
    holder = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Holder of the share"))
    description = forms.CharField(label=gettext_lazy("Why"), max_length=500)

    def __init__(self, *args, schools, groups, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["group"].queryset = groups
        self.fields["holder"].queryset = people


class ExceptionForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class CoverRateForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=None, required=False, help_text=gettext_lazy("Empty: the network's own rate.")
    )
    per_session = AmountField(label=gettext_lazy("Cost of a half-day session"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class StatementForm(forms.Form):
    funder = forms.CharField(max_length=200)
    start = forms.DateField(widget=DateInput, label=gettext_lazy("From"))
    end = forms.DateField(widget=DateInput, label=gettext_lazy("To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


# Exchange between schools ----------------------------------------------------------------------

DateTimeInput = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _SchoolForm(forms.Form):
    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first().pk


class RequestForm(_SchoolForm):
    school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("For school"))
    kind = forms.ChoiceField(choices=ExchangeKind.choices, label=gettext_lazy("Asking for"))
    title = forms.CharField(max_length=200, label=gettext_lazy("What the school needs"))
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    expertise = forms.CharField(
        required=False,
        max_length=80,
        help_text=gettext_lazy("Expertise only: a tag from the network's expertise directory."),
    )
    needed_from = forms.DateField(widget=DateInput, required=False)
    needed_until = forms.DateField(
        widget=DateInput,
        required=False,
        help_text=gettext_lazy(
            "With both dates, an agreed offer of a named person becomes a staff loan."
        ),
    )


class OfferForm(_SchoolForm):
    school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("From school"))
    note = forms.CharField(
        max_length=1000,
        label=gettext_lazy("What you offer"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    person = forms.ModelChoiceField(
        queryset=None, required=False, help_text=gettext_lazy("Staff time: who.")
    )
    facility = forms.ModelChoiceField(queryset=None, required=False)
    places = forms.IntegerField(
        required=False, min_value=1, max_value=500, help_text=gettext_lazy("Course places.")
    )
    recharge = AmountField(
        required=False, help_text=gettext_lazy("What the asking school pays back, if anything.")
    )

    def __init__(self, *args, people, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["facility"].queryset = facilities


class FeedbackForm(forms.Form):
    feedback = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class FacilityForm(_SchoolForm):
    school = forms.ModelChoiceField(queryset=None)
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=FacilityKind.choices)
    description = forms.CharField(required=False, max_length=500)


class BookingForm(_SchoolForm):
    school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("For school"))
    starts_at = forms.DateTimeField(widget=DateTimeInput, label=gettext_lazy("From"))
    ends_at = forms.DateTimeField(widget=DateTimeInput, label=gettext_lazy("Until"))
    purpose = forms.CharField(max_length=500, label=gettext_lazy("What for"))


class LoanForm(forms.Form):
    kind = forms.ChoiceField(choices=LoanKind.choices)
    person = forms.ModelChoiceField(queryset=None)
    from_school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("From school"))
    to_school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("To school"))
    starts_on = forms.DateField(widget=DateInput)
    ends_on = forms.DateField(widget=DateInput)
    days_a_week = forms.DecimalField(min_value=0.5, max_value=5, decimal_places=1, initial=5)
    recharge = AmountField(
        help_text=gettext_lazy("What the receiving school pays the lending school.")
    )
    purpose = forms.CharField(max_length=500, label=gettext_lazy("What for"))

    def __init__(self, *args, people, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["from_school"].queryset = schools
        self.fields["to_school"].queryset = schools


# Joint courses, purchasing and bids --------------------------------------------------------------


class CourseForm(_SchoolForm):
    school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Run by"))
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(widget=DateInput)
    ends_on = forms.DateField(widget=DateInput)
    places = forms.IntegerField(
        min_value=1,
        max_value=1000,
        help_text=gettext_lazy("Places for pupils of all the schools together."),
    )


PLACES_MESSAGE = "Give the number of places as a whole number from 1 to 1000."


class PlacesForm(_SchoolForm):
    school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("For school"))
    places = forms.IntegerField(
        min_value=1,
        max_value=1000,
        help_text=gettext_lazy("How many of your pupils: a number only, never names."),
        error_messages={key: PLACES_MESSAGE for key in ("invalid", "min_value", "max_value")},
    )


class PurchaseForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("What the schools would buy"))
    supplier = forms.CharField(max_length=200, required=False)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    budget = forms.ModelChoiceField(
        queryset=None,
        help_text=gettext_lazy("The network's purchasing or CPD budget the shares go into."),
    )
    schools_needed = forms.IntegerField(
        min_value=2,
        max_value=200,
        help_text=gettext_lazy("It can be placed once this many schools join."),
    )

    def __init__(self, *args, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets


class ShareForm(_SchoolForm):
    school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("For school"))
    amount = AmountField(
        label=gettext_lazy("Your school's share"),
        min_value=Decimal("0.01"),
        error_messages={
            "min_value": "Give your school's share as an amount above zero.",
            "invalid": "Give your school's share as an amount, e.g. 800 or 650.50.",
        },
    )


class BidForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("What the bid is for"))
    funder = forms.CharField(max_length=200)
    amount_sought = AmountField()
    deadline = forms.DateField(widget=DateInput, required=False)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignUpForm(_SchoolForm):
    school = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Sign up"))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("won", "Won"), ("lost", "Lost")])
    budget = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text=gettext_lazy("Won: the budget the grant goes into."),
    )
    amount = AmountField(required=False, help_text=gettext_lazy("Won: the amount granted."))
    funder_reference = forms.CharField(
        required=False, max_length=100, help_text=gettext_lazy("Won: the funder's reference.")
    )
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets
