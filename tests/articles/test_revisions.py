"""History: every save kept, two revisions compared, an old one restored, nobody's work lost."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.browser_forms import form_fields
from tests.factories import ArticleFactory, AuthorFactory, WriterFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def change_form(client, article) -> dict:
    return form_fields(client.get(change_url(article)).content.decode(), "article_form")


def test_every_save_keeps_a_revision_with_its_bylines(editor_client, editor):
    first, second = AuthorFactory(name="Amna Khan"), AuthorFactory(name="Bilal Ahmed")
    story = ArticleFactory(bylines=[first], body="<p>One.</p><p>Two.</p>")
    form = change_form(editor_client, story)
    form.update({"headline": "A new headline", "bylines-1-author": str(second.pk)})
    form["bylines-1-role"] = "Additional reporting by"

    editor_client.post(change_url(story), form)

    revision = story.revisions.get()
    assert (revision.number, revision.action, revision.created_by) == (1, "Saved", editor)
    assert revision.snapshot["headline"] == "A new headline"
    assert [b["name"] for b in revision.snapshot["bylines"]] == ["Amna Khan", "Bilal Ahmed"]
    assert revision.is_published_version


def test_history_compares_two_revisions_paragraph_by_paragraph(editor_client, editor):
    story = ArticleFactory(headline="Old headline", body="<p>Kept.</p><p>Old fact.</p>")
    services.article_save(article=story, by=editor)
    story.headline, story.body = "New headline", "<p>Kept.</p><p>New fact.</p>"
    services.article_save(article=story, by=editor)

    page = editor_client.get(
        reverse("admin:articles_article_revisions", args=[story.pk]) + "?old=1&new=2"
    ).content.decode()

    assert "<del>Old headline</del>" in page and "<ins>New headline</ins>" in page
    assert "<del>Old fact.</del>" in page and "<ins>New fact.</ins>" in page
    assert '<p class="diff-same" style="color:#666">Kept.</p>' in page
    assert page.count('class="published-revision"') == 2


def test_restoring_a_revision_brings_back_text_and_bylines_as_a_new_revision(editor_client, editor):
    original, replacement = AuthorFactory(name="Original"), AuthorFactory(name="Replacement")
    story = ArticleFactory(headline="First text", bylines=[original])
    services.article_save(article=story, by=editor)
    story.headline = "Second text"
    story.bylines.all().delete()
    story.bylines.create(author=replacement, position=0)
    services.article_save(article=story, by=editor)

    response = editor_client.post(
        reverse("admin:articles_article_restore", args=[story.pk, 1]), follow=True
    )

    story.refresh_from_db()
    assert story.headline == "First text"
    assert [b.author.name for b in story.bylines.all()] == ["Original"]
    assert [r.action for r in story.revisions.all()] == [
        "Restored revision 1",
        "Saved",
        "Saved",
    ]
    assert "nothing in between is lost" in response.content.decode()


def test_restore_is_a_post_and_a_writer_cannot_restore_someone_elses_story(editor):
    story = ArticleFactory(headline="Kept")
    services.article_save(article=story, by=editor)
    writer = Client()
    writer.force_login(WriterFactory())
    url = reverse("admin:articles_article_restore", args=[story.pk, 1])

    assert writer.get(url).status_code == 405
    writer.post(url)

    assert [r.action for r in story.revisions.all()] == ["Saved"]


def test_state_changes_are_in_the_history_with_their_notes(editor):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    services.article_submit(article=story, by=editor, note="Please check the quotes.")
    services.article_send_back(article=story, by=editor, note="Second source needed.")

    assert [(r.action, r.note) for r in story.revisions.all()] == [
        ("Sent back", "Second source needed."),
        ("Submitted for review", "Please check the quotes."),
    ]
