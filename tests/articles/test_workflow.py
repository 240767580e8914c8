"""Writers and editors: who may move a story where, on every path, through one door."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleRevision
from tests.browser_forms import form_fields
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    ImageFactory,
    SectionFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")
Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_form(client, article) -> dict:
    return form_fields(client.get(change_url(article)).content.decode(), "article_form")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def writers_story(writer, **fields):
    """A draft the writer carries the byline on."""
    author = AuthorFactory(user=writer)
    return ArticleFactory(
        status=fields.pop("status", Status.DRAFT),
        published_at=fields.pop("published_at", None),
        bylines=[author],
        **fields,
    )


@pytest.fixture
def writer(db):
    return WriterFactory()


@pytest.fixture
def writer_client(writer):
    return logged_in(writer)


# Writers


def test_writer_writes_a_story_and_it_stays_a_draft_they_created(writer, writer_client):
    section, author = SectionFactory(), AuthorFactory(user=writer)
    form = form_fields(writer_client.get(ADD_URL).content.decode(), "article_form")
    form.update(
        headline="Flood waters rise",
        slug="flood-waters-rise",
        section=str(section.pk),
        body="<p>The river broke its banks.</p>",
        **{"bylines-0-author": str(author.pk)},
    )

    response = writer_client.post(ADD_URL, form, follow=True)

    article = Article.objects.get()
    assert (article.status, article.created_by) == (Status.DRAFT, writer)
    assert "is a draft" in messages_of(response)[-1]
    assert article.revisions.get().action == "Created"


def test_writer_is_offered_only_draft_and_review(writer, writer_client):
    story = writers_story(writer)

    page = writer_client.get(change_url(story)).content.decode()

    assert '<option value="review">In review</option>' in page
    assert 'value="published"' not in page and 'value="unpublished"' not in page
    assert "published_at_0" not in page  # no publish time: writers do not schedule


def test_writer_submits_their_story_for_review_from_the_form(writer, writer_client):
    story = writers_story(writer)
    form = change_form(writer_client, story)
    form.update(status="review", workflow_note="Ready; the lawyer has seen it.")

    response = writer_client.post(change_url(story), form, follow=True)

    story.refresh_from_db()
    assert story.status == Status.REVIEW
    revision = story.revisions.first()
    assert (revision.action, revision.note, revision.created_by) == (
        "Submitted for review",
        "Ready; the lawyer has seen it.",
        writer,
    )
    assert "waiting for an editor" in messages_of(response)[-1]


@pytest.mark.parametrize("wish", ["published", "unpublished"])
def test_writer_posting_a_publish_in_the_form_is_refused_and_nothing_changes(
    writer, writer_client, wish
):
    story = writers_story(writer, headline="Leaked budget")
    form = change_form(writer_client, story)
    form.update(status=wish, headline="Leaked budget, edited", published_at_0="2014-11-20")
    form["published_at_1"] = "21:00:00"

    response = writer_client.post(change_url(story), form)

    assert response.status_code == 200
    assert "Only an editor can publish, schedule or unpublish." in response.content.decode()
    story.refresh_from_db()
    assert (story.status, story.headline, story.published_at) == (
        Status.DRAFT,
        "Leaked budget",
        None,
    )
    assert not story.revisions.exists()


def test_writer_cannot_publish_a_new_story_from_the_add_form(writer, writer_client):
    section, author = SectionFactory(), AuthorFactory(user=writer)
    form = form_fields(writer_client.get(ADD_URL).content.decode(), "article_form")
    form.update(
        headline="Scoop",
        slug="scoop",
        section=str(section.pk),
        status="published",
        **{"bylines-0-author": str(author.pk)},
    )

    response = writer_client.post(ADD_URL, form)

    assert response.status_code == 200
    assert "Only an editor can publish" in response.content.decode()
    assert not Article.objects.exists()


def test_writer_does_not_get_the_publish_actions_and_a_crafted_one_does_nothing(
    writer, writer_client
):
    story = writers_story(writer)
    page = writer_client.get(LIST_URL).content.decode()
    assert "submit_selected" in page
    assert "publish_selected" not in page and "unpublish_selected" not in page

    writer_client.post(LIST_URL, {"action": "publish_selected", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_writer_submits_from_the_list_only_their_own_stories(writer, writer_client):
    mine = writers_story(writer, headline="Mine")
    theirs = ArticleFactory(status=Status.DRAFT, published_at=None, headline="Theirs")

    response = writer_client.post(
        LIST_URL,
        {"action": "submit_selected", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Status.REVIEW, Status.DRAFT)
    assert any("writers edit only their own stories" in m for m in messages_of(response))


def test_writer_cannot_edit_someone_elses_story_by_a_direct_post(writer, writer_client):
    other = ArticleFactory(headline="Someone else's story")
    form = change_form(logged_in(EditorFactory()), other)
    form.update(headline="Vandalised")

    response = writer_client.post(change_url(other), form)

    assert response.status_code == 403
    other.refresh_from_db()
    assert other.headline == "Someone else's story"


def test_writer_may_read_but_not_change_someone_elses_story(writer, writer_client):
    other = ArticleFactory(headline="Someone else's story")

    page = writer_client.get(change_url(other)).content.decode()

    assert "Someone else" in page and 'name="headline"' not in page


def test_the_mine_filter_lists_the_writers_own_stories(writer, writer_client):
    writers_story(writer, headline="Created by a byline")
    created = ArticleFactory(headline="Created by them")
    Article.objects.filter(pk=created.pk).update(created_by=writer)
    ArticleFactory(headline="Not theirs")

    page = writer_client.get(LIST_URL + "?whose=mine").content.decode()

    assert "Created by a byline" in page and "Created by them" in page
    assert "Not theirs" not in page


def test_writer_sees_their_own_draft_with_a_banner_but_not_others(writer, writer_client):
    mine = writers_story(writer)
    theirs = ArticleFactory(status=Status.DRAFT, published_at=None)

    assert (
        "Preview: this article is a draft"
        in writer_client.get(mine.get_absolute_url()).content.decode()
    )
    assert writer_client.get(theirs.get_absolute_url()).status_code == 404


# Editors


def test_editor_sends_a_story_back_with_a_note(editor_client, editor):
    story = ArticleFactory(status=Status.REVIEW, published_at=None)
    form = change_form(editor_client, story)
    form.update(status="draft", workflow_note="Needs a second source for the figures.")

    editor_client.post(change_url(story), form)

    story.refresh_from_db()
    assert story.status == Status.DRAFT
    revision = story.revisions.first()
    assert (revision.action, revision.note, revision.created_by) == (
        "Sent back",
        "Needs a second source for the figures.",
        editor,
    )


def test_sending_back_without_a_note_asks_for_one(editor_client):
    story = ArticleFactory(status=Status.REVIEW, published_at=None)
    form = change_form(editor_client, story)
    form.update(status="draft")

    response = editor_client.post(change_url(story), form)

    assert "Say what the story needs before sending it back." in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.REVIEW


def test_editor_publishes_a_story_waiting_for_review(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    story = ArticleFactory(status=Status.REVIEW, published_at=None)
    form = change_form(editor_client, story)
    form.update(status="published")

    editor_client.post(change_url(story), form)

    story.refresh_from_db()
    assert story.is_published and story.published_at == PAST
    assert story.revisions.first().action == "Published"


def test_editor_unpublishes_a_live_story_from_the_list(editor_client):
    live = ArticleFactory()

    editor_client.post(LIST_URL, {"action": "unpublish_selected", "_selected_action": [live.pk]})

    live.refresh_from_db()
    assert live.status == Status.UNPUBLISHED
    assert Client().get(live.get_absolute_url()).status_code == 404
    assert live.revisions.first().action == "Unpublished"


def test_editing_a_live_story_with_its_time_untouched_does_not_republish_it(
    editor_client, time_machine
):
    time_machine.move_to(PAST + timedelta(days=2), tick=False)
    live = ArticleFactory(published_at=PAST + timedelta(microseconds=123))
    form = change_form(editor_client, live)
    form.update(headline="A sharper headline")

    editor_client.post(change_url(live), form)

    live.refresh_from_db()
    assert live.published_at == PAST + timedelta(microseconds=123)
    assert live.headline == "A sharper headline"
    assert live.revisions.first().action == "Saved"


# One door


def test_the_admin_form_changes_state_only_through_the_service(editor_client):
    story = ArticleFactory(status=Status.REVIEW, published_at=None)
    form = change_form(editor_client, story)
    form.update(status="published")

    with mock.patch.object(services, "article_publish", wraps=services.article_publish) as publish:
        editor_client.post(change_url(story), form)
    assert publish.call_count == 1

    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    other = ArticleFactory(status=Status.REVIEW, published_at=None)
    form = change_form(editor_client, other)
    form.update(status="published")
    # With the service doing nothing, the form on its own must not publish.
    with mock.patch.object(services, "article_publish") as publish:
        editor_client.post(change_url(other), form)
    assert publish.called
    other.refresh_from_db()
    assert other.status == Status.REVIEW


def test_a_content_save_never_writes_the_status_it_was_handed():
    editor = EditorFactory()
    story = ArticleFactory(status=Status.DRAFT, published_at=None)
    story.status, story.published_at = Status.PUBLISHED, PAST

    services.article_save(article=story, by=editor)

    story.refresh_from_db()
    assert (story.status, story.published_at) == (Status.DRAFT, None)


def test_the_services_refuse_a_writer_whatever_the_path(writer):
    story = writers_story(writer)
    for step in (services.article_publish, services.article_unpublish):
        with pytest.raises(services.ArticleRefused):
            step(article=story, by=writer)
    with pytest.raises(services.ArticleRefused):
        services.article_send_back(article=story, by=writer, note="no")
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_publishing_with_an_image_without_credit_is_refused_by_the_service(editor):
    story = ArticleFactory(
        status=Status.REVIEW, published_at=None, lead_image=ImageFactory(credit="")
    )

    with pytest.raises(services.ArticleRefused, match="its lead image needs a credit"):
        services.article_publish(article=story, by=editor)

    story.refresh_from_db()
    assert story.status == Status.REVIEW and not ArticleRevision.objects.exists()


# Scheduling across the boundary


def test_a_scheduled_story_appears_exactly_at_its_time(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    story = ArticleFactory(status=Status.REVIEW, published_at=None, headline="Budget day")
    form = change_form(editor_client, story)
    form.update(status="published", published_at_0="2014-11-21", published_at_1="09:00:00")

    editor_client.post(change_url(story), form)

    story.refresh_from_db()
    assert story.revisions.first().action == "Scheduled"
    due = story.published_at
    reader = Client()
    time_machine.move_to(due - timedelta(seconds=1), tick=False)
    assert reader.get(story.get_absolute_url()).status_code == 404
    assert "Budget day" not in reader.get(reverse("articles:feed")).content.decode()
    time_machine.move_to(due, tick=False)
    assert reader.get(story.get_absolute_url()).status_code == 200
    assert "Budget day" in reader.get(reverse("articles:feed")).content.decode()
