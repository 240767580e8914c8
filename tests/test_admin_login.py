"""Guessing admin passwords: a few tries, then a lock with a plain message and a record."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def lockout_after_three(settings):
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(client, username, password, address="198.51.100.7", **headers):
    """Post the admin's own login form as a browser leaves it."""
    login_url = reverse("admin:login")
    client.get(login_url, REMOTE_ADDR=address, **headers)
    return client.post(
        login_url,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def test_wrong_passwords_lock_the_account_even_against_the_right_one():
    editor = EditorFactory(username="amina")
    guesser = Client()

    for _ in range(2):
        response = sign_in(guesser, "amina", "guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    locked = sign_in(guesser, "amina", "guess")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Signing in is locked for now" in page
    assert "15 minutes" in page
    # The owner, from another address with the right password, waits out the lock too.
    refused = sign_in(Client(), "amina", PASSWORD, address="203.0.113.20")
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session
    assert editor.username == "amina"


def test_a_lock_on_one_account_leaves_other_accounts_alone():
    EditorFactory(username="amina")
    EditorFactory(username="bilal")
    for _ in range(3):
        sign_in(Client(), "amina", "guess", address="198.51.100.7")

    response = sign_in(Client(), "bilal", PASSWORD, address="203.0.113.20")

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_one_address_guessing_many_accounts_is_locked_out():
    EditorFactory(username="bilal")
    guesser = Client()
    for name in ("admin", "root", "editor"):
        sign_in(guesser, name, "guess", address="198.51.100.66")

    # Even a real account with its right password is refused from that address...
    assert sign_in(guesser, "bilal", PASSWORD, address="198.51.100.66").status_code == 429
    # ...but not from anywhere else.
    assert sign_in(Client(), "bilal", PASSWORD, address="203.0.113.20").status_code == 302


def test_every_failed_attempt_is_recorded_with_account_and_address():
    EditorFactory(username="amina")
    for _ in range(2):
        sign_in(Client(), "amina", "guess", address="198.51.100.7")

    attempt = AccessAttempt.objects.get(username="amina")
    assert attempt.ip_address == "198.51.100.7"
    assert attempt.failures_since_start == 2
    assert AccessFailureLog.objects.filter(username="amina").count() == 2
    # The audit trail never holds the password tried.
    assert "guess" not in attempt.post_data


def test_behind_the_proxy_the_lock_follows_the_readers_address_not_the_proxys(settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    EditorFactory(username="bilal")
    for name in ("admin", "root", "editor"):
        sign_in(Client(), name, "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")

    # Another person behind the same proxy signs in as usual.
    response = sign_in(
        Client(), "bilal", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.20"
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.filter(ip_address="198.51.100.66").exists()


def test_a_good_sign_in_clears_earlier_mistakes():
    EditorFactory(username="amina")
    client = Client()
    sign_in(client, "amina", "typo")
    sign_in(client, "amina", "typo")
    assert sign_in(client, "amina", PASSWORD).status_code == 302
    client.logout()

    assert sign_in(client, "amina", "typo").status_code == 200
    assert sign_in(client, "amina", PASSWORD).status_code == 302


def test_tests_and_old_sessions_signed_in_without_the_form_still_work(client):
    client.force_login(EditorFactory())

    assert client.get(reverse("admin:index")).status_code == 200
