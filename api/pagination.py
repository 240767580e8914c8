"""Pages of API results without counting the whole list.

Like the site's own listings (articles/paging.py), a page fetches one row more than it
returns to know whether another follows: a COUNT(*) over a large archive would cost more
than the page itself. Clients follow `next` and `previous`.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase

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
            le=settings.API_MAX_PAGE,
            description="Page number, from 1. For older stories than the last page "
            "reaches, narrow the list with published_before.",
        )
        page_size: int = Field(
            settings.API_PAGE_SIZE,
            ge=1,
            le=settings.API_MAX_PAGE_SIZE,
            description="Results per page.",
        )

    class Output(Schema):
        items: list[Any]
        page: int
        page_size: int
        next: str | None = Field(description="The next page's address, or null on the last.")
        previous: str | None = Field(description="The previous page's address, or null.")

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        start = (pagination.page - 1) * pagination.page_size
        rows = list(queryset[start : start + pagination.page_size + 1])
        has_next = len(rows) > pagination.page_size
        return {
            "items": rows[: pagination.page_size],
            "page": pagination.page,
            "page_size": pagination.page_size,
            "next": _page_url(request, pagination.page + 1) if has_next else None,
            "previous": _page_url(request, pagination.page - 1) if pagination.page > 1 else None,
        }
