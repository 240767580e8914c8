"""In a real browser: a reader copies a story's address with one click and is told so."""

import pytest

from tests.factories import ArticleFactory

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_copies_the_storys_address_and_hears_that_it_worked(
    browser, live_server, settings
):
    settings.SITE_URL = "https://news.example"
    article = ArticleFactory(headline="Dam breach floods valley")
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(article.get_absolute_url())

    button = page.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()  # our script found a clipboard and showed the button
    button.click()

    expect(page.get_by_role("status").filter(has_text="Link copied.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "https://news.example" + article.get_absolute_url()
    context.close()


def test_without_scripts_the_copy_button_stays_hidden_and_the_links_still_work(
    browser, live_server
):
    article = ArticleFactory()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(article.get_absolute_url())

    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
    expect(page.get_by_role("link", name="Share on WhatsApp")).to_be_visible()
    context.close()
