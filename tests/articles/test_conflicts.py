"""Nobody loses work: a save made on an older copy of the article is caught, explained and
settled by the editor (keep mine, take theirs, or merge by hand)."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.browser_forms import form_fields
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_second_save_on_an_old_copy_is_stopped_and_keeps_the_editors_text():
    story = ArticleFactory(headline="Floods", body="<p>Rain fell.</p>")
    amna, bilal = logged_in(EditorFactory(username="amna")), logged_in(EditorFactory())
    amnas_form = form_fields(amna.get(change_url(story)).content.decode(), "article_form")
    bilals_form = form_fields(bilal.get(change_url(story)).content.decode(), "article_form")
    amnas_form.update(headline="Floods kill three")
    amna.post(change_url(story), amnas_form)

    bilals_form.update(body="<p>Rain fell all night.</p>")
    response = bilal.post(change_url(story), bilals_form)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this article after you opened it." in page
    assert "amna · saved at" in page
    assert "<del>Floods kill three</del>" in page and "<ins>Floods</ins>" in page
    assert "Rain fell all night." in page  # Bilal's text is still in the form
    story.refresh_from_db()
    assert (story.headline, story.body) == ("Floods kill three", "<p>Rain fell.</p>")

    # Merge by hand: Bilal takes Amna's headline and saves his body over hers.
    merged = form_fields(page, "article_form")
    merged.update(headline="Floods kill three")
    assert bilal.post(change_url(story), merged).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.body) == ("Floods kill three", "<p>Rain fell all night.</p>")
    assert [r.action for r in story.revisions.all()] == ["Saved", "Saved"]


def test_saving_again_after_the_warning_keeps_mine():
    story = ArticleFactory(headline="Original")
    amna, bilal = logged_in(EditorFactory()), logged_in(EditorFactory())
    old_form = form_fields(bilal.get(change_url(story)).content.decode(), "article_form")
    form = form_fields(amna.get(change_url(story)).content.decode(), "article_form")
    form.update(headline="Amna's")
    amna.post(change_url(story), form)
    old_form.update(headline="Bilal's")

    warned = bilal.post(change_url(story), old_form)
    kept = bilal.post(change_url(story), form_fields(warned.content.decode(), "article_form"))

    assert kept.status_code == 302
    assert Article.objects.get().headline == "Bilal's"


def test_the_warning_offers_to_take_theirs_and_the_page_warns_before_leaving():
    story = ArticleFactory()
    editor = logged_in(EditorFactory())
    form = form_fields(editor.get(change_url(story)).content.decode(), "article_form")
    Article.objects.filter(pk=story.pk).update(version=5)

    page = editor.post(change_url(story), form).content.decode()

    assert f'href="{change_url(story)}" id="take-theirs"' in page
    assert "articles/unsaved_changes.js" in page


def test_keep_mine_with_a_byline_the_other_editor_deleted_keeps_it_without_a_form_error():
    reporter, agency = AuthorFactory(name="Sana Reporter"), AuthorFactory(name="Wire Agency")
    story = ArticleFactory(headline="Floods", bylines=[reporter])
    amna, bilal = logged_in(EditorFactory()), logged_in(EditorFactory())
    bilals_form = form_fields(bilal.get(change_url(story)).content.decode(), "article_form")
    amnas_form = form_fields(amna.get(change_url(story)).content.decode(), "article_form")
    # Amna swaps the reporter's byline for the agency's and saves first.
    amnas_form.update({"bylines-0-DELETE": "on", "bylines-1-author": str(agency.pk)})
    assert amna.post(change_url(story), amnas_form).status_code == 302
    assert list(story.bylines.values_list("author__name", flat=True)) == ["Wire Agency"]

    bilals_form.update(headline="Floods kill three")
    warned = bilal.post(change_url(story), bilals_form)

    page = warned.content.decode()
    assert "Someone else saved this article after you opened it." in page
    assert "Select a valid choice" not in page
    assert "Someone else removed the byline of “Sana Reporter”" in page
    kept = bilal.post(change_url(story), form_fields(page, "article_form"))

    assert kept.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Floods kill three"
    # Bilal kept his copy: the reporter's byline is back; Amna's agency row is untouched.
    assert sorted(story.bylines.values_list("author__name", flat=True)) == [
        "Sana Reporter",
        "Wire Agency",
    ]


def test_a_byline_both_editors_deleted_simply_stays_deleted():
    reporter = AuthorFactory(name="Sana Reporter")
    story = ArticleFactory(bylines=[reporter])
    amna, bilal = logged_in(EditorFactory()), logged_in(EditorFactory())
    bilals_form = form_fields(bilal.get(change_url(story)).content.decode(), "article_form")
    amnas_form = form_fields(amna.get(change_url(story)).content.decode(), "article_form")
    amnas_form["bylines-0-DELETE"] = "on"
    amna.post(change_url(story), amnas_form)

    bilals_form.update({"bylines-0-DELETE": "on", "headline": "Bilal's"})
    warned = bilal.post(change_url(story), bilals_form)
    kept = bilal.post(change_url(story), form_fields(warned.content.decode(), "article_form"))

    assert kept.status_code == 302
    assert not story.bylines.exists()
