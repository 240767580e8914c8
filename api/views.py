"""The read API's endpoints: published articles, their sections, authors and topics.

Every article comes through `Article.objects.published()`, whoever asks: the API shows
what any reader may see, never a draft, a scheduled story or an unpublished one, even to
a signed-in editor. Each endpoint runs a fixed number of queries however many rows it
returns.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.pagination import paginate

from api.conditional import conditional, revalidation_described
from api.errors import BadParameter
from api.filters import ArticleFilters, is_slug
from api.pagination import PageWithoutCount
from api.schemas import (
    ArticleDetail,
    ArticleSummary,
    AuthorOut,
    ErrorOut,
    SectionOut,
    TopicOut,
)
from articles.languages import language_choices
from articles.models import Article, Author, Correction, Rendition, Section, Topic

router = Router()

NOT_FOUND = {404: ErrorOut}
BAD_REQUEST = {400: ErrorOut}


def read(path: str, *, response, **details):
    """An endpoint answering GET, documented, and HEAD: the same status and headers
    (ETag included), no body. HTTP asks HEAD of every resource that answers GET; it is left
    out of the OpenAPI description, where it would repeat GET under the same operation id."""

    def register(view):
        router.add_api_operation(
            path, ["HEAD"], view, response=response, include_in_schema=False, **details
        )
        return router.get(
            path, response=response, openapi_extra=revalidation_described(), **details
        )(view)

    return register


def _articles():
    # Lead photos whose rendition set is not complete yet read their rows: one query.
    # Topics come in the articles' own query (with_topics), not one more.
    return (
        Article.objects.published()
        .for_listing()
        .with_topics()
        .with_translations()
        .prefetch_related(Prefetch("lead_image__renditions", Rendition.objects.for_pictures()))
    )


def _authors():
    return (
        Author.objects.known_to_readers()
        .select_related("photo")
        .prefetch_related(Prefetch("photo__renditions", Rendition.objects.for_pictures()))
    )


def _slug_or_404(slug: str) -> str:
    # An address that cannot be a slug (a NUL, a space) is simply not there.
    if not is_slug(slug):
        raise Http404
    return slug


@read(
    "/articles",
    response={200: list[ArticleSummary], **BAD_REQUEST},
    url_name="article-list",
    tags=["articles"],
    summary="Published articles, newest first",
)
@conditional
@paginate(PageWithoutCount)
def list_articles(request, filters: Query[ArticleFilters]):
    articles = _articles()
    if filters.section is not None:
        section = Section.objects.filter(slug=filters.section).only("pk").first()
        if section is None:
            raise BadParameter("section", f"No section has the slug {filters.section!r}.")
        articles = articles.filter(section=section)
    if filters.author is not None:
        author = Author.objects.known_to_readers().filter(slug=filters.author).first()
        if author is None:
            raise BadParameter("author", f"No author has the slug {filters.author!r}.")
        articles = articles.filter(bylines__author=author)
    if filters.topic is not None:
        topic = Topic.objects.known_to_readers().filter(slug=filters.topic).first()
        if topic is None:
            raise BadParameter("topic", f"No topic has the slug {filters.topic!r}.")
        articles = articles.filter(topics=topic)
    if filters.language is not None:
        codes = [code for code, _ in language_choices()]
        if filters.language not in codes:
            raise BadParameter(
                "language", f"Stories are written in {', '.join(codes)}, not {filters.language!r}."
            )
        articles = articles.filter(language=filters.language)
    if filters.published_after is not None:
        articles = articles.filter(published_at__gte=filters.after())
    if filters.published_before is not None:
        articles = articles.filter(published_at__lt=filters.before())
    return articles.order_by("-published_at", "-pk")


@read(
    "/articles/{article_id}",
    response={200: ArticleDetail, **BAD_REQUEST, **NOT_FOUND},
    url_name="article-detail",
    tags=["articles"],
    summary="One published article with its body and corrections",
)
@conditional
def show_article(request, article_id: int = Path(..., ge=1, le=2**63 - 1)):
    made = Correction.objects.filter(published_at__lte=timezone.now()).order_by("published_at")
    articles = _articles().defer(None).prefetch_related(Prefetch("corrections", made))
    return get_object_or_404(articles, pk=article_id)


@read(
    "/sections",
    response=list[SectionOut],
    url_name="section-list",
    tags=["sections"],
    summary="Every section, in the site's navigation order",
)
@conditional
def list_sections(request):
    return Section.objects.all()


@read(
    "/sections/{slug}",
    response={200: SectionOut, **NOT_FOUND},
    url_name="section-detail",
    tags=["sections"],
    summary="One section",
)
@conditional
def show_section(request, slug: str):
    return get_object_or_404(Section, slug=_slug_or_404(slug))


@read(
    "/authors",
    response={200: list[AuthorOut], **BAD_REQUEST},
    url_name="author-list",
    tags=["authors"],
    summary="Authors with a published story or photo, by name",
)
@conditional
@paginate(PageWithoutCount)
def list_authors(request):
    return _authors().order_by("name", "pk")


@read(
    "/authors/{slug}",
    response={200: AuthorOut, **NOT_FOUND},
    url_name="author-detail",
    tags=["authors"],
    summary="One author known to readers",
)
@conditional
def show_author(request, slug: str):
    return get_object_or_404(_authors(), slug=_slug_or_404(slug))


@read(
    "/topics",
    response={200: list[TopicOut], **BAD_REQUEST},
    url_name="topic-list",
    tags=["topics"],
    summary="Topics with a published story, by name",
)
@conditional
@paginate(PageWithoutCount)
def list_topics(request):
    return Topic.objects.known_to_readers().order_by("name", "pk")


@read(
    "/topics/{slug}",
    response={200: TopicOut, **NOT_FOUND},
    url_name="topic-detail",
    tags=["topics"],
    summary="One topic with a published story",
)
@conditional
def show_topic(request, slug: str):
    return get_object_or_404(Topic.objects.known_to_readers(), slug=_slug_or_404(slug))
