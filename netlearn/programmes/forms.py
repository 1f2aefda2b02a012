"""Forms check shape; the services decide. Choices come from the network's own schools and
people, filled by the view through the selectors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from netlearn.activities.forms import LocalDateTimeField

from .models import InductionKind, RelationshipKind

DATE = forms.DateInput(attrs={"type": "date"})


class NetworkChoicesForm(forms.Form):
    """A form whose person and school fields list the network's own (set by `fill`)."""

    person_fields: tuple[str, ...] = ()
    school_fields: tuple[str, ...] = ()

    def __init__(self, *args, people=None, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.person_fields:
            self.fields[name].queryset = people
        for name in self.school_fields:
            self.fields[name].queryset = schools


def _person(label, required=True):
    return forms.ModelChoiceField(queryset=None, label=label, required=required)


def _school(label, required=True):
    return forms.ModelChoiceField(queryset=None, label=label, required=required)


class ProgrammeForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(widget=forms.Textarea, required=False, label=_("Description"))


class WaveForm(NetworkChoicesForm):
    school_fields = ("schools",)
    starts_on = forms.DateField(widget=DATE, label=_("Starts on"))
    ends_on = forms.DateField(widget=DATE, label=_("Ends on"))
    audience = forms.CharField(
        max_length=200,
        required=False,
        help_text=_("Who the wave is for, e.g. headteachers."),
        label=_("Audience"),
    )
    schools = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Schools"),
    )


class WaveSchoolForm(NetworkChoicesForm):
    school_fields = ("school",)
    school = _school(_("School"))


class CoachForm(NetworkChoicesForm):
    person_fields = ("person",)
    school_fields = ("school",)
    person = _person(_("Coach"))
    school = _school(_("School they coach"), required=False)


class TraineeForm(NetworkChoicesForm):
    person_fields = ("person",)
    school_fields = ("school",)
    person = _person(_("Person trained"))
    school = _school(_("Their school"))


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))


class RelationshipForm(NetworkChoicesForm):
    person_fields = ("supporter", "supported")
    school_fields = ("supporting_school", "supported_school")
    kind = forms.ChoiceField(choices=RelationshipKind.choices, label=_("Kind"))
    supporter = _person(_("Coach, mentor or supporting school's contact"))
    supported = _person(_("Coachee, new head or supported school's contact"))
    supporting_school = _school(_("Supporting school"), required=False)
    supported_school = _school(_("Supported school"), required=False)
    purpose = forms.CharField(widget=forms.Textarea, label=_("Purpose"))
    starts_on = forms.DateField(widget=DATE, label=_("Starts on"))
    ends_on = forms.DateField(widget=DATE, required=False, label=_("Ends on"))


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea, label=_("Note (only the pair and co-ordinators)"))


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(widget=forms.Textarea, required=False, label=_("Description"))
    capacity = forms.IntegerField(min_value=1, max_value=500, label=_("Places in the cohort"))
    places_per_school = forms.IntegerField(min_value=1, max_value=500, label=_("Places per school"))
    modules = forms.CharField(
        widget=forms.Textarea,
        help_text=_("One module a line, in order."),
        required=True,
        label=_("Modules"),
    )
    sessions_to_complete = forms.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Sessions to attend to complete; empty: every module's session."),
        label=_("Sessions to complete"),
    )


class EnrolForm(NetworkChoicesForm):
    person_fields = ("person",)
    school_fields = ("school",)
    person = _person(_("Participant"))
    school = _school(_("Their school"))
    waiting_list = forms.BooleanField(
        required=False, initial=True, label=_("Put them on the waiting list if the cohort is full")
    )


class CascadeForm(NetworkChoicesForm):
    person_fields = ("colleague",)
    school_fields = ("school",)
    colleague = _person(_("Colleague trained"))
    school = _school(_("Their school"))
    trained_on = forms.DateField(widget=DATE, label=_("Trained on"))
    what = forms.CharField(max_length=300, required=False, label=_("What"))


class EvidenceForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea, label=_("Evidence of learning"))


class InductionForm(NetworkChoicesForm):
    person_fields = ("newcomer", "mentor")
    school_fields = ("school",)
    kind = forms.ChoiceField(choices=InductionKind.choices, label=_("Kind"))
    newcomer = _person(_("New head (or the new school's head)"))
    school = _school(_("School"))
    mentor = _person(_("Mentor"), required=False)


class MentorForm(NetworkChoicesForm):
    person_fields = ("mentor",)
    mentor = _person(_("Mentor"))


class ChecklistForm(forms.Form):
    steps = forms.CharField(
        widget=forms.Textarea, help_text=_("One step a line, in order."), label=_("Steps")
    )
