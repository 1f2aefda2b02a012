"""Which language a request is answered in (netlearn/core/languages.py lists the order)."""

from __future__ import annotations

from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from netlearn.core.languages import is_language
from netlearn.networks.selectors import default_language_of

SESSION_KEY = "netlearn_network_language"


def _network_language(request) -> str:
    """The default language of the person's network, once a session. An empty string when the
    person belongs to no network: the browser's language then decides."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        return session[SESSION_KEY]
    language = default_language_of(person=request.user)
    if session is not None:
        session[SESSION_KEY] = language
    return language


def remember_network_language(sender, request, user, **kwargs) -> None:
    """On sign-in (Django's `user_logged_in`), the network's language goes into the new session:
    the look-up costs its queries once, at sign-in, and never on a page."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = default_language_of(person=user)


def forget_network_language(request) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_KEY, None)


class PersonLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, which first asks the signed-in person's choice and network.

    Placed after AuthenticationMiddleware. The `Content-Language` and `Vary` headers are
    Django's own (`process_response`)."""

    def process_request(self, request):
        language = ""
        person = getattr(request, "user", None)
        if person is not None and person.is_authenticated:
            language = person.language or _network_language(request)
        if not is_language(language):
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
