"""Two editors, two browser pages, two saves: the second is told, and keeps their text."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from articles.models import Article
from tests.factories import ArticleFactory, EditorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def editor_page(browser, live_server, username):
    client = Client()
    client.force_login(EditorFactory(username=username))
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_the_second_editor_is_warned_and_keeps_their_text(browser, live_server):
    story = ArticleFactory(headline="Floods", standfirst="Rain all night.")
    url = f"/admin/articles/article/{story.pk}/change/"
    amna = editor_page(browser, live_server, "amna")
    bilal = editor_page(browser, live_server, "bilal")
    amna.goto(url)
    bilal.goto(url)

    amna.fill("#id_headline", "Floods kill three")
    amna.get_by_role("button", name="Save", exact=True).click()
    amna.wait_for_url("**/admin/articles/article/")
    bilal.fill("#id_standfirst", "Rain all night; rivers rising.")
    bilal.get_by_role("button", name="Save", exact=True).click()

    warning = bilal.locator("#edit-conflict")
    warning.wait_for()
    assert "amna" in warning.inner_text()
    assert "Floods kill three" in warning.inner_text()
    assert bilal.locator("#id_standfirst").input_value() == "Rain all night; rivers rising."
    assert Article.objects.get().standfirst == "Rain all night."

    # Merge by hand: take Amna's headline, keep the new standfirst, save.
    bilal.fill("#id_headline", "Floods kill three")
    bilal.get_by_role("button", name="Save", exact=True).click()
    bilal.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert (story.headline, story.standfirst) == (
        "Floods kill three",
        "Rain all night; rivers rising.",
    )


def test_leaving_the_form_with_unsaved_edits_asks_first(browser, live_server):
    story = ArticleFactory()
    page = editor_page(browser, live_server, "amna")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))

    # Typed as a person types: browsers ask only after a real interaction with the page.
    page.click("#id_headline")
    page.keyboard.type(" edited, not saved")
    with page.expect_event("close"):
        page.close(run_before_unload=True)

    assert asked == ["beforeunload"]
