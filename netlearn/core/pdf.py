"""Pages printed to PDF: a template rendered to HTML, then typeset by WeasyPrint.

The PDF is PDF/UA-1: tagged (a structure tree, so screen readers follow headings, lists and
tables), with its title and language, and its fonts embedded (DejaVu Sans, installed with Pango and
HarfBuzz by `make pdf-libs`), so every letter survives, macrons included ("Mātātahi Kāhui Ako").
Templates include `core/_print_style.html` for the page size, page numbers ("Page 2 of 5") and a
table of contents whose links show their page (`target-counter`). Callers hand the bytes out with
`core.downloads.as_download`.

Typesetting costs a quarter of a second or more of a worker's time, and a term report or a charter
is downloaded by every school of the network. So the PDF is kept in the cache under a digest of the
HTML it was typeset from: whoever asks for the same document again gets the same bytes without
typesetting it again, and a change to anything the document shows changes the HTML, so it is
typeset anew. Only someone who may see the HTML can ask for it, so the cache shows nobody anything
new.
"""

import hashlib
from importlib.metadata import version

from django.core.cache import cache
from django.template.loader import render_to_string

PDF_TYPE = "application/pdf"
# Long enough to serve a term's downloads; the key is the content's digest, so nothing goes stale.
CACHED_FOR_SECONDS = 7 * 24 * 3600
# Larger documents (a whole writing day with its pictures) are typeset each time rather than fill
# the cache (memcached refuses values over 1 MB; the database cache keeps them in a row).
LARGEST_CACHED_BYTES = 1_000_000
# Part of the key: another release might typeset the same HTML differently.
WEASYPRINT_VERSION = version("weasyprint")


def pdf_from_template(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    digest = hashlib.sha256(f"{WEASYPRINT_VERSION}\n{html}".encode()).hexdigest()
    key = f"pdf:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        # Imported here, not at the top: WeasyPrint loads Pango when imported (half a second), and
        # only typesetting needs it (the rest of the product runs without the system libraries).
        import weasyprint

        pdf = weasyprint.HTML(string=html, base_url=None).write_pdf(
            pdf_variant="pdf/ua-1", pdf_tags=True
        )
        if len(pdf) <= LARGEST_CACHED_BYTES:
            cache.set(key, pdf, CACHED_FOR_SECONDS)
    return pdf
