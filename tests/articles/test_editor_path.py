"""The editor's main path: the admin's forms posted exactly as the browser leaves them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Author
from tests.browser_forms import form_fields
from tests.factories import PAST, ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def add_form_as_shown(client) -> dict:
    """The new-article form as the editor's browser would post it untouched."""
    return form_fields(client.get(ADD_URL).content.decode(), "article_form")


def change_form_as_shown(client, article) -> dict:
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    return form_fields(page.content.decode(), "article_form")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def write_story(form: dict, section, author, **fields) -> dict:
    form.update(
        {
            "headline": "Ministers agree on water talks",
            "slug": "ministers-agree-on-water-talks",
            "standfirst": "Both sides will meet again in March.",
            "section": str(section.pk),
            "body": "<p>The talks ran late.</p><h2>What was agreed</h2><p>A new meeting.</p>",
            "bylines-0-author": str(author.pk),
            "status": "published",
        }
    )
    form.update(fields)
    return form


def test_editor_publishes_now_by_leaving_the_publish_time_empty(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    section, author = SectionFactory(name="Pakistan"), AuthorFactory()
    form = add_form_as_shown(editor_client)
    # The browser leaves the date and time boxes empty, as the help text invites.
    assert form["published_at_0"] == "" and form["published_at_1"] == ""

    response = editor_client.post(ADD_URL, write_story(form, section, author), follow=True)

    assert response.redirect_chain, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.is_published and article.published_at == PAST
    assert "“Ministers agree on water talks” is live for readers." in messages_of(response)
    assert "Ministers agree on water talks" in Client().get("/").content.decode()


def test_editor_saves_a_draft_from_the_untouched_form(editor_client):
    section, author = SectionFactory(), AuthorFactory()
    form = write_story(add_form_as_shown(editor_client), section, author, status="draft")

    response = editor_client.post(ADD_URL, form, follow=True)

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.published_at is None
    assert "is a draft: readers cannot see it yet." in messages_of(response)[-1]


def test_saved_message_for_a_scheduled_article_names_its_time(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    section, author = SectionFactory(), AuthorFactory()
    form = write_story(
        add_form_as_shown(editor_client),
        section,
        author,
        published_at_0="2014-11-21",
        published_at_1="07:30:00",
    )

    response = editor_client.post(ADD_URL, form, follow=True)

    assert Article.objects.get() in Article.objects.scheduled()
    assert (
        "“Ministers agree on water talks” is scheduled: it goes live on "
        "Nov 21, 2014, 7:30 AM (Asia/Karachi)." in messages_of(response)
    )


def test_an_article_published_without_a_byline_gets_a_warning(editor_client):
    section = SectionFactory()
    form = add_form_as_shown(editor_client)
    form.update(
        {"headline": "Agency story", "slug": "agency-story", "section": str(section.pk)},
        status="published",
    )

    response = editor_client.post(ADD_URL, form, follow=True)

    assert Article.objects.get().is_published
    assert any("has no byline" in message for message in messages_of(response))


def test_bylines_come_before_publishing_on_the_form(editor_client):
    page = editor_client.get(ADD_URL).content.decode()

    assert page.index('id="bylines-group"') < page.index("Publishing</h2>")
    assert page.index("Publishing</h2>") < page.index('id="corrections-group"')


def test_editor_fixes_a_missing_credit_in_the_article_form_and_publishes(editor_client):
    section, author = SectionFactory(), AuthorFactory()
    image = ImageFactory(credit="", alt_text="")
    form = write_story(add_form_as_shown(editor_client), section, author)
    form["lead_image"] = str(image.pk)

    refused = editor_client.post(ADD_URL, form)

    page = refused.content.decode()
    assert "The lead image needs a credit and alt text before the article can be published." in (
        page
    )
    assert "Type the photo&#x27;s credit here" in page
    assert Article.objects.count() == 0

    form.update(lead_image_credit="AFP", lead_image_alt_text="Two ministers shake hands")
    published = editor_client.post(ADD_URL, form)

    assert published.status_code == 302
    image.refresh_from_db()
    assert (image.credit, image.alt_text) == ("AFP", "Two ministers shake hands")
    assert Article.objects.get().is_published


def test_a_credit_typed_for_an_old_lead_image_never_overwrites_the_new_ones(editor_client):
    section, author = SectionFactory(), AuthorFactory()
    credited = ImageFactory(credit="Reuters")
    form = write_story(add_form_as_shown(editor_client), section, author)
    form.update(lead_image=str(credited.pk), lead_image_credit="AFP")

    editor_client.post(ADD_URL, form)

    credited.refresh_from_db()
    assert credited.credit == "Reuters"


def test_editor_updates_the_address_after_changing_the_headline(editor_client):
    article = ArticleFactory(headline="Minster resigns", slug="minster-resigns")
    old_url = article.get_absolute_url()
    form = change_form_as_shown(editor_client, article)
    assert form["slug"] == "minster-resigns" and "update_slug" not in form

    form.update(headline="Minister resigns over water deal", update_slug="on")
    editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), form)

    article.refresh_from_db()
    assert article.slug == "minister-resigns-over-water-deal"
    assert Client().get(old_url)["Location"] == article.get_absolute_url()


