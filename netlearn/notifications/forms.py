from django import forms
from django.utils.translation import gettext_lazy

from .models import Channel, EmailFrequency, NotificationKind


class EmailFrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Email me about new notifications"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
    )


class KindChannelsForm(forms.Form):
    """One choice per kind of notification; empty follows the email frequency above."""

    def __init__(self, *args, chosen: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in NotificationKind.choices:
            self.fields[f"kind_{value}"] = forms.ChoiceField(
                label=label,
                choices=[("", "As my email setting"), *Channel.choices],
                required=False,
                initial=chosen.get(value, ""),
            )

    def channels(self) -> dict[str, str]:
        return {name.removeprefix("kind_"): value for name, value in self.cleaned_data.items()}
