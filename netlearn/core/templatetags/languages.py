"""`{% page_language %}`: the active language as a `lang` attribute's tag ("en-GB", "mi"), for
documents rendered without a request (PDFs)."""

from django import template

from netlearn.core.languages import html_tag

register = template.Library()


@register.simple_tag
def page_language():
    return html_tag()
