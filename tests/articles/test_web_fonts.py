"""The Urdu web font: cut to what Urdu writing uses, and fetched early by Urdu pages only."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

from articles.languages import web_font
from tests.factories import ArticleFactory, SectionFactory

FONT = "fonts/noto-nastaliq-urdu/noto-nastaliq-urdu-{weight}.woff2"
# Every letter, digit and mark of Urdu's alphabet, and its punctuation.
URDU_ALPHABET = (
    "ءآأؤإئابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھۂۃیےۓ"
    "۰۱۲۳۴۵۶۷۸۹" + "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0654\u0670" + "،؛؟۔"
)
PRELOAD = re.compile(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>')


def font_characters(weight: int) -> set[str]:
    path = finders.find(FONT.format(weight=weight))
    return {chr(code) for code in TTFont(path).getBestCmap()}


def urdu_interface_text() -> str:
    po = Path(settings.BASE_DIR) / "locale" / "ur" / "LC_MESSAGES" / "django.po"
    return "".join(re.findall(r'^msgstr "(.*)"$', po.read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("weight", [400, 700])
def test_the_urdu_font_sets_every_urdu_letter_and_the_whole_interface(weight):
    characters = font_characters(weight)

    assert set(URDU_ALPHABET) <= characters
    interface = {c for c in urdu_interface_text() if "\u0600" <= c <= "\u06ff"}
    assert interface, "the Urdu translations hold Urdu text"
    assert interface <= characters, sorted(interface - characters)


@pytest.mark.parametrize("weight", [400, 700])
def test_the_urdu_font_leaves_out_the_arabic_letters_urdu_does_not_use(weight):
    characters = font_characters(weight)

    # Arabic Supplement and Extended-A (African and other languages' letters) and the
    # presentation forms: about a quarter of the font's weight, never in Urdu text.
    assert not any("\u0750" <= c <= "\u077f" or "\u08a0" <= c <= "\u08ff" for c in characters)
    assert not any("\ufb50" <= c <= "\ufdef" for c in characters)
    assert Path(finders.find(FONT.format(weight=weight))).stat().st_size < 125_000


@pytest.mark.django_db
def test_an_urdu_story_preloads_the_regular_nastaliq_and_an_english_one_does_not(client):
    urdu_section = SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")
    urdu = ArticleFactory(language="ur", headline="کراچی میں بارش", section=urdu_section)
    english = ArticleFactory(headline="Rain in Karachi", translation_of=urdu)

    urdu_page = client.get(urdu.get_absolute_url()).content.decode()
    english_page = client.get(english.get_absolute_url()).content.decode()

    assert PRELOAD.findall(urdu_page) == [f"/static/{FONT.format(weight=400)}"]
    # The English page links to the Urdu story ("اردو میں پڑھیں") but sets little Urdu.
    assert "اردو" in english_page
    assert PRELOAD.findall(english_page) == []


@pytest.mark.django_db
def test_the_urdu_section_front_preloads_the_font_and_an_english_section_does_not(client):
    urdu_section = SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")
    english_section = SectionFactory(name="Business", slug="business")

    urdu_page = client.get(urdu_section.get_absolute_url()).content.decode()
    english_page = client.get(english_section.get_absolute_url()).content.decode()

    assert len(PRELOAD.findall(urdu_page)) == 1
    assert PRELOAD.findall(english_page) == []


def test_only_languages_with_a_web_font_name_one():
    assert web_font("ur") == FONT.format(weight=400)
    assert web_font("ur-pk") == FONT.format(weight=400)
    assert web_font("en") is None
