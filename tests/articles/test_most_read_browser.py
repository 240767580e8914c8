"""A reader's browser counts the visit itself, from our own script, without a cookie."""

import pytest

from articles import readership
from articles.models import DailyReadCount
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


def test_opening_an_article_counts_one_read_and_sets_no_cookie(browser, live_server, settings):
    settings.READS_FLUSH_SECONDS = 0
    readership.tally.clear()
    article = ArticleFactory(headline="A story worth reading")
    context = browser.new_context(base_url=live_server.url, user_agent=BROWSER)
    page = context.new_page()

    with page.expect_response(lambda r: r.url.endswith("/read/")) as beacon:
        page.goto(article.get_absolute_url())

    assert beacon.value.status == 204
    assert DailyReadCount.objects.get(article=article).reads == 1
    assert context.cookies() == []
    context.close()
