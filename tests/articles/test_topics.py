"""Editors tag stories with topics; readers follow a topic and find related stories."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Topic
from articles.services import article_publish, article_save, article_unpublish
from tests.browser_forms import form_fields
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def related_headlines(page: str) -> list[str]:
    found = re.search(r'id="related-stories">Related</h2>(.*?)</section>', page, re.S)
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', found.group(1)) if found else []


def tagged(topic, **fields) -> Article:
    article = ArticleFactory(**fields)
    article.topics.add(topic)
    return article


# The topic page


def test_a_topic_page_lists_its_published_stories_newest_first(client):
    floods = Topic.objects.create(name="Floods 2026", description="The monsoon's toll.")
    older = tagged(floods, headline="Rivers rise", published_at=PAST)
    newer = tagged(floods, headline="Relief camps open", published_at=PAST + timedelta(days=1))
    ArticleFactory(headline="Untagged story")

    page = html(client.get(floods.get_absolute_url()))

    assert "Floods 2026" in page and "The monsoon&#x27;s toll." in page
    assert page.index(newer.headline) < page.index(older.headline)
    assert "Untagged story" not in page


def test_topic_addresses_take_any_script(client):
    topic = Topic.objects.create(name="سیلاب")
    tagged(topic)

    assert topic.slug == "سیلاب"
    assert "سیلاب" in html(client.get(topic.get_absolute_url()))
    assert client.get("/topic/no-such-topic/").status_code == 404


def test_drafts_scheduled_and_unpublished_stories_stay_off_the_topic_page(client, time_machine):
    time_machine.move_to(PAST + timedelta(days=1), tick=False)
    topic = Topic.objects.create(name="Budget")
    tagged(topic, headline="Budget live")
    tagged(topic, headline="Budget draft", status=Article.Status.DRAFT, published_at=None)
    tagged(topic, headline="Budget scheduled", published_at=PAST + timedelta(days=2))
    pulled = tagged(topic, headline="Budget pulled")
    article_unpublish(article=pulled)

    page = html(client.get(topic.get_absolute_url()))
    feed = html(client.get(reverse("articles:topic-feed", kwargs={"slug": topic.slug})))

    for text in (page, feed):
        assert "Budget live" in text
        assert "Budget draft" not in text and "Budget scheduled" not in text
        assert "Budget pulled" not in text


def test_a_topic_whose_stories_are_not_out_yet_stays_unknown_to_readers(
    editor_client, time_machine
):
    client = Client()
    time_machine.move_to(PAST, tick=False)
    scoop = Topic.objects.create(name="Minister resigns")
    tagged(scoop, headline="Minister resigns", published_at=PAST + timedelta(hours=2))
    Topic.objects.create(name="Empty topic")
    feed = reverse("articles:topic-feed", kwargs={"slug": scoop.slug})

    assert client.get(scoop.get_absolute_url()).status_code == 404
    assert client.get(feed).status_code == 404
    assert client.get("/topic/empty-topic/").status_code == 404
    assert list(Topic.objects.known_to_readers()) == []
    # Editors preparing the page see it, with no story listed yet.
    assert "No stories on Minister resigns yet." in html(
        editor_client.get(scoop.get_absolute_url())
    )

    time_machine.move_to(PAST + timedelta(hours=3), tick=False)
    assert "Minister resigns" in html(client.get(scoop.get_absolute_url()))


def test_a_topic_page_pages_like_a_section(client, settings):
    settings.ARTICLES_PER_PAGE = 3
    topic = Topic.objects.create(name="Census")
    for number in range(4):
        tagged(topic, headline=f"Census {number}", published_at=PAST + timedelta(hours=number))

    first = html(client.get(topic.get_absolute_url()))
    second = html(client.get(topic.get_absolute_url(), {"page": 2}))

    assert "Census 3" in first and "Census 0" not in first and 'rel="next"' in first
    assert "Census 0" in second
    assert client.get(topic.get_absolute_url(), {"page": 3}).status_code == 404
    assert client.get(topic.get_absolute_url(), {"page": "x"}).status_code == 404
    assert client.get(topic.get_absolute_url(), {"page": "9" * 25}).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_topic_page_asks_the_same_few_queries_however_many_stories(
    client, count, django_assert_max_num_queries
):
    topic = Topic.objects.create(name="Elections")
    for _ in range(count):
        tagged(topic, bylines=[AuthorFactory(), AuthorFactory()], lead_image=ImageFactory())

    # As a section page: the topic, its stories, bylines, photos, navigation and banner.
    with django_assert_max_num_queries(7):
        html(client.get(topic.get_absolute_url()))


@pytest.mark.parametrize("name, root", [("topic-feed", "rss"), ("topic-feed-atom", "feed")])
def test_the_topic_feeds_carry_the_topics_stories(client, name, root):
    topic = Topic.objects.create(name="Cricket")
    tagged(topic, headline="Captain named")
    ArticleFactory(headline="Budget passes")

    response = client.get(reverse(f"articles:{name}", kwargs={"slug": topic.slug}))
    feed = ElementTree.fromstring(response.content)

    assert feed.tag.rsplit("}", 1)[-1] == root
    text = html(response)
    assert "Captain named" in text and "Budget passes" not in text
    assert reverse(f"articles:{name}", kwargs={"slug": topic.slug}) in html(
        client.get(topic.get_absolute_url())
    )


def test_the_sitemap_lists_topics_readers_may_see(client, time_machine):
    time_machine.move_to(PAST + timedelta(days=1), tick=False)
    floods = Topic.objects.create(name="Floods")
    tagged(floods)
    scoop = Topic.objects.create(name="Minister resigns")
    tagged(scoop, published_at=PAST + timedelta(days=2))

    index = html(client.get("/sitemap.xml"))
    topics = html(client.get("/sitemap-topics.xml"))

    assert "/sitemap-topics.xml" in index
    assert floods.get_absolute_url() in topics and scoop.get_absolute_url() not in topics


# The article page


def test_an_article_links_to_its_topics(client):
    article = ArticleFactory()
    article.topics.add(Topic.objects.create(name="Water"), Topic.objects.create(name="Health"))

    page = html(client.get(article.get_absolute_url()))

    assert '<nav class="topic-links mb-3" aria-label="Topics">' in page
    assert page.index(">Health<") < page.index(">Water<")
    assert 'href="/topic/water/"' in page


def test_related_stories_share_topics_first_then_words(client):
    water, health = Topic.objects.create(name="Water"), Topic.objects.create(name="Health")
    story = tagged(water, headline="Karachi water tanker prices double")
    story.topics.add(health)
    both = tagged(water, headline="Clinics report cholera cases", published_at=PAST)
    both.topics.add(health)
    tagged(water, headline="Dam levels fall", published_at=PAST + timedelta(days=1))
    ArticleFactory(headline="Tanker drivers strike in Karachi")
    ArticleFactory(headline="Cricket season opens")

    related = related_headlines(html(client.get(story.get_absolute_url())))

    assert related == [
        "Clinics report cholera cases",
        "Dam levels fall",
        "Tanker drivers strike in Karachi",
    ]


def test_related_stories_are_never_drafts_scheduled_unpublished_or_the_story_itself(
    client, time_machine
):
    time_machine.move_to(PAST + timedelta(days=1), tick=False)
    topic = Topic.objects.create(name="Budget")
    story = tagged(topic, headline="Budget vote tonight")
    tagged(topic, headline="Budget draft notes", status=Article.Status.DRAFT, published_at=None)
    tagged(topic, headline="Budget scheduled analysis", published_at=PAST + timedelta(days=2))
    article_unpublish(article=tagged(topic, headline="Budget pulled story"))
    ArticleFactory(headline="Budget vote draft", status=Article.Status.DRAFT, published_at=None)

    page = html(client.get(story.get_absolute_url()))

    assert related_headlines(page) == []
    without_data = re.sub(
        r'<script type="application/ld\+json">.*?</script>|<meta [^>]*>', "", page
    )
    assert without_data.count("Budget vote tonight") == 2  # The <title> and the headline.


def test_a_story_listed_as_related_is_not_listed_again_under_its_section(client):
    section = SectionFactory(name="Pakistan")
    topic = Topic.objects.create(name="Courts")
    story = tagged(topic, section=section, headline="Judges hear appeal")
    tagged(topic, section=section, headline="Bail granted to activist")

    page = html(client.get(story.get_absolute_url()))

    assert related_headlines(page) == ["Bail granted to activist"]
    assert page.count("Bail granted to activist") == 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_article_page_with_topics_and_related_stories_stays_at_eight_queries(
    client, count, django_assert_max_num_queries
):
    section = SectionFactory()
    topics = [Topic.objects.create(name=f"Topic {n}") for n in range(count)]
    article = ArticleFactory(
        section=section,
        headline="Water shortage in Karachi",
        bylines=[AuthorFactory() for _ in range(count)],
        lead_image=ImageFactory(),
    )
    article.topics.add(*topics)
    for number in range(count):
        tagged(topics[number], section=section, headline=f"Water story {number}")

    with django_assert_max_num_queries(8):
        page = html(client.get(article.get_absolute_url()))
    assert len(related_headlines(page)) == 2 if count == 2 else 4


# Purging


def test_publishing_a_tagged_story_refreshes_the_topic_page_and_related_lists(
    django_capture_on_commit_callbacks,
):
    topic = Topic.objects.create(name="Floods")
    story = tagged(topic, headline="Rivers rise")
    reader = Client()
    for url in [topic.get_absolute_url(), story.get_absolute_url()]:
        assert "Relief camps open" not in html(reader.get(url))

    draft = tagged(topic, headline="Relief camps open", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=draft, at=PAST + timedelta(hours=1))

    assert "Relief camps open" in html(reader.get(topic.get_absolute_url()))
    assert "Relief camps open" in related_headlines(html(reader.get(story.get_absolute_url())))


def test_unpublishing_or_untagging_a_story_takes_it_off_the_topic_page(
    django_capture_on_commit_callbacks, editor
):
    topic = Topic.objects.create(name="Floods")
    tagged(topic, headline="Rivers rise")
    pulled = tagged(topic, headline="Wrong figures")
    moved = tagged(topic, headline="Off topic after all")
    reader = Client()
    assert "Wrong figures" in html(reader.get(topic.get_absolute_url()))

    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=pulled, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        # The admin's order: the article is saved first, its topics after.
        article_save(article=moved, by=editor)
        moved.topics.clear()

    page = html(reader.get(topic.get_absolute_url()))
    assert "Wrong figures" not in page and "Off topic after all" not in page


def test_topic_pages_carry_their_surrogate_key(client):
    topic = Topic.objects.create(name="Floods")
    story = tagged(topic)

    for url in [topic.get_absolute_url(), story.get_absolute_url()]:
        client.get(url)
        assert f"topic-{topic.pk}" in client.get(url)["Surrogate-Key"].split()


# The admin


def test_editor_tags_a_story_through_the_admin_form_as_the_browser_leaves_it(editor_client):
    floods = Topic.objects.create(name="Floods 2026")
    story = ArticleFactory(headline="Rivers rise in Sindh")
    change_url = reverse("admin:articles_article_change", args=[story.pk])
    form = form_fields(html(editor_client.get(change_url)), "article_form")
    assert "topics" not in form, "an empty multiple choice posts nothing"

    # The autocomplete box offers the topic as the editor types, then posts its id.
    answer = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "flo", "app_label": "articles", "model_name": "article", "field_name": "topics"},
    ).json()
    assert [result["text"] for result in answer["results"]] == ["Floods 2026"]
    form["topics"] = answer["results"][0]["id"]
    response = editor_client.post(change_url, form, follow=True)

    assert response.redirect_chain, response.context["adminform"].form.errors
    assert list(story.topics.all()) == [floods]
    assert "Rivers rise in Sindh" in html(Client().get(floods.get_absolute_url()))
    search = html(Client().get(reverse("articles:search"), {"q": "2026 floods"}))
    assert "Rivers rise in Sindh" in re.sub(r"</?mark>", "", search)


def test_writers_may_tag_their_stories_but_only_editors_add_topics(client):
    writer = WriterFactory()
    client.force_login(writer)
    Topic.objects.create(name="Floods")

    answer = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "articles", "model_name": "article", "field_name": "topics"},
    )

    assert answer.status_code == 200 and answer.json()["results"][0]["text"] == "Floods"
    assert client.get(reverse("admin:articles_topic_add")).status_code == 403


def test_editors_add_topics_in_the_admin(editor_client):
    form = form_fields(html(editor_client.get(reverse("admin:articles_topic_add"))), "topic_form")
    form.update({"name": "Cost of living", "slug": "cost-of-living"})

    response = editor_client.post(reverse("admin:articles_topic_add"), form, follow=True)

    assert response.redirect_chain
    assert Topic.objects.get().get_absolute_url() == "/topic/cost-of-living/"
