"""Schema.org data about an article for search engines, built in Python, never by template."""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from newsroom.site import absolute_url

# Inside <script>, "</script>" or "<!--" in a headline would end or bend the element:
# JSON allows these characters as escapes, so the data reads the same and cannot break out.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else absolute_url(url)


def article_news_data(article: Article, corrections) -> dict:
    """The NewsArticle readers' search engines see: who, when, what and what was corrected."""
    made = [c for c in corrections if c.published_at <= timezone.now()]
    modified = max(
        [
            article.published_at,
            *([article.substantively_updated_at] if article.was_updated_after_publishing else []),
            *(c.published_at for c in made),
        ]
    )
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute_url(article.get_absolute_url()),
        "headline": article.headline,
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat(),
        "dateModified": modified.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name_in(article.language).text,
                "url": absolute_url(byline.author.get_absolute_url()),
            }
            for byline in article.bylines.all()
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL + "/",
        },
    }
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
    picture = article.lead_image.picture("full") if article.lead_image_id else None
    if picture is not None:
        data["image"] = [_absolute(picture.fallback[-1].url)]
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


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element: data, not code, so the CSP allows it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above
