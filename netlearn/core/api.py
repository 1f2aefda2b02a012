"""What every router of the JSON API shares: bounded input types, one pagination, the error body.

The API itself (authentication, the one error handler) is `config/api.py`; each app's router
lives in its `api.py` and builds on these.
"""

from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# PostgreSQL text cannot hold NUL bytes: refuse them as bad input (422), as Django's forms do.
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]
# Ids beyond a 64-bit integer are refused as invalid input, never sent to the database.
Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]


class Pages(PageNumberPagination):
    """Every list of the API: ?page=2&page_size=100, at most API_MAX_PAGE_SIZE rows a page."""

    class Input(Schema):
        # Bounded, so that a huge page number answers 422 rather than overflowing the OFFSET.
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1_000_000)

    def __init__(self, **kwargs):
        kwargs.setdefault("page_size", settings.PAGE_SIZE)
        kwargs.setdefault("max_page_size", settings.API_MAX_PAGE_SIZE)
        super().__init__(**kwargs)


# The body of every refusal, the message written for the person. (No docstring: it would show in
# the OpenAPI schema.)
class Detail(Schema):
    detail: str
