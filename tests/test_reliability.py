"""The site keeps serving readers through the failures a newsroom actually meets."""

import psycopg2
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from tests.factories import ArticleFactory


def serve(path: str) -> tuple[str, str]:
    """Run one request through the real WSGI handler, as gunicorn would.

    The test client skips the per-request connection housekeeping; this does not.
    """
    environ = RequestFactory().get(path).environ
    status_line = []
    body = b"".join(WSGIHandler()(environ, lambda status, headers: status_line.append(status)))
    return status_line[0], body.decode()


def cut_every_connection() -> int:
    """Do to the site what a PostgreSQL restart does: drop every connection it holds."""
    settings = connection.settings_dict
    admin = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (killed,) = cursor.fetchone()
    admin.close()
    return killed


@pytest.mark.django_db(transaction=True)
def test_readers_get_pages_again_right_after_the_database_drops_every_connection(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request must reach the database
    article = ArticleFactory(headline="Still here after the restart")
    assert serve(article.get_absolute_url())[0] == "200 OK"

    assert cut_every_connection() >= 1

    status, page = serve(article.get_absolute_url())
    assert status == "200 OK"
    assert "Still here after the restart" in page
