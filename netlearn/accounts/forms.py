from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from netlearn.core.languages import choices

from . import services


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email or username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, which finds the accounts of the address; their mail waits for the
    commit and goes from the task worker, like every other email."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        services.ask_for_password_reset(person=context["user"])


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    bio = forms.CharField(
        label=_("Bio"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines on what you teach and what you could help others with."),
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated, e.g. “KS2 writing, lesson study, coaching”."),
    )

    def clean_expertise(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["expertise"].split(",") if tag.strip()]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “MIS sync”.")
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )


class EraseForm(forms.Form):
    """Erasure cannot be undone: the admin types the person's username to confirm it."""

    confirmation = forms.CharField(max_length=150, label=_("Type their username to confirm"))

    def __init__(self, *args, username: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].strip()
        if typed != self.username:
            raise forms.ValidationError(
                _("Type the username “%(username)s” exactly to erase this person.")
                % {"username": self.username}
            )
        return typed


class LanguageForm(forms.Form):
    """The switcher in the frame: one of the languages, or blank for the network's."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As my network"))] + choices()
