from django import forms

from .models import EmailFrequency


class EmailFrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Email me about new notifications",
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
    )
