"""Many app servers share one Redis (REDIS_URL): what one server changes, every server sees.

Each "server" here is a fresh set of Django cache clients on the same Redis, with nothing
carried over in memory: the page cache, its purges and the comment rate limits must live
in Redis alone. The Redis is the machine's (a database number and key prefix of this
test's own) or one the fixture starts.
"""

import pytest
from django.urls import reverse

from tests.comments.helpers import NOW, add_comment, post_comment
from tests.factories import ArticleFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def another_server(settings, redis_server, redis_prefix):
    """Switch to a new server's cache clients: same Redis, nothing shared in memory."""
    local = settings.CACHES

    def switch():
        settings.CACHES = {
            alias: {
                "BACKEND": "newsroom.cache.ForgivingRedisCache",
                "LOCATION": redis_server,
                "KEY_PREFIX": f"{redis_prefix}-{alias}",
            }
            for alias in ("default", "pages")
        }

    switch()
    yield switch
    # Back to process memory before the suite's own fixture clears "the" cache.
    settings.CACHES = local


def test_a_hide_on_one_server_refreshes_the_page_on_the_other(
    client, another_server, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW, tick=False)
    article = ArticleFactory()
    comment = add_comment(article=article, body="Out of line, and out soon")
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    another_server()
    moderator = ModeratorFactory()
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:comment-hide", kwargs={"pk": comment.pk}), {"reason": "abuse"}
        )
    client.logout()

    another_server()
    page = client.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Out of line, and out soon" not in page.content.decode()


def test_a_page_cached_by_one_server_is_served_by_the_next(client, another_server):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"

    another_server()

    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_comment_rate_limits_count_across_servers(client, another_server, settings, time_machine):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = 3
    time_machine.move_to(NOW, tick=False)
    article = ArticleFactory()

    statuses = []
    for number in range(4):
        another_server()  # the load balancer sends each post to another server
        response = post_comment(client, article, body=f"Point number {number} on the budget.")
        statuses.append(response.status_code)

    assert statuses == [302, 302, 302, 429]
