"""A refused comment tells the reader why, and never anything readers may not see.

A hostile visitor posting to every article number must learn nothing of drafts or scheduled
stories, and a reply target naming a hidden or held comment must never bring it onto a page.
"""

from datetime import timedelta

import pytest

from articles.models import Article
from comments.models import Ban, Comment
from tests.comments.helpers import NOW, html, post_comment, rendered_token
from tests.factories import ArticleFactory, CommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]

ARTICLE_STATES = {
    "draft": {"status": Article.Status.DRAFT, "published_at": None},
    "scheduled": {"status": Article.Status.PUBLISHED, "published_at": NOW + timedelta(days=1)},
    "published": {},
}


def invalid_form(article):
    return {"body": ""}


def closed(article):
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    return {}


def banned(article):
    Ban.objects.create(email="ayesha@example.org", reason="spam")
    return {}


def rate_limited(article, settings):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = 0
    return {}


def duplicate(article):
    CommentFactory(article=article, email="ayesha@example.org", body="Said twice")
    return {"body": "Said twice"}


def hidden_reply_target(article):
    hidden = CommentFactory(article=article, status=Comment.Status.HIDDEN)
    return {"in_reply_to": hidden.pk}


def too_fast(article):
    return {"rendered_at": rendered_token(article=article, at=NOW)}


def honeypot(article):
    return {"website": "http://cheap-pills.example"}


# What a published article answers; any other article answers the same empty 404.
REFUSALS = {
    "invalid form": (invalid_form, 200),
    "closed": (closed, 403),
    "banned": (banned, 403),
    "rate-limited": (rate_limited, 429),
    "duplicate": (duplicate, 302),
    "hidden reply target": (hidden_reply_target, 404),
    "too fast": (too_fast, 200),
    "honeypot": (honeypot, 200),
}


def refusal_data(settings, article, kind) -> dict:
    prepare, _ = REFUSALS[kind]
    return prepare(article, settings) if kind == "rate-limited" else prepare(article)


def refused_post(client, settings, article, kind):
    return post_comment(client, article, **refusal_data(settings, article, kind))


@pytest.mark.parametrize("kind", REFUSALS)
@pytest.mark.parametrize("state", ARTICLE_STATES)
def test_every_refusal_names_only_published_articles(client, settings, state, kind):
    article = ArticleFactory(headline="Minister to resign", slug="minister-resigns")
    Article.objects.filter(pk=article.pk).update(**ARTICLE_STATES[state])

    data = refusal_data(settings, article, kind)

    response = post_comment(client, article, **data)

    page = html(response)
    if state == "published":
        assert response.status_code == REFUSALS[kind][1]
        return
    # The very page a made-up article number gets: nothing tells a draft from nothing.
    nothing = post_comment(client, Article(pk=article.pk + 10_000), **data)
    assert response.status_code == 404
    assert page == html(nothing)
    for secret in ("Minister to resign", "minister-resigns", f"/{article.pk}/"):
        assert secret not in page
    assert not Comment.objects.filter(article=article, email="ayesha@example.org").exclude(
        body="Said twice"
    )


@pytest.mark.parametrize("kind", ["invalid form", "closed", "banned", "too fast", "honeypot"])
def test_a_refusal_on_a_published_article_leads_back_to_it(client, settings, kind):
    article = ArticleFactory(headline="Budget passes")

    response = refused_post(client, settings, article, kind)

    assert f'href="{article.get_absolute_url()}#comments"' in html(response)


def unseen_comments():
    """Comments a reader may not name: held, hidden, elsewhere, under a draft."""
    article = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    return article, {
        "hidden": CommentFactory(article=article, status=Comment.Status.HIDDEN),
        "pending": CommentFactory(article=article, status=Comment.Status.PENDING),
        "on another article": CommentFactory(article=ArticleFactory()),
        "on a draft": CommentFactory(article=draft),
    }


@pytest.mark.parametrize("which", ["hidden", "pending", "on another article", "on a draft"])
@pytest.mark.parametrize("refusal", ["closed", "banned", "invalid form"])
def test_a_reply_target_readers_cannot_see_is_never_shown(client, settings, which, refusal):
    article, unseen = unseen_comments()
    target = unseen[which]
    Comment.objects.filter(pk=target.pk).update(name="Secret Sam", body="Secret words")
    overrides = {"invalid form": invalid_form, "closed": closed, "banned": banned}[refusal](article)

    response = post_comment(client, article, in_reply_to=target.pk, **overrides)

    page = html(response)
    assert "Secret Sam" not in page
    assert "Secret words" not in page
    assert "Reply to" not in page
    assert not Comment.objects.filter(body=overrides.get("body", "A thoughtful point")).exists()


def test_a_visible_comment_of_the_same_article_is_named_on_a_refusal(client):
    article = ArticleFactory(comments_open=False)
    question = CommentFactory(article=article, name="Bilal", body="Which budget year?")

    response = post_comment(client, article, in_reply_to=question.pk)

    assert response.status_code == 403
    assert "Reply to Bilal" in html(response)
    assert "Which budget year?" in html(response)


@pytest.mark.parametrize("target", ["abc", "-1", "1e3", "99999999999999999999"])
def test_a_malformed_reply_target_is_refused_plainly(client, target):
    article = ArticleFactory()

    response = post_comment(client, article, in_reply_to=target)

    assert response.status_code == 404
    assert not Comment.objects.exists()
