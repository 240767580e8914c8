"""Paging through long lists without counting them.

Django's paginator counts the whole list to number its pages; on a section with tens of
thousands of stories that COUNT(*) costs more than the rest of the page. Readers only
need "newer" and "older", so a page fetches one row more than it shows to know whether
an older page exists.
"""

from dataclasses import dataclass

from django.http import Http404

MAX_PAGE = 1_000_000


@dataclass
class ListPage:
    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def list_page(
    queryset, *, number: str | int | None, per_page: int, allow_empty: bool = False
) -> ListPage:
    """The requested page of queryset, or a 404 for a page that is not a number or is empty
    (with `allow_empty`, an empty page past the end is the caller's to explain)."""
    try:
        number = int(number or 1)
    except (TypeError, ValueError):
        raise Http404("That page number is not a number.") from None
    # Past MAX_PAGE the offset would not fit PostgreSQL's bigint: no list is that long.
    if not 1 <= number <= MAX_PAGE:
        raise Http404("That page does not exist.")
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1 and not allow_empty:
        raise Http404("That page is empty.")
    return ListPage(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
