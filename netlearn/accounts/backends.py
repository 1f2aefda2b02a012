import logging

from django.contrib.auth.backends import ModelBackend

from netlearn.core import rate_limits
from netlearn.networks import selectors as network_selectors

from . import sign_in_limits
from .models import Person

logger = logging.getLogger(__name__)


def person_signing_in(typed: str) -> Person | None:
    """The account a typed name means: staff may type their email, pupils (who need no email)
    their username."""
    if "@" in typed:
        person = Person.objects.filter(email__iexact=typed).order_by("pk").first()
        if person is not None:
            return person
    return Person.objects.filter(username=typed).first()


class UsernameOrEmailBackend(ModelBackend):
    """Signs in by username or email, within the sign-in limit (accounts/sign_in_limits.py).

    Every password sign-in comes through here (the sign-in page and the admin's), so none gets
    round the limit. A refusal by the limit sets `request.sign_in_limited`, which the sign-in
    page answers with 429.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        person = person_signing_in(username)
        address = rate_limits.client_address(request) if request is not None else ""
        attempt = {"typed": username, "person": person, "address": address}
        if not sign_in_limits.begin_attempt(**attempt):
            if request is not None:
                request.sign_in_limited = True
            return None
        if person is not None and person.check_password(password):
            if self.user_can_authenticate(person):
                sign_in_limits.attempt_succeeded(**attempt)
                # Told only once the password is right: a guess learns nothing of the school.
                school = network_selectors.school_requiring_sso_for(person)
                if school is not None:
                    if request is not None:
                        request.sign_in_requires_sso = school
                    logger.info(
                        "Password sign-in refused for person:%s from %s: %s requires single "
                        "sign-on",
                        person.pk,
                        address,
                        school.pk,
                    )
                    return None
                logger.info("Sign-in by person:%s from %s", person.pk, address)
                return person
        elif person is None:
            # As long as a real check, so the time taken tells nothing about which names exist.
            Person().set_password(password)
        account = sign_in_limits.account_key(typed=username, person=person)
        logger.info("Failed sign-in for %s from %s", rate_limits.describe([account]), address)
        return None
