import datetime
import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from netlearn.networks import selectors as network_selectors

from . import selectors, services, sign_in_limits
from .errors import AccountError
from .forms import ProfileForm, SignInForm, TokenForm

logger = logging.getLogger(__name__)


class SignInView(auth_views.LoginView):
    """Sign-in, refusing with 429 after too many failures for one account or address."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = request.META.get("REMOTE_ADDR", "")
        if sign_in_limits.is_locked(username=username, address=address):
            logger.warning("Sign-in limit reached for %r from %s", username, address)
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None, "Too many failed sign-ins. Wait 30 minutes, or reset your password."
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        address = self.request.META.get("REMOTE_ADDR", "")
        sign_in_limits.record_failure(username=username, address=address)
        logger.info("Failed sign-in for %r from %s", username, address)
        return super().form_invalid(form)

    def form_valid(self, form):
        sign_in_limits.clear(
            username=self.request.POST.get("username", ""),
            address=self.request.META.get("REMOTE_ADDR", ""),
        )
        logger.info("Sign-in: %s", form.get_user().username)
        return super().form_valid(form)


def _profile_context(person, **extra):
    return {
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
    return render(request, "accounts/profile.html", _profile_context(request.user))


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
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(person=person, by=person, **form.cleaned_data)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your profile is saved.")
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
    context = _profile_context(person, token_form=form, new_secret=secret)
    template = "accounts/_tokens.html" if request.htmx else "accounts/profile.html"
    return render(request, template, context, status=200 if form.is_valid() or secret else 400)


@login_required
@require_POST
def revoke_token(request, token_id):
    person = request.user
    token = selectors.token_of(person=person, token_id=token_id)
    services.revoke_access_token(token=token, by=person)
    if request.htmx:
        return render(request, "accounts/_tokens.html", _profile_context(person))
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("accounts:profile")
