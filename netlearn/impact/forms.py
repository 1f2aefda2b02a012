"""Forms check shape; services decide."""

from django import forms

from .imports import FIELDS
from .models import DatasetKind, Level


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=DatasetKind.choices, widget=forms.RadioSelect
    )
    measure = forms.ModelChoiceField(queryset=None, label="Measure")
    dataset_name = forms.CharField(
        label="Dataset name",
        max_length=200,
        help_text="Importing again under the same name replaces the rows the file holds again.",
    )
    source = forms.CharField(
        max_length=300, required=False, help_text="Where the figures come from."
    )
    file = forms.FileField(label="CSV file", help_text="CSV, UTF-8 or Windows-1252, up to 50 MB.")

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class MappingForm(forms.Form):
    """One choice of column per field of the dataset's kind, and (pupils) context to keep."""

    def __init__(self, *args, kind: str, header: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = [("", "— not in this file —")] + [
            (str(index), name or f"(column {index + 1})") for index, name in enumerate(header)
        ]
        for spec in FIELDS[kind]:
            self.fields[f"map_{spec.key}"] = forms.ChoiceField(
                label=spec.label + (" (required)" if spec.required else ""),
                choices=choices,
                required=False,
                initial=str(initial_mapping[spec.key]) if spec.key in initial_mapping else "",
                help_text=spec.help,
            )
        if kind == DatasetKind.PUPIL:
            self.fields["extra"] = forms.MultipleChoiceField(
                label="Other columns to keep as pupil context",
                choices=choices[1:],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="E.g. school type, for a formula such as “outcome ~ prior + schgend + "
                "(1|school)”. Never names or dates of birth.",
            )
        self.fields["comparison"] = forms.BooleanField(
            label="The file also holds comparison schools outside the network",
            required=False,
            help_text="They are matched against the school register, used for peers and "
            + (
                "the schools a model sets the network against"
                if kind == DatasetKind.PUPIL
                else "quartiles"
            )
            + ", and never named.",
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
    name = forms.CharField(max_length=200)
    code = forms.SlugField(max_length=60, help_text="Short and unique, e.g. ks2-rwm-higher.")
    unit = forms.CharField(max_length=40, help_text="e.g. %, points, scaled score.")
    higher_is_better = forms.BooleanField(required=False, initial=True)
    level = forms.ChoiceField(choices=Level.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RunForm(forms.Form):
    formula = forms.CharField(
        max_length=500,
        help_text="lme4's syntax: outcome ~ prior + fsm + sex + (1|school). Columns: outcome, "
        "prior, fsm, sen, eal, sex, year, school, the file's own column names, and kept context.",
    )
    ml = forms.BooleanField(
        label="Maximum likelihood (ML) instead of REML", required=False, initial=False
    )


class BandForm(forms.Form):
    low = forms.FloatField(min_value=0, max_value=1000, required=False)
    high = forms.FloatField(min_value=0, max_value=1000, required=False)


class LinkForm(forms.Form):
    goal = forms.IntegerField(min_value=1, max_value=9_223_372_036_854_775_807)
    measure = forms.IntegerField(min_value=1, max_value=9_223_372_036_854_775_807, required=False)
