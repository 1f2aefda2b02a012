"""A participant's certificate of completion, as a PDF (`core.pdf`: WeasyPrint, DejaVu Sans)."""

from netlearn.core.pdf import pdf_from_template


def certificate_pdf(*, enrolment) -> bytes:
    course = enrolment.course
    return pdf_from_template(
        "programmes/certificate_pdf.html",
        {
            "enrolment": enrolment,
            "course": course,
            "network": course.network,
            "modules": list(course.modules.all()),
        },
    )
