"""Forms check the shape of input; services decide whether the change is allowed."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MAX_SCORE, ConsentRule, Method, Stance

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_MESSAGES = {"invalid": "Enter a date and time, such as 2027-03-03 16:00."}


def _closes_field():
    return forms.DateTimeField(
        label=_("Closes"),
        widget=DATETIME_WIDGET,
        error_messages=DATETIME_MESSAGES,
        help_text=_("After this the group's positions are counted (or close it early)."),
    )


class ProposalForm(forms.Form):
    group = forms.ModelChoiceField(
        queryset=None,
        label=_("Deciding group"),
        help_text=_("Its members decide; the network reads."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Proposal"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    method = forms.ChoiceField(label=_("How the group decides"), choices=Method.choices)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One option a line (a vote, ranked choice or scores). Time polls: one time a "
            "line, such as 2027-03-03 16:00. Consent needs none."
        ),
    )
    is_secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        help_text=_(
            "Votes, ranked choice and scores only: nobody sees who chose what, and the "
            "count shows after closing."
        ),
    )
    closes_at = _closes_field()
    activity = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Decided at"),
        empty_label=_("Not at a meeting"),
        help_text=_(
            "The meeting where it is decided: its page lists the decision beside its notes."
        ),
    )
    concerns_charter = forms.BooleanField(
        label=_("Concerns the charter"),
        required=False,
        help_text=_("Listed on the charter's page."),
    )

    def __init__(self, *args, groups=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["activity"].queryset = meetings

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        data["option_labels"], data["starts"] = lines, None
        if data.get("method") == Method.TIME_POLL:
            starts = []
            for line in lines:
                try:
                    start = datetime.datetime.fromisoformat(line.replace(" ", "T", 1))
                except ValueError:
                    raise forms.ValidationError(
                        _("“%(line)s” is not a time: write it like 2027-03-03 16:00.")
                        % {"line": line[:40]}
                    ) from None
                if timezone.is_naive(start):
                    start = timezone.make_aware(start)
                starts.append(start)
            data["option_labels"], data["starts"] = [], starts
        return data


class FilingForm(forms.Form):
    activity = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Decided at"), empty_label=_("Not at a meeting")
    )
    concerns_charter = forms.BooleanField(label=_("Concerns the charter"), required=False)

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = meetings


class ReviseForm(forms.Form):
    text = forms.CharField(
        label=_("Revised proposal"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    change_note = forms.CharField(
        label=_("What changed"), max_length=500, help_text=_("How the revision answers the block.")
    )
    closes_at = _closes_field()


class GroupRuleForm(forms.Form):
    consent_rule = forms.ChoiceField(label=_("Consent rule"), choices=ConsentRule.choices)
    quorum_percent = forms.IntegerField(
        label=_("Quorum (%)"),
        min_value=1,
        max_value=100,
        initial=50,
        help_text=_("With a quorum: the share of the group that must give a position."),
    )


STANCE_CHOICES = [(stance.value, stance.label) for stance in Stance]


class PositionForm(forms.Form):
    """One form for every method; the fields shown depend on it (see `for_method`)."""

    stance = forms.ChoiceField(
        label=_("Your position"), choices=STANCE_CHOICES, required=False, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for a block: what would make the proposal acceptable to you?"),
    )

    def __init__(self, *args, proposal, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = proposal.method
        self.options = options
        if self.method == Method.CONSENT:
            self.fields["stance"].required = True
            return
        del self.fields["stance"], self.fields["reason"]
        choices = [(str(option.pk), option.label) for option in options]
        if self.method == Method.VOTE:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your vote"), choices=choices, widget=forms.RadioSelect
            )
        elif self.method == Method.TIME_POLL:
            self.fields["choice"] = forms.MultipleChoiceField(
                label=_("Times you can come"),
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        elif self.method == Method.RANKED:
            ranks = [("", _("Not ranked"))] + [(str(n), str(n)) for n in range(1, len(options) + 1)]
            for option in options:
                self.fields[f"rank_{option.pk}"] = forms.ChoiceField(
                    label=_("Rank for %(option)s") % {"option": option.label},
                    choices=ranks,
                    required=False,
                )
        elif self.method == Method.SCORE:
            scores = [(str(n), str(n)) for n in range(MAX_SCORE + 1)]
            for option in options:
                self.fields[f"score_{option.pk}"] = forms.TypedChoiceField(
                    label=_("Score for %(option)s") % {"option": option.label},
                    choices=scores,
                    coerce=int,
                )

    def clean(self):
        data = super().clean()
        data["choice_ids"], data["scores"] = [], {}
        if self.method in (Method.VOTE, Method.TIME_POLL):
            raw = data.get("choice") or []
            data["choice_ids"] = [int(value) for value in ([raw] if isinstance(raw, str) else raw)]
        elif self.method == Method.RANKED:
            ranked = {}
            for option in self.options:
                rank = data.get(f"rank_{option.pk}")
                if rank:
                    if rank in ranked:
                        raise forms.ValidationError(_("Give each rank to one option only."))
                    ranked[rank] = option.pk
            data["choice_ids"] = [ranked[rank] for rank in sorted(ranked, key=int)]
        elif self.method == Method.SCORE:
            data["scores"] = {
                option.pk: data.get(f"score_{option.pk}")
                for option in self.options
                if data.get(f"score_{option.pk}") is not None
            }
        return data
