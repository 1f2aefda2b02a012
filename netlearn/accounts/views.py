import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netlearn.core import rate_limits
from netlearn.networks import selectors as network_selectors

from . import limits, personal_data, selectors, services, sign_in_limits, sso
from .errors import AccountError
from .forms import (
    EraseForm,
    LanguageForm,
    ProfileForm,
    QueuedPasswordResetForm,
    SignInForm,
    TokenForm,
)


class SignInView(auth_views.LoginView):
    """Sign-in, answering 429 when the account or the address has had too many failures
    (the authentication backend counts them: accounts/backends.py)."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_providers": sso.providers()}

    def form_invalid(self, form):
        school = getattr(self.request, "sign_in_requires_sso", None)
        if school is not None:
            form.errors.clear()
            form.add_error(
                None,
                _(
                    "%(school)s signs its staff in through single sign-on: use the "
                    "“Sign in with …” button below, with your school account."
                )
                % {"school": school},
            )
            return self.render_to_response(self.get_context_data(form=form), status=403)
        if getattr(self.request, "sign_in_limited", False):
            form.errors.clear()
            form.add_error(
                None,
                _("Too many failed sign-ins. Wait %(window)s, or reset your password.")
                % {"window": limits.SIGN_IN_FAILURES.window_text},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_sign_in(
            person=form.get_user(),
            session_key=self.request.session.session_key,
            user_agent=self.request.headers.get("User-Agent", ""),
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page (which answers alike whether or not the address has an account),
    refusing with 429 past PASSWORD_RESET_LIMIT requests an hour per address and per client."""

    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    success_url = "/accounts/password-reset/sent/"

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "").strip().lower()
        keys = [f"ip:{rate_limits.client_address(request)}"]
        if email:
            # Counted whether or not the address has an account, so the 429 tells nothing either.
            keys.append(f"email:{email}")
        if not limits.PASSWORD_RESETS.attempt(*keys):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _(
                    "Too many password reset requests. Check your inbox (and spam folder) for a "
                    "link we sent, or try again in %(window)s."
                )
                % {"window": limits.PASSWORD_RESETS.window_text},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the emailed link also lifts the account's sign-in limit,
    as the 429 page promises: only someone who reads the account's email gets here."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = "/accounts/reset/done/"

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_limits.clear_account(person=form.user)
        return response


def _profile_context(person, request=None, **extra):
    providers = sso.providers()
    if providers:
        names = {provider["id"]: provider["name"] for provider in providers}
        extra = {
            "sso_providers": providers,
            "linked_accounts": [
                {"provider_name": names.get(account.provider, account.provider)}
                for account in selectors.linked_accounts_of(person=person)
            ],
            "may_link": not person.is_pupil or network_selectors.pupil_may_use_sso(person),
            **extra,
        }
    return {
        "sessions": selectors.sessions_of(person=person),
        "this_session": request.session.session_key if request else None,
        "person": person,
        "posts": person.staff_posts.current().select_related("school"),
        "roles": person.network_roles.current().select_related("network", "school"),
        "groups": network_selectors.groups_of_person(viewer=person, person=person),
        "tokens": selectors.tokens_of(person=person) if not person.is_pupil else [],
        "token_form": TokenForm(),
        **extra,
    }


@login_required
def profile(request):
    return render(request, "accounts/profile.html", _profile_context(request.user, request))


