"""What a reader sees at the top of the site, and how editors choose it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser_forms import form_fields
from tests.factories import PAST, ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


def lead_of(page: str) -> str:
    """The text of the front page's lead teaser."""
    return page.split('class="teaser teaser-lead')[1].split("</article>")[0]


def teaser_of(page: str, headline: str) -> str:
    """The whole teaser of the story with this headline, wherever the page places it."""
    (teaser,) = [t for t in re.findall(r"<article .*?</article>", page, re.S) if headline in t]
    return teaser


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


@pytest.mark.parametrize(
    ("typed", "teaser_says"),
    [
        ("AFP", "Photo: AFP"),
        ("Photo: AFP", "Photo: AFP"),
        ("photo:AFP", "Photo: AFP"),
        ("Photograph: Getty Images", "Photo: Getty Images"),
        ("Credit: Express News", "Photo: Express News"),
        ("Photo agency of the north", "Photo: Photo agency of the north"),  # a name, no label
        ("Photo:", "Photo: Photo:"),  # nothing after the label: shown as typed
    ],
)
def test_a_credit_typed_with_its_label_is_labelled_once_on_the_teaser(client, typed, teaser_says):
    article = ArticleFactory(lead_image=ImageFactory(credit=typed))

    front = client.get("/").content.decode()
    story = client.get(article.get_absolute_url()).content.decode()

    assert f'<p class="credit small text-body-secondary mt-n2 mb-1">{teaser_says}</p>' in front
    # The story's own page shows no label of its own: the credit there is as typed.
    assert f'<span class="credit">{typed}</span>' in story


def urdu_story(**fields):
    section = SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")
    hira = AuthorFactory(name="Hira Baloch", other_names={"ur": "حرا بلوچ"})
    return ArticleFactory(
        language="ur", section=section, headline="کوئٹہ میں پانی کی قلت", bylines=[hira], **fields
    )


def test_an_urdu_credit_typed_with_its_urdu_label_is_labelled_once_in_urdu(client):
    ArticleFactory(is_front_page_lead=True)
    story = urdu_story(lead_image=ImageFactory(credit="فوٹو: حرا بلوچ"))

    teaser = teaser_of(client.get("/").content.decode(), story.headline)

    assert ">تصویر: حرا بلوچ</p>" in teaser
    assert "فوٹو" not in teaser


def test_an_urdu_teaser_labels_its_byline_in_urdu_as_its_page_section_and_search_do(client):
    ArticleFactory(is_front_page_lead=True)
    story = urdu_story()

    def byline_in(page: str) -> str:
        bylines = page.split('class="bylines')[1].split("</p>")[0].split(">", 1)[1]
        return " ".join(re.sub(r"<[^>]+>", "", bylines).split())

    teaser = teaser_of(client.get("/").content.decode(), story.headline)

    assert 'lang="ur" dir="rtl"' in teaser.split(">")[0]
    assert byline_in(teaser) == "از حرا بلوچ"
    assert byline_in(client.get(story.get_absolute_url()).content.decode()) == "از حرا بلوچ"
    assert byline_in(client.get(story.section.get_absolute_url()).content.decode()) == (
        "از حرا بلوچ"
    )
    found = client.get(reverse("articles:search"), {"q": "کوئٹہ"}).content.decode()
    assert byline_in(found.split('class="search-result')[1]) == "از حرا بلوچ"


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
