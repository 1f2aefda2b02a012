"""Forms check shape; the services decide (and judge files by their content)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netlearn.charter.models import LearningFocus
from netlearn.core.widgets import QuickSelect

from .models import CRITERIA, Licence, ResourceKind, Sharing, Stage, Subject
from .uploads import allowed_labels, max_bytes

RATING_CHOICES = [(value, str(value)) for value in range(5, 0, -1)]


def _file_help() -> str:
    return f"Up to {max_bytes() // (1024 * 1024)} MB. Accepted: {allowed_labels()}."


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=ResourceKind.choices)
    stages = forms.MultipleChoiceField(
        label=gettext_lazy("Key stages / year levels"),
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subjects = forms.MultipleChoiceField(
        choices=Subject.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
    )
    learning_focus = forms.CharField(max_length=200, required=False)
    focus = forms.ModelChoiceField(
        label=gettext_lazy("Learning focus of the charter"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— none —"),
        help_text=gettext_lazy(
            "The charter's focus the resource serves: it then shows on the focus's "
            "golden thread once endorsed."
        ),
    )
    tags = forms.CharField(
        max_length=300, required=False, help_text=gettext_lazy("Keywords, with commas.")
    )
    link = forms.URLField(
        label=gettext_lazy("Web link"), max_length=500, required=False, assume_scheme="https"
    )
    licence = forms.ChoiceField(choices=Licence.choices, initial=Licence.CC_BY)
    sharing = forms.ChoiceField(
        label=gettext_lazy("Shared with"), choices=Sharing.choices, initial=Sharing.NETWORK
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Other networks (when shared with several)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, networks, foci=None, with_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = networks
        self.fields["focus"].queryset = foci if foci is not None else LearningFocus.objects.none()
        if with_file:
            self.fields["upload"] = forms.FileField(
                label=_("File (optional)"), required=False, help_text=_file_help()
            )


class FileForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("File"))
    replaces = forms.ModelChoiceField(
        label=gettext_lazy("New version of"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— a new file —"),
        help_text=gettext_lazy("The earlier version is kept in the history."),
    )
    note = forms.CharField(label=gettext_lazy("What changed"), max_length=300, required=False)

    def __init__(self, *args, current_files, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = current_files
        self.fields["upload"].help_text = _file_help()


class TrialForm(forms.Form):
    year_group = forms.CharField(
        label=gettext_lazy("Class (year group)"),
        max_length=60,
        help_text=gettext_lazy("For example, Year 5 set 2."),
    )
    class_size = forms.IntegerField(
        label=gettext_lazy("Pupils in the class"), min_value=1, max_value=500
    )
    trialled_on = forms.DateField(
        label=gettext_lazy("Date of the trial"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    how_it_went = forms.CharField(
        label=gettext_lazy("How it went"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )
    adaptations = forms.CharField(
        label=gettext_lazy("Adaptations made"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )
    would_recommend = forms.BooleanField(
        label=gettext_lazy("I would recommend it"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=_("%(label)s (5 = best)") % {"label": label},
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields["trialled_on"].initial = timezone.localdate()


class SettingsForm(forms.Form):
    min_trials = forms.IntegerField(label=gettext_lazy("Trials needed"), min_value=1, max_value=50)
    min_schools = forms.IntegerField(
        label=gettext_lazy("Schools needed (other than the author's)"), min_value=1, max_value=50
    )
    min_mean_rating = forms.DecimalField(
        label=gettext_lazy("Lowest mean rating (of 5)"), min_value=1, max_value=5, decimal_places=1
    )
    curator_group = forms.ModelChoiceField(
        label=gettext_lazy("Library group (curators besides the co-leaders)"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator_group"].queryset = groups


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), max_length=200, required=False)
    stage = forms.ChoiceField(
        label=gettext_lazy("Key stage"),
        choices=[("", "Any")] + list(Stage.choices),
        required=False,
        widget=QuickSelect,
    )
    subject = forms.ChoiceField(
        choices=[("", "Any")] + list(Subject.choices), required=False, widget=QuickSelect
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=[("", "Any")] + list(ResourceKind.choices),
        required=False,
        widget=QuickSelect,
    )
    school = forms.TypedChoiceField(
        label=gettext_lazy("School"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=QuickSelect,
    )
    endorsed = forms.BooleanField(label=gettext_lazy("Endorsed only"), required=False)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].choices = [("", "Any")] + [(s.pk, s.name) for s in schools]