@login_required
def edit_profile(request):
    person = request.user
    initial = {
        "name": person.name,
        "email": person.email,
        "bio": person.bio,
        "expertise": ", ".join(person.expertise.values_list("name", flat=True)),
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if person.is_pupil:
        # Shown but not editable: a posted name is ignored and the recorded one kept.
        form.fields["name"].disabled = True
        form.fields["name"].help_text = _("Your school looks after your name.")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(person=person, by=person, **form.cleaned_data)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/edit_profile.html", {"form": form, "person": person})


@login_required
@require_POST
def create_token(request):
    person = request.user
    form = TokenForm(request.POST)
    secret = None
    if form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
            if expires_on
            else None
        )
        try:
            token, secret = services.create_access_token(
                person=person, by=person, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            form = TokenForm()
    context = _profile_context(person, request, token_form=form, new_secret=secret)
    template = "accounts/_tokens.html" if request.htmx else "accounts/profile.html"
    return render(request, template, context, status=200 if form.is_valid() or secret else 400)


@login_required
@require_POST
def revoke_token(request, token_id):
    person = request.user
    token = selectors.token_of(person=person, token_id=token_id)
    services.revoke_access_token(token=token, by=person)
    if request.htmx:
        return render(request, "accounts/_tokens.html", _profile_context(person, request))
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
@require_POST
def end_session(request, session_id):
    record = selectors.session_of(person=request.user, session_id=session_id)
    if record.session_key == request.session.session_key:
        messages.error(request, _("That is this browser: use “Sign out” to leave it."))
    else:
        services.end_session(record=record, by=request.user)
        messages.success(
            request,
            _("%(device)s is signed out.") % {"device": record.device or _("That browser")},
        )
    return redirect(f"{reverse('accounts:profile')}#sessions")


@login_required
@require_POST
def sign_out_everywhere(request):
    person = request.user
    ended = services.sign_out_everywhere(
        person=person, keep_session_key=request.session.session_key
    )
    update_session_auth_hash(request, person)
    messages.success(
        request,
        (
            _(
                "Every other browser and device is signed out (%(ended)s we knew of). "
                "Access tokens stay until you revoke them."
            )
            % {"ended": ended}
            if ended
            else _(
                "Every other browser and device is signed out. "
                "Access tokens stay until you revoke them."
            )
        ),
    )
    return redirect(f"{reverse('accounts:profile')}#sessions")


def _download_personal_data(request, person, *, template, context):
    limit = limits.PERSONAL_DATA_EXPORTS
    if not limit.attempt(f"person:{request.user.pk}"):
        message = (
            f"You have downloaded personal data {limit.count} times within "
            f"{limit.window_text}. Try again later."
        )
        return rate_limits.too_many_requests(request, limit, message, template=template, **context)
    document = personal_data.export_person_data(person=person, by=request.user)
    archive = personal_data.export_archive(document)
    name = f"netlearn-personal-data-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")


@login_required
def my_data(request):
    """A person downloads everything Netlearn holds about them (UK GDPR art. 15 and 20)."""
    context = {"person": request.user}
    if request.method == "POST":
        return _download_personal_data(
            request, request.user, template="accounts/my_data.html", context=context
        )
    return render(request, "accounts/my_data.html", context)


@login_required
def person_data(request, person_id):
    """A site admin answers a subject access request: what is held, and the download."""
    person = selectors.person_for_site_admin(viewer=request.user, person_id=person_id)
    if request.method == "POST":
        # The list of what is held is only needed if the limit sends the page back.
        context = {"subject": person, "held": lambda: personal_data.held_about(person)}
        return _download_personal_data(
            request, person, template="accounts/person_data.html", context=context
        )
    context = {"subject": person, "held": personal_data.held_about(person)}
    return render(request, "accounts/person_data.html", context)


@login_required
def erase_person(request, person_id):
    """A site admin erases a person, after reading what happens and typing their username."""
    person = selectors.person_for_site_admin(viewer=request.user, person_id=person_id)
    form = EraseForm(request.POST or None, username=person.username)
    status = 200
    if request.method == "POST" and person.erased_at is None:
        if form.is_valid() and request.user.pk != person.pk:
            personal_data.erase_person(person=person, by=request.user)
            messages.success(request, _("The person is erased."))
            return redirect("accounts:erase_person", person_id=person.pk)
        if request.user.pk == person.pk:
            form.add_error(None, _("You cannot erase your own account: ask another site admin."))
        status = 400
    context = {
        "subject": person,
        "form": form,
        "held": [] if person.erased_at else personal_data.held_about(person),
        "is_self": request.user.pk == person.pk,
    }
    return render(request, "accounts/erase_person.html", context, status=status)


@require_POST
def set_language(request):
    """The language switcher in the frame. A signed-in person's choice is kept on their account
    (every device follows it); a visitor's in Django's language cookie."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:home")
    response = redirect(target)
    if not form.is_valid():
        messages.error(request, _("Netlearn does not speak that language yet."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.set_language(person=request.user, by=request.user, language=language)
    if language:
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response
