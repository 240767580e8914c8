"""Another site's page cannot make its visitors' browsers post comments here.

Anonymous posts carry no CSRF token (the page is cached and shared), so the browser's own
word on where the post comes from decides; a reader without those headers (an old browser)
or with JavaScript off still posts as before.
"""

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.forms.reader import RENDERED_AT_SALT
from comments.models import Comment
from tests.comments.helpers import NOW, html, post_comment
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]

CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},
    {"Origin": "https://hostile.example"},
    {"Origin": "null"},
    {"Origin": "http://testserver.hostile.example"},
    {"Origin": "https://testserver"},
]
SAME_SITE = [
    {},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://www.testserver"},
    {"Origin": "http://testserver"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_post_another_site_makes_the_browser_send_is_refused(client, headers):
    article = ArticleFactory(headline="Budget passes")

    response = post_comment(client, article, headers=headers)

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert "only be posted from this site's own pages" in html(response)
    assert "Budget passes" not in html(response)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("headers", SAME_SITE)
def test_a_post_from_our_own_page_or_an_old_browser_is_accepted(client, headers):
    article = ArticleFactory()

    response = post_comment(client, article, headers=headers)

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_an_origin_the_site_trusts_may_post(client, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://news.example.org"]

    response = post_comment(
        client, ArticleFactory(), headers={"Origin": "https://news.example.org"}
    )

    assert response.status_code == 302


def test_a_cross_site_post_to_a_draft_says_nothing_of_it(client):
    draft = ArticleFactory(headline="Secret scoop", status=Article.Status.DRAFT, published_at=None)

    response = post_comment(client, draft, headers={"Sec-Fetch-Site": "cross-site"})

    assert response.status_code == 403
    assert "Secret scoop" not in html(response)


# The form's time stamp: taken when the reader's browser shows the form, not when the
# cached page was first made.


def token_url(article) -> str:
    return reverse("comments:comment-form-token", kwargs={"article_pk": article.pk})


def test_the_form_stamp_is_fresh_for_every_reader_and_never_cached(time_machine):
    article = ArticleFactory()
    reader = Client()
    first = reader.get(token_url(article)).json()["rendered_at"]
    time_machine.move_to(NOW + timedelta(minutes=10), tick=False)

    response = reader.get(token_url(article))

    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    stamped = response.json()["rendered_at"]
    assert stamped != first
    assert signing.loads(stamped, salt=RENDERED_AT_SALT) == [
        article.pk,
        (NOW + timedelta(minutes=10)).timestamp(),
    ]


def test_a_script_posting_at_once_with_a_fresh_stamp_is_refused(client):
    article = ArticleFactory()
    stamp = client.get(token_url(article)).json()["rendered_at"]

    response = post_comment(client, article, rendered_at=stamp)

    assert "That was quick!" in html(response)
    assert not Comment.objects.exists()


def test_a_reader_posting_a_while_after_the_stamp_is_accepted(client, time_machine):
    article = ArticleFactory()
    stamp = client.get(token_url(article)).json()["rendered_at"]
    time_machine.move_to(NOW + timedelta(minutes=2), tick=False)

    assert post_comment(client, article, rendered_at=stamp).status_code == 302


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.PUBLISHED, "published_at": NOW + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_no_stamp_for_an_article_readers_cannot_see(client, state):
    article = ArticleFactory(headline="Secret scoop", **state)

    response = client.get(token_url(article))

    assert response.status_code == 404
    assert html(response) == html(client.get(token_url(Article(pk=article.pk + 10_000))))


def test_the_article_page_tells_the_script_where_to_stamp_the_form(client):
    article = ArticleFactory()

    page = html(client.get(article.get_absolute_url()))

    assert f'data-token-url="{token_url(article)}"' in page
    assert "<script>" not in page  # Scripts only from files: the CSP allows nothing else.
