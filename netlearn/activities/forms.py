"""Forms check the shape of input; services decide whether the change is allowed."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netlearn.charter.models import LearningFocus
from netlearn.networks.models import Group, Role, School

from .errors import InvalidLink, InvalidRecurrence
from .links import clean_web_link
from .models import TIME_ZONES, ActionStatus, Audience, Kind, Payer
from .recurrence import MAX_OCCURRENCES, REPEATS, parse_exception_dates, rule_for


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time with no zone: the activity's own time zone gives it one.

    Django's DateTimeField would read it in the site's zone, and refuse a time that does not exist
    there (a clock change in London) though it exists in the activity's zone.
    """

    widget = LocalDateTimeInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        try:
            return datetime.datetime.fromisoformat(str(value).strip()).replace(tzinfo=None)
        except ValueError as error:
            raise ValidationError(_("Enter a date and time, like 2025-03-20 16:00.")) from error

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M")
        return value


class DateInput(forms.DateInput):
    input_type = "date"


class FocusChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # Only the focus an activity already serves is offered once dropped.
        return f"{obj.title} (dropped from the charter)" if obj.dropped_at else obj.title


class ActivityForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Kind.choices)
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy(
            "Learning walks and school visits need one: the question the visit is to answer."
        ),
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    learning_focus = FocusChoiceField(
        label=gettext_lazy("Learning focus"),
        queryset=LearningFocus.objects.none(),
        required=False,
        help_text=gettext_lazy("The focus of the network's charter it serves."),
    )
    starts_at = LocalDateTimeField(label=gettext_lazy("Starts"))
    ends_at = LocalDateTimeField(label=gettext_lazy("Ends"))
    time_zone = forms.ChoiceField(choices=TIME_ZONES, initial="Europe/London")
    all_day = forms.BooleanField(
        label=gettext_lazy("All day"),
        required=False,
        help_text=gettext_lazy(
            "Whole days, from the start's day to the end's day; the times are not used."
        ),
    )
    repeats = forms.ChoiceField(
        label=gettext_lazy("Repeats"),
        choices=[("", "Does not repeat"), *REPEATS, ("custom", "Custom rule (below)")],
        required=False,
    )
    repeat_count = forms.IntegerField(
        label=gettext_lazy("Number of dates"),
        min_value=1,
        max_value=MAX_OCCURRENCES,
        required=False,
        help_text=gettext_lazy(
            "For a repeating activity: how many dates, or give a last day instead."
        ),
    )
    repeat_until = forms.DateField(
        label=gettext_lazy("Repeats until"),
        widget=DateInput,
        required=False,
        help_text=gettext_lazy("The last day."),
    )
    recurrence = forms.CharField(
        label=gettext_lazy("Custom rule (iCalendar RRULE)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Only for a custom repeat. Monthly on the second Wednesday, ten times: "
            "FREQ=MONTHLY;BYDAY=2WE;COUNT=10"
        ),
    )
    exception_dates = forms.CharField(
        label=gettext_lazy("Dates the series skips"),
        required=False,
        help_text=gettext_lazy(
            "Dates like 2025-02-19, separated by commas (holidays, closure days)."
        ),
    )
    host_school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label=gettext_lazy("No host school")
    )
    place = forms.CharField(
        max_length=200, required=False, help_text=gettext_lazy("Room or address.")
    )
    online_url = forms.CharField(
        label=gettext_lazy("Online link"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("A web address starting https://, e.g. the video call."),
    )
    audience = forms.ChoiceField(choices=Audience.choices, initial=Audience.NETWORK)
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    roles = forms.MultipleChoiceField(
        choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    people = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Invited people"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
    )
    capacity = forms.IntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy("Leave empty for no limit; beyond it, a waiting list."),
    )
    rsvp_closes_at = LocalDateTimeField(label=gettext_lazy("RSVPs close"), required=False)
    cost = forms.DecimalField(min_value=0, max_digits=9, decimal_places=2, required=False)
    paid_by = forms.ChoiceField(
        label=gettext_lazy("Who pays"), choices=Payer.choices, initial=Payer.FREE
    )
    paying_school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label="—"
    )

    def __init__(
        self,
        *args,
        schools=None,
        groups=None,
        people=None,
        foci=None,
        focus_word="Learning focus",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        focus_field = self.fields["learning_focus"]
        # A Kāhui Ako calls its foci achievement challenges (docs/seed-practices.md#learning-foci).
        focus_field.label = focus_word
        focus_field.empty_label = f"No {focus_word.lower()}"
        focus_field.help_text = f"The {focus_word.lower()} of the network's charter it serves."
        if foci is not None:
            focus_field.queryset = foci
            if not foci.exists():
                focus_field.help_text = (
                    f"The network's charter has no {focus_word.lower()} to choose yet."
                )
        if schools is not None:
            self.fields["host_school"].queryset = schools
            self.fields["paying_school"].queryset = schools
        if groups is not None:
            self.fields["groups"].queryset = groups
        if people is not None:
            self.fields["people"].queryset = people

    def clean(self):
        data = super().clean()
        repeat = data.get("repeats")
        picked = dict(REPEATS)
        if repeat in picked and data.get("starts_at"):
            try:
                data["recurrence"] = rule_for(
                    repeat,
                    local_start=data["starts_at"],
                    count=data.get("repeat_count"),
                    until=data.get("repeat_until"),
                )
            except InvalidRecurrence as error:
                self.add_error("repeat_count", str(error))
        elif repeat == "" and "repeats" in self.data:
            if data.get("repeat_count") or data.get("repeat_until"):
                self.add_error(
                    "repeats", _("Choose how the activity repeats, or leave its end empty.")
                )
            data["recurrence"] = ""
        # With no choice sent at all, a typed rule is a custom one, as before the picker.
        for name in ("repeats", "repeat_count", "repeat_until"):
            data.pop(name, None)
        return data

    def clean_online_url(self):
        try:
            return clean_web_link(self.cleaned_data["online_url"])
        except InvalidLink as error:
            raise ValidationError(str(error)) from error

    def clean_exception_dates(self):
        try:
            return parse_exception_dates(self.cleaned_data["exception_dates"])
        except InvalidRecurrence as error:
            raise ValidationError(str(error)) from error


class MoveOccurrenceForm(forms.Form):
    starts_at = LocalDateTimeField(label=gettext_lazy("New start"))
    ends_at = LocalDateTimeField(label=gettext_lazy("New end"))


class RsvpForm(forms.Form):
    response = forms.ChoiceField(choices=[("going", "Going"), ("not_going", "Not going")])


class RegisterForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["present"].queryset = people


class FeedbackForm(forms.Form):
    what_we_saw = forms.CharField(
        label=gettext_lazy("What we saw"), widget=forms.Textarea(attrs={"rows": 3})
    )
    what_we_learned = forms.CharField(
        label=gettext_lazy("What we learned"), widget=forms.Textarea(attrs={"rows": 3})
    )
    what_we_will_try = forms.CharField(
        label=gettext_lazy("What we will try"), widget=forms.Textarea(attrs={"rows": 3})
    )
    feedback_to_host = forms.CharField(
        label=gettext_lazy("Feedback the host school received"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Action"), max_length=300)
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), empty_label=gettext_lazy("Owner")
    )
    due = forms.DateField(widget=DateInput, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class ReleaseRequestForm(forms.Form):
    sessions = forms.DecimalField(
        label=gettext_lazy("Half-day sessions of cover"),
        min_value=0.5,
        max_value=40,
        max_digits=4,
        decimal_places=1,
        help_text=gettext_lazy("A whole day is 2 sessions."),
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReleaseDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    amount = forms.DecimalField(
        label=gettext_lazy("Funding from the network budget"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        required=False,
    )
    note = forms.CharField(required=False, max_length=500)


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=DateInput, required=False)
    end = forms.DateField(label=gettext_lazy("To"), widget=DateInput, required=False)


class CommitmentForm(forms.Form):
    percent = forms.DecimalField(
        label=gettext_lazy("Attendance commitment (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
    )
