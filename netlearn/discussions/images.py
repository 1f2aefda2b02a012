"""Location data out of attachments (docs/safety.md#pupil-spaces: uploads lose their location).

Every image and video kind accepted (JPEG, PNG, GIF, MP4) is cleaned by the library's intake,
`library.cleaning`, the same code that cleans library files; a file that cannot be cleaned
refuses the post with a message."""

from django.utils.translation import gettext as _

from netlearn.core.intake import CheckedUpload
from netlearn.library import cleaning
from netlearn.library.errors import BadUpload

from .errors import AttachmentRefused


def needs_cleaning(kind_code: str) -> bool:
    return cleaning.needs_cleaning(kind_code)


def cleaned(upload, checked: CheckedUpload) -> cleaning.CleanedUpload:
    """What to store for one attachment: images and video without their metadata."""
    try:
        return cleaning.clean_upload(upload, checked)
    except BadUpload as error:
        raise AttachmentRefused(
            _("“%(original_name)s”: %(error)s Nothing was posted.")
            % {"original_name": checked.original_name, "error": error}
        ) from None
