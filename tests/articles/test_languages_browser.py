"""An Urdu story in a real browser: the page mirrored, set in Nastaliq, no text on other text."""

import itertools

import pytest

from tests.comments.helpers import add_comment
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A desktop window: the story's column and "More in" sit side by side (Bootstrap's lg).
WINDOW = {"width": 1280, "height": 1000}


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=WINDOW)
    yield context.new_page()
    context.close()


def urdu_story():
    section = SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")
    english = ArticleFactory(headline="Power returns to Karachi after the rain")
    story = ArticleFactory(
        language="ur",
        section=section,
        translation_of=english,
        headline="کراچی میں بارش کے بعد بجلی بحال",
        standfirst="شہر کے بیشتر علاقوں میں رات گئے بجلی واپس آ گئی، حکام کا کہنا ہے۔",
        body=(
            "<p>کراچی میں دو دن کی تیز بارش کے بعد کئی علاقوں میں بجلی بند رہی۔</p>"
            "<p>بجلی کمپنی کے ترجمان نے بتایا کہ زیادہ تر فیڈر بحال کر دیے گئے ہیں۔</p>"
        ),
        bylines=[AuthorFactory(name="Amina Qureshi", other_names={"ur": "آمنہ قریشی"})],
    )
    ArticleFactory(language="ur", section=section, headline="لاہور میں نئی بس سروس کا آغاز")
    add_comment(
        article=story,
        name="Bilal Hashmi",
        body="شکریہ۔ K-Electric کی ویب سائٹ https://example.org/outages پر فہرست موجود ہے۔",
    )
    return story


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not on the page"
    return found


def text_extent(page, selector: str) -> dict:
    """Where the element's words are drawn, not its block's box."""
    return page.locator(selector).first.evaluate(
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const r = range.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
        }"""
    )


def overlap(a: dict, b: dict) -> float:
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


def test_an_urdu_story_is_mirrored_set_in_nastaliq_and_nothing_overlaps(page, tmp_path):
    story = urdu_story()

    page.goto(story.get_absolute_url())
    # What the page signals: its fonts are loaded and laid out.
    families = page.evaluate(
        """() => document.fonts.ready.then(() =>
            [...document.fonts].filter(f => f.status === "loaded").map(f => f.family))"""
    )
    page.screenshot(path=tmp_path / "urdu-article.png", full_page=True)

    assert any("Noto Nastaliq Urdu" in family for family in families)
    headline_font = page.locator("#headline").evaluate("h => getComputedStyle(h).fontFamily")
    assert headline_font.startswith('"Noto Nastaliq Urdu"')
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"

    # Mirrored: the story's column on the right, "More in" on its left, the headline's words
    # starting at the column's right edge.
    story_column, aside = box(page, "article.col-lg-8"), box(page, "main aside.col-lg-4")
    container = box(page, "main.container")
    assert story_column["x"] > aside["x"]
    assert (
        abs((story_column["x"] + story_column["width"]) - (container["x"] + container["width"]))
        <= 1
    )
    headline, words = box(page, "#headline"), text_extent(page, "#headline")
    assert abs((headline["x"] + headline["width"]) - words["right"]) <= 2
    assert words["left"] > headline["x"] + 1  # A short headline leaves room on the left.
    # The Urdu comment reads right to left, the English name and the address inside it left
    # to right.
    assert page.locator(".comment-body").evaluate("b => getComputedStyle(b).direction") == "rtl"
    assert page.locator(".comment-name").evaluate("n => getComputedStyle(n).direction") == "ltr"
    link = page.locator(".comment-body a")
    assert link.evaluate("a => getComputedStyle(a).direction") == "ltr"

    # Nastaliq's tall letters get their room: no two text boxes of the story sit on each other.
    parts = [
        ".translation-links",
        "article header p.mb-1 a",
        "#headline",
        ".standfirst",
        ".bylines",
        "article header p.small",
        ".article-body p:nth-of-type(1)",
        ".article-body p:nth-of-type(2)",
        "#comments-heading",
        ".comment-body",
    ]
    boxes = {part: box(page, part) for part in parts}
    for (one, a), (other, b) in itertools.combinations(boxes.items(), 2):
        assert overlap(a, b) == 0, f"{one} overlaps {other}"
    for part in ["#headline", ".standfirst", ".article-body p:nth-of-type(1)"]:
        words = text_extent(page, part)
        assert words["top"] >= boxes[part]["y"] - 1 and words["bottom"] <= (
            boxes[part]["y"] + boxes[part]["height"] + 1
        ), f"the words of {part} spill out of their line boxes"


def test_read_in_english_leads_to_the_english_story_left_to_right(page):
    story = urdu_story()
    page.goto(story.get_absolute_url())

    page.get_by_role("link", name="Read in English").click()
    page.wait_for_url(f"**{story.translation_of.get_absolute_url()}")

    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="اردو میں پڑھیں").get_attribute("hreflang") == "ur"
