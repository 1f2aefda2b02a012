"""Forms check the shape of input; services decide whether the change is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JudgementLevel, SurveyAudience, SurveyMode

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

OWN_QUESTIONS_HELP = (
    "Questions of your own, one a line, each starting with its kind: “agree: …” (1 to 5), "
    "“text: …” (free text), “order: question | first option; second option; …”, "
    "“people: …” or “schools: …” (choose from the network's own)."
)
PREFIXES = {
    "agree": "likert",
    "text": "free_text",
    "order": "ranking",
    "people": "name_generator",
    "schools": "name_generator",
}


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=200)
    audience = forms.ChoiceField(choices=SurveyAudience.choices, label=_("Who it is for"))
    mode = forms.ChoiceField(choices=SurveyMode.choices, initial=SurveyMode.ANONYMOUS)
    wave = forms.CharField(
        max_length=60, required=False, help_text=_("Such as Autumn 2026: results compare waves.")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DATETIME_WIDGET,
        error_messages={"invalid": _("Enter a date and time, such as 2027-03-03 16:00.")},
    )
    threshold = forms.IntegerField(
        min_value=3,
        max_value=50,
        initial=6,
        label=_("Results threshold"),
        help_text=_("A school or role with fewer responses than this shows c in the results."),
    )
    framework = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label=_("No framework: choose questions below"),
        help_text=_("Asks every question of the framework (for pupils, those worded for them)."),
    )
    items = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Questions from the banks"),
        help_text=_("Chosen questions replace the framework's full set."),
    )
    own_questions = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=OWN_QUESTIONS_HELP,
    )

    def __init__(self, *args, frameworks=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda item: (
            f"{item.framework.name} · {item.dimension.name}: {item.text}"
        )

    def clean_own_questions(self) -> list[dict]:
        questions = []
        for line in self.cleaned_data["own_questions"].splitlines():
            line = line.strip()
            if not line:
                continue
            prefix, _colon, rest = line.partition(":")
            kind = PREFIXES.get(prefix.strip().casefold())
            if kind is None or not rest.strip():
                raise forms.ValidationError(
                    _("Start “%(line)s” with its kind: agree, text, order, people or schools.")
                    % {"line": line[:60]}
                )
            question = {"kind": kind, "text": rest.strip(), "options": [], "names": ""}
            if kind == "ranking":
                text, _bar, options = rest.partition("|")
                question["text"] = text.strip()
                question["options"] = [option.strip() for option in options.split(";")]
            if kind == "name_generator":
                question["names"] = prefix.strip().casefold()
            questions.append(question)
        return questions


class JudgementForm(forms.Form):
    dimension = forms.ModelChoiceField(queryset=None)
    wave = forms.CharField(max_length=60, help_text=_("Such as Summer 2027."))
    level = forms.ChoiceField(choices=JudgementLevel.choices)
    summary = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("What the evidence shows"),
    )
    evidence = forms.CharField(
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Links to the network's own pages, one a line: activities, enquiries, "
            "accounts, outcomes."
        ),
    )
    next_step = forms.CharField(
        required=False,
        max_length=500,
        label=_("What follows"),
        help_text=_("The action that follows: add it to the charter or plan it as an activity."),
    )
    next_target = forms.ChoiceField(
        required=False,
        label=_("Where it goes"),
        help_text=_("A learning focus or goal of the network's charter, or one of its activities."),
    )

    def __init__(self, *args, dimensions=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_target"].choices = [("", "Not linked yet")] + [
            (target.key, target.label) for target in targets
        ]
        self.fields["dimension"].queryset = dimensions
        self.fields["dimension"].label_from_instance = lambda dimension: (
            f"{dimension.framework.name}: {dimension.name}"
        )

    def clean_evidence(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]
