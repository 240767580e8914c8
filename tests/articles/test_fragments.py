"""An article page after a comment: the thread is new, the story around it is reused until
what it shows changes."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from articles.cache import comment_pages_purge
from articles.models import Article, Topic
from articles.services import article_save, article_unpublish
from tests.comments.helpers import NOW, post_comment
from tests.factories import PAST, ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def an_hour_after_publication(time_machine):
    time_machine.move_to(NOW, tick=False)


def html(response) -> str:
    return response.content.decode()


def related_headlines(page: str) -> list[str]:
    block = re.search(r'<section class="related-stories.*?</section>', page, re.S)
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', block.group(0)) if block else []


def story_with_surroundings():
    section = SectionFactory(name="Karachi")
    water = Topic.objects.create(name="Water")
    story = ArticleFactory(
        section=section,
        headline="Tanker prices double",
        bylines=[AuthorFactory(name="Sana Mir")],
        lead_image=ImageFactory(),
    )
    story.topics.add(water)
    related = ArticleFactory(headline="Wells run dry", published_at=PAST - timedelta(hours=1))
    related.topics.add(water)
    ArticleFactory(section=section, headline="Ferry fares rise", published_at=PAST - timedelta(1))
    return story, related


def test_a_comment_shows_at_once_and_the_story_around_it_is_not_rendered_again(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    story, related = story_with_surroundings()
    reader = Client()
    reader.get(story.get_absolute_url())
    # Changed behind every purge's back: only a fresh render of the list would show it.
    Article.objects.filter(pk=related.pk).update(headline="Wells renamed quietly")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(Client(), story, body="Our street has had no water for a week")
    # The row, the navigation, the banner and the thread: nothing of the story around it.
    with django_assert_max_num_queries(4):
        page = html(reader.get(story.get_absolute_url()))

    assert "Our street has had no water for a week" in page
    assert "Comments (1)" in page and "Reader Comments (1)" in page
    assert "Tanker prices double" in page and "Sana Mir" in page and "Ferry fares rise" in page
    assert related_headlines(page) == ["Wells run dry"]


def test_editing_the_headline_changes_the_page_and_what_it_tells_search_engines(
    django_capture_on_commit_callbacks, editor
):
    story, _ = story_with_surroundings()
    reader = Client()
    reader.get(story.get_absolute_url())

    story.headline = "Tanker prices triple"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=story, by=editor)
    page = html(reader.get(story.get_absolute_url()))

    assert '<h1 class="headline display-6" id="headline">Tanker prices triple</h1>' in page
    assert '<meta property="og:title" content="Tanker prices triple">' in page
    assert "Tanker prices double" not in page


def test_unpublishing_a_related_story_takes_it_off_the_article_page(
    django_capture_on_commit_callbacks,
):
    story, related = story_with_surroundings()
    reader = Client()
    assert related_headlines(html(reader.get(story.get_absolute_url()))) == ["Wells run dry"]

    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=related)
    page = html(reader.get(story.get_absolute_url()))

    assert related_headlines(page) == []
    assert "Wells run dry" not in page


def test_a_story_kept_around_a_page_changes_when_the_story_it_links_is_edited(
    django_capture_on_commit_callbacks, editor
):
    story, related = story_with_surroundings()
    reader = Client()
    reader.get(story.get_absolute_url())

    related.headline = "Wells run dry across the city"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=related, by=editor)

    assert related_headlines(html(reader.get(story.get_absolute_url()))) == [
        "Wells run dry across the city"
    ]


def test_a_scheduled_story_joins_more_in_section_when_its_time_comes(time_machine):
    story, _ = story_with_surroundings()
    due = NOW + timedelta(minutes=30)
    ArticleFactory(section=story.section, headline="Desalination plant opens", published_at=due)
    reader = Client()
    assert "Desalination plant opens" not in html(reader.get(story.get_absolute_url()))

    time_machine.move_to(due + timedelta(seconds=1), tick=False)
    # A comment, so the page is rendered again from whatever parts are still kept.
    comment_pages_purge(article_ids=[story.pk])

    assert "Desalination plant opens" in html(reader.get(story.get_absolute_url()))


def test_a_page_an_editor_sees_is_never_kept_for_readers(editor_client):
    story, _ = story_with_surroundings()
    editor_client.get(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).update(headline="Renamed before any reader came")

    assert "Renamed before any reader came" in html(Client().get(story.get_absolute_url()))


def test_a_comment_on_a_related_story_leaves_the_article_page_cached(time_machine):
    story, related = story_with_surroundings()
    Client().get(story.get_absolute_url())

    comment_pages_purge(article_ids=[related.pk])
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)

    # "Related" shows no comment count, so a busy neighbour costs this page nothing.
    assert Client().get(story.get_absolute_url())["X-Page-Cache"] == "hit"
