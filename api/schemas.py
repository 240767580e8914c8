"""What the API returns: typed shapes that also write its OpenAPI description.

Addresses are absolute, built from SITE_URL (never from the request's Host header), so a
client can follow them as they come.
"""

from datetime import datetime

from ninja import Field, Schema

from articles.renditions import FALLBACK_FORMAT, FORMATS
from newsroom.site import absolute_url


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else absolute_url(url)


class RenditionOut(Schema):
    url: str
    width: int
    height: int
    type: str = Field(description='The file\'s media type, e.g. "image/avif".')


class ImageOut(Schema):
    url: str = Field(description="A mid-sized JPEG of the photo.")
    width: int = Field(description="The largest rendition's width.")
    height: int
    alt_text: str = Field(description="Empty for a decorative image.")
    caption: str
    credit: str
    renditions: list[RenditionOut] = Field(description="Every size, modern formats first.")

    @classmethod
    def of(cls, image, crop: str) -> "ImageOut | None":
        picture = image.picture(crop) if image else None
        if picture is None:
            return None
        jpeg = FORMATS[FALLBACK_FORMAT]["mime"]
        renditions = [
            RenditionOut(url=_absolute(s.url), width=s.width, height=s.height, type=mime)
            for sources, mime in ((picture.modern, picture.modern_type), (picture.fallback, jpeg))
            for s in sources
        ]
        return cls(
            url=_absolute(picture.fallback_src),
            width=picture.width,
            height=picture.height,
            alt_text="" if image.is_decorative else image.alt_text,
            caption=image.caption,
            credit=image.credit,
            renditions=renditions,
        )


LANGUAGE_DESCRIPTION = (
    'A language code of the newsroom\'s languages (ARTICLE_LANGUAGES), e.g. "en" or "ur".'
)


class SectionOut(Schema):
    id: int
    name: str
    slug: str
    language: str = Field(
        description="The language of the section's name and page. " + LANGUAGE_DESCRIPTION
    )
    description: str
    url: str = Field(description="The section's page for readers.")

    @staticmethod
    def resolve_url(section) -> str:
        return absolute_url(section.get_absolute_url())


class SectionRef(Schema):
    id: int
    name: str
    slug: str
    language: str = Field(description="The language of the section's name and page.")


class TopicRef(Schema):
    id: int
    name: str
    slug: str
    url: str = Field(description="The topic's page for readers.")

    @staticmethod
    def resolve_url(topic) -> str:
        return absolute_url(topic.get_absolute_url())


class TopicOut(TopicRef):
    description: str


class AuthorRef(Schema):
    id: int
    name: str
    slug: str
    url: str

    @staticmethod
    def resolve_url(author) -> str:
        return absolute_url(author.get_absolute_url())


class AuthorOut(AuthorRef):
    bio: str
    photo: ImageOut | None = Field(description="A square portrait, when there is one.")

    @staticmethod
    def resolve_photo(author) -> ImageOut | None:
        return ImageOut.of(author.photo, "square")


class BylineOut(Schema):
    role: str = Field(description='Shown before the name, e.g. "Additional reporting by".')
    name_shown: str = Field(
        description="The name as the story's page shows it: the author's spelling in the "
        "story's language if there is one (an Urdu story's byline in Urdu script), else "
        "`author.name`, the author's main name."
    )
    author: AuthorRef


class CorrectionOut(Schema):
    text: str
    published_at: datetime


class TranslationRef(Schema):
    id: int
    language: str
    headline: str
    url: str = Field(description="Its page for readers.")

    @staticmethod
    def resolve_id(translation) -> int:
        return translation.pk

    @staticmethod
    def resolve_url(translation) -> str:
        return absolute_url(translation.get_absolute_url())


class ArticleSummary(Schema):
    id: int
    headline: str
    slug: str
    standfirst: str
    language: str = Field(
        description="The language the story is written in. " + LANGUAGE_DESCRIPTION
    )
    translation_of: int | None = Field(
        description="The id of the story this one translates, if it is a translation (that "
        "story is listed in `translations` once published)."
    )
    translations: list[TranslationRef] = Field(
        description="The same story in the newsroom's other languages, published: the "
        "original it translates and its other translations, by language."
    )
    url: str = Field(description="The article's page for readers.")
    section: SectionRef
    topics: list[TopicRef] = Field(description="What the story is about, by name.")
    bylines: list[BylineOut]
    published_at: datetime
    updated_at: datetime | None = Field(
        description="When an editor last marked a change as a substantive update, if after "
        "publication."
    )
    lead_image: ImageOut | None
    comment_count: int

    @staticmethod
    def resolve_url(article) -> str:
        return absolute_url(article.get_absolute_url())

    @staticmethod
    def resolve_translation_of(article) -> int | None:
        return article.translation_of_id

    @staticmethod
    def resolve_translations(article) -> list:
        # Fetched in the articles' own query (with_translations), not one more.
        return article.translations_for_readers

    @staticmethod
    def resolve_topics(article) -> list:
        return article.listed_topics

    @staticmethod
    def resolve_bylines(article) -> list:
        # Each name as the story's page spells it (OtherNames.name_in), from the authors
        # already prefetched: no query per story.
        return [
            {
                "role": byline.role,
                "name_shown": byline.author.name_in(article.language).text,
                "author": byline.author,
            }
            for byline in article.bylines.all()
        ]

    @staticmethod
    def resolve_updated_at(article) -> datetime | None:
        return article.substantively_updated_at if article.was_updated_after_publishing else None

    @staticmethod
    def resolve_lead_image(article) -> ImageOut | None:
        return ImageOut.of(article.lead_image, "full")


class ArticleDetail(ArticleSummary):
    body: str = Field(description="The story as sanitised HTML.")
    corrections: list[CorrectionOut]

    @staticmethod
    def resolve_corrections(article) -> list:
        # Prefetched with only the corrections already made (see api.views).
        return list(article.corrections.all())


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = Field(
        default_factory=list, description="For bad parameters: each parameter and its problem."
    )
