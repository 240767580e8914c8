"""A newcomer loads the demo and finds the Urdu desk: its own right-to-left section front,
Urdu stories, one the translation of an English story, and readers talking in Urdu."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article, Section
from comments.models import Comment
from demo import text, urdu

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", articles=12, verbosity=0)


def page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def urdu_section() -> Section:
    return Section.objects.get(slug=urdu.SECTION[0])


def translation() -> Article:
    return Article.objects.get(language="ur", translation_of__isnull=False)


def test_the_urdu_section_has_its_own_front_right_to_left_linked_from_the_english_one(demo):
    section = urdu_section()

    front = page(section.get_absolute_url())

    assert section.language == "ur"
    assert '<html lang="ur" dir="rtl">' in front
    assert section.name in front
    for story in Article.objects.published().filter(section=section):
        assert story.headline in front
    # The English front page names it in the navigation, marked as Urdu.
    assert re.search(
        rf'<a class="nav-link" href="{section.get_absolute_url()}" lang="ur" dir="rtl">',
        page("/"),
    )


def test_the_demo_has_urdu_stories_with_urdu_bylines_and_a_captioned_photo(demo):
    stories = Article.objects.published().filter(language="ur")

    assert stories.count() >= 4
    assert all(story.section == urdu_section() for story in stories)
    assert all("<h2>" in story.body for story in stories)
    pictured = stories.filter(lead_image__isnull=False).first()
    story_page = page(pictured.get_absolute_url())
    assert '<html lang="ur" dir="rtl">' in story_page
    assert pictured.lead_image.caption in story_page
    assert pictured.lead_image.credit in story_page
    byline = pictured.bylines.first().author
    assert f"<bdi>{byline.other_names['ur']}</bdi>" in story_page


def test_the_urdu_photo_credit_on_the_english_front_page_says_photo_once_in_urdu(demo):
    credited = Article.objects.get(lead_image__credit__endswith="حرا بلوچ")

    teasers = re.findall(r"<article .*?</article>", page("/"), re.S)
    (teaser,) = [t for t in teasers if credited.headline in t]

    assert 'lang="ur" dir="rtl"' in teaser.split(">")[0]
    assert teaser.count("تصویر:") == 1 and "فوٹو" not in teaser


def test_an_english_story_and_its_urdu_translation_link_to_each_other(demo):
    urdu_story = translation()
    english_story = urdu_story.translation_of

    english_page = page(english_story.get_absolute_url())
    urdu_page = page(urdu_story.get_absolute_url())

    assert english_story.language == "en"
    assert english_story.slug == text.article_slug(1)
    assert re.search(
        rf'<a class="translation-link[^>]*href="{urdu_story.get_absolute_url()}"[^>]*>'
        "اردو میں پڑھیں</a>",
        english_page,
    )
    assert re.search(
        rf'<a class="translation-link[^>]*href="{english_story.get_absolute_url()}"[^>]*>'
        "Read in English</a>",
        urdu_page,
    )


def test_readers_talk_in_urdu_with_a_reply_to_a_reply_and_mixed_directions(demo):
    urdu_story = translation()
    comments = Comment.objects.filter(article=urdu_story)

    story_page = page(urdu_story.get_absolute_url())

    assert comments.filter(parent__isnull=False).count() >= 2
    answer = comments.get(in_reply_to__isnull=False, parent__isnull=False, body__startswith="شکریہ")
    assert answer.in_reply_to != answer.parent
    assert f'<bdi class="comment-reply-to fw-semibold">@{answer.in_reply_to.name}</bdi>' in (
        story_page
    )
    mixed = comments.get(body__contains="https://example.org/")
    assert "Bilal Hashmi" in mixed.body
    mixed_html = story_page.split(f'id="{mixed.anchor}"')[1].split("</article>")[0]
    assert 'class="comment-body" dir="auto"' in mixed_html
    assert "Bilal Hashmi" in mixed_html
    assert f"قارئین کے تبصرے ({comments.count()})" in story_page
