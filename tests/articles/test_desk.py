"""The desk on the admin home, front-page pinning, breaking news, corrections and updates."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, BreakingNews, Correction
from comments.models import Comment
from tests.browser_forms import form_fields
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    EditorFactory,
    ImageFactory,
    ModeratorFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def desk(client) -> str:
    return client.get(reverse("admin:index")).content.decode()


def part(page: str, tbody_id: str) -> str:
    start = page.index(f'id="{tbody_id}"')
    return page[start : page.index("</tbody>", start)]


def test_the_desk_shows_an_editor_the_days_work(time_machine):
    time_machine.move_to(PAST, tick=False)
    editor = EditorFactory()
    writer = WriterFactory(username="amna")
    waiting = ArticleFactory(
        status=Status.DRAFT,
        published_at=None,
        headline="Waiting story",
        bylines=[AuthorFactory(user=writer)],
    )
    services.article_submit(article=waiting, by=writer, note="Lawyered")
    ArticleFactory(headline="Due tomorrow", published_at=PAST + timedelta(hours=20))
    ArticleFactory(headline="Due next week", published_at=PAST + timedelta(days=7))
    ArticleFactory(headline="Out this afternoon", published_at=PAST - timedelta(hours=1))
    ArticleFactory(headline="Out last month", published_at=PAST - timedelta(days=30))
    corrected = ArticleFactory(headline="Corrected story")
    Correction.objects.create(article=corrected, text="A name was misspelt.", published_at=PAST)
    mine = ArticleFactory(status=Status.DRAFT, published_at=None, headline="Editor's own draft")
    Article.objects.filter(pk=mine.pk).update(created_by=editor)

    page = desk(logged_in(editor))

    assert "Waiting story" in part(page, "desk-waiting")
    assert "submitted by amna" in part(page, "desk-waiting") and "Lawyered" in page
    assert "Due tomorrow" in part(page, "desk-scheduled")
    assert "Due next week" not in page
    assert "Out this afternoon" in part(page, "desk-published")
    assert "Out last month" not in page
    assert "A name was misspelt." in part(page, "desk-corrections")
    assert "Editor&#x27;s own draft" in part(page, "desk-drafts")
    assert "Raise a breaking-news banner" in page
    assert 'id="desk-moderation"' not in page


def test_a_writer_sees_only_their_own_stories_on_the_desk(time_machine):
    time_machine.move_to(PAST, tick=False)
    writer = WriterFactory()
    own = ArticleFactory(
        status=Status.DRAFT,
        published_at=None,
        headline="My draft",
        bylines=[AuthorFactory(user=writer)],
    )
    ArticleFactory(status=Status.REVIEW, published_at=None, headline="Colleague's review")
    ArticleFactory(status=Status.DRAFT, published_at=None, headline="Colleague's draft")

    page = desk(logged_in(writer))

    assert own.headline in part(page, "desk-drafts")
    assert "Colleague" not in page
    assert "Raise a breaking-news banner" not in page


def test_a_moderator_gets_the_moderation_queue_from_the_desk():
    moderator = ModeratorFactory()
    # A moderator who also works on stories gets the desk, with the count folded in.
    moderator.user_permissions.add(
        Permission.objects.get(codename="view_article", content_type__app_label="articles")
    )

    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article, status=Comment.Status.PENDING)

    page = desk(logged_in(moderator))

    link = page[page.index('id="desk-moderation"') :]
    assert link.startswith('id="desk-moderation">2 comments waiting for a moderator</a>')
    assert f'href="{reverse("comments:moderation-queue")}" id="desk-moderation"' in page
    assert 'id="moderation-module"' not in page  # one count, in the desk


# Front page


def test_editor_pins_top_stories_under_the_lead_and_the_rest_fill_sections(editor_client):
    lead = ArticleFactory(headline="The lead", is_front_page_lead=True, published_at=PAST)
    older = ArticleFactory(headline="An older story", published_at=PAST - timedelta(days=3))
    newer = ArticleFactory(headline="A newer story", published_at=PAST - timedelta(hours=1))
    url = reverse("admin:articles_article_change", args=[older.pk])
    form = form_fields(editor_client.get(url).content.decode(), "article_form")
    form["front_page_slot"] = "1"
    editor_client.post(url, form)

    page = Client().get("/").content.decode()

    top = page[page.index('id="top-stories"') :]
    assert page.index("The lead") < page.index('id="top-stories"')
    assert "An older story" in top[: top.index("</section>")]
    assert newer.headline in page and lead.headline in page
    assert page.count("An older story") == 1


def test_pinning_a_taken_slot_moves_the_old_story_back_to_its_section(editor):
    first = ArticleFactory(front_page_slot=1)
    second = ArticleFactory()
    second.front_page_slot = 1

    services.article_save(article=second, by=editor)

    first.refresh_from_db()
    assert first.front_page_slot is None


def test_a_pinned_story_not_yet_published_stays_off_the_front_page(time_machine):
    time_machine.move_to(PAST, tick=False)
    ArticleFactory(
        headline="Embargoed pin", front_page_slot=1, published_at=PAST + timedelta(hours=1)
    )
    ArticleFactory(headline="Live story")

    assert "Embargoed pin" not in Client().get("/").content.decode()


def test_writers_are_not_offered_front_page_curation():
    writer = WriterFactory()
    page = logged_in(writer).get(reverse("admin:articles_article_add")).content.decode()

    assert 'name="front_page_slot"' not in page and 'name="is_front_page_lead"' not in page


def test_a_breaking_news_banner_shows_site_wide_until_it_expires(time_machine):
    time_machine.move_to(PAST, tick=False)
    scheduled = ArticleFactory(headline="Not out yet", published_at=PAST + timedelta(hours=3))
    BreakingNews.objects.create(
        text="Earthquake felt in Karachi",
        article=scheduled,
        starts_at=PAST - timedelta(minutes=5),
        expires_at=PAST + timedelta(hours=2),
    )
    section_page = ArticleFactory().section.get_absolute_url()

    page = Client().get(section_page).content.decode()
    assert "Earthquake felt in Karachi" in page
    assert scheduled.slug not in page  # the banner does not link to an embargoed story

    time_machine.move_to(PAST + timedelta(hours=2), tick=False)
    assert "Earthquake felt in Karachi" not in Client().get("/corrections/").content.decode()


# Corrections and updates


def test_corrections_page_and_feed_list_corrections_of_published_stories_only(time_machine):
    time_machine.move_to(PAST + timedelta(days=1), tick=False)
    live = ArticleFactory(headline="Live story")
    Correction.objects.create(
        article=live, text="The minister's name was misspelt.", published_at=PAST
    )
    draft = ArticleFactory(headline="Secret draft", status=Status.DRAFT, published_at=None)
    Correction.objects.create(article=draft, text="Embargoed correction.", published_at=PAST)
    scheduled = ArticleFactory(headline="Secret scheduled", published_at=PAST + timedelta(days=2))
    Correction.objects.create(article=scheduled, text="Scheduled correction.", published_at=PAST)

    page = Client().get(reverse("articles:corrections")).content.decode()
    feed = Client().get(reverse("articles:corrections-feed")).content.decode()
    article_feed = Client().get(reverse("articles:feed")).content.decode()

    for text in (page, feed):
        assert "misspelt" in text and "Live story" in text
        assert (
            "Secret" not in text and "Embargoed" not in text and "Scheduled correction" not in text
        )
    assert f"#correction-{live.corrections.get().pk}" in feed
    assert "Correction, November 20, 2014: The minister" in article_feed


def test_an_editor_ticks_substantive_update_and_readers_see_updated(editor_client, time_machine):
    time_machine.move_to(PAST + timedelta(days=1), tick=False)
    story = ArticleFactory(headline="Death toll rises", lead_image=ImageFactory())
    url = reverse("admin:articles_article_change", args=[story.pk])
    form = form_fields(editor_client.get(url).content.decode(), "article_form")
    form.update(standfirst="The toll has risen to 12.")
    editor_client.post(url, form)
    story.refresh_from_db()
    assert story.substantively_updated_at is None

    form = form_fields(editor_client.get(url).content.decode(), "article_form")
    form.update(standfirst="The toll has risen to 15.", is_substantive_update="on")
    editor_client.post(url, form)

    story.refresh_from_db()
    assert story.substantively_updated_at == PAST + timedelta(days=1)
    assert "Updated:" in Client().get(story.get_absolute_url()).content.decode()


def test_an_editor_in_the_editors_group_raises_a_breaking_news_banner(client, time_machine):
    from tests.articles.test_admin import editors_group
    from tests.factories import UserFactory

    time_machine.move_to(PAST, tick=False)
    editor = UserFactory(is_staff=True)
    editor.groups.add(editors_group())
    client.force_login(editor)
    add_url = reverse("admin:articles_breakingnews_add")
    form = form_fields(client.get(add_url).content.decode(), "breakingnews_form")
    form.update(text="Polls close early", expires_at_0="2014-11-21", expires_at_1="06:00:00")

    response = client.post(add_url, form)

    assert response.status_code == 302
    banner = BreakingNews.objects.get()
    assert banner.created_by == editor and "Polls close early" in Client().get("/").content.decode()
