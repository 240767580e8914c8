"""Editors publishing through the Django admin's own forms."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def editors_group() -> Group:
    """The Editors group as its migration makes it.

    Run again here because a transactional test's flush (kept by --reuse-db) empties it.
    """
    migration = importlib.import_module("articles.migrations.0004_editors_group")
    migration.create_editors_group(django_apps, schema_editor=None)
    writers = importlib.import_module("articles.migrations.0009_writers_group")
    writers.create_writers_group(django_apps, schema_editor=None)
    return Group.objects.get(name="Editors")


def inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form(section, authors, **fields) -> dict:
    """What the admin's add form posts when an editor fills it in."""
    data = {
        "language": "en",
        "headline": "Ministers agree on water talks",
        "slug": "ministers-agree-on-water-talks",
        "standfirst": "Both sides will meet again in March.",
        "section": str(section.pk),
        "body": "<p>The talks ran late.</p><h2>What was agreed</h2><p>A new meeting.</p>",
        "lead_image": "",
        "status": "published",
        "published_at_0": "2014-11-20",
        "published_at_1": "21:08:00",
        "comments_open": "on",
        **inline_management("bylines", len(authors)),
        **inline_management("corrections", 0),
    }
    for number, (author, role) in enumerate(authors):
        data[f"bylines-{number}-author"] = str(author.pk)
        data[f"bylines-{number}-role"] = role
        data[f"bylines-{number}-position"] = str(number)
    data.update(fields)
    return data


def test_editor_publishes_an_article_with_two_bylines_and_readers_see_it(editor_client):
    section = SectionFactory(name="Pakistan")
    reporter, translator = AuthorFactory(name="Amina Qureshi"), AuthorFactory(name="Omar Rauf")
    image = ImageFactory()

    response = editor_client.post(
        ADD_URL,
        article_form(
            section, [(reporter, ""), (translator, "Translated by")], lead_image=str(image.pk)
        ),
    )

    assert response.status_code == 302, response.context["adminform"].errors
    article = Article.objects.get()
    assert article.is_published
    assert [b.author for b in article.bylines.all()] == [reporter, translator]
    # 21:08 in Karachi is 16:08 UTC: editors type local time, the database keeps UTC.
    assert article.published_at == PAST
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Ministers agree on water talks" in page
    assert "Translated by" in page


