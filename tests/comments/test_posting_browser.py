"""A reader's browser: name and email come back, the form is stamped when shown, thumbs fit."""

import pytest
from django.core import signing

from comments.forms.reader import RENDERED_AT_SALT
from comments.models import Comment
from tests.comments.helpers import add_comment
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server, settings):
    settings.COMMENTS_MIN_SECONDS_TO_POST = 0
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def post_from_page(page, *, name, email, body):
    form = page.locator("#comment-form")
    if name is not None:
        form.get_by_label("Name").fill(name)
        form.get_by_label("Email").fill(email)
    form.get_by_label("Comment").fill(body)
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_url("**#comment-*")


def test_name_and_email_come_back_for_the_next_comment_and_never_in_the_page(page):
    first, second = ArticleFactory(), ArticleFactory()
    page.goto(first.get_absolute_url())
    post_from_page(page, name="Ayesha Khan", email="ayesha@example.org", body="First thoughts.")

    served = page.goto(second.get_absolute_url()).text()

    form = page.locator("#comment-form")
    assert form.get_by_label("Name").input_value() == "Ayesha Khan"
    assert form.get_by_label("Email").input_value() == "ayesha@example.org"
    assert "ayesha@example.org" not in served  # Filled in by this browser, not the server.
    assert not [c for c in page.context.cookies() if "ayesha" in c["value"]]
    # The next comment needs only the words.
    post_from_page(page, name=None, email=None, body="Second thoughts.")
    assert Comment.objects.get(body="Second thoughts.").email == "ayesha@example.org"


def test_a_reader_on_a_shared_computer_can_be_forgotten(page):
    article = ArticleFactory()
    page.goto(article.get_absolute_url())
    post_from_page(page, name="Ayesha Khan", email="ayesha@example.org", body="Hello.")

    page.goto(article.get_absolute_url())
    page.get_by_label("Remember me on this device").uncheck()
    page.goto(article.get_absolute_url())

    form = page.locator("#comment-form")
    assert form.get_by_label("Name").input_value() == ""
    assert form.get_by_label("Email").input_value() == ""
    assert not form.get_by_label("Remember me on this device").is_checked()


def test_the_form_is_stamped_when_this_browser_shows_it(page, client):
    article = ArticleFactory()
    cached = client.get(article.get_absolute_url()).content.decode()  # Fills the page cache.
    cached_stamp = cached.split('name="rendered_at" value="')[1].split('"')[0]

    with page.expect_response("**/form-token/") as stamping:
        page.goto(article.get_absolute_url())
    assert stamping.value.ok

    stamp = page.locator('#comment-form input[name="rendered_at"]')
    page.wait_for_function(
        "([field, old]) => field.value !== old", arg=[stamp.element_handle(), cached_stamp]
    )
    article_pk, _ = signing.loads(stamp.input_value(), salt=RENDERED_AT_SALT)
    assert article_pk == article.pk


def test_reply_and_report_are_big_enough_for_a_thumb_and_apart(browser, live_server, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    article = ArticleFactory()
    comment = add_comment(article=article, name="Bilal")
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = phone.new_page()
    page.goto(article.get_absolute_url())

    reply = page.locator(f"#{comment.anchor} a.comment-reply").bounding_box()
    report = page.locator(f"#{comment.anchor} a.comment-report").bounding_box()

    assert reply["height"] >= 44 and report["height"] >= 44
    apart = report["x"] - (reply["x"] + reply["width"])
    assert apart >= 8 or report["y"] >= reply["y"] + reply["height"]
    phone.close()


def test_a_keyboard_reader_reaches_the_comments_from_the_top_in_a_few_presses(page):
    article = ArticleFactory(body="<p>A long story, paragraph after paragraph.</p>" * 80)
    add_comment(article=article)
    page.goto(article.get_absolute_url())

    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('comments-skip')"):
            break
    else:
        pytest.fail("No link to the comments within 10 Tab presses.")
    page.keyboard.press("Enter")

    page.wait_for_url("**#comments")
    # Bootstrap scrolls smoothly: wait for the comments to arrive at the top of the screen.
    page.wait_for_function(
        "() => document.getElementById('comments').getBoundingClientRect().top < 100"
    )
