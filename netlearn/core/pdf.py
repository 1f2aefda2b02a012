"""Pages printed to PDF: a template rendered to HTML, then typeset by WeasyPrint.

The PDF is PDF/UA-1: tagged (a structure tree, so screen readers follow headings, lists and
tables), with its title and language, and its fonts embedded (DejaVu Sans, installed with Pango and
HarfBuzz by `make pdf-libs`), so every letter survives, macrons included ("Mātātahi Kāhui Ako").
Templates include `core/_print_style.html` for the page size, page numbers ("Page 2 of 5") and a
table of contents whose links show their page (`target-counter`). Callers hand the bytes out with
`core.downloads.as_download`.
"""

from django.template.loader import render_to_string

PDF_TYPE = "application/pdf"


def pdf_from_template(template: str, context: dict) -> bytes:
    # Imported here, not at the top: WeasyPrint loads Pango when imported, and only the PDF
    # downloads need it (the rest of the product starts and runs without the system libraries).
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
