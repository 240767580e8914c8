"""Editors write Urdu in the admin: the story's fields follow its language, and names of
sections and bylines are kept in both languages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Author, Section
from tests.browser_forms import form_fields
from tests.factories import PAST, ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def tag(page: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea|select)[^>]*name="{name}"[^>]*>', page)
    assert match, f"no field {name}"
    return match.group(0)


def test_an_editor_writes_an_urdu_translation_and_readers_get_both_linked(
    editor_client, time_machine
):
    time_machine.move_to(PAST, tick=False)
    english = ArticleFactory(headline="Power back in Karachi")
    section, author = SectionFactory(name="پاکستان", language="ur"), AuthorFactory()
    page = editor_client.get(ADD_URL).content.decode()
    # A new story starts in the main language, its fields left to right; the page's script
    # learns which languages run right to left.
    assert 'data-rtl-languages="ur"' in tag(page, "language")
    assert 'dir="ltr"' in tag(page, "headline")
    assert "articles/language_direction.js" in page
    form = form_fields(page, "article_form")
    assert form["language"] == "en"
    form.update(
        {
            "language": "ur",
            "headline": "کراچی میں بجلی بحال",
            "slug": "کراچی-میں-بجلی-بحال",
            "standfirst": "رات گئے بجلی واپس آ گئی۔",
            "section": str(section.pk),
            "translation_of": str(english.pk),
            "body": "<p>کراچی میں بارش کے بعد بجلی بند رہی۔</p>",
            "bylines-0-author": str(author.pk),
            "status": "published",
        }
    )

    response = editor_client.post(ADD_URL, form, follow=True)

    assert response.redirect_chain, response.context["adminform"].form.errors
    urdu = Article.objects.get(language="ur")
    assert urdu.translation_of == english
    # Opened again, the story's fields run right to left from the start.
    change = editor_client.get(reverse("admin:articles_article_change", args=[urdu.pk]))
    change = change.content.decode()
    for field in ("headline", "standfirst", "body"):
        assert 'dir="rtl"' in tag(change, field), field
    reader = Client()
    assert "اردو میں پڑھیں" in reader.get(english.get_absolute_url()).content.decode()
    assert "Read in English" in reader.get(urdu.get_absolute_url()).content.decode()


def test_a_translation_in_the_same_language_is_refused_with_the_text_kept(editor_client):
    english = ArticleFactory()
    story = ArticleFactory(headline="Water talks resume")
    url = reverse("admin:articles_article_change", args=[story.pk])
    form = form_fields(editor_client.get(url).content.decode(), "article_form")
    form.update(translation_of=str(english.pk), standfirst="A new standfirst I typed.")

    response = editor_client.post(url, form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "A translation is in another language than the story it translates" in page
    assert "A new standfirst I typed." in page
    story.refresh_from_db()
    assert story.translation_of is None


def test_an_editor_names_a_section_and_a_byline_in_urdu_too(editor_client):
    section = SectionFactory(name="Sport", slug="sport")
    url = reverse("admin:articles_section_change", args=[section.pk])
    form = form_fields(editor_client.get(url).content.decode(), "section_form")
    assert 'lang="ur" dir="rtl"' in tag(editor_client.get(url).content.decode(), "name_in_ur")
    form["name_in_ur"] = "کھیل"

    editor_client.post(url, form)

    assert Section.objects.get().other_names == {"ur": "کھیل"}
    author_url = reverse("admin:articles_author_add")
    form = form_fields(editor_client.get(author_url).content.decode(), "author_form")
    form.update(name="Sana Mirza", slug="sana-mirza", name_in_ur="ثنا مرزا")
    editor_client.post(author_url, form)
    assert Author.objects.get().name_in("ur").text == "ثنا مرزا"
    # Emptied again, the Urdu page shows the main name.
    form = form_fields(
        editor_client.get(
            reverse("admin:articles_author_change", args=[Author.objects.get().pk])
        ).content.decode(),
        "author_form",
    )
    assert form["name_in_ur"] == "ثنا مرزا"
    form["name_in_ur"] = ""
    editor_client.post(
        reverse("admin:articles_author_change", args=[Author.objects.get().pk]), form
    )
    assert Author.objects.get().other_names == {}
