"""Forms check shape; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .imports import FIELDS
from .models import DatasetKind, Level


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=DatasetKind.choices, widget=forms.RadioSelect
    )
    measure = forms.ModelChoiceField(queryset=None, label=_("Measure"))
    dataset_name = forms.CharField(
        label=_("Dataset name"),
        max_length=200,
        help_text=_("Importing again under the same name replaces the rows the file holds again."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("Where the figures come from."),
    )
    file = forms.FileField(
        label=_("CSV file"), help_text=_("CSV, UTF-8 or Windows-1252, up to 50 MB.")
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class MappingForm(forms.Form):
    """One choice of column per field of the dataset's kind, and (pupils) context to keep."""

    def __init__(self, *args, kind: str, header: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = [("", _("— not in this file —"))] + [
            (str(index), name or _("(column %(number)s)") % {"number": index + 1})
            for index, name in enumerate(header)
        ]
        for spec in FIELDS[kind]:
            self.fields[f"map_{spec.key}"] = forms.ChoiceField(
                label=(
                    _("%(field)s (required)") % {"field": spec.label}
                    if spec.required
                    else spec.label
                ),
                choices=choices,
                required=False,
                initial=str(initial_mapping[spec.key]) if spec.key in initial_mapping else "",
                help_text=spec.help,
            )
        if kind == DatasetKind.PUPIL:
            self.fields["extra"] = forms.MultipleChoiceField(
                label=_("Other columns to keep as pupil context"),
                choices=choices[1:],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "E.g. school type, for a formula such as “outcome ~ prior + schgend + "
                    "(1|school)”. Never names or dates of birth."
                ),
            )
        self.fields["comparison"] = forms.BooleanField(
            label=_("The file also holds comparison schools outside the network"),
            required=False,
            help_text=(
                _(
                    "They are matched against the school register, used for peers and the "
                    "schools a model sets the network against, and never named."
                )
                if kind == DatasetKind.PUPIL
                else _(
                    "They are matched against the school register, used for peers and "
                    "quartiles, and never named."
                )
            ),
        )

    def mapping(self) -> dict[str, int]:
        data = self.cleaned_data
        return {
            spec.key: int(data[f"map_{spec.key}"])
            for spec in FIELDS[self.kind]
            if data.get(f"map_{spec.key}")
        }

    def extra(self) -> list[int]:
        return [int(value) for value in self.cleaned_data.get("extra") or []]

    def comparison(self) -> bool:
        return bool(self.cleaned_data.get("comparison"))


class MeasureForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("Short and unique, e.g. ks2-rwm-higher.")
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=40, help_text=_("e.g. %, points, scaled score.")
    )
    higher_is_better = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RunForm(forms.Form):
    formula = forms.CharField(
        label=_("Formula"),
        max_length=500,
        help_text=_(
            "lme4's syntax: outcome ~ prior + fsm + sex + (1|school). Columns: outcome, "
            "prior, fsm, sen, eal, sex, year, school, the file's own column names, "
            "and kept context."
        ),
    )
    ml = forms.BooleanField(
        label=_("Maximum likelihood (ML) instead of REML"), required=False, initial=False
    )


class BandForm(forms.Form):
    low = forms.FloatField(min_value=0, max_value=1000, required=False)
    high = forms.FloatField(min_value=0, max_value=1000, required=False)


class LinkForm(forms.Form):
    goal = forms.IntegerField(min_value=1, max_value=9_223_372_036_854_775_807)
    measure = forms.IntegerField(min_value=1, max_value=9_223_372_036_854_775_807, required=False)
