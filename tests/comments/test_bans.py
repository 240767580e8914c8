"""Moderators ban an email address or IP address; a banned commenter is refused politely."""

from datetime import timedelta

import pytest
from django.urls import reverse

from comments.models import Ban, Comment, ModerationAction
from comments.services.bans import ban_create, ban_lift
from comments.services.posting import ip_address_hash
from tests.comments.helpers import NOW, add_comment, html, post_comment
from tests.factories import ArticleFactory, EditorFactory, ModeratorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]

Status = Comment.Status
Kind = ModerationAction.Kind
IP = "203.0.113.7"


@pytest.fixture
def moderator():
    return ModeratorFactory()


def ban_url(comment) -> str:
    return reverse("comments:comment-ban", kwargs={"pk": comment.pk})


def test_a_banned_email_is_refused_politely_and_nothing_is_stored(client, moderator):
    article = ArticleFactory()
    ban_create(moderator=moderator, email="Troll@Example.org", reason="abuse")

    response = post_comment(client, article, email="troll@example.org")

    assert response.status_code == 403
    assert "Sorry, we cannot accept comments from you at the moment." in html(response)
    assert not Comment.objects.exists()


def test_a_banned_ip_address_is_refused(client, moderator):
    article = ArticleFactory()
    ban_create(moderator=moderator, ip_hash=ip_address_hash(IP), reason="spam")

    response = post_comment(client, article, ip=IP, email="fresh@example.org")

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_an_expired_or_lifted_ban_no_longer_applies(client, moderator):
    article = ArticleFactory()
    ban_create(
        moderator=moderator,
        email="ayesha@example.org",
        reason="off_topic",
        expires_at=NOW - timedelta(minutes=1),
    )
    lifted = ban_create(moderator=moderator, ip_hash=ip_address_hash(IP), reason="spam")
    ban_lift(ban=lifted, moderator=moderator)

    response = post_comment(client, article, ip=IP)

    assert response.status_code == 302
    assert Comment.objects.count() == 1
    assert ModerationAction.objects.filter(action=Kind.LIFT_BAN, ban=lifted).exists()


def test_a_ban_until_a_date_applies_before_it(client, moderator):
    article = ArticleFactory()
    ban_create(
        moderator=moderator,
        email="ayesha@example.org",
        reason="abuse",
        expires_at=NOW + timedelta(days=7),
    )

    assert post_comment(client, article).status_code == 403


def test_moderator_bans_from_a_comment_and_hides_all_earlier_comments_in_one_step(
    client, moderator, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    bad = add_comment(article=article, email="troll@example.org", ip_hash=ip_address_hash(IP))
    older = add_comment(article=article, email="troll@example.org", body="Earlier bile")
    same_ip = add_comment(article=article, email="alias@example.org", ip_hash=ip_address_hash(IP))
    innocent = add_comment(article=article, email="someone@example.org")
    client.force_login(moderator)
    assert client.get(ban_url(bad)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ban_url(bad),
            {
                "ban_email": "on",
                "ban_ip": "on",
                "reason": "abuse",
                "note": "Repeated abuse",
                "expires_in_days": "30",
                "hide_comments": "on",
            },
        )

    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.email, ban.ip_hash, ban.banned_by, ban.comment) == (
        "troll@example.org",
        ip_address_hash(IP),
        moderator,
        bad,
    )
    assert ban.expires_at == NOW + timedelta(days=30)
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {
        bad.pk: Status.HIDDEN,
        older.pk: Status.HIDDEN,
        same_ip.pk: Status.HIDDEN,
        innocent.pk: Status.PUBLISHED,
    }
    assert ModerationAction.objects.filter(action=Kind.BAN, ban=ban).count() == 1
    assert ModerationAction.objects.filter(action=Kind.HIDE, ban=ban).count() == 3
    article.refresh_from_db()
    assert article.comment_count == 1
    client.logout()
    assert "Earlier bile" not in html(client.get(article.get_absolute_url()))


def test_banning_without_hiding_leaves_earlier_comments_up(moderator):
    comment = add_comment(email="troll@example.org")

    ban_create(moderator=moderator, email="troll@example.org", reason="spam")

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_a_ban_needs_an_email_or_an_ip(moderator):
    with pytest.raises(ValueError):
        ban_create(moderator=moderator, reason="spam")


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("editor", 403)])
def test_only_moderators_can_ban(client, who, expected):
    if who == "editor":
        client.force_login(EditorFactory())
    comment = add_comment(email="troll@example.org")

    response = client.post(ban_url(comment), {"ban_email": "on", "reason": "abuse"})

    assert response.status_code == expected
    assert not Ban.objects.exists()


def test_banning_the_ip_of_a_comment_that_has_none_is_explained(client, moderator):
    comment = add_comment(email="troll@example.org", ip_hash="")
    client.force_login(moderator)

    response = client.post(ban_url(comment), {"ban_ip": "on", "reason": "spam"})

    assert response.status_code == 400
    assert "no stored email or IP address left to ban" in html(response)
    assert not Ban.objects.exists()


def test_the_ban_page_warns_that_an_ip_ban_blocks_a_whole_network_and_does_not_tick_it(
    client, moderator
):
    comment = add_comment(email="troll@example.org", ip_hash=ip_address_hash(IP))
    client.force_login(moderator)

    page = html(client.get(ban_url(comment)))

    ip_choice = page[page.index('name="ban_ip"') - 200 : page.index('name="ban_ip"') + 700]
    assert "checked" not in ip_choice[: ip_choice.index("</label>")]
    assert "blocks everyone who shares the address" in ip_choice
    assert "a mobile carrier" in ip_choice
    reason = page[page.index('name="reason"') :]
    assert '<option value="" selected>Choose a reason…</option>' in reason


def test_a_ban_without_a_reason_says_so_and_keeps_what_was_ticked(client, moderator):
    comment = add_comment(email="troll@example.org", ip_hash=ip_address_hash(IP))
    client.force_login(moderator)

    response = client.post(
        ban_url(comment),
        {
            "ban_email": "on",
            "ban_ip": "on",
            "reason": "",
            "note": "Third time",
            "expires_in_days": "7",
        },
    )

    assert response.status_code == 400
    page = html(response)
    assert "Choose why this commenter is banned." in page
    assert "Third time" in page and 'value="7"' in page
    assert 'id="id_ban_ip" checked' in page
    assert not Ban.objects.exists()


def test_after_an_ip_ban_the_moderator_is_told_and_the_ban_list_says_it_includes_an_address(
    client, moderator
):
    comment = add_comment(email="troll@example.org", ip_hash=ip_address_hash(IP))
    ban_create(moderator=moderator, email="other@example.org", reason="spam")
    client.force_login(moderator)

    response = client.post(
        ban_url(comment),
        {"ban_email": "on", "ban_ip": "on", "reason": "abuse", "note": "", "expires_in_days": ""},
        follow=True,
    )

    assert "It includes the IP address: everyone who shares that network is blocked too." in (
        html(response)
    )
    bans = html(client.get(reverse("admin:comments_ban_changelist")))
    assert "The email address and an IP address (everyone sharing that network)" in bans
    assert "The email address only" in bans
    with_address = html(client.get(reverse("admin:comments_ban_changelist"), {"ip": "yes"}))
    assert "troll@example.org" in with_address and "other@example.org" not in with_address
