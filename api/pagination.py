"""Pages of API results without counting the whole list.

Like the site's own listings (articles/paging.py), a page fetches one row more than it
returns to know whether another follows: a COUNT(*) over a large archive would cost more
than the page itself. Clients follow `next` and `previous`.
"""

from math import ceil
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import field_validator

from newsroom.site import absolute_url


def _page_url(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return absolute_url(f"{request.path}?{urlencode(sorted(query.items()))}")


class PageWithoutCount(PaginationBase):
    class Input(Schema):
        page: int = Field(
            1,
            ge=1,
            # Read when the description is written, as the limit is when a page is asked.
            json_schema_extra=lambda schema: schema.update(maximum=settings.API_MAX_PAGE),
            description="Page number, from 1, up to API_MAX_PAGE. For older stories than "
            "the last page reaches, narrow the list with published_before.",
        )
        page_size: int = Field(
            settings.API_PAGE_SIZE,
            ge=1,
            le=settings.API_MAX_PAGE_SIZE,
            description="Results per page.",
        )

        @field_validator("page")
        @classmethod
        def _not_too_deep(cls, page: int) -> int:
            # Checked against the setting at each request, like `next` (see below).
            if page > settings.API_MAX_PAGE:
                raise ValueError(
                    f"Pages go up to {settings.API_MAX_PAGE}; for older stories narrow the "
                    "list with published_before."
                )
            return page

    class Output(Schema):
        items: list[Any]
        page: int
        page_size: int
        next: str | None = Field(description="The next page's address, or null on the last.")
        previous: str | None = Field(description="The previous page's address, or null.")

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        page, size = pagination.page, pagination.page_size
        start = (page - 1) * size
        rows = list(queryset[start : start + size + 1])
        # The deepest page links no further: the next one would be refused with a 400.
        has_next = len(rows) > size and page < settings.API_MAX_PAGE
        return {
            "items": rows[:size],
            "page": page,
            "page_size": size,
            "next": _page_url(request, page + 1) if has_next else None,
            "previous": _page_url(request, _previous(queryset, page, size, bool(rows)))
            if page > 1
            else None,
        }


def _previous(queryset, page: int, size: int, has_rows: bool) -> int:
    """The page before this one; from past the end, the last page that has rows.

    Only an empty page past the first counts what it skipped, and that COUNT stops at its
    OFFSET (at most API_MAX_PAGE pages), so no request counts the whole archive."""
    if has_rows:
        return page - 1
    skipped = queryset.order_by().values("pk")[: (page - 1) * size].count()
    return max(1, ceil(skipped / size))
