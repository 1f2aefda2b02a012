from django import forms

from .oneroster import MAX_BUNDLE_BYTES


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="OneRoster 1.2 CSV bundle (.zip)",
        help_text=f"Your school's full (bulk) export, up to {MAX_BUNDLE_BYTES // 1024 // 1024} MB.",
    )
    # Only asked for when the bundle's schools do not show which one is this school.
    org = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
