"""Forms check the shape of input; services decide whether the change is allowed."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netlearn.networks import selectors as network_selectors

from .models import VALUE_DIGITS, CommitmentKind, GoalSource, LearningFocus

NUMBER_MESSAGES = {
    "invalid": gettext_lazy("Enter a number, such as 64 or 2.5."),
    "max_digits": gettext_lazy("Enter a number with at most 9 digits before the decimal point."),
    "max_decimal_places": gettext_lazy("Enter at most 3 decimal places."),
    "max_whole_digits": gettext_lazy(
        "Enter a number with at most 9 digits before the decimal point."
    ),
}
DATE_MESSAGES = {"invalid": gettext_lazy("Enter a date, such as 2025-07-01.")}


class DateInput(forms.DateInput):
    input_type = "date"


def _number(label, **kwargs):
    return forms.DecimalField(
        label=label,
        error_messages=NUMBER_MESSAGES,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **VALUE_DIGITS,
        **kwargs,
    )


class CharterForm(forms.Form):
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
        help_text=gettext_lazy("Why the schools work together, in a few sentences."),
    )
    shared_values = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
        help_text=gettext_lazy("The agreed principles the partnership rests on."),
    )
    # The charter's revision when the form was read: a save made since is refused, not lost.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class FocusForm(forms.ModelForm):
    class Meta:
        model = LearningFocus
        fields = [
            "title",
            "description",
            "pupils",
            "pupil_groups",
            "visible_when_achieved",
            "adult_learning_link",
            "lead_group",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "visible_when_achieved": forms.Textarea(attrs={"rows": 3}),
            "adult_learning_link": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"lead_group": gettext_lazy("Group that leads it")}

    def __init__(self, *args, network, focus_word="Learning focus", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_group"].queryset = network_selectors.groups_of(network=network)
        self.fields["lead_group"].empty_label = _("No group yet")
        self.fields["title"].help_text = _(
            "Specific and explicit, e.g. “Writing in the middle years of Key Stage 2”."
        )
        if focus_word != "Learning focus":
            self.fields["title"].help_text = _(
                "Specific and explicit, e.g. “Writing in Years 4 to 6”."
            )
            self.fields["pupils"].help_text = _(
                "Year levels or learning pathway stages, e.g. “Years 7 and 8 in every kura”."
            )


class GoalForm(forms.Form):
    measure = forms.CharField(
        max_length=300,
        help_text=gettext_lazy(
            "Stated as an effect on pupils, e.g. “Pupils at the expected standard in "
            "writing at the end of KS2”."
        ),
    )
    unit = forms.CharField(
        max_length=40,
        help_text=gettext_lazy("e.g. “% of pupils”, “points”."),
        error_messages={
            "required": gettext_lazy("Give the unit of the measure, such as “% of pupils”.")
        },
    )
    baseline_value = _number(gettext_lazy("Baseline value"))
    baseline_date = forms.DateField(widget=DateInput, error_messages=DATE_MESSAGES)
    target_value = _number(gettext_lazy("Target value"))
    target_date = forms.DateField(widget=DateInput, error_messages=DATE_MESSAGES)
    source = forms.ChoiceField(choices=GoalSource.choices, initial=GoalSource.MANUAL)
    source_note = forms.CharField(
        label=gettext_lazy("Where the figures come from"), max_length=300, required=False
    )

    def clean(self):
        data = super().clean()
        baseline, target = data.get("baseline_date"), data.get("target_date")
        if baseline and target and target <= baseline:
            self.add_error("target_date", _("The target date must come after the baseline date."))
        return data


class FocusChangeForm(FocusForm):
    # The focus's revision when the form was read: a save made since is refused, not lost.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class GoalChangeForm(GoalForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy(
            "Needed when the measure, unit, baseline or target changes: the charter keeps "
            "it as a digression from the original intention."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={
            "required": gettext_lazy("Say why: the charter records it as a digression.")
        },
    )


class ProgressForm(forms.Form):
    measured_on = forms.DateField(
        label=gettext_lazy("Date measured"), widget=DateInput, error_messages=DATE_MESSAGES
    )
    value = _number("Value")
    note = forms.CharField(
        label=gettext_lazy("Evidence note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    evidence = forms.FileField(label=gettext_lazy("Evidence file (optional)"), required=False)


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Commitment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=gettext_lazy(
            "e.g. “A school that attends fewer than two thirds of network meetings loses "
            "access to the pooled fund.”"
        ),
    )
    binds = forms.CharField(label=gettext_lazy("Whom it binds"), max_length=200)
    how_checked = forms.CharField(
        label=gettext_lazy("How it is checked"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    kind = forms.ChoiceField(choices=CommitmentKind.choices, initial=CommitmentKind.GENERAL)
    attendance_threshold = forms.IntegerField(
        label=gettext_lazy("Attendance threshold (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=gettext_lazy("Attendance commitments only, e.g. 67 for two thirds of meetings."),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == CommitmentKind.ATTENDANCE and not data.get("attendance_threshold"):
            self.add_error(
                "attendance_threshold", _("An attendance commitment needs a threshold (1–100%).")
            )
        return data


class CommitmentChangeForm(CommitmentForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class SignOffForm(forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    # Signing binds a school to the charter: a deliberate act, never a stray click.
    confirm = forms.BooleanField()


class CompareForm(forms.Form):
    a = forms.IntegerField(
        label=gettext_lazy("Older version"), min_value=1, max_value=2_147_483_647
    )
    b = forms.IntegerField(
        label=gettext_lazy("Newer version"), min_value=1, max_value=2_147_483_647
    )
