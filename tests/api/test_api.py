"""A developer reads the newsroom's published stories through the JSON API."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from articles.models import Article, Correction, Topic
from tests.factories import PAST, ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db

NOW = PAST + timedelta(days=10)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def get(url, **headers):
    return Client().get(url, headers=headers)


def headlines(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["headline"] for item in response.json()["items"]]


# Lists and details


def test_the_article_list_shows_published_stories_newest_first():
    ArticleFactory(headline="Older", published_at=PAST - timedelta(days=1))
    ArticleFactory(headline="Newer", published_at=PAST)

    assert headlines(get("/api/v1/articles")) == ["Newer", "Older"]


def test_a_listed_article_carries_its_section_bylines_photo_and_address(settings):
    section = SectionFactory(name="Business", slug="business")
    writer = AuthorFactory(name="Bilal Hashmi", slug="bilal-hashmi")
    photo = ImageFactory(alt_text="The port at dawn", credit="Agency photo")
    article = ArticleFactory(
        headline="Port reopens", section=section, bylines=[writer], lead_image=photo
    )

    (item,) = get("/api/v1/articles").json()["items"]

    assert item["url"] == settings.SITE_URL + article.get_absolute_url()
    assert item["section"] == {
        "id": section.pk,
        "name": "Business",
        "slug": "business",
        "language": "en",
    }
    assert item["bylines"][0]["author"]["name"] == "Bilal Hashmi"
    assert item["bylines"][0]["author"]["url"].endswith("/author/bilal-hashmi/")
    assert item["lead_image"]["alt_text"] == "The port at dawn"
    assert item["lead_image"]["credit"] == "Agency photo"
    assert item["lead_image"]["url"].startswith(settings.SITE_URL)
    assert {r["type"] for r in item["lead_image"]["renditions"]} >= {"image/jpeg"}
    assert "body" not in item


def test_an_article_detail_has_its_body_and_the_corrections_already_made():
    article = ArticleFactory(body="<p>The whole story.</p>")
    Correction.objects.create(article=article, text="The port is in Gwadar.", published_at=PAST)
    Correction.objects.create(
        article=article, text="Not yet made.", published_at=NOW + timedelta(hours=1)
    )

    data = get(f"/api/v1/articles/{article.pk}").json()

    assert data["headline"] == article.headline
    assert data["body"] == "<p>The whole story.</p>"
    assert [c["text"] for c in data["corrections"]] == ["The port is in Gwadar."]


def test_sections_are_listed_in_navigation_order_and_found_by_slug():
    SectionFactory(name="World", slug="world", position=2)
    SectionFactory(name="Pakistan", slug="pakistan", position=1)

    assert [s["slug"] for s in get("/api/v1/sections").json()] == ["pakistan", "world"]
    assert get("/api/v1/sections/world").json()["name"] == "World"
    assert get("/api/v1/sections/nowhere").status_code == 404


def test_only_authors_known_to_readers_are_listed():
    known = AuthorFactory(name="Amina Qureshi", slug="amina")
    guest = AuthorFactory(name="Guest with a scoop", slug="guest")
    ArticleFactory(bylines=[known])
    ArticleFactory(bylines=[guest], published_at=NOW + timedelta(days=1))

    names = [a["name"] for a in get("/api/v1/authors").json()["items"]]

    assert names == ["Amina Qureshi"]
    assert get("/api/v1/authors/amina").json()["name"] == "Amina Qureshi"
    assert get("/api/v1/authors/guest").status_code == 404


# Nothing unpublished, whoever asks


UNPUBLISHED = [
    {"status": Article.Status.DRAFT, "published_at": None},
    {"status": Article.Status.REVIEW, "published_at": None},
    {"status": Article.Status.PUBLISHED, "published_at": NOW + timedelta(minutes=1)},
    {"status": Article.Status.UNPUBLISHED, "published_at": PAST},
]


@pytest.mark.parametrize("state", UNPUBLISHED, ids=["draft", "review", "scheduled", "unpublished"])
def test_an_article_readers_cannot_see_is_in_no_list_and_has_no_detail(state, editor_client):
    hidden = ArticleFactory(headline="Not for readers", **state)
    ArticleFactory(headline="Out", section=hidden.section)

    for client in (Client(), editor_client):
        assert headlines(client.get("/api/v1/articles")) == ["Out"]
        section_list = client.get(f"/api/v1/articles?section={hidden.section.slug}")
        assert headlines(section_list) == ["Out"]
        assert client.get(f"/api/v1/articles/{hidden.pk}").status_code == 404


def test_a_scheduled_story_appears_once_its_time_comes(time_machine):
    ArticleFactory(headline="Embargoed", published_at=NOW + timedelta(hours=1))
    assert headlines(get("/api/v1/articles")) == []

    time_machine.move_to(NOW + timedelta(hours=2), tick=False)

    assert headlines(get("/api/v1/articles")) == ["Embargoed"]


# Filters


def test_articles_filtered_by_section():
    sport = SectionFactory(slug="sport")
    ArticleFactory(headline="Cricket", section=sport)
    ArticleFactory(headline="Budget")

    assert headlines(get("/api/v1/articles?section=sport")) == ["Cricket"]


def test_articles_filtered_by_author():
    sana = AuthorFactory(slug="sana-mirza")
    ArticleFactory(headline="Hers", bylines=[sana])
    ArticleFactory(headline="Someone else's")

    assert headlines(get("/api/v1/articles?author=sana-mirza")) == ["Hers"]


def test_articles_filtered_by_topic_carry_their_topics():
    floods = Topic.objects.create(name="Floods", slug="floods")
    ArticleFactory(headline="Rivers rise").topics.add(floods)
    ArticleFactory(headline="Budget")

    response = get("/api/v1/articles?topic=floods")

    assert headlines(response) == ["Rivers rise"]
    (topic,) = response.json()["items"][0]["topics"]
    assert topic["name"] == "Floods" and topic["url"].endswith("/topic/floods/")


def test_only_topics_with_a_published_story_are_listed_or_filtered_by():
    floods = Topic.objects.create(name="Floods", slug="floods", description="The monsoon.")
    ArticleFactory().topics.add(floods)
    scoop = Topic.objects.create(name="Minister resigns", slug="scoop")
    ArticleFactory(published_at=NOW + timedelta(days=1)).topics.add(scoop)

    assert [t["slug"] for t in get("/api/v1/topics").json()["items"]] == ["floods"]
    assert get("/api/v1/topics/floods").json()["description"] == "The monsoon."
    assert get("/api/v1/topics/scoop").status_code == 404
    assert get("/api/v1/articles?topic=scoop").status_code == 400


def test_articles_filtered_by_date_range_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Karachi"  # UTC+5
    ArticleFactory(headline="Late on the 1st", published_at=datetime(2014, 11, 1, 20, tzinfo=UTC))
    ArticleFactory(headline="On the 1st", published_at=datetime(2014, 11, 1, 6, tzinfo=UTC))
    ArticleFactory(headline="On the 31st", published_at=datetime(2014, 10, 31, 12, tzinfo=UTC))

    on_the_first = get("/api/v1/articles?published_after=2014-11-01&published_before=2014-11-02")

    # 20:00 UTC on the 1st is already the 2nd in Karachi.
    assert headlines(on_the_first) == ["On the 1st"]
    since = get("/api/v1/articles?published_after=2014-11-01T00:00:00Z")
    assert headlines(since) == ["Late on the 1st", "On the 1st"]


# Pages


def test_pages_are_bounded_and_linked_without_counting_the_archive(settings):
    for day in range(5):
        ArticleFactory(headline=f"Day {day}", published_at=PAST - timedelta(days=day))

    first = get("/api/v1/articles?page_size=2").json()
    last = get("/api/v1/articles?page_size=2&page=3").json()

    assert [i["headline"] for i in first["items"]] == ["Day 0", "Day 1"]
    assert first["next"] == f"{settings.SITE_URL}/api/v1/articles?page=2&page_size=2"
    assert first["previous"] is None
    assert [i["headline"] for i in last["items"]] == ["Day 4"]
    assert last["next"] is None and last["previous"].endswith("page=2&page_size=2")
    assert "count" not in first


def test_the_page_size_has_a_default_and_a_ceiling(settings):
    settings.API_MAX_PAGE_SIZE = 100
    for _ in range(21):
        ArticleFactory()

    assert len(get("/api/v1/articles").json()["items"]) == 20
    too_big = get("/api/v1/articles?page_size=101")
    assert too_big.status_code == 400
    assert too_big.json()["errors"][0]["parameter"] == "page_size"


def test_the_deepest_page_allowed_links_no_next_page(settings):
    settings.API_MAX_PAGE = 2
    for day in range(5):
        ArticleFactory(published_at=PAST - timedelta(days=day))

    second = get("/api/v1/articles?page_size=2&page=2").json()

    assert len(second["items"]) == 2
    assert second["next"] is None
    third = get("/api/v1/articles?page_size=2&page=3")
    assert third.status_code == 400
    assert third.json()["errors"][0]["parameter"] == "page"


def test_a_page_past_the_end_links_back_to_the_last_page_with_stories(settings):
    for day in range(5):
        ArticleFactory(published_at=PAST - timedelta(days=day))

    past_the_end = get("/api/v1/articles?page_size=2&page=100").json()

    assert past_the_end["items"] == [] and past_the_end["next"] is None
    assert past_the_end["previous"] == f"{settings.SITE_URL}/api/v1/articles?page=3&page_size=2"
    assert (
        get("/api/v1/articles?page=4&page_size=2").json()["previous"].endswith("page=3&page_size=2")
    )


def test_a_page_past_the_end_of_an_empty_list_links_back_to_the_first():
    previous = get("/api/v1/articles?page=7").json()["previous"]

    assert previous.endswith("/api/v1/articles?page=1")


# Bad parameters: a 400 that names the parameter, as JSON


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("page=two", "page"),
        ("page=100000", "page"),
        ("page_size=0", "page_size"),
        ("page_size=lots", "page_size"),
        ("published_after=yesterday", "published_after"),
        ("published_before=2026-13-45", "published_before"),
        ("section=no-such-section", "section"),
        ("author=no-such-author", "author"),
        ("topic=no-such-topic", "topic"),
    ],
)
def test_a_bad_parameter_gets_a_400_naming_it(query, parameter):
    response = get(f"/api/v1/articles?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    assert [e["parameter"] for e in data["errors"]] == [parameter]
    assert parameter in data["detail"] and data["errors"][0]["message"]


def test_a_backwards_date_range_is_refused_with_a_reason():
    response = get("/api/v1/articles?published_after=2026-12-02&published_before=2026-12-01")

    assert response.status_code == 400
    assert "published_after must be earlier than published_before" in response.json()["detail"]


def test_an_author_not_yet_known_to_readers_is_refused_like_an_unknown_one():
    guest = AuthorFactory(slug="guest")
    ArticleFactory(bylines=[guest], published_at=NOW + timedelta(days=1))

    response = get("/api/v1/articles?author=guest")

    assert response.status_code == 400
    assert response.json()["detail"] == "No author has the slug 'guest'."


@pytest.mark.parametrize("parameter", ["section", "author", "topic"])
@pytest.mark.parametrize("value", ["%00", "pakistan%00", "two%20words", "a/b"])
def test_a_slug_no_slug_could_be_is_refused_with_what_a_slug_looks_like(parameter, value):
    SectionFactory(slug="pakistan")

    response = get(f"/api/v1/articles?{parameter}={value}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [error] = response.json()["errors"]
    assert error["parameter"] == parameter
    assert "letters, digits, hyphens and underscores" in error["message"]


@pytest.mark.parametrize("kind", ["sections", "authors", "topics"])
@pytest.mark.parametrize("slug", ["%00", "pakistan%00", "two%20words"])
def test_an_address_no_slug_could_be_is_not_found(kind, slug):
    SectionFactory(slug="pakistan")

    response = get(f"/api/v1/{kind}/{slug}")

    assert response.status_code == 404
    assert response.json()["detail"].startswith("Nothing published is found")


def test_an_urdu_slug_is_a_slug():
    urdu = SectionFactory(name="پاکستان", slug="پاکستان", language="ur")
    ArticleFactory(section=urdu, headline="خبر")

    assert headlines(get("/api/v1/articles?section=پاکستان")) == ["خبر"]
    assert get("/api/v1/sections/پاکستان").json()["slug"] == "پاکستان"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/abc",
        "/api/v1/articles/0",
        "/api/v1/articles/-1",
        f"/api/v1/articles/{2**63}",
    ],
)
def test_a_malformed_article_id_gets_a_400(path):
    response = get(path)

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "article_id"


@pytest.mark.parametrize("path", ["/api/v1/articles/999999", "/api/v1/nothing/here"])
def test_a_missing_article_or_endpoint_gets_a_json_404(path):
    response = get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"]


# ETags


def test_a_client_sending_back_the_etag_gets_a_304_until_something_changes(editor):
    article = ArticleFactory(headline="First version")
    first = get("/api/v1/articles")
    etag = first["ETag"]
    assert etag and "no-cache" in first["Cache-Control"]

    again = get("/api/v1/articles", if_none_match=etag)
    assert again.status_code == 304 and again.content == b""
    assert get(f"/api/v1/articles/{article.pk}")["ETag"] != etag

    Article.objects.filter(pk=article.pk).update(headline="Second version")

    changed = get("/api/v1/articles", if_none_match=etag)
    assert changed.status_code == 200
    assert headlines(changed) == ["Second version"]


def test_errors_are_never_answered_with_a_304():
    bad = get("/api/v1/articles?page=0")

    assert get("/api/v1/articles?page=0", if_none_match=bad.get("ETag", '"x"')).status_code == 400


# HEAD and other methods

READ_ENDPOINTS = [
    "/api/v1/articles",
    "/api/v1/articles?page=2&page_size=1",
    "/api/v1/articles/{article}",
    "/api/v1/sections",
    "/api/v1/sections/business",
    "/api/v1/authors",
    "/api/v1/authors/bilal-hashmi",
    "/api/v1/topics",
    "/api/v1/topics/floods",
]


@pytest.fixture
def a_story_in_every_list():
    article = ArticleFactory(
        section=SectionFactory(slug="business"),
        bylines=[AuthorFactory(slug="bilal-hashmi")],
    )
    article.topics.add(Topic.objects.create(name="Floods", slug="floods"))
    ArticleFactory(published_at=PAST - timedelta(days=1))
    return article


@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_every_endpoint_answers_head_with_the_headers_of_get_and_no_body(
    url, a_story_in_every_list
):
    url = url.format(article=a_story_in_every_list.pk)
    full = get(url)

    head = Client().head(url)

    assert full.status_code == head.status_code == 200
    assert head.content == b""
    for header in ("ETag", "Content-Type", "Cache-Control"):
        assert head[header] == full[header]
    assert head["Content-Length"] == str(len(full.content))


def test_a_head_request_revalidates_with_the_etag_like_get(a_story_in_every_list):
    etag = get("/api/v1/articles")["ETag"]

    head = Client().head("/api/v1/articles", headers={"if-none-match": etag})

    assert head.status_code == 304 and head["ETag"] == etag


@pytest.mark.parametrize("url", ["/api/v1/articles/999999", "/api/v1/articles?page=0"])
def test_a_head_request_for_something_refused_gets_the_same_status_as_get(url):
    head = Client().head(url)

    assert head.status_code == get(url).status_code
    assert head["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("url", ["/api/v1/articles", "/api/v1/articles/3"])
def test_any_other_method_gets_a_json_405_naming_the_methods_allowed(method, url):
    response = Client().generic(method, url)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert method in response.json()["detail"]


# Languages


def test_each_article_names_its_language_and_links_its_published_translations(settings):
    english = ArticleFactory(headline="Power back in Karachi")
    urdu_section = SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")
    urdu = ArticleFactory(
        headline="کراچی میں بجلی بحال",
        language="ur",
        section=urdu_section,
        translation_of=english,
        published_at=PAST + timedelta(hours=1),
    )
    ArticleFactory(headline="Cricket season opens", published_at=PAST - timedelta(days=1))

    items = {item["headline"]: item for item in get("/api/v1/articles").json()["items"]}
    detail = get(f"/api/v1/articles/{urdu.pk}").json()

    assert items[urdu.headline]["language"] == "ur"
    assert items[urdu.headline]["translation_of"] == english.pk
    assert items[urdu.headline]["section"]["language"] == "ur"
    assert items[english.headline]["translation_of"] is None
    assert items[english.headline]["translations"] == [
        {
            "id": urdu.pk,
            "language": "ur",
            "headline": urdu.headline,
            "url": settings.SITE_URL + urdu.get_absolute_url(),
        }
    ]
    assert [t["id"] for t in items[urdu.headline]["translations"]] == [english.pk]
    assert items["Cricket season opens"]["translations"] == []
    assert detail["language"] == "ur"
    assert detail["translations"][0]["url"] == settings.SITE_URL + english.get_absolute_url()


def test_a_translation_not_yet_published_is_not_listed():
    english = ArticleFactory(headline="Power back in Karachi")
    ArticleFactory(
        language="ur",
        translation_of=english,
        status=Article.Status.DRAFT,
        published_at=None,
    )

    (item,) = get("/api/v1/articles").json()["items"]

    assert item["translations"] == []


def test_the_article_list_filters_by_language():
    ArticleFactory(headline="Power back in Karachi")
    ArticleFactory(headline="کراچی میں بجلی بحال", language="ur")

    assert headlines(get("/api/v1/articles?language=ur")) == ["کراچی میں بجلی بحال"]
    assert headlines(get("/api/v1/articles?language=en")) == ["Power back in Karachi"]


def test_an_unknown_language_is_a_bad_parameter_named_as_such():
    response = get("/api/v1/articles?language=xx")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "language", "message": "Stories are written in en, ur, not 'xx'."}
    ]


def test_sections_name_their_language():
    SectionFactory(name="Sport", slug="sport")
    SectionFactory(name="پاکستان", slug="pakistan-urdu", language="ur")

    sections = {s["slug"]: s for s in get("/api/v1/sections").json()}

    assert sections["sport"]["language"] == "en"
    assert sections["pakistan-urdu"]["language"] == "ur"
    assert get("/api/v1/sections/pakistan-urdu").json()["language"] == "ur"


def test_the_openapi_description_documents_languages_and_translations():
    spec = get("/api/v1/openapi.json").json()
    parameters = spec["paths"]["/api/v1/articles"]["get"]["parameters"]
    schemas = spec["components"]["schemas"]

    language = next(p for p in parameters if p["name"] == "language")
    assert "ARTICLE_LANGUAGES" in language["description"]
    assert {"language", "translation_of", "translations"} <= set(
        schemas["ArticleSummary"]["properties"]
    )
    assert "language" in schemas["SectionOut"]["properties"]


def test_a_byline_gives_the_name_as_the_storys_page_shows_it():
    hira = AuthorFactory(name="Hira Baloch", other_names={"ur": "حرا بلوچ"})
    urdu = ArticleFactory(headline="خبر", language="ur", bylines=[hira])
    ArticleFactory(headline="News", bylines=[hira], published_at=PAST - timedelta(days=1))

    items = {item["headline"]: item for item in get("/api/v1/articles").json()["items"]}
    (byline,) = get(f"/api/v1/articles/{urdu.pk}").json()["bylines"]

    assert byline["name_shown"] == "حرا بلوچ"
    assert byline["author"]["name"] == "Hira Baloch"
    assert items["خبر"]["bylines"][0]["name_shown"] == "حرا بلوچ"
    assert items["News"]["bylines"][0]["name_shown"] == "Hira Baloch"


# Cost: a fixed number of queries however many rows


@pytest.mark.parametrize("count", [2, 25])
def test_the_article_list_costs_the_same_queries_for_any_number_of_stories(
    count, django_assert_max_num_queries
):
    section = SectionFactory(slug="news")
    for n in range(count):
        ArticleFactory(
            section=section,
            lead_image=ImageFactory() if n % 2 else None,
            bylines=[AuthorFactory(), AuthorFactory()],
        )

    # Section, articles, bylines, pending renditions.
    with django_assert_max_num_queries(4):
        assert get("/api/v1/articles?section=news&page_size=50").status_code == 200


@pytest.mark.parametrize("count", [2, 25])
def test_the_author_list_costs_the_same_queries_for_any_number_of_authors(
    count, django_assert_max_num_queries
):
    for _ in range(count):
        ArticleFactory(bylines=[AuthorFactory(photo=ImageFactory())])

    with django_assert_max_num_queries(2):
        assert get("/api/v1/authors?page_size=50").status_code == 200


def test_an_article_detail_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    article = ArticleFactory(lead_image=ImageFactory(), bylines=[AuthorFactory(), AuthorFactory()])
    Correction.objects.create(article=article, text="Fixed.", published_at=PAST)

    with django_assert_max_num_queries(4):
        assert get(f"/api/v1/articles/{article.pk}").status_code == 200


# Documentation


def test_the_openapi_description_lists_every_endpoint():
    paths = get("/api/v1/openapi.json").json()["paths"]

    assert {
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/sections",
        "/api/v1/sections/{slug}",
        "/api/v1/authors",
        "/api/v1/authors/{slug}",
        "/api/v1/topics",
        "/api/v1/topics/{slug}",
    } <= set(paths)


def test_the_openapi_description_documents_refused_ids_etags_and_304s():
    paths = get("/api/v1/openapi.json").json()["paths"]

    assert set(paths["/api/v1/articles/{article_id}"]["get"]["responses"]) >= {
        "200",
        "400",
        "404",
    }
    for path, operations in paths.items():
        answers = operations["get"]["responses"]
        assert "ETag" in answers["200"]["headers"], path
        assert "ETag" in answers["304"]["headers"], path
        headers = [p["name"] for p in operations["get"]["parameters"] if p["in"] == "header"]
        assert headers == ["If-None-Match"], path


def test_the_openapi_description_gives_the_deepest_page(settings):
    settings.API_MAX_PAGE = 7
    parameters = get("/api/v1/openapi.json").json()["paths"]["/api/v1/articles"]["get"][
        "parameters"
    ]

    page = next(p for p in parameters if p["name"] == "page")
    assert page["schema"]["maximum"] == 7


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files():
    page = get("/api/v1/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page  # the strict CSP allows script files only
