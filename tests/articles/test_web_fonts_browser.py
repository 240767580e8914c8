"""Which pages make a reader's browser fetch the Nastaliq font, in a real browser."""

import pytest

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 412, "height": 900})
    yield context.new_page()
    context.close()


def fonts_fetched(page, path: str) -> list[str]:
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(path)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return sorted(url.rsplit("/", 1)[-1].split(".")[0] for url in fetched if ".woff2" in url)


def stories():
    urdu_section = SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")
    english = ArticleFactory(headline="Power returns to Karachi", section=SectionFactory())
    urdu = ArticleFactory(
        language="ur",
        section=urdu_section,
        translation_of=english,
        headline="کراچی میں بارش کے بعد بجلی بحال",
        body="<p>کراچی میں دو دن کی تیز بارش کے بعد کئی علاقوں میں بجلی بند رہی۔</p>",
    )
    return english, urdu


def test_an_english_story_names_the_urdu_section_and_translation_without_the_urdu_font(page):
    english, _ = stories()

    fetched = fonts_fetched(page, english.get_absolute_url())

    # The navigation's "پاکستان" and "Read in Urdu" are there, in the reader's own font.
    assert page.locator('nav a.nav-link[lang="ur"]').first.is_visible()
    assert page.locator('a.translation-link[lang="ur"]').is_visible()
    assert fetched == []


def test_an_urdu_story_is_set_in_both_weights_of_nastaliq(page):
    _, urdu = stories()

    fetched = fonts_fetched(page, urdu.get_absolute_url())

    assert fetched == ["noto-nastaliq-urdu-400", "noto-nastaliq-urdu-700"]
    assert page.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'بجلی')")


def test_an_english_page_listing_an_urdu_story_shows_it_without_the_urdu_font(page):
    _, urdu = stories()
    writer = AuthorFactory(name="Amina Qureshi", slug="amina-qureshi")
    urdu.bylines.create(author=writer, position=0)

    fetched = fonts_fetched(page, writer.get_absolute_url())

    # The author's page is in English: her Urdu story is listed in the reader's own font.
    assert page.get_by_text(urdu.headline).is_visible()
    assert fetched == []
