"""What search engines and social sites read about a public page: its canonical address,
a description, OpenGraph and Twitter card tags, and schema.org data.

Every address is built from SITE_URL, never from the request's Host header: pages are
cached and shared, so one forged Host would otherwise reach every later reader.
"""

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from PIL import Image as PillowImage

from articles.languages import open_graph_locale
from articles.models import Article, Author, Image, Section, Topic
from articles.structured_data import (
    SHIPPED_LOGO,
    absolute,
    article_news_data,
    json_ld_script,
    logo_url,
    profile_page_data,
    website_data,
)
from newsroom.site import absolute_url

DESCRIPTION_LENGTH = 200


@dataclass(frozen=True)
class SharedPicture:
    """The picture a shared link shows, with what those who cannot see it are told."""

    url: str
    alt: str = ""
    width: int | None = None
    height: int | None = None
    mime_type: str = "image/jpeg"


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    picture: SharedPicture | None = None
    json_ld: dict | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    section: str = ""
    author_urls: tuple[str, ...] = field(default=())
    tags: tuple[str, ...] = field(default=())
    site_name: str = field(default_factory=lambda: settings.SITE_NAME)
    # OpenGraph writes locales as "en_US"; the page's language is the one being served.
    locale: str = field(
        default_factory=lambda: open_graph_locale(get_language() or settings.LANGUAGE_CODE)
    )

    @property
    def twitter_card(self) -> str:
        # The large card wants a wide picture; a logo or portrait suits the small one.
        picture = self.picture
        wide = (
            picture is not None
            and picture.width
            and picture.width >= 600
            and picture.width > (picture.height or 0)
        )
        return "summary_large_image" if wide and self.og_type == "article" else "summary"

    @property
    def json_ld_script(self) -> SafeString | str:
        return json_ld_script(self.json_ld) if self.json_ld else ""


def summary(text: str) -> str:
    """Plain text of at most DESCRIPTION_LENGTH characters, from plain text or HTML."""
    plain = " ".join(unescape(strip_tags(text)).split())
    return Truncator(plain).chars(DESCRIPTION_LENGTH)


def _paged(path: str, page_number: int) -> str:
    # Each page of a listing is its own page to a search engine; the first has no number.
    return absolute_url(path if page_number <= 1 else f"{path}?page={page_number}")


@cache
def _shipped_logo_size() -> tuple[int | None, int | None]:
    # Social sites lay a card out before the picture arrives when they know its size.
    found = finders.find(SHIPPED_LOGO)
    if found is None:
        return None, None
    with PillowImage.open(found) as logo:
        return logo.size


def _logo() -> SharedPicture:
    url = logo_url()
    mime_type, _ = mimetypes.guess_type(urlsplit(url).path)
    alt = gettext("%(site_name)s logo") % {"site_name": settings.SITE_NAME}
    # A logo elsewhere (SITE_LOGO_URL) is not read from here: its size stays unsaid.
    width, height = (None, None) if settings.SITE_LOGO_URL else _shipped_logo_size()
    return SharedPicture(url=url, alt=alt, mime_type=mime_type or "", width=width, height=height)


def _picture(image: Image | None, crop: str, *, read_rows: bool = True) -> SharedPicture | None:
    picture = image.picture(crop, read_rows=read_rows) if image is not None else None
    if picture is None:
        return None
    largest = picture.fallback[-1]
    return SharedPicture(
        url=absolute(largest.url),
        alt="" if image.is_decorative else image.alt_text,
        width=largest.width,
        height=largest.height,
    )


def front_page_meta() -> PageMeta:
    return PageMeta(
        title=settings.SITE_NAME,
        description=settings.SITE_DESCRIPTION,
        canonical=absolute_url("/"),
        picture=_logo(),
        json_ld=website_data(),
    )


def section_meta(section: Section, *, page_number: int = 1) -> PageMeta:
    return PageMeta(
        title=f"{section.name} · {settings.SITE_NAME}",
        description=summary(section.description)
        or gettext("The latest %(section)s stories from %(site_name)s.")
        % {"section": section.name, "site_name": settings.SITE_NAME},
        canonical=_paged(section.get_absolute_url(), page_number),
        picture=_logo(),
    )


def topic_meta(topic: Topic, *, page_number: int = 1) -> PageMeta:
    return PageMeta(
        title=f"{topic.name} · {settings.SITE_NAME}",
        description=summary(topic.description)
        or gettext("The latest stories on %(topic)s from %(site_name)s.")
        % {"topic": topic.name, "site_name": settings.SITE_NAME},
        canonical=_paged(topic.get_absolute_url(), page_number),
        picture=_logo(),
    )


def author_meta(author: Author, *, page_number: int = 1) -> PageMeta:
    # Without reading rendition rows: the page's own picture of the portrait comes later.
    portrait = _picture(author.photo, "square", read_rows=False) if author.photo_id else None
    if portrait is not None and not portrait.alt:
        portrait = SharedPicture(portrait.url, author.name, portrait.width, portrait.height)
    return PageMeta(
        title=f"{author.name} · {settings.SITE_NAME}",
        description=summary(author.bio)
        or gettext("Stories by %(author)s for %(site_name)s.")
        % {"author": author.name, "site_name": settings.SITE_NAME},
        canonical=_paged(author.get_absolute_url(), page_number),
        og_type="profile",
        picture=portrait or _logo(),
        json_ld=profile_page_data(author, portrait_url=portrait.url if portrait else ""),
    )


def corrections_meta(*, page_number: int = 1) -> PageMeta:
    return PageMeta(
        title=gettext("Corrections · %(site_name)s") % {"site_name": settings.SITE_NAME},
        description=gettext("Every correction %(site_name)s has made to its stories.")
        % {"site_name": settings.SITE_NAME},
        canonical=_paged(reverse("articles:corrections"), page_number),
        picture=_logo(),
    )


def article_meta(article: Article, corrections) -> PageMeta:
    """An article's metadata; its structured data only once it is out."""
    published = article.is_published
    photo = _picture(article.lead_image, "share") if article.lead_image_id else None
    return PageMeta(
        title=article.headline,
        description=summary(article.standfirst or article.body),
        canonical=absolute_url(article.get_absolute_url()),
        og_type="article",
        # Without a photo social sites draw a blank card: the logo stands in, as on listings.
        picture=photo or _logo(),
        json_ld=article_news_data(article, corrections) if published else None,
        published_at=article.published_at if published else None,
        modified_at=article.substantively_updated_at
        if published and article.was_updated_after_publishing
        else None,
        section=article.section.name if article.section_id else "",
        author_urls=tuple(
            absolute_url(byline.author.get_absolute_url()) for byline in article.bylines.all()
        ),
        tags=tuple(topic.name for topic in article.listed_topics),
    )
