"""Readers of an Urdu story comment in Urdu: the form, its refusals and thanks are in Urdu, and
mixed Urdu and English text keeps each part's direction."""

from datetime import timedelta

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.browser_forms import form_fields
from tests.comments.helpers import NOW, add_comment, html
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("an_hour_after_publication")]

URDU_COMMENT = (
    "بہت اچھی خبر۔ Ayesha Khan کی بات درست ہے، تفصیل https://example.org/report پر دیکھیں۔"
)


def urdu_article(**fields):
    section = SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")
    return ArticleFactory(
        language="ur", section=section, headline="کراچی میں بارش کے بعد بجلی بحال", **fields
    )


def reverse_post(article) -> str:
    return reverse("comments:comment-post", kwargs={"article_pk": article.pk})


def test_a_reader_comments_in_urdu_through_the_form_and_reads_it_back_in_urdu(client, time_machine):
    article = urdu_article()
    page = html(client.get(article.get_absolute_url()))
    # The form as the Urdu page shows it: labels and button in Urdu.
    assert "اپنی رائے دیجیے" in page
    assert ">تبصرہ بھیجیں</button>" in page
    assert 'data-remember-label="اس آلے پر مجھے یاد رکھیں"' in page
    form = form_fields(page, "comment-form")
    form.update(name="عائشہ خان", email="ayesha@example.org", body=URDU_COMMENT)

    # Posted at once, as a script would: refused, in Urdu, with the text kept.
    too_quick = client.post(reverse_post(article), form)
    assert "آپ نے بہت جلدی کی!" in html(too_quick)
    assert URDU_COMMENT in html(too_quick)
    assert '<html lang="ur" dir="rtl">' in html(too_quick)

    time_machine.move_to(NOW + timedelta(minutes=2), tick=False)
    posted = client.post(reverse_post(article), form_fields(html(too_quick), "comment-form"))
    comment = Comment.objects.get()
    assert posted.status_code == 302
    assert (comment.name, comment.body) == ("عائشہ خان", URDU_COMMENT)

    after = html(client.get(posted["Location"]))
    assert "شکریہ، آپ کا تبصرہ شائع ہو گیا ہے۔" in after
    # One comment is singular in Urdu: "a reader's comment".
    assert "قارئین کا تبصرہ (1)" in after
    assert "تبصرہ (1)</a>" in after
    assert '<strong class="comment-name" dir="auto">عائشہ خان</strong>' in after
    body = after.split('class="comment-body" dir="auto">')[1].split("</div>")[0]
    assert "Ayesha Khan" in body
    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">' in body
    assert ">جواب دیں</a>" in after  # Reply.
    # The comment's time in Urdu: day, Urdu month, year.
    assert "20 نومبر 2014" in after


def test_a_comment_missing_its_name_is_refused_in_urdu(client, time_machine):
    article = urdu_article()
    form = form_fields(html(client.get(article.get_absolute_url())), "comment-form")
    form.update(name="", email="ayesha@example.org", body="میری رائے")
    time_machine.move_to(NOW + timedelta(minutes=2), tick=False)

    refused = html(client.post(reverse_post(article), form))

    assert "براہِ کرم وہ نام لکھیے جو آپ کے تبصرے کے ساتھ دکھایا جائے۔" in refused
    assert "میری رائے" in refused
    assert not Comment.objects.exists()


def test_comments_on_english_stories_stay_in_english(client):
    article = ArticleFactory()
    add_comment(article=article, body="Useful.")

    page = html(client.get(article.get_absolute_url()))

    assert "Reader Comments (1)" in page
    assert ">Post comment</button>" in page
    assert "تبصرہ" not in page


def test_a_held_comment_on_an_urdu_story_is_explained_in_urdu(client, settings, time_machine):
    settings.COMMENTS_MAX_LINKS = 0
    article = urdu_article()
    form = form_fields(html(client.get(article.get_absolute_url())), "comment-form")
    form.update(name="بلال", email="bilal@example.org", body="دیکھیں https://example.org")
    time_machine.move_to(NOW + timedelta(minutes=2), tick=False)

    posted = client.post(reverse_post(article), form, follow=True)

    assert (
        "شکریہ۔ آپ کا تبصرہ روک لیا گیا ہے کیونکہ اس میں لنک ہیں؛ "
        "شائع ہونے سے پہلے کوئی ماڈریٹر اسے دیکھے گا۔"
    ) in html(posted)
    assert "قارئین کے تبصرے (0)" in html(posted)


def test_closed_comments_on_an_urdu_story_say_so_in_urdu(client):
    article = urdu_article(comments_open=False)

    page = html(client.get(article.get_absolute_url()))

    assert "اس خبر پر تبصرے بند ہیں۔" in page
