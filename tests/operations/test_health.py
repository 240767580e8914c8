"""Load balancers ask each app server whether it lives and whether it can serve."""

import socket

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


def test_readiness_says_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


def test_a_balancer_probing_by_address_over_plain_http_gets_its_answer(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["news.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    # Neither redirected to HTTPS nor refused for its Host: the probe reaches the check.
    assert client.get("/healthz", HTTP_HOST="10.0.3.17:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.3.17:8000").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_without_its_database_a_server_is_unavailable_and_says_no_more(client, caplog):
    real_port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = str(spare_port())
    connection.close()
    try:
        response = client.get("/readyz")
        alive = client.get("/healthz")
    finally:
        connection.settings_dict["PORT"] = real_port
        connection.close()

    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert response["Cache-Control"] == "no-store"
    assert alive.status_code == 200  # alive, just not ready: no restart needed
    assert "Not ready: database 'default'" in caplog.text  # the reason, for operators only


def test_without_its_redis_a_server_is_unavailable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{spare_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_health_answers_are_never_kept_by_the_page_cache(client):
    client.get("/readyz")
    response = client.get("/readyz")

    assert "X-Page-Cache" not in response
    assert "Surrogate-Key" not in response
