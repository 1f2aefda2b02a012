from django import forms
from django.utils.translation import gettext_lazy as _


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class InviteForm(forms.Form):
    # Typed, not chosen from a list: an evaluator is shown no network that has not consented,
    # not even its name.
    network = forms.SlugField(
        max_length=80,
        label=_("Network's short name"),
        help_text=_("As in its address: /n/<short name>/. Its co-leaders decide whether it joins."),
    )


class EvaluatorForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("The evaluator's username.")
    )
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
