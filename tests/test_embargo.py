"""Embargo is a guarantee: nothing of a draft or scheduled story reaches a reader early,
through any door a reader (or a script) can knock on."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Correction
from articles.renditions import planned_specs
from tests.factories import PAST, ArticleFactory, AuthorFactory, ImageFactory, SectionFactory
from tests.xml_reader import local, sitemap_addresses, sitemaps_listed

pytestmark = pytest.mark.django_db

HEADLINE = "Minister to resign on Friday"
GUEST = "Zainab Guest-Writer"


def rendition_url(image) -> str:
    """The address of one rendition the image really has (a 404 must not be by chance)."""
    spec = planned_specs(image.width, image.height, ["full"])[0].name
    return reverse("articles:image-rendition", kwargs={"pk": image.pk, "spec": spec})


@pytest.fixture(params=["draft", "scheduled", "unpublished", "review"])
def embargoed(request, time_machine):
    """A story not out yet, with its own section, guest byline, lead photo and body photo."""
    time_machine.move_to(PAST, tick=False)
    section = SectionFactory(name="Scoops", slug="scoops")
    ArticleFactory(section=section, headline="An older published story")
    guest = AuthorFactory(name=GUEST, slug="zainab-guest", photo=ImageFactory())
    lead, figure = ImageFactory(caption="The resignation letter"), ImageFactory()
    status, published_at = {
        "draft": (Article.Status.DRAFT, None),
        "scheduled": (Article.Status.PUBLISHED, PAST + timedelta(hours=3)),
        "unpublished": (Article.Status.UNPUBLISHED, PAST - timedelta(days=1)),
        "review": (Article.Status.REVIEW, None),
    }[request.param]
    article = ArticleFactory(
        headline=HEADLINE,
        section=section,
        bylines=[guest],
        lead_image=lead,
        status=status,
        published_at=published_at,
        body=f'<p>Text.</p><figure><img src="{rendition_url(figure)}" alt="x"></figure>',
    )
    Correction.objects.create(article=article, text="An early correction", published_at=PAST)
    return article, guest, [lead, figure, guest.photo]


def test_no_reader_page_feed_or_sitemap_names_the_story_its_guest_or_its_correction(embargoed):
    article, guest, _ = embargoed
    reader = Client()
    doors = [
        "/",
        "/section/scoops/",
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:section-feed", kwargs={"slug": "scoops"}),
        reverse("articles:section-feed-atom", kwargs={"slug": "scoops"}),
        reverse("articles:corrections"),
        reverse("articles:corrections-feed"),
        "/sitemap.xml",
        *(local(sitemap) for sitemap in sitemaps_listed(reader)),
        reverse("news-sitemap"),
    ]
    for door in doors:
        page = reader.get(door).content.decode()
        assert HEADLINE not in page and GUEST not in page, door
        assert "An early correction" not in page, door
        assert article.slug not in page, door


def test_the_story_its_guests_page_and_its_photos_are_not_found(embargoed):
    article, guest, photos = embargoed
    reader = Client()

    answers = [
        reader.get(article.get_absolute_url()),
        reader.get(reverse("articles:article-short", kwargs={"pk": article.pk})),
        reader.get(guest.get_absolute_url()),
        reader.get(reverse("articles:author-feed", kwargs={"slug": guest.slug})),
        reader.get(reverse("articles:author-feed-atom", kwargs={"slug": guest.slug})),
        *(reader.get(rendition_url(photo)) for photo in photos),
    ]

    for answer in answers:
        assert answer.status_code == 404, answer.request["PATH_INFO"]
        body = answer.content.decode()
        assert HEADLINE not in body and GUEST not in body and article.slug not in body


def test_a_made_up_or_mangled_preview_address_says_nothing(embargoed):
    article, _, _ = embargoed
    for token in ["x", "0" * 43, article.slug, str(article.pk)]:
        answer = Client().get(reverse("articles:preview", kwargs={"token": token}))
        assert answer.status_code == 404
        assert HEADLINE not in answer.content.decode()


def test_once_out_the_guest_and_their_portrait_appear(time_machine):
    time_machine.move_to(PAST + timedelta(hours=4), tick=False)
    guest = AuthorFactory(name=GUEST, slug="zainab-guest", photo=ImageFactory())
    ArticleFactory(headline=HEADLINE, bylines=[guest], published_at=PAST + timedelta(hours=3))

    assert GUEST in Client().get(guest.get_absolute_url()).content.decode()
    assert Client().get(rendition_url(guest.photo)).status_code == 302
    assert any("/author/zainab-guest/" in a for a in sitemap_addresses(Client()))
    feed = Client().get(reverse("articles:author-feed", kwargs={"slug": guest.slug}))
    assert HEADLINE in feed.content.decode()


def test_editors_still_open_a_guests_page_before_the_story_is_out(editor_client, embargoed):
    _, guest, _ = embargoed

    assert editor_client.get(guest.get_absolute_url()).status_code == 200
