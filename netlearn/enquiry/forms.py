"""Forms check the shape of what was sent; the services decide whether the network's rules allow
it."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ActDecision, Audience, Method, RuleSet, SpiralPhase, Stage

DATE = forms.DateInput(attrs={"type": "date"})


class EnquiryForm(forms.Form):
    question = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(choices=Method.choices)
    group = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Group or triad"))
    focus = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Learning focus")
    )
    goal = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Charter goal (PDSA: take the measure from it)"),
    )
    schools = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty to take the schools of the group's members."),
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    started = forms.DateField(required=False, widget=DATE)
    ends = forms.DateField(required=False, widget=DATE)
    measure = forms.CharField(required=False, max_length=300, label=gettext_lazy("Measure (PDSA)"))
    measure_unit = forms.CharField(
        required=False, max_length=40, label=gettext_lazy("Unit of the measure")
    )

    def __init__(self, *args, groups, foci, goals, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["focus"].queryset = foci
        self.fields["goal"].queryset = goals
        self.fields["schools"].queryset = schools


class EnquiryEditForm(EnquiryForm):
    stage = forms.ChoiceField(choices=Stage.choices)
    baseline_points = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        label=gettext_lazy("Run-chart baseline (number of first points)"),
    )
    run_chart_rules = forms.ChoiceField(
        choices=[("", gettext_lazy("The network's default")), *RuleSet.choices],
        required=False,
        label=gettext_lazy("Run-chart rules"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("method", "group", "started"):
            del self.fields[name]


class CasePupilForm(forms.Form):
    code = forms.CharField(
        max_length=8,
        help_text=gettext_lazy("One to eight letters or digits, e.g. A or P1. Never a name."),
    )
    description = forms.CharField(
        max_length=200,
        help_text=gettext_lazy(
            "A short description without a name, e.g. 'Year 4 girl, fluent reader, "
            "avoids written methods'."
        ),
    )


class LessonForm(forms.Form):
    learning_goal = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    taught_on = forms.DateField(
        required=False, widget=DATE, label=gettext_lazy("Date of the lesson")
    )
    teacher = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("Taught by"))

    def __init__(self, *args, pupils, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = people
        self.pupils = list(pupils)
        for pupil in self.pupils:
            self.fields[f"prediction_{pupil.pk}"] = forms.CharField(
                required=False,
                label=_("What we predict pupil %(code)s will do") % {"code": pupil.code},
                help_text=pupil.description,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def predictions(self) -> dict[int, str]:
        return {
            pupil.pk: self.cleaned_data.get(f"prediction_{pupil.pk}", "") for pupil in self.pupils
        }


class ObservationForm(forms.Form):
    case_pupil = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, label=gettext_lazy("Pupil")
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        label=gettext_lazy("What you saw"),
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_pupil"].choices = [
            (pupil.pk, f"{pupil.code} · {pupil.description}") for pupil in pupils
        ]


class DiscussionForm(forms.Form):
    discussion = forms.CharField(
        label=gettext_lazy("Post-lesson discussion"), widget=forms.Textarea(attrs={"rows": 5})
    )
    next_changes = forms.CharField(
        required=False,
        label=gettext_lazy("What changes for the next lesson"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SpiralForm(forms.Form):
    phase = forms.ChoiceField(choices=SpiralPhase.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CycleForm(forms.Form):
    change = forms.CharField(max_length=300, label=gettext_lazy("The change we are testing"))
    prediction = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    plan = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    started = forms.DateField(required=False, widget=DATE)


class CycleUpdateForm(forms.Form):
    do_notes = forms.CharField(
        required=False,
        label=gettext_lazy("Do: what happened"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    study_notes = forms.CharField(
        required=False,
        label=gettext_lazy("Study: what the data show"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Act"),
        choices=[("", gettext_lazy("Not decided yet")), *ActDecision.choices],
    )


class DataPointForm(forms.Form):
    measured_on = forms.DateField(widget=DATE, label=gettext_lazy("Measured on"))
    # Text, so that the service can say plainly why "twelve" is not a value.
    value = forms.CharField(
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Leave empty if it was not measured that time, and say why in the note."
        ),
    )
    note = forms.CharField(required=False, max_length=300)
    starts_phase = forms.BooleanField(
        required=False,
        label=gettext_lazy("A change was adopted: start a new phase (and median) here"),
    )


class RunChartRulesForm(forms.Form):
    rules = forms.ChoiceField(
        choices=RuleSet.choices, label=gettext_lazy("Run-chart rules for this network")
    )


class SubQuestionForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    question = forms.CharField(max_length=300, label=gettext_lazy("Sub-question"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class FindingsForm(forms.Form):
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    review = forms.CharField(
        label=gettext_lazy("Combined review"), widget=forms.Textarea(attrs={"rows": 4})
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField()
    is_pupil_work = forms.BooleanField(
        required=False,
        label=gettext_lazy("This is a photograph of pupils' work"),
        help_text=gettext_lazy("Before uploading, remove or cover pupils' faces and names."),
    )


class AccountForm(forms.Form):
    title = forms.CharField(max_length=200)
    question = forms.CharField(
        label=gettext_lazy("The question we investigated"), widget=forms.Textarea(attrs={"rows": 2})
    )
    what_we_tried = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    what_we_learned = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    what_others_could_try = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.ChoiceField(
        choices=Audience.choices, label=gettext_lazy("Who may read it when published")
    )


class FilterForm(forms.Form):
    focus = forms.ModelChoiceField(queryset=None, required=False)
    method = forms.ChoiceField(
        choices=[("", gettext_lazy("Any method")), *Method.choices], required=False
    )
    stage = forms.ChoiceField(
        choices=[("", gettext_lazy("Any stage")), *Stage.choices], required=False
    )
    school = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, foci, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus"].queryset = foci
        self.fields["school"].queryset = schools

    def values(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "focus": data["focus"].pk if data.get("focus") else None,
            "method": data.get("method"),
            "stage": data.get("stage"),
            "school": data["school"].pk if data.get("school") else None,
        }
