"""Forms check the shape of input; services decide whether the change is allowed."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms.models import ModelChoiceIterator
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netlearn.accounts import selectors as account_selectors
from netlearn.core.languages import choices as language_choices
from netlearn.core.widgets import QuickSelect

from .country import profile_of
from .imports import MAX_FILE_BYTES
from .models import (
    SCHOOL_PROFILE_FIELDS,
    GroupKind,
    Network,
    Phase,
    PostLevel,
    Role,
    School,
    Setting,
)


class DateInput(forms.DateInput):
    input_type = "date"


class _OneQueryChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """Reads its choices in one plain query. Django's own reads them with `.iterator()`, which on
    PostgreSQL outside a transaction opens a server-side cursor (DECLARE … WITH HOLD, FETCH,
    CLOSE): three round trips and a materialised result for a list of a few dozen schools."""

    iterator = _OneQueryChoiceIterator


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or URN"), required=False)
    phase = forms.ChoiceField(
        choices=[("", gettext_lazy("Any phase")), *Phase.choices],
        required=False,
        widget=QuickSelect,
    )
    setting = forms.ChoiceField(
        label=gettext_lazy("Urban or rural"),
        choices=[("", "Either"), *Setting.choices],
        required=False,
        widget=QuickSelect,
    )
    authority = forms.CharField(label=gettext_lazy("Authority or region"), required=False)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name"), required=False)
    expertise = forms.CharField(required=False)
    school = ListedModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        empty_label=gettext_lazy("Any school"),
        widget=QuickSelect,
    )
    role = forms.ChoiceField(
        choices=[("", gettext_lazy("Any role")), *Role.choices], required=False, widget=QuickSelect
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools


class AddSchoolForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), empty_label=gettext_lazy("Choose a school")
    )
    joined = forms.DateField(
        widget=DateInput, required=False, help_text=gettext_lazy("Leave empty for today.")
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools


class EndDateForm(forms.Form):
    date = forms.DateField(
        widget=DateInput, required=False, help_text=gettext_lazy("Leave empty for today.")
    )


class PersonPicker(forms.Widget):
    """A search box that fetches up to PICKER_LIMIT matching people (htmx) in place of a list of
    every person: a network of 500 staff made a 565-option select (issue 23). The form still
    posts a person's id, which the field checks against its queryset and the service decides on.
    The view sets `search_url` to an endpoint that searches the same queryset."""

    template_name = "networks/widgets/person_picker.html"
    search_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        chosen = None
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if value and str(value).isdigit() and queryset is not None:
            # Shown again, chosen, when the form comes back with an error.
            chosen = queryset.filter(pk=value).only("pk", "name").first()
        context["widget"]["chosen"] = chosen
        return context


PICKER_LIMIT = 20


class AssignRoleForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("Choose a person"),
        widget=PersonPicker,
    )
    role = forms.ChoiceField(choices=Role.choices, widget=QuickSelect)
    school = ListedModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        empty_label=gettext_lazy("No particular school"),
        widget=QuickSelect,
        help_text=gettext_lazy("The school the role is held for, if any."),
    )
    started = forms.DateField(
        widget=DateInput, required=False, help_text=gettext_lazy("Leave empty for today.")
    )
    note = forms.CharField(
        max_length=200,
        required=False,
        help_text=gettext_lazy("E.g. “Co-operative learning coach, wave 2”."),
    )

    def __init__(self, *args, people=None, schools=None, search_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.search_url = search_url
        if people is not None:
            self.fields["person"].queryset = people
        if schools is not None:
            self.fields["school"].queryset = schools


class GroupForm(forms.Form):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=GroupKind.choices)
    purpose = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        if network is not None:
            # The heads' group in the network's country's words (networks/country.py).
            heads_group = str(profile_of(network).terms.heads_group)
            self.fields["kind"].choices = [
                (value, heads_group if value == GroupKind.HEADTEACHER else label)
                for value, label in GroupKind.choices
            ]


class GroupMemberForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="—",
        widget=PersonPicker,
    )
    school = ListedModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label="—", widget=QuickSelect
    )
    represents = forms.ChoiceField(
        choices=[("", "—"), *PostLevel.choices],
        required=False,
        widget=QuickSelect,
        help_text=gettext_lazy("Steering groups: the level this member represents."),
    )

    def __init__(self, *args, people=None, schools=None, search_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.search_url = search_url
        if people is not None:
            self.fields["person"].queryset = people
        if schools is not None:
            self.fields["school"].queryset = schools

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("person")) == bool(cleaned.get("school")):
            raise forms.ValidationError(_("Choose either a person or a school."))
        return cleaned


class SchoolForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = School
        fields = list(SCHOOL_PROFILE_FIELDS)


class RoleHoldersForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices, label=gettext_lazy("Everyone who is"), widget=QuickSelect
    )


class ImportSchoolsForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        # format_lazy: the size is filled in when the form is shown, in the person's language.
        help_text=format_lazy(
            gettext_lazy("A GIAS extract or the NZ Directory of Schools, up to {size} MB."),
            size=MAX_FILE_BYTES // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    network = forms.ModelChoiceField(
        queryset=Network.objects.none(),
        label=gettext_lazy("Add the schools to"),
        required=False,
    )

    def __init__(self, *args, networks, network_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        field.queryset = networks
        field.required = network_required
        field.empty_label = (
            _("Choose one of your networks") if network_required else _("No network: only import")
        )


class StaffMemberForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(
        help_text=gettext_lazy("A new colleague gets an email to choose a password.")
    )
    job_title = forms.CharField(max_length=120)
    level = forms.ChoiceField(choices=PostLevel.choices, initial=PostLevel.TEACHER)
    leads_school = forms.BooleanField(
        required=False, label=gettext_lazy("Leads the school in its networks (usually the head)")
    )


class InviteColleaguesForm(forms.Form):
    colleagues = forms.CharField(
        label=gettext_lazy("Colleagues"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=gettext_lazy(
            "One a line: name, email address and, unless given below for everyone, job "
            "title, separated by commas. Or choose a CSV file of the same columns."
        ),
    )
    file = forms.FileField(label=gettext_lazy("…or a CSV file"), required=False)
    job_title = forms.CharField(
        label=gettext_lazy("Job title for everyone"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Used for each line that gives none."),
    )
    level = forms.ChoiceField(choices=PostLevel.choices, initial=PostLevel.TEACHER)
    groups = forms.MultipleChoiceField(
        label=gettext_lazy("Also place them in these groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Groups of the school's networks that you manage; places begin on accepting."
        ),
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.group_objects = {str(group.pk): group for group in groups}
        self.fields["groups"].choices = [
            (str(group.pk), f"{group.name} ({group.network.name})") for group in groups
        ]
        if not groups:
            del self.fields["groups"]

    def clean(self):
        data = super().clean()
        if not (data.get("colleagues") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste the list of colleagues, or choose a CSV file."))
        data["group_list"] = [self.group_objects[pk] for pk in data.get("groups", [])]
        return data


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Refuse")])


class ProposeSiteAdminForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=account_selectors.site_admin_candidates(),
        empty_label=gettext_lazy("Choose a person"),
    )


class EmailDomainForm(forms.Form):
    domain = forms.CharField(
        max_length=253,
        label=gettext_lazy("Email domain"),
        help_text=gettext_lazy(
            "The part after the @ of the school's addresses, e.g. birch.sch.uk."
        ),
    )
    for_pupils = forms.BooleanField(
        required=False,
        label=gettext_lazy("Pupils' accounts (they link them; they never join the staff queue)"),
    )


class SignInRulesForm(forms.Form):
    sso_required = forms.BooleanField(
        required=False,
        label=gettext_lazy("Staff must sign in with single sign-on (their passwords stop)"),
    )
    pupils_use_sso = forms.BooleanField(
        required=False,
        label=gettext_lazy("Pupils may link their school account and sign in with it"),
    )


class JoinRequestApprovalForm(forms.Form):
    job_title = forms.CharField(max_length=120)
    level = forms.ChoiceField(choices=PostLevel.choices, initial=PostLevel.TEACHER)


class CloseSchoolForm(forms.Form):
    """A closure: the day and the reason, kept in the school's history."""

    on = forms.DateField(
        label=gettext_lazy("Closed on"),
        widget=DateInput,
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the school closed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the school's history, e.g. falling rolls."),
    )


class AmalgamateSchoolsForm(forms.Form):
    """Which schools close, and the school they become: a new one, or one that continues."""

    schools = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Schools that close"),
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Their memberships, staff, roles, activities and records move."),
    )
    name = forms.CharField(
        label=gettext_lazy("Name of the new school"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty when one school continues."),
    )
    phase = forms.ChoiceField(
        label=gettext_lazy("Phase of the new school"),
        choices=[("", gettext_lazy("As the first school that closes")), *Phase.choices],
        required=False,
    )
    continuing = forms.ModelChoiceField(
        label=gettext_lazy("Or: the school that continues"),
        queryset=School.objects.none(),
        required=False,
        empty_label=gettext_lazy("None: form a new school"),
    )
    on = forms.DateField(
        label=gettext_lazy("Amalgamated on"),
        widget=DateInput,
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        self.fields["continuing"].queryset = schools


class NetworkLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Default language of the network's pages"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As the network's country"))] + language_choices()
