from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "offset", "visible"),
    [
        (Article.Status.PUBLISHED, timedelta(days=-1), True),
        (Article.Status.PUBLISHED, timedelta(seconds=-1), True),
        (Article.Status.PUBLISHED, timedelta(minutes=5), False),
        (Article.Status.DRAFT, timedelta(days=-1), False),
        (Article.Status.DRAFT, timedelta(days=1), False),
    ],
)
def test_published_truth_table(status, offset, visible):
    article = ArticleFactory(status=status, published_at=timezone.now() + offset)

    assert (article in Article.objects.published()) is visible
    assert article.is_published is visible


def test_publishing_without_a_time_publishes_now():
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)

    assert article.published_at is not None
    assert article.is_published


def test_body_is_sanitised_on_save_whatever_the_source():
    article = ArticleFactory(
        body='<p onclick="steal()">Hi<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)><h2>Sub</h2>'
    )
    article.refresh_from_db()

    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "onerror" not in article.body
    assert "javascript:" not in article.body
    assert "<h2>Sub</h2>" in article.body


def test_lead_image_without_credit_names_what_is_missing():
    image = ImageFactory(credit="", alt_text="")

    assert image.missing_for_publication == ["a credit", "alt text"]