def test_editor_saving_a_draft_keeps_it_off_the_public_site(editor_client):
    section, author = SectionFactory(), AuthorFactory()

    editor_client.post(
        ADD_URL,
        article_form(section, [(author, "")], status="draft", published_at_0="", published_at_1=""),
    )

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_editor_schedules_an_article_for_later(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    section, author = SectionFactory(), AuthorFactory()

    editor_client.post(ADD_URL, article_form(section, [(author, "")], published_at_0="2014-11-21"))

    article = Article.objects.get()
    assert article in Article.objects.scheduled()
    assert article not in Article.objects.published()


def test_publishing_with_an_uncredited_lead_image_says_what_is_missing(editor_client):
    section, author = SectionFactory(), AuthorFactory()
    image = ImageFactory(credit="")

    response = editor_client.post(
        ADD_URL, article_form(section, [(author, "")], lead_image=str(image.pk))
    )

    assert response.status_code == 200
    assert "The lead image needs a credit before the article can be published." in (
        response.content.decode()
    )
    assert Article.objects.count() == 0
    # What the editor typed is still in the form.
    assert "Ministers agree on water talks" in response.content.decode()


def test_script_posted_in_the_body_is_removed_before_it_is_stored(editor_client):
    section, author = SectionFactory(), AuthorFactory()
    hostile = (
        '<p>Hello<script>alert("x")</script></p><p onmouseover="steal()">Hover</p>'
        '<a href="javascript:alert(1)">click</a><h2>Kept</h2>'
    )

    editor_client.post(ADD_URL, article_form(section, [(author, "")], body=hostile))

    body = Article.objects.get().body
    assert "<script" not in body and "onmouseover" not in body and "javascript:" not in body
    assert "<h2>Kept</h2>" in body and "Hello" in body


def test_editor_changing_the_slug_keeps_the_old_address_working(editor_client):
    author = AuthorFactory()
    article = ArticleFactory(headline="Minster resigns", slug="minster-resigns", bylines=[author])
    old_url = article.get_absolute_url()
    byline = article.bylines.get()
    data = article_form(
        article.section,
        [(author, "")],
        headline="Minister resigns",
        slug="minister-resigns",
        **inline_management("bylines", 1, initial=1),
    )
    data["bylines-0-id"] = str(byline.pk)
    data["bylines-0-article"] = str(article.pk)

    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    redirect = Client().get(old_url)
    assert redirect.status_code == 301
    assert redirect["Location"].endswith("/minister-resigns/")


def test_article_list_shows_bylines_and_filters_by_scheduled(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    author = AuthorFactory(name="Hira Baloch")
    ArticleFactory(headline="Live story", bylines=[author])
    ArticleFactory(headline="Tomorrow's story", published_at=PAST.replace(day=21))

    everything = editor_client.get(reverse("admin:articles_article_changelist"))
    scheduled = editor_client.get(
        reverse("admin:articles_article_changelist") + "?publication=scheduled"
    )

    assert "Hira Baloch" in everything.content.decode()
    assert "Tomorrow" in scheduled.content.decode()
    assert "Live story" not in scheduled.content.decode()


def test_publish_action_refuses_an_article_whose_image_lacks_alt_text(editor_client):
    ready = ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="Ready")
    blocked = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        headline="Blocked",
        lead_image=ImageFactory(alt_text="", is_decorative=False),
    )

    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, blocked.pk]},
        follow=True,
    )

    ready.refresh_from_db()
    blocked.refresh_from_db()
    assert ready.is_published
    assert blocked.status == Article.Status.DRAFT
    assert "its lead image needs alt text" in response.content.decode()


def test_people_without_staff_access_cannot_open_the_article_admin():
    response = Client().get(ADD_URL)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_readers_see_a_corrected_section_name_at_once(
    editor_client, django_capture_on_commit_callbacks
):
    section = SectionFactory(name="Pakistn", slug="pakistan")
    ArticleFactory(section=section)
    reader = Client()
    assert "Pakistn" in reader.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:articles_section_change", args=[section.pk]),
            {
                "name": "Pakistan",
                "slug": "pakistan",
                "language": "en",
                "position": "0",
                "description": "",
            },
        )

    assert "Pakistan" in reader.get("/").content.decode()
    assert "Pakistn" not in reader.get("/").content.decode()


def test_the_body_editor_may_run_in_the_admin_but_public_pages_allow_only_script_files(
    editor_client,
):
    article = ArticleFactory()

    editor_page = editor_client.get(ADD_URL)
    public_page = Client().get(article.get_absolute_url())

    nonce = editor_page["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script type="importmap" nonce="{nonce}">' in editor_page.content.decode()
    public_policy = public_page["Content-Security-Policy"]
    assert "script-src 'self';" in public_policy
    assert (
        "nonce" not in public_policy and "unsafe-inline" not in public_policy.split("style-src")[0]
    )


def test_a_staff_member_in_the_editors_group_can_write_and_publish(client):
    new_editor = UserFactory(is_staff=True)
    new_editor.groups.add(editors_group())
    client.force_login(new_editor)
    section, author = SectionFactory(), AuthorFactory()

    assert client.get(reverse("admin:articles_image_add")).status_code == 200
    response = client.post(ADD_URL, article_form(section, [(author, "")]))

    assert response.status_code == 302
    assert Article.objects.get().is_published
    section_delete = reverse("admin:articles_section_delete", args=[section.pk])
    assert client.get(section_delete).status_code == 403
