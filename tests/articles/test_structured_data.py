"""The JSON-LD NewsArticle on article pages: what search engines read about a story."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client

from articles.models import Article, Correction
from tests.factories import PAST, ArticleFactory, AuthorFactory, ImageFactory

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(page: str) -> list:
    return [json.loads(block) for block in SCRIPT.findall(page)]


def test_an_article_page_describes_the_story_its_authors_and_corrections(settings, time_machine):
    settings.SITE_URL, settings.SITE_NAME = "https://news.example", "Daily Example"
    settings.ALLOWED_HOSTS = ["news.example", "evil.example"]
    time_machine.move_to(PAST + timedelta(days=2), tick=False)
    author = AuthorFactory(name="Amna Rauf")
    article = ArticleFactory(
        headline="Dam breach floods valley",
        bylines=[author],
        lead_image=ImageFactory(),
        published_at=PAST,
    )
    Correction.objects.create(article=article, text="The dam is 40 m high.", published_at=PAST)
    Correction.objects.create(
        article=article, text="Not yet made.", published_at=PAST + timedelta(days=3)
    )

    response = Client().get(article.get_absolute_url(), HTTP_HOST="evil.example")

    (data,) = json_ld(response.content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Dam breach floods valley"
    assert data["mainEntityOfPage"] == "https://news.example" + article.get_absolute_url()
    assert data["datePublished"] == PAST.isoformat()
    assert data["dateModified"] == PAST.isoformat()
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Amna Rauf",
            "url": "https://news.example" + author.get_absolute_url(),
        }
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Daily Example",
        "url": "https://news.example/",
        "logo": {"@type": "ImageObject", "url": "https://news.example/static/logo.png"},
    }
    assert data["image"][0].startswith("https://news.example/")
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The dam is 40 m high.",
            "datePublished": PAST.isoformat(),
        }
    ]
    assert "evil.example" not in response.content.decode()


def test_an_article_without_corrections_leaves_them_out():
    (data,) = json_ld(Client().get(ArticleFactory().get_absolute_url()).content.decode())

    assert "correction" not in data


def test_an_article_without_a_photo_offers_the_sites_logo_as_its_image(settings):
    settings.SITE_URL = "https://news.example"

    (data,) = json_ld(Client().get(ArticleFactory().get_absolute_url()).content.decode())

    assert data["image"] == ["https://news.example/static/logo.png"]
    assert data["image"][0] == data["publisher"]["logo"]["url"]


def test_a_hostile_headline_cannot_break_out_of_the_data():
    headline = '</script><script>alert(1)</script><!-- & "quoted"'
    article = ArticleFactory(headline=headline, standfirst="<b>bold</b> & more")

    page = Client().get(article.get_absolute_url()).content.decode()

    blocks = SCRIPT.findall(page)
    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0] and "&" not in blocks[0]
    data = json.loads(blocks[0])
    assert data["headline"] == headline and data["description"] == "<b>bold</b> & more"
    assert "<script>alert(1)" not in page


def test_the_csp_allows_no_inline_code_and_the_data_needs_none():
    response = Client().get(ArticleFactory().get_absolute_url())

    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)[1]
    assert "'unsafe-inline'" not in script_src
    # The only inline <script> is data, which browsers never run and the CSP does not judge.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline == [' type="application/ld+json"']


def test_drafts_previews_and_scheduled_stories_carry_no_structured_data(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    assert json_ld(editor_client.get(draft.get_absolute_url()).content.decode()) == []
