"""Readers report comments; enough reports take a comment off the page until a moderator
decides, threats of violence sooner."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from comments.models import Comment, ModerationAction, Report
from comments.services.moderation import comment_approve
from comments.services.reports import comment_report
from tests.comments.helpers import NOW, add_comment, html
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture(autouse=True)
def an_hour_after_publication(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.COMMENTS_REPORTS_TO_HIDE = 3
    settings.COMMENTS_VIOLENCE_REPORTS_TO_HIDE = 2


def report_url(comment) -> str:
    return reverse("comments:comment-report", kwargs={"pk": comment.pk})


def report(comment, reason="abuse", ip="192.0.2.1", user=None):
    return comment_report(comment=comment, reason=reason, ip_address=ip, user=user)


def test_each_comment_offers_readers_a_report_link(client):
    comment = add_comment()

    page = html(client.get(comment.article.get_absolute_url()))

    assert f'href="{report_url(comment)}"' in page


def test_reader_reports_a_comment_with_a_reason_through_the_form(client):
    comment = add_comment()
    form_page = client.get(report_url(comment))
    assert form_page.status_code == 200
    assert "Threat of violence" in html(form_page)

    response = client.post(
        report_url(comment),
        {"reason": "spam", "note": "Selling pills"},
        REMOTE_ADDR="198.51.100.4",
    )

    assert response.status_code == 302
    stored = Report.objects.get()
    assert (stored.comment, stored.reason, stored.note) == (comment, "spam", "Selling pills")
    assert "198.51.100.4" not in stored.reporter_hash
    followed = html(client.get(response["Location"]))
    assert "Thank you for your report." in followed


def test_the_report_form_needs_a_csrf_token(client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    comment = add_comment()

    response = browser.post(report_url(comment), {"reason": "spam"})

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_report_without_a_reason_shows_the_form_again(client):
    comment = add_comment()

    response = client.post(report_url(comment), {"reason": ""})

    assert response.status_code == 400
    assert "Please choose why you are reporting this comment." in html(response)
    assert not Report.objects.exists()


def test_hidden_comments_cannot_be_reported(client):
    comment = add_comment(status=Status.HIDDEN)

    assert client.get(report_url(comment)).status_code == 404
    assert client.post(report_url(comment), {"reason": "spam"}).status_code == 404


def test_a_reader_reports_a_comment_only_once(client):
    comment = add_comment()
    client.post(report_url(comment), {"reason": "spam"}, REMOTE_ADDR="198.51.100.4")

    response = client.post(report_url(comment), {"reason": "abuse"}, REMOTE_ADDR="198.51.100.4")

    assert Report.objects.count() == 1
    assert "You have already reported this comment." in html(client.get(response["Location"]))


def test_signed_in_readers_on_one_address_each_get_their_report():
    comment = add_comment()

    report(comment, user=UserFactory())
    report(comment, user=UserFactory())

    assert Report.objects.count() == 2


def test_fewer_reports_than_the_threshold_leave_the_comment_up():
    comment = add_comment()

    report(comment, ip="192.0.2.1")
    report(comment, ip="192.0.2.2")

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert not ModerationAction.objects.exists()


def test_enough_reports_take_the_comment_off_the_page_pending_review(
    client, django_capture_on_commit_callbacks
):
    comment = add_comment(body="Borderline words")
    article = comment.article
    assert "Borderline words" in html(client.get(article.get_absolute_url()))

    with django_capture_on_commit_callbacks(execute=True):
        for ip in ("192.0.2.1", "198.51.100.2", "203.0.113.3"):
            report(comment, ip=ip)

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.review_reason == "Held after 3 reader report(s) from 3 network(s)."
    action = ModerationAction.objects.get()
    assert (action.action, action.moderator, action.status_before, action.status_after) == (
        ModerationAction.Kind.HELD_BY_REPORTS,
        None,
        Status.PUBLISHED,
        Status.PENDING,
    )
    page = html(client.get(article.get_absolute_url()))
    assert "Borderline words" not in page
    assert "Reader Comments (0)" in page


def test_threats_of_violence_hide_the_comment_after_fewer_reports():
    comment = add_comment()

    report(comment, reason="violence", ip="192.0.2.1")
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    report(comment, reason="violence", ip="198.51.100.2")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert "2 of a threat of violence" in comment.review_reason


def test_thresholds_come_from_settings(settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 1
    comment = add_comment()

    report(comment, reason="off_topic")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_after_a_moderator_approves_only_new_reports_count():
    moderator = ModeratorFactory()
    comment = add_comment()
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        report(comment, ip=ip)
    comment_approve(comment=comment, moderator=moderator)

    report(comment, ip="192.0.2.4")

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert Report.objects.open().count() == 1


# Abuse of reports: networks, not addresses, count; one network can only report so much.


def report_through_the_form(client, comment, *, reason, ip, note=""):
    return client.post(report_url(comment), {"reason": reason, "note": note}, REMOTE_ADDR=ip)


def test_two_addresses_on_one_network_cannot_take_a_comment_off_the_page(client):
    comment = add_comment(body="An unpopular opinion")

    report_through_the_form(client, comment, reason="violence", ip="127.0.0.1")
    report_through_the_form(client, comment, reason="violence", ip="127.0.0.2")

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert Report.objects.count() == 2
    assert len(set(Report.objects.values_list("reporter_network", flat=True))) == 1


def test_ipv6_addresses_in_one_64_count_as_one_network_and_other_networks_add_up(client):
    comment = add_comment()

    report_through_the_form(client, comment, reason="violence", ip="2001:db8:1:1::10")
    report_through_the_form(client, comment, reason="violence", ip="2001:db8:1:1::99")
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED

    report_through_the_form(client, comment, reason="violence", ip="2001:db8:2:2::10")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.review_reason == (
        "Held after 3 reader report(s) from 2 network(s), 2 of a threat of violence."
    )


def test_one_network_reporting_comment_after_comment_is_stopped_at_the_cap(
    client, settings, time_machine
):
    settings.COMMENTS_REPORT_LIMIT_PER_NETWORK = 3
    settings.COMMENTS_REPORT_LIMIT_WINDOW_SECONDS = 3600
    comments = [add_comment(body=f"Comment {n}") for n in range(5)]
    for n, comment in enumerate(comments[:3]):
        report_through_the_form(client, comment, reason="abuse", ip=f"198.51.100.{n + 1}")

    refused = report_through_the_form(client, comments[3], reason="abuse", ip="198.51.100.9")

    assert Report.objects.count() == 3
    assert "You have sent many reports in a short time." in html(client.get(refused["Location"]))
    # A reader on another network is not affected, and the cap lifts after its window.
    report_through_the_form(client, comments[3], reason="abuse", ip="203.0.113.5")
    time_machine.move_to(NOW + timedelta(hours=1, seconds=1), tick=False)
    report_through_the_form(client, comments[4], reason="abuse", ip="198.51.100.9")
    assert Report.objects.count() == 5


def test_a_moderator_sees_who_reported_what_and_readers_never_do(client):
    comment = add_comment(body="Contested claim", status=Status.PUBLISHED)
    report_through_the_form(
        client, comment, reason="violence", ip="192.0.2.10", note="Threatens the mayor"
    )
    report_through_the_form(client, comment, reason="spam", ip="198.51.100.20")
    networks = dict(Report.objects.values_list("reason", "reporter_network"))
    reader_page = html(client.get(comment.article.get_absolute_url()))

    client.force_login(ModeratorFactory())
    queue = html(client.get(reverse("comments:moderation-queue")))
    admin_page = html(client.get(reverse("admin:comments_comment_change", args=[comment.pk])))

    who = queue[queue.index("Who reported what") :]
    who = who[: who.index("</details>")]
    assert who.index("Threat of violence") < who.index("Spam")
    assert f"network {networks['violence'][:8]}" in who
    assert f"network {networks['spam'][:8]}" in who
    assert "Threatens the mayor" in who
    assert f">{date_format(localtime(NOW), 'M j, H:i')}</time>" in who
    assert f"network {networks['violence'][:8]}" in admin_page
    for secret in (*networks.values(), "192.0.2.10", "network "):
        assert secret[:8] not in reader_page
    hashes = Report.objects.values_list("reporter_hash", flat=True)
    assert not any(h in queue or h[:8] in queue for h in hashes)
