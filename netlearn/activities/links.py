"""Addresses of outside pages an activity links to (its online meeting): http and https only.

One rule for the form, the API and the page, so that a `javascript:` or `data:` address typed
into either way in is refused with a message and never becomes a link on a page or in an email.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .errors import InvalidLink

WEB_SCHEMES = ("http", "https")
_web_address = URLValidator(schemes=list(WEB_SCHEMES))


def is_web_link(text: str) -> bool:
    try:
        _web_address(text)
    except ValidationError:
        return False
    return True


def clean_web_link(text: str | None) -> str:
    """The address as typed, without surrounding spaces; "" for none. Refuses anything but a
    whole http(s) address rather than guessing a scheme."""
    text = (text or "").strip()
    if text and not is_web_link(text):
        raise InvalidLink(
            _("Give the online link as a whole web address starting https:// (or http://).")
        )
    return text
