"""Forms check the shape of what was typed; services decide whether the reports' rules allow it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PeriodKind

DateInput = forms.DateInput(attrs={"type": "date"})


class ReportForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("e.g. “Autumn term 2026”.")
    )
    period_kind = forms.ChoiceField(choices=PeriodKind.choices, label=_("Covers"))
    starts_on = forms.DateField(widget=DateInput, label=_("From"))
    ends_on = forms.DateField(widget=DateInput, label=_("To"))


class NarrativeForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    highlights = forms.CharField(
        required=False, label=_("What went well"), widget=forms.Textarea(attrs={"rows": 5})
    )
    challenges = forms.CharField(
        required=False, label=_("What was hard"), widget=forms.Textarea(attrs={"rows": 5})
    )
    next_steps = forms.CharField(
        required=False, label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 5})
    )


class LinkAccountForm(forms.Form):
    account = forms.TypedChoiceField(coerce=int, label=_("An account written at this writing day"))

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [(a.pk, a.title) for a in accounts]
