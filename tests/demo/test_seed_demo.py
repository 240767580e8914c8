"""A newcomer loads the demo and sees the whole product at work, however often it is loaded."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article, BreakingNews, Correction, DailyReadCount, Image, Section
from comments.models import Comment, ModerationAction
from demo import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", articles=12, verbosity=0)


def newest_story() -> Article:
    return Article.objects.get(slug=text.article_slug(0))


def test_the_newest_story_has_a_conversation_with_replies_and_an_at_name(demo):
    page = Client().get(newest_story().get_absolute_url()).content.decode()

    assert "Ayesha Khan" in page and "Imran Sheikh" in page
    assert "@Imran Sheikh" in page  # Ayesha answers Imran's reply to her
    replies = Comment.objects.filter(article=newest_story(), parent__isnull=False)
    assert replies.count() >= 3


def test_an_editors_pick_is_marked(demo):
    pick = Comment.objects.get(article=newest_story(), is_featured=True)

    assert pick.name == "Ayesha Khan"
    assert ModerationAction.objects.filter(comment=pick, action="feature").exists()


def test_a_hidden_comment_leaves_its_placeholder_for_readers(demo):
    hidden = Comment.objects.get(status=Comment.Status.HIDDEN)

    page = Client().get(hidden.article.get_absolute_url()).content.decode()

    assert hidden.body not in page
    # Its place in the thread is kept for the reply that answers it.
    placeholder = page.split(f'id="{hidden.anchor}"')[1].split("</article>")[0]
    assert "This comment was hidden by moderators." in placeholder
    assert "No need for insults" in page
    assert ModerationAction.objects.filter(comment=hidden, action="hide").exists()


def test_a_held_comment_waits_in_the_moderation_queue(demo, client):
    from tests.factories import ModeratorFactory

    held = Comment.objects.get(status=Comment.Status.PENDING)
    client.force_login(ModeratorFactory())

    queue = client.get(reverse("comments:moderation-queue")).content.decode()

    assert "Win big at our casino" in queue
    assert held.body not in Client().get(held.article.get_absolute_url()).content.decode()


def test_corrections_banner_and_most_read_are_on_show(demo):
    front = Client().get("/").content.decode()

    assert Correction.objects.count() == len(text.CORRECTIONS)
    assert (
        "wrong day for the public hearing"
        in Client().get(reverse("articles:corrections")).content.decode()
    )
    assert text.BREAKING_NEWS in front
    assert 'id="most-read"' in front
    most_read = front.split('id="most-read"')[1].split("</aside>")[0]
    assert Article.objects.get(slug=text.article_slug(3)).headline in most_read


def test_demo_stories_carry_topics_and_are_found_by_search(demo):
    tagged = Article.objects.published().filter(topics__isnull=False).first()
    topic = tagged.topics.first()

    assert topic.name in Client().get(tagged.get_absolute_url()).content.decode()
    assert tagged.headline in Client().get(topic.get_absolute_url()).content.decode()
    results = Client().get(reverse("articles:search"), {"q": tagged.headline})
    assert tagged.get_absolute_url() in results.content.decode()


def test_no_demo_credit_repeats_the_label_teasers_put_before_it(demo):
    credits = list(Image.objects.values_list("credit", flat=True))

    assert credits
    # Teasers say "Photo: <credit>" (in Urdu "تصویر: <credit>"): a credit is only the source.
    assert not [c for c in credits if re.match(r"(photo|picture|image|فوٹو|تصویر)\b", c, re.I)]


def test_the_front_page_lead_shows_its_comment_count(demo):
    front = Client().get("/").content.decode()

    assert f"Reader Comments ({newest_story().comment_count})" in front
    assert newest_story().comment_count >= 5


def test_loading_the_demo_again_adds_nothing(demo, django_capture_on_commit_callbacks):
    def counts():
        return (
            Article.objects.count(),
            Section.objects.count(),
            Image.objects.count(),
            Comment.objects.count(),
            ModerationAction.objects.count(),
            Correction.objects.count(),
            BreakingNews.objects.count(),
            sorted(DailyReadCount.objects.values_list("article_id", "day", "reads")),
        )

    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", articles=12, verbosity=0)

    assert counts() == before


def test_nobody_can_sign_in_as_the_demo_moderator(demo):
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.get(username="demo-moderator")

    assert not moderator.is_active and not moderator.has_usable_password()
