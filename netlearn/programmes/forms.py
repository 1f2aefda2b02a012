"""Forms check shape; the services decide. Choices come from the network's own schools and
people, filled by the view through the selectors."""

from django import forms

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
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea, required=False)


class WaveForm(NetworkChoicesForm):
    school_fields = ("schools",)
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE)
    audience = forms.CharField(
        max_length=200, required=False, help_text="Who the wave is for, e.g. headteachers."
    )
    schools = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )


class WaveSchoolForm(NetworkChoicesForm):
    school_fields = ("school",)
    school = _school("School")


class CoachForm(NetworkChoicesForm):
    person_fields = ("person",)
    school_fields = ("school",)
    person = _person("Coach")
    school = _school("School they coach", required=False)


class TraineeForm(NetworkChoicesForm):
    person_fields = ("person",)
    school_fields = ("school",)
    person = _person("Person trained")
    school = _school("Their school")


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_at = LocalDateTimeField(label="Starts")
    ends_at = LocalDateTimeField(label="Ends")


class RelationshipForm(NetworkChoicesForm):
    person_fields = ("supporter", "supported")
    school_fields = ("supporting_school", "supported_school")
    kind = forms.ChoiceField(choices=RelationshipKind.choices)
    supporter = _person("Coach, mentor or supporting school's contact")
    supported = _person("Coachee, new head or supported school's contact")
    supporting_school = _school("Supporting school", required=False)
    supported_school = _school("Supported school", required=False)
    purpose = forms.CharField(widget=forms.Textarea)
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE, required=False)


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea, label="Note (only the pair and co-ordinators)")


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea, required=False)
    capacity = forms.IntegerField(min_value=1, max_value=500, label="Places in the cohort")
    places_per_school = forms.IntegerField(min_value=1, max_value=500)
    modules = forms.CharField(
        widget=forms.Textarea, help_text="One module a line, in order.", required=True
    )
    sessions_to_complete = forms.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        help_text="Sessions to attend to complete; empty: every module's session.",
    )


class EnrolForm(NetworkChoicesForm):
    person_fields = ("person",)
    school_fields = ("school",)
    person = _person("Participant")
    school = _school("Their school")
    waiting_list = forms.BooleanField(
        required=False, initial=True, label="Put them on the waiting list if the cohort is full"
    )


class CascadeForm(NetworkChoicesForm):
    person_fields = ("colleague",)
    school_fields = ("school",)
    colleague = _person("Colleague trained")
    school = _school("Their school")
    trained_on = forms.DateField(widget=DATE)
    what = forms.CharField(max_length=300, required=False)


class EvidenceForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea, label="Evidence of learning")


class InductionForm(NetworkChoicesForm):
    person_fields = ("newcomer", "mentor")
    school_fields = ("school",)
    kind = forms.ChoiceField(choices=InductionKind.choices)
    newcomer = _person("New head (or the new school's head)")
    school = _school("School")
    mentor = _person("Mentor", required=False)


class MentorForm(NetworkChoicesForm):
    person_fields = ("mentor",)
    mentor = _person("Mentor")


class ChecklistForm(forms.Form):
    steps = forms.CharField(widget=forms.Textarea, help_text="One step a line, in order.")
