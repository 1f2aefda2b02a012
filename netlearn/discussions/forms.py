"""Forms check shape; the services decide."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netlearn.accounts.models import Kind, Person
from netlearn.core.intake import MAX_PUPIL_FILE_BYTES

from .models import Audience, Moderation, ReportReason


class SpaceForm(forms.Form):
    title = forms.CharField(max_length=150)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    audience = forms.ChoiceField(choices=Audience.choices)
    school = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Every school of the network"),
        help_text=gettext_lazy(
            "Pupil and parent spaces: one school's community, or every school's."
        ),
    )
    group = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=gettext_lazy("No group")
    )
    moderation = forms.ChoiceField(
        choices=Moderation.choices,
        initial=Moderation.ALL_POSTS,
        help_text=gettext_lazy("Pupil spaces start with every post held for a moderator."),
    )

    def __init__(self, *args, schools, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["group"].queryset = groups


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one field (Django's documented recipe); the service checks each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


ATTACHMENT_HELP = "Optional: up to 5 files (PDF, office documents, images, audio, video, text)."


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "You can use Markdown: **bold**, *italic*, lists and links. "
            "Mention a colleague with @ and their username."
        ),
    )
    attachments = AttachmentsField(label=gettext_lazy("Attach files"), help_text=ATTACHMENT_HELP)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    attachments = AttachmentsField(label=gettext_lazy("Attach files"), help_text=ATTACHMENT_HELP)


class EditForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(key, key) for key in ("approve", "reject", "remove", "restore")]
    )
    note = forms.CharField(max_length=400, required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=gettext_lazy("Tell us more (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=400, required=False)


class ParentInviteForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(
        help_text=gettext_lazy("They get an email with a link to choose a password.")
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=gettext_lazy("What was done"), max_length=2000)


class ModerationModeForm(forms.Form):
    moderation = forms.ChoiceField(choices=Moderation.choices)


class ModeratorForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=gettext_lazy("Add a moderator")
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.exclude(kind=Kind.PUPIL)


class NetworkSettingsForm(forms.Form):
    blocked_words = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        help_text=gettext_lazy(
            "One word or phrase a line. A post that contains one waits for a moderator."
        ),
    )
    retention_days = forms.IntegerField(
        label=gettext_lazy("Keep pupil discussion for (days)"), min_value=30, max_value=3650
    )


class PollForm(forms.Form):
    question = forms.CharField(max_length=300)
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=gettext_lazy("One option a line; at least two."),
    )
    year_groups = forms.CharField(
        max_length=100,
        required=False,
        help_text=gettext_lazy("Who may vote, e.g. 7, 8. Blank: every year."),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def option_list(self) -> list[str]:
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]


class VoteForm(forms.Form):
    option = forms.ModelChoiceField(
        queryset=None, widget=forms.RadioSelect, empty_label=None, label=gettext_lazy("Your choice")
    )

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = poll.options.all()


class PupilImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV of pupils"),
        help_text=gettext_lazy("Columns: first name, year group, class. No email addresses."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PUPIL_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 200 KB."))
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as CSV (UTF-8) and try again.")) from None


class PublicNameForm(forms.Form):
    public_name = forms.CharField(
        max_length=60,
        required=False,
        help_text=gettext_lazy(
            "What pupils and staff of other schools see. Blank: first name and school."
        ),
    )