def test_editing_a_headline_keeps_the_address_unless_asked(editor_client):
    article = ArticleFactory(headline="Minster resigns", slug="minster-resigns")
    form = change_form_as_shown(editor_client, article)

    form.update(headline="Minister resigns")
    editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), form)

    article.refresh_from_db()
    assert (article.headline, article.slug) == ("Minister resigns", "minster-resigns")


def publish_now(client, *articles):
    return client.post(
        LIST_URL,
        {"action": "publish_selected", "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_publish_now_on_a_draft_with_a_stored_future_time_publishes_it_now(
    editor_client, time_machine
):
    time_machine.move_to(PAST, tick=False)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=PAST + timedelta(days=3))

    response = publish_now(editor_client, draft)

    draft.refresh_from_db()
    assert draft.is_published and draft.published_at == PAST
    assert f"Published now, Nov 20, 2014, 9:08 PM (Asia/Karachi): “{draft}”." in (
        messages_of(response)
    )


def test_publish_now_on_a_draft_with_a_stored_past_time_does_not_backdate_it(
    editor_client, time_machine
):
    time_machine.move_to(PAST, tick=False)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=PAST - timedelta(days=30))

    publish_now(editor_client, draft)

    draft.refresh_from_db()
    assert draft.published_at == PAST


def test_publish_now_brings_a_scheduled_article_forward(editor_client, time_machine):
    time_machine.move_to(PAST, tick=False)
    scheduled = ArticleFactory(published_at=PAST + timedelta(hours=5))

    publish_now(editor_client, scheduled)

    scheduled.refresh_from_db()
    assert scheduled.is_published and scheduled.published_at == PAST


def test_publish_now_leaves_a_live_article_where_it_was_and_says_so(editor_client, time_machine):
    time_machine.move_to(PAST + timedelta(days=1), tick=False)
    live = ArticleFactory(published_at=PAST)

    response = publish_now(editor_client, live)

    live.refresh_from_db()
    assert live.published_at == PAST
    assert (
        f"“{live}” was already live since Nov 20, 2014, 9:08 PM (Asia/Karachi); left as it was."
        in messages_of(response)
    )
    assert not any(message.startswith("Published") for message in messages_of(response))


def test_guest_author_needs_only_a_name_in_the_pop_up(editor_client):
    add_author = reverse("admin:articles_author_add") + "?_popup=1&_to_field=id"
    form = form_fields(editor_client.get(add_author).content.decode(), "author_form")
    assert "slug" not in form

    form["name"] = "Zainab Ahmed (guest)"
    response = editor_client.post(add_author, form)

    assert response.status_code == 200  # the pop-up's closing page
    assert Author.objects.get().slug == "zainab-ahmed-guest"


def test_a_second_author_of_the_same_name_gets_an_address_of_their_own(editor_client):
    AuthorFactory(name="Staff Reporter", slug="staff-reporter")
    form = form_fields(
        editor_client.get(reverse("admin:articles_author_add")).content.decode(), "author_form"
    )
    form.update(name="Staff Reporter", slug="")

    editor_client.post(reverse("admin:articles_author_add"), form)

    assert sorted(Author.objects.values_list("slug", flat=True)) == [
        "staff-reporter",
        "staff-reporter-2",
    ]
