from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView

from articles.cache import (
    FRONT,
    SITE,
    article_key,
    author_key,
    cache_public_page,
    link_key,
    page_tag,
    page_timetable,
    section_key,
    story_key,
    teaser_key,
    topic_key,
)
from articles.forms import SearchForm
from articles.fragments import CARDS, Cards, Fragments
from articles.languages import reader_language
from articles.models import (
    Article,
    Author,
    Correction,
    Image,
    Rendition,
    Section,
    Topic,
    with_card_relations,
)
from articles.page_meta import (
    article_meta,
    author_meta,
    corrections_meta,
    front_page_meta,
    section_meta,
    topic_meta,
)
from articles.paging import list_page
from articles.readership import is_countable, read_record
from articles.rendition_store import ensure_renditions
from newsroom.client import client_ip
from newsroom.site import absolute_url


def readable_articles(request):
    """Published articles for readers; editors may also preview the rest, and writers
    their own stories."""
    user = request.user
    if user.is_authenticated and user.has_perm("articles.publish_article"):
        return Article.objects.all()
    if user.is_authenticated and user.has_perm("articles.change_article"):
        return Article.objects.filter(
            Q(pk__in=Article.objects.published().values("pk"))
            | Q(pk__in=Article.objects.mine(user).values("pk"))
        )
    return Article.objects.published()


@cache_public_page
def front_page(request):
    # The navigation lists the same sections: one query serves both.
    sections = list(Section.objects.all())
    page = Article.objects.published().front_page(
        settings.FRONT_PAGE_STORIES_PER_SECTION,
        language=translation.get_language(),
        sections=sections,
        beside_lead=settings.FRONT_PAGE_BESIDE_LEAD,
    )
    # Read counts are written every minute or so; the list follows when the page expires.
    since = timezone.localdate() - timedelta(days=settings.MOST_READ_DAYS - 1)
    most_read = Article.objects.published().most_read(
        since=since, limit=settings.MOST_READ_COUNT, language=translation.get_language()
    )
    cards = [(page.lead, "lead")] if page.lead else []
    cards += [(article, "beside-lead") for article in page.top_stories]
    cards += [(article, "card") for _, articles in page.sections for article in articles]
    shown = [article for article, _ in cards] + most_read
    page_tag(request, FRONT, *(teaser_key(article.pk) for article in shown))
    kept = Cards.find(request, cards)
    with_card_relations(
        [article for article, variant in cards if kept is None or not kept.get(article, variant)]
    )
    response = render(
        request,
        "articles/front_page.html",
        {
            "lead": page.lead,
            "top_stories": page.top_stories,
            "sections": page.sections,
            "most_read": most_read,
            "navigation_sections": sections,
            "page_meta": front_page_meta(),
            "cards": kept,
        },
    )
    if kept is not None:
        kept.store()
    return response


ARTICLE_TEMPLATE = "articles/article_detail.html"


def _article_stamp(article: Article) -> str:
    # What the kept parts were rendered from: any save of the story changes it.
    return f"{article.version}|{article.updated_at.isoformat()}|{article.language}|{article.slug}"


@cache_public_page
def article_detail(request, pk, slug=None):
    fragments = Fragments.find(request, ARTICLE_TEMPLATE, f"article-{pk}")
    if fragments is not None and fragments.kept is not None:
        # The story, its metadata and the lists beside it are kept: only the row is read,
        # to know the story is still public, which version it is, and its comments.
        row = readable_articles(request).defer("body", "search_vector")
        article = get_object_or_404(row, pk=pk)
        if slug != article.slug:
            return redirect(article, permanent=True)
        if fragments.fits(_article_stamp(article)):
            page_tag(request, article_key(article.pk), *fragments.tags)
            return _article_page(request, article, {"fragments": fragments})
        fragments = fragments.emptied()
    # The lead photo's renditions serve both the picture and the JSON-LD: fetched once.
    articles = (
        readable_articles(request)
        .with_bylines()
        .with_translations()
        .with_topics()
        .prefetch_related(Prefetch("lead_image__renditions", Rendition.objects.for_pictures()))
    )
    article = get_object_or_404(articles, pk=pk)
    if slug != article.slug:
        # Headlines get edited; every address an article ever had keeps leading to it.
        return redirect(article, permanent=True)
    # "More in section" and "Related" list the newest stories of its section and topics, so
    # a new one there refreshes the page; a related story that changes or goes refreshes it.
    beside = Article.objects.published().beside(
        article, in_section=settings.MORE_IN_SECTION_COUNT, related=settings.RELATED_STORIES_COUNT
    )
    shown = [
        story_key(article.pk),
        section_key(article.section_id),
        *(topic_key(topic.pk) for topic in article.listed_topics),
        *(link_key(other.pk) for other in beside.related),
    ]
    page_tag(request, article_key(article.pk), *shown)
    corrections = list(article.corrections.all())
    with translation.override(article.language):
        page_meta = article_meta(article, corrections)  # og:locale is the story's language
    response = _article_page(
        request,
        article,
        {
            "corrections": corrections,
            "more_in_section": beside.in_section,
            "related": beside.related,
            "page_meta": page_meta,
            "fragments": fragments,
        },
    )
    if fragments is not None and article.is_published:
        # A correction due later changes the page by the clock, as a scheduled story does.
        changes = [c.published_at for c in corrections if c.published_at > timezone.now()]
        if (next_change := page_timetable(request).next_change) is not None:
            changes.append(next_change)
        fragments.store(
            stamp=_article_stamp(article), tags={SITE, *shown}, not_after=min(changes, default=None)
        )
    return response


def _article_page(request, article, context):
    # The page speaks the story's language: its interface, dates, direction and metadata.
    with translation.override(article.language):
        return render(request, ARTICLE_TEMPLATE, {"article": article, **context})


