"""What a reader sees at the top of the site, and how editors choose it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser_forms import form_fields
from tests.factories import PAST, ArticleFactory, AuthorFactory, ImageFactory

pytestmark = pytest.mark.django_db


def lead_of(page: str) -> str:
    """The text of the front page's lead teaser."""
    return page.split('class="teaser teaser-lead')[1].split("</article>")[0]


def test_a_brief_without_a_photo_does_not_displace_the_main_story(client):
    ArticleFactory(headline="Floods reach Sukkur", lead_image=ImageFactory(), published_at=PAST)
    ArticleFactory(headline="Brief: road closed", lead_image=None, published_at=PAST + timedelta(1))

    page = client.get("/").content.decode()

    assert "Floods reach Sukkur" in lead_of(page)
    assert "Brief: road closed" in page and "Brief: road closed" not in lead_of(page)


def test_the_story_an_editor_ticks_leads_the_front_page_even_when_older(editor_client):
    chosen = ArticleFactory(headline="Budget passed", published_at=PAST - timedelta(days=2))
    ArticleFactory(headline="Newer story", lead_image=ImageFactory(), published_at=PAST)
    change = reverse("admin:articles_article_change", args=[chosen.pk])
    form = form_fields(editor_client.get(change).content.decode(), "article_form")
    assert "is_front_page_lead" not in form  # unticked by default

    form["is_front_page_lead"] = "on"
    editor_client.post(change, form)

    page = Client().get("/").content.decode()
    assert "Budget passed" in lead_of(page)
    assert page.count("Budget passed") == 1


def test_a_ticked_lead_that_is_not_yet_published_does_not_lead(client, time_machine):
    time_machine.move_to(PAST + timedelta(hours=1), tick=False)
    ArticleFactory(
        headline="Embargoed scoop", is_front_page_lead=True, published_at=PAST + timedelta(days=1)
    )
    ArticleFactory(headline="Today's story", published_at=PAST)

    page = client.get("/").content.decode()

    assert "Today&#x27;s story" in lead_of(page)
    assert "Embargoed scoop" not in page


def test_teasers_show_their_bylines_and_the_photo_credit(client):
    ArticleFactory(
        headline="Water talks",
        bylines=[AuthorFactory(name="Amina Qureshi")],
        lead_image=ImageFactory(credit="AFP"),
    )

    page = client.get("/").content.decode()

    assert "By <a" in lead_of(page) and "Amina Qureshi" in lead_of(page)
    assert "Photo: AFP" in lead_of(page)


def test_bylines_say_each_role_once(client):
    article = ArticleFactory()
    article.bylines.all().delete()
    reporters = [AuthorFactory(name="Amina"), AuthorFactory(name="Bilal")]
    analyst = AuthorFactory(name="Chand")
    for position, (author, role) in enumerate(
        [(reporters[0], ""), (reporters[1], ""), (analyst, "Analysis by")]
    ):
        article.bylines.create(author=author, role=role, position=position)

    page = client.get(article.get_absolute_url()).content.decode()
    bylines = page.split('class="bylines')[1].split("</p>")[0]

    text = re.sub(r"<[^>]+>", "", bylines.split(">", 1)[1])
    assert " ".join(text.split()) == "By Amina and Bilal · Analysis by Chand"
