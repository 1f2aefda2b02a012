"""Single sign-on through OpenID Connect (django-allauth), on Netlearn's rules
(docs/threat-model.md, "single sign-on"):

- an identity already linked signs in as its person (a pupil only while their school lets its
  pupils use single sign-on);
- otherwise the address must be verified by the provider and at a domain a school's lead has
  said is the school's: it is linked to the person who has that address, or, when nobody has it,
  waits in the school's join queue with an account that sees nothing until the lead approves;
- everything else is refused with a message, and counts as a failed sign-in: the sign-in limits
  of the password page (accounts/sign_in_limits.py) hold for the provider's callback too.

allauth's own pages (password sign-in, sign-up, e-mail management) are never routed: only the
providers' login and callback are (accounts/urls.py).
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from netlearn.core import rate_limits
from netlearn.networks import selectors as network_selectors
from netlearn.networks import services as network_services

from . import limits, selectors, services, sign_in_limits
from .forms import SignInForm

logger = logging.getLogger(__name__)


class SignInRefused(Exception):
    """Single sign-on refused; `args[0]` is written for the person."""


def providers() -> list[dict]:
    """The configured providers, as the sign-in page offers them: id and name."""
    return [{"id": p["id"], "name": p["name"]} for p in settings.SSO_PROVIDERS]


def _provider_settings(provider_id: str) -> dict:
    return next((p for p in settings.SSO_PROVIDERS if p["id"] == provider_id), {})


def _claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    # The ID token's claims, with what the userinfo endpoint adds (allauth keeps both).
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def verified_email(provider_id: str, claims: dict) -> tuple[str, bool]:
    """The address the provider gives and whether it vouches for it. Only a claim that is
    exactly true counts (a string "true" too, as some providers send it)."""
    email = (claims.get("email") or "").strip()
    claim = _provider_settings(provider_id).get("verified_email_claim", "email_verified")
    vouched = claims.get(claim)
    return email, vouched is True or (isinstance(vouched, str) and vouched.lower() == "true")


def refusal(request, message: str, *, status: int = 403):
    """The sign-in page again, with the reason."""
    context = {
        "form": SignInForm(request),
        "sign_in_refused": message,
        "sso_providers": providers(),
        "next": "",
    }
    return render(request, "accounts/sign_in.html", context, status=status)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Every account a sign-in makes is made by pre_social_login, in a school's join queue.
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        address = rate_limits.client_address(request)
        provider_id = sociallogin.account.provider
        email, verified = verified_email(provider_id, _claims(sociallogin))
        known = sociallogin.user if sociallogin.is_existing else None
        if known is None and email and verified:
            known = selectors.person_with_email(email)
        attempt = {
            "typed": email or f"{provider_id}:{sociallogin.account.uid}",
            "person": known,
            "address": address,
        }
        if not sign_in_limits.begin_attempt(**attempt):
            message = _("Too many failed sign-ins. Wait %(window)s, or ask your school's lead.") % {
                "window": limits.SIGN_IN_FAILURES.window_text
            }
            raise ImmediateHttpResponse(refusal(request, message, status=429))
        try:
            with transaction.atomic():
                if sociallogin.state.get("process") == AuthProcess.CONNECT:
                    self._check_connection(request, sociallogin, email, verified)
                    outcome = "connected"
                else:
                    outcome = self._admit(request, sociallogin, email, verified)
        except SignInRefused as refused:
            account = sign_in_limits.account_key(typed=attempt["typed"], person=known)
            logger.info(
                "Refused single sign-on through %s for %s from %s: %s",
                provider_id,
                rate_limits.describe([account]),
                address,
                refused.args[0],
            )
            raise ImmediateHttpResponse(refusal(request, refused.args[0])) from None
        sign_in_limits.attempt_succeeded(**attempt)
        logger.info(
            "Single sign-on through %s by person:%s from %s (%s)",
            provider_id,
            sociallogin.user.pk,
            address,
            outcome,
        )

    def _admit(self, request, sociallogin, email: str, verified: bool) -> str:
        provider_id = sociallogin.account.provider
        if sociallogin.is_existing:
            person = sociallogin.user
            self._check_active(person)
            if person.is_pupil:
                if not network_selectors.pupil_may_use_sso(person):
                    raise SignInRefused(
                        "Your school has not turned on this sign-in for pupils: use the "
                        "username and password your teacher gave you."
                    )
                self._forget_pupil_claims(sociallogin)
            return "linked before"
        if not email:
            raise SignInRefused(
                "Your provider did not tell us your email address, so we cannot tell which "
                "school you belong to. Sign in with your password."
            )
        if not verified:
            raise SignInRefused(
                f"Your provider has not verified the address {email}, so we cannot link it to "
                "an account. Sign in with your password, or ask your school's IT team."
            )
        email_domain = network_selectors.email_domain_of_address(email)
        if email_domain is None:
            raise SignInRefused(
                f"No school on Netlearn has said that addresses at {email.rpartition('@')[2]} "
                "are its own, so this sign-in cannot be used. Ask your school's lead to add "
                "the domain, or sign in with your password."
            )
        person = selectors.person_with_email(email)
        if person is not None:
            self._check_active(person)
            sociallogin.connect(request, person)
            return f"linked by verified address at {email_domain.domain}"
        if email_domain.for_pupils:
            raise SignInRefused(
                "This is a pupils' address: sign in with the username your teacher gave you, "
                "then link your school account from your profile."
            )
        claims = _claims(sociallogin)
        person = network_services.request_to_join(
            email_domain=email_domain,
            name=claims.get("name") or "",
            email=email,
            provider=provider_id,
        )
        sociallogin.connect(request, person)
        messages.info(
            request,
            _(
                "Your request to join %(school)s is waiting for the school's lead. "
                "You will see the network once they approve it."
            )
            % {"school": email_domain.school},
        )
        return f"asked to join school:{email_domain.school_id}"

    def _check_active(self, person) -> None:
        if person.is_active:
            return
        join_request = network_selectors.latest_join_request_of(person_id=person.pk)
        if join_request is not None and join_request.status == "declined":
            raise SignInRefused(
                f"{join_request.school} declined the request to join. Ask the school's lead "
                "if you think this is a mistake."
            )
        raise SignInRefused("This account is closed. Ask your school's lead.")

    def _check_connection(self, request, sociallogin, email: str, verified: bool) -> None:
        """Linking a provider's identity to the account signed in now: a pupil links their
        school account (their school allowing it); staff their own verified address."""
        person = request.user
        if not person.is_authenticated:
            raise SignInRefused("Sign in first, then link your school account.")
        email_domain = network_selectors.email_domain_of_address(email) if verified else None
        if person.is_pupil:
            if email_domain is None or not network_selectors.pupil_may_use_sso(
                person, email_domain=email_domain
            ):
                raise SignInRefused(
                    "That account is not one of your school's pupil accounts, or your school "
                    "has not turned this sign-in on for pupils."
                )
            self._forget_pupil_claims(sociallogin)
        elif not verified or email.lower() != person.email.lower():
            raise SignInRefused(
                "Link only an account of your own address, verified by its provider."
            )

    def _forget_pupil_claims(self, sociallogin) -> None:
        # A pupil's account keeps minimal data (docs/safety.md, children's code): the link is
        # the provider and its identifier, never the name or address the provider holds.
        sociallogin.account.extra_data = {}
        if sociallogin.account.pk:
            sociallogin.account.save(update_fields=["extra_data"])

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """A callback the provider did not complete (a forged or stale state, a refused code)
        counts as a failed sign-in from the address."""
        address = rate_limits.client_address(request)
        attempt = {"typed": f"{getattr(provider, 'id', '')}:callback", "person": None}
        if not sign_in_limits.begin_attempt(**attempt, address=address):
            message = _("Too many failed sign-ins. Wait %(window)s.") % {
                "window": limits.SIGN_IN_FAILURES.window_text
            }
            raise ImmediateHttpResponse(refusal(request, message, status=429))
        logger.info(
            "Failed single sign-on through %s from %s: %s",
            getattr(provider, "id", "?"),
            address,
            error,
        )
        raise ImmediateHttpResponse(
            refusal(request, "The sign-in with your provider did not complete. Try again.")
        )

    def get_connect_redirect_url(self, request, socialaccount) -> str:
        return reverse("accounts:profile")


class AccountAdapter(DefaultAccountAdapter):
    """allauth signs in through Netlearn's own session rules, recording the session as the
    password page does."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        services.record_sign_in(
            person=user,
            session_key=request.session.session_key,
            user_agent=request.headers.get("User-Agent", ""),
        )

    def get_login_redirect_url(self, request) -> str:
        return reverse(settings.LOGIN_REDIRECT_URL)
