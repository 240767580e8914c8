"""An article page after a comment: the thread is new, the story around it is reused until
what it shows changes."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from articles.cache import comment_pages_purge, pages_purge
from articles.models import Article, Topic
from articles.services import article_save, article_unpublish
from tests.browser_forms import form_fields
from tests.comments.helpers import NOW, add_comment, post_comment
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


# The front page's story cards


def front_page_cards(page: str) -> list[str]:
    return re.findall(r'<h[23] class="headline[^"]*"><a href="[^"]+">([^<]+)</a>', page)


def test_the_front_page_draws_again_only_the_cards_of_stories_that_changed(
    django_assert_max_num_queries,
):
    politics = SectionFactory(name="Politics")
    ArticleFactory(section=politics, headline="Budget passes", lead_image=ImageFactory())
    quiet = ArticleFactory(
        section=politics, headline="Senate adjourns", published_at=PAST - timedelta(hours=1)
    )
    reader = Client()
    reader.get("/")
    # Changed behind every purge's back: only a card drawn afresh would show it.
    Article.objects.filter(pk=quiet.pk).update(headline="Senate renamed quietly")

    pages_purge(keys={"front"})
    # The sections, the stories, "Most read" and the banner: no bylines, no renditions.
    with django_assert_max_num_queries(4):
        page = html(reader.get("/"))

    assert front_page_cards(page) == ["Budget passes", "Senate adjourns"]


def test_a_comment_shows_on_its_storys_card_when_the_front_page_is_drawn_again(time_machine):
    story = ArticleFactory(headline="Budget passes", lead_image=ImageFactory())
    reader = Client()
    assert "Reader Comments (1)" not in html(reader.get("/"))

    add_comment(article=story, body="About time")
    comment_pages_purge(article_ids=[story.pk])
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)

    assert "Reader Comments (1)" in html(reader.get("/"))


def test_an_edited_story_gets_a_new_card_on_the_front_page(
    django_capture_on_commit_callbacks, editor
):
    story = ArticleFactory(headline="Budget passes", bylines=[AuthorFactory(name="Sana Mir")])
    reader = Client()
    reader.get("/")

    story.headline = "Budget passes after all-night session"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=story, by=editor)

    assert front_page_cards(html(reader.get("/"))) == ["Budget passes after all-night session"]


def test_an_author_renamed_in_the_admin_shows_on_every_card_at_once(
    django_capture_on_commit_callbacks, editor_client
):
    author = AuthorFactory(name="Sana Mir")
    ArticleFactory(headline="Budget passes", bylines=[author])
    reader = Client()
    assert "Sana Mir" in html(reader.get("/"))

    url = reverse("admin:articles_author_change", args=[author.pk])
    form = form_fields(editor_client.get(url).content.decode(), "author_form")
    form["name"] = "Sana Mir-Khan"
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, form).status_code == 302

    assert "Sana Mir-Khan" in html(reader.get("/"))


# Section, author and topic pages keep their story cards too


def test_a_section_page_draws_again_only_the_cards_of_stories_that_changed(
    django_assert_max_num_queries,
):
    politics = SectionFactory(name="Politics")
    writer = AuthorFactory(name="Sana Mir")
    ArticleFactory(section=politics, headline="Budget passes", bylines=[writer])
    quiet = ArticleFactory(
        section=politics,
        headline="Senate adjourns",
        bylines=[writer],
        published_at=PAST - timedelta(hours=1),
    )
    reader = Client()
    reader.get(politics.get_absolute_url())
    # Changed behind every purge's back: only a card drawn afresh would show it.
    Article.objects.filter(pk=quiet.pk).update(headline="Senate renamed quietly")

    pages_purge(keys={f"section-{politics.pk}"})
    # The navigation, the section, its stories and the banner: no bylines query.
    with django_assert_max_num_queries(4):
        page = html(reader.get(politics.get_absolute_url()))

    assert front_page_cards(page) == ["Budget passes", "Senate adjourns"]
    assert page.count("Sana Mir") == 2


def test_a_comment_shows_on_its_storys_card_on_the_authors_page(time_machine):
    writer = AuthorFactory(name="Sana Mir")
    story = ArticleFactory(headline="Budget passes", bylines=[writer])
    reader = Client()
    assert "Reader Comments (1)" not in html(reader.get(writer.get_absolute_url()))

    add_comment(article=story, body="About time")
    comment_pages_purge(article_ids=[story.pk])
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)

    assert "Reader Comments (1)" in html(reader.get(writer.get_absolute_url()))


def test_an_edited_story_gets_a_new_card_on_its_topic_page(
    django_capture_on_commit_callbacks, editor
):
    water = Topic.objects.create(name="Water")
    story = ArticleFactory(headline="Wells run dry", standfirst="Karachi's old wells fail.")
    story.topics.add(water)
    reader = Client()
    assert "old wells fail." in html(reader.get(water.get_absolute_url()))

    story.standfirst = "Half of Karachi's wells are dry, the water board says."
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=story, by=editor)

    page = html(reader.get(water.get_absolute_url()))
    assert "Half of Karachi&#x27;s wells are dry, the water board says." in page
    assert "old wells fail" not in page
