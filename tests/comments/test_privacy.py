"""Staff answer privacy requests: export everything about one email address, or erase it."""

import json

import pytest
from django.urls import reverse

from comments.models import Comment, ModerationAction
from comments.services.bans import ban_create
from comments.services.moderation import comment_hide
from comments.services.privacy import privacy_erase, privacy_export
from tests.comments.helpers import add_comment, html
from tests.factories import EditorFactory, ModeratorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]

PRIVACY_URL = reverse("comments:moderation-privacy")


@pytest.fixture
def moderator():
    return ModeratorFactory()


def test_moderator_exports_everything_stored_about_an_email_address(client, moderator):
    mine = add_comment(name="Sana", email="sana@example.org", body="My view", ip_hash="abc123")
    comment_hide(comment=mine, moderator=moderator, reason="off_topic")
    add_comment(email="someone.else@example.org", body="Not hers")
    ban_create(moderator=moderator, email="sana@example.org", reason="off_topic")
    client.force_login(moderator)

    response = client.post(PRIVACY_URL, {"email": "Sana@Example.org", "action": "export"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert [c["body"] for c in data["comments"]] == ["My view"]
    exported = data["comments"][0]
    assert (exported["name"], exported["email"], exported["ip_address_hash"]) == (
        "Sana",
        "sana@example.org",
        "abc123",
    )
    assert [m["action"] for m in exported["moderation"]] == ["hide"]
    assert len(data["bans"]) == 1


def test_moderator_erases_a_person_and_the_audit_log_stays(
    client, moderator, django_capture_on_commit_callbacks
):
    mine = add_comment(name="Sana Q.", email="sana@example.org", ip_hash="abc123", body="Kept")
    comment_hide(comment=mine, moderator=moderator, reason="abuse")
    other = add_comment(name="Bilal", email="bilal@example.org", body="Untouched")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PRIVACY_URL, {"email": "sana@example.org", "confirm": "on", "action": "erase"}
        )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.email, mine.ip_hash, mine.body) == ("Deleted reader", "", "", "Kept")
    other.refresh_from_db()
    assert (other.name, other.email) == ("Bilal", "bilal@example.org")
    actions = list(mine.moderation_actions.order_by("pk").values_list("action", flat=True))
    assert actions == [ModerationAction.Kind.HIDE, ModerationAction.Kind.ERASE]
    assert not ModerationAction.objects.filter(note__icontains="sana").exists()
    assert privacy_export(email="sana@example.org")["comments"] == []


def test_erasing_needs_a_confirmation(client, moderator):
    add_comment(email="sana@example.org")
    client.force_login(moderator)

    response = client.post(PRIVACY_URL, {"email": "sana@example.org", "action": "erase"})

    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in html(response)
    assert Comment.objects.get().email == "sana@example.org"


def test_an_erased_name_shows_on_the_public_page(client, moderator):
    comment = add_comment(name="Sana Q.", email="sana@example.org")

    privacy_erase(email="sana@example.org", moderator=moderator)

    page = html(client.get(comment.article.get_absolute_url()))
    assert "Sana Q." not in page
    assert "Deleted reader" in page


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("editor", 403)])
def test_only_moderators_reach_privacy_requests(client, who, expected):
    if who == "editor":
        client.force_login(EditorFactory())
    add_comment(email="sana@example.org")

    get = client.get(PRIVACY_URL)
    export = client.post(PRIVACY_URL, {"email": "sana@example.org", "action": "export"})

    assert (get.status_code, export.status_code) == (expected, expected)
    assert b"sana@example.org" not in export.content
