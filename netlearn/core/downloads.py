"""Handing files out: a download is never active content (docs/safety.md#uploads).

Every file a person uploaded goes back as an attachment under a safe filename, with the type we
detected or chose (never the one the browser would sniff) and a policy that sandboxes it, should
a browser ever show it inline.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

SANDBOX = "sandbox; default-src 'none'"


def as_download(
    response: HttpResponse,
    *,
    filename: str,
    content_type: str = "application/octet-stream",
    sandbox: bool = True,
) -> HttpResponse:
    """Marks `response` as a download of `filename`, not sniffed and, with `sandbox`, sandboxed.

    `content_type` is the type detected from the content (from an allow-list without HTML or
    SVG), or octet-stream for a file whose content was never judged.
    """
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    if sandbox:
        response["Content-Security-Policy"] = SANDBOX
    return response


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection,
# docs/safety.md): text people typed is written with a leading apostrophe, so it stays text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value) -> str:
    """`value` as the text of a CSV or spreadsheet cell that no spreadsheet will run."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text
