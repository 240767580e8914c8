"""Shared previews: one unpublished article for someone without an account, and nothing else."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, Image, PreviewLink, Rendition
from tests.factories import PAST, ArticleFactory, ImageFactory, WriterFactory

pytestmark = pytest.mark.django_db


def share(client, article, hours="") -> str:
    response = client.post(
        reverse("admin:articles_article_preview", args=[article.pk]), {"hours": hours}, follow=True
    )
    page = response.content.decode()
    return re.search(r'value="(http[^"]+/preview/[^"]+)" id="preview-address"', page).group(1)


def test_editor_shares_a_draft_and_a_stranger_reads_only_that(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    draft = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, headline="Embargoed budget"
    )
    other_draft = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        headline="Another secret",
        section=draft.section,
    )
    address = share(editor_client, draft)

    response = Client().get(address)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Embargoed budget" in page and 'id="preview-banner"' in page
    assert "Another secret" not in page and other_draft.slug not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'rel="canonical"' not in page and 'id="comments"' not in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")
    link = PreviewLink.objects.get()
    assert link.expires_at == PAST + timedelta(hours=48)
    assert address.split("/preview/")[1].strip("/") not in link.token_hash


def test_a_preview_link_stops_at_its_expiry(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    address = share(editor_client, draft, hours="2")

    time_machine.move_to(PAST + timedelta(hours=2) - timedelta(seconds=1), tick=False)
    assert Client().get(address).status_code == 200
    time_machine.move_to(PAST + timedelta(hours=2), tick=False)
    assert Client().get(address).status_code == 404


def test_a_revoked_preview_link_stops_at_once(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    address = share(editor_client, draft)
    link = PreviewLink.objects.get()

    editor_client.post(reverse("admin:articles_article_preview_revoke", args=[draft.pk, link.pk]))

    assert Client().get(address).status_code == 404


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 400])
def test_a_guessed_or_tampered_preview_address_shows_nothing(token):
    ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="Secret")
    _, real = services.preview_link_create(article=Article.objects.get(), by=None, hours=48)
    address = f"/preview/{token or real[:-1]}/"

    response = Client().get(address)

    assert response.status_code == 404
    assert "Secret" not in response.content.decode()


def test_a_writer_cannot_share_a_preview_of_someone_elses_story():
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    writer = Client()
    writer.force_login(WriterFactory())

    writer.post(reverse("admin:articles_article_preview", args=[draft.pk]), {"hours": "48"})

    assert not PreviewLink.objects.exists()


def test_preview_links_are_not_made_by_a_get(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = editor_client.get(reverse("admin:articles_article_preview", args=[draft.pk]))

    assert response.status_code == 405 and not PreviewLink.objects.exists()


def test_a_preview_shows_the_drafts_new_photos_which_stay_private_without_the_link(
    editor_client, settings
):
    # New uploads: the background task has not made their renditions yet.
    lead = ImageFactory(caption="Flooded square", alt_text="Water up to the doors")
    figure = ImageFactory(caption="Rescue boat", alt_text="An orange boat")
    draft = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        lead_image=lead,
        body=f'<p>Before.</p><figure><img src="{figure.body_reference}" alt="A boat"></figure>',
    )
    assert not Rendition.objects.exists()
    address = share(editor_client, draft)

    page = Client().get(address).content.decode()

    for image in (lead, figure):
        image = Image.objects.get(pk=image.pk)
        stored = image.picture("full").fallback[0].url
        assert stored.startswith(settings.MEDIA_URL + "renditions/")
        assert stored in page
        # The same photo by its id, without the link: nothing.
        assert Client().get(image.body_reference).status_code == 404
    assert "/image/" not in page
