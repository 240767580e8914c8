"""Schema.org data for search engines, built in Python, never by template."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Author
from newsroom.site import absolute_url

# Inside <script>, "</script>" or "<!--" in a headline would end or bend the element:
# JSON allows these characters as escapes, so the data reads the same and cannot break out.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})

CONTEXT = "https://schema.org"


def absolute(url: str) -> str:
    """An address readers' tools can follow from anywhere: media may already be on a CDN."""
    return url if url.startswith(("http://", "https://")) else absolute_url(url)


# The logo Newsroom ships, used until a newsroom names its own (SITE_LOGO_URL).
SHIPPED_LOGO = "logo.png"


def logo_url() -> str:
    return absolute(settings.SITE_LOGO_URL or static(SHIPPED_LOGO))


def organization_data() -> dict:
    """The publisher: the newsroom, its address and its logo."""
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {"@type": "ImageObject", "url": logo_url()},
    }


def person_data(author: Author, language: str = "") -> dict:
    return {
        "@type": "Person",
        "name": author.name_in(language).text,
        "url": absolute_url(author.get_absolute_url()),
    }


def article_news_data(article: Article, corrections) -> dict:
    """The NewsArticle readers' search engines see: who, when, what and what was corrected."""
    made = [c for c in corrections if c.published_at <= timezone.now()]
    modified = article.modified_for_readers(corrections)
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute_url(article.get_absolute_url()),
        "headline": article.headline,
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat(),
        "dateModified": modified.isoformat(),
        "author": [
            person_data(byline.author, article.language) for byline in article.bylines.all()
        ],
        "publisher": organization_data(),
    }
    if article.section_id:
        data["articleSection"] = article.section.name_in(article.language).text
    if article.standfirst:
        data["description"] = article.standfirst
    # The same story in other languages: the original it translates, or its translations.
    for other in article.translations_for_readers:
        work = {"@type": "NewsArticle", "@id": absolute_url(other.get_absolute_url())}
        work["inLanguage"] = other.language
        if other.pk == article.translation_of_id:
            data["translationOfWork"] = work
        else:
            data.setdefault("workTranslation", []).append(work)
    if topics := [topic.name for topic in article.listed_topics]:
        data["keywords"] = topics
    images = []
    if article.lead_image_id:
        # Google picks among shapes: the wide one shared links use, then the whole photo.
        pictures = [article.lead_image.picture(crop) for crop in ("share", "full")]
        images = [absolute(p.fallback[-1].url) for p in pictures if p is not None]
    # Google recommends an image for every NewsArticle; a story without a photo of its own
    # offers the logo its shared links show.
    data["image"] = images or [logo_url()]
    if made:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in made
        ]
    return data


def profile_page_data(author: Author, *, portrait_url: str = "") -> dict:
    """An author's page: a ProfilePage about the Person."""
    person = person_data(author)
    if author.bio:
        person["description"] = author.bio
    if portrait_url:
        person["image"] = absolute(portrait_url)
    return {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "url": absolute_url(author.get_absolute_url()),
        "mainEntity": person,
    }


def website_data() -> dict:
    """The front page: the site itself and who publishes it."""
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "description": settings.SITE_DESCRIPTION,
        "publisher": organization_data(),
    }


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element: data, not code, so the CSP allows it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above
