"""The filters a client may put on the article list, checked before any query runs."""

from datetime import datetime
from typing import Annotated

from django.core.validators import slug_unicode_re
from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, model_validator


def is_slug(value: str) -> bool:
    """Whether the text could be a slug: letters, digits, hyphens and underscores."""
    return bool(slug_unicode_re.match(value))


def _a_slug(value: str) -> str:
    # Refused before any query: a NUL cannot even be sent to PostgreSQL, and a space or a
    # slash names nothing, so the client hears what a slug looks like instead.
    if not is_slug(value):
        raise ValueError(
            "A slug is letters, digits, hyphens and underscores, as the lists give them."
        )
    return value


Slug = Annotated[str, AfterValidator(_a_slug)]


class ArticleFilters(Schema):
    section: Slug | None = Field(None, description="A section's slug (see /sections).")
    author: Slug | None = Field(None, description="An author's slug (see /authors).")
    topic: Slug | None = Field(None, description="A topic's slug (see /topics).")
    language: str | None = Field(
        None,
        description="Only stories written in this language: a code of the newsroom's "
        'languages (ARTICLE_LANGUAGES), e.g. "ur".',
    )
    published_after: datetime | None = Field(
        None,
        description="Only stories published at or after this moment: a date "
        "(2026-12-01, midnight in the site's time zone) or a date and time with a zone.",
    )
    published_before: datetime | None = Field(
        None, description="Only stories published before this moment, in the same form."
    )

    @model_validator(mode="after")
    def _range_is_forward(self):
        if self.published_after and self.published_before:
            if self.after() >= self.before():
                raise ValueError("published_after must be earlier than published_before.")
        return self

    def after(self) -> datetime | None:
        return _aware(self.published_after)

    def before(self) -> datetime | None:
        return _aware(self.published_before)


def _aware(moment: datetime | None) -> datetime | None:
    # A bare date or time means the site's own clock, as readers see dates on its pages.
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)