class PaginatedArticleListView(ListView):
    context_object_name = "articles"
    # How the page draws each story (articles.fragments.CARDS), reusing the cards kept for
    # stories that have not changed; None for a list of something else.
    card_variant = None
    cards = None

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        page = list_page(queryset, number=self.request.GET.get("page"), per_page=page_size)
        page_tag(self.request, *(teaser_key(article.pk) for article in page))
        if self.card_variant is not None:
            self.cards = Cards.find(self.request, [(story, self.card_variant) for story in page])
            with_card_relations(
                [
                    story
                    for story in page
                    if self.cards is None or self.cards.get(story, self.card_variant) is None
                ],
                photos=CARDS[self.card_variant][1].get("show_image", False),
            )
        return None, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Known only once the list is paged, which the call above does.
        context["cards"] = self.cards
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.cards is not None:
            # Kept once the page is drawn: the cards this render drew are known only then.
            response.add_post_render_callback(lambda _: self.cards.store())
        return response


@csrf_exempt  # a bodiless beacon that only adds one to a count; no cookie is read
@require_POST
def count_read(request, pk):
    """Count a reader's visit to an article for "Most read" (sent by read_beacon.js)."""
    if is_countable(request):
        read_record(article_id=pk, address=client_ip(request))
    # The same answer whether counted or not: a flood learns nothing from it.
    return HttpResponse(status=204)


@method_decorator(cache_public_page, name="dispatch")
class SectionDetailView(PaginatedArticleListView):
    template_name = "articles/section_detail.html"
    card_variant = "listing"

    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        # A page past the last is a missing page in the section's language too.
        request.page_language = self.section.language
        # Rendered here, not later by the handler, so the page and its metadata are in the
        # section's language.
        with translation.override(self.section.language):
            return super().get(request, *args, **kwargs).render()

    def get_queryset(self):
        page_tag(self.request, section_key(self.section.pk))
        return Article.objects.published().filter(section=self.section).for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(section=self.section, **kwargs)
        context["page_meta"] = section_meta(self.section, page_number=context["page_obj"].number)
        return context


@method_decorator(cache_public_page, name="dispatch")
class TopicDetailView(PaginatedArticleListView):
    template_name = "articles/topic_detail.html"
    card_variant = "listing"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        page_tag(self.request, topic_key(self.topic.pk))
        return Article.objects.published().filter(topics=self.topic).for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(topic=self.topic, **kwargs)
        if not context["page_obj"].object_list and not self.request.user.has_perm(
            "articles.change_article"
        ):
            # A topic made for a scheduled scoop stays unknown until a story of it is out.
            raise Http404("No such topic.")
        context["page_meta"] = topic_meta(self.topic, page_number=context["page_obj"].number)
        return context


@require_safe
def search(request):
    """The search page: never cached, as its addresses are as many as readers' words."""
    # The navigation and the form's section list are the same rows: one query.
    sections = list(Section.objects.all())
    # Its words, form and notes in the language of the page it was sent from (or the reader's).
    with translation.override(reader_language(request)):
        form = SearchForm(request.GET, sections=sections)
        found = form.articles(Article.objects.published())
        page = None
        if found is not None:
            page = list_page(
                found.for_listing(),
                number=form.page_number,
                per_page=settings.SEARCH_RESULTS_PER_PAGE,
                allow_empty=True,
            )
        # Only a search for words alone that found stories is a page for search engines;
        # the rest (no words, nothing found, filters, later pages) say noindex.
        canonical = None
        if page is not None and page.number == 1 and len(page) and form.asks_for_words_alone:
            canonical = absolute_url(f"{reverse('articles:search')}?{form.address()}")
        response = render(
            request,
            "articles/search.html",
            {
                "form": form,
                "page_obj": page,
                "canonical": canonical,
                "navigation_sections": sections,
            },
        )
    patch_vary_headers(response, ["Accept-Language"])
    return response


@method_decorator(cache_public_page, name="dispatch")
class AuthorDetailView(PaginatedArticleListView):
    template_name = "articles/author_detail.html"
    card_variant = "listing"

    def get_queryset(self):
        authors = Author.objects.select_related("photo")
        if not self.request.user.has_perm("articles.change_article"):
            authors = authors.known_to_readers()
        self.author = get_object_or_404(authors, slug=self.kwargs["slug"])
        page_tag(self.request, author_key(self.author.pk))
        return Article.objects.published().filter(bylines__author=self.author).for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(author=self.author, **kwargs)
        context["page_meta"] = author_meta(self.author, page_number=context["page_obj"].number)
        return context


@require_safe
def image_rendition(request, pk, spec):
    """Send a reader to a rendition, making it first if the background task has not yet."""
    image = get_object_or_404(Image, pk=pk)
    if not request.user.has_perm("articles.view_image") and not image.is_public():
        # Image ids are easy to count through: a scoop's photo must not show before it.
        raise Http404("No such image.")
    rendition = ensure_renditions(pk, names=[spec]).get(spec)
    if rendition is None:
        # Only the planned set of each image can be asked for, so no one can make the
        # server encode arbitrary sizes.
        raise Http404("No such rendition.")
    response = redirect(rendition.file.url)
    # The target's name changes with the file or the focal point, so a short cache is safe.
    response["Cache-Control"] = "public, max-age=300"
    return response


@method_decorator(cache_public_page, name="dispatch")
class CorrectionListView(PaginatedArticleListView):
    """Every correction the newsroom has made, newest first, for the record."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"

    def get_queryset(self):
        return Correction.objects.public().select_related("article__section")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_meta"] = corrections_meta(page_number=context["page_obj"].number)
        return context
