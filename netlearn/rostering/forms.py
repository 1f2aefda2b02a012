from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from .oneroster import MAX_BUNDLE_BYTES


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("OneRoster 1.2 CSV bundle (.zip)"),
        help_text=format_lazy(
            gettext_lazy("Your school's full (bulk) export, up to {size} MB."),
            size=MAX_BUNDLE_BYTES // 1024 // 1024,
        ),
    )
    # Only asked for when the bundle's schools do not show which one is this school.
    org = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
