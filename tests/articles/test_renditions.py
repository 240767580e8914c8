"""Renditions: made once in the background, found again, remade when the photo changes,
and served to readers through <picture> markup that never names the original."""

import re
import threading
from functools import partial

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PillowImage

from articles import renditions
from articles.models import Article, Image, Rendition
from articles.rendition_store import ensure_renditions
from articles.renditions import planned_specs
from articles.services import image_save
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    jpeg_with_gps_bytes,
    photo_bytes,
)

pytestmark = pytest.mark.django_db


def library_image(size=(1000, 600), **fields) -> Image:
    fields.setdefault("caption", "Rescue boats on the river")
    fields.setdefault("credit", "Newsroom photo")
    fields.setdefault("alt_text", "Two orange boats")
    image = Image(**fields)
    image.file = ContentFile(photo_bytes(size), name="river.jpg")
    image.save()
    return image


def published_image(size=(1000, 600), **fields) -> Image:
    """A library image that readers may see: the lead photo of a published article."""
    image = library_image(size, **fields)
    ArticleFactory(lead_image=image)
    return image


@pytest.fixture
def encodings(monkeypatch):
    """Count every rendition encoded, to prove none is made twice."""
    made = []
    original = renditions.encode

    def counting_encode(picture, fmt):
        made.append((picture.size, fmt))
        return original(picture, fmt)

    monkeypatch.setattr(renditions, "encode", counting_encode)
    return made


def rendition_files(settings) -> list:
    root = settings.MEDIA_ROOT / "renditions"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# Generation and reuse


def test_an_upload_gets_its_full_rendition_set_in_the_background(
    editor_client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_image_add"),
            {
                "file": ContentFile(photo_bytes((1000, 600)), name="river.jpg"),
                "caption": "Rescue boats",
                "credit": "Newsroom photo",
                "alt_text": "Two orange boats",
                "focal_x": "50",
                "focal_y": "50",
            },
        )
    assert response.status_code == 302

    image = Image.objects.get()
    made = {r.spec: r for r in image.renditions.all()}
    # Whole photo 320-960 (never enlarged past 1000 pixels), 16:9 cards 320-960, squares,
    # and the one JPEG shared links show (1.91:1, as wide as the photo allows).
    assert sorted(made) == sorted(spec.name for spec in planned_specs(1000, 600))
    assert {"full-320.avif", "full-960.jpeg", "card-640.avif", "square-160.jpeg"} <= set(made)
    assert "full-1280.jpeg" not in made
    assert (made["share-1000.jpeg"].width, made["share-1000.jpeg"].height) == (1000, 525)
    assert "share-1000.avif" not in made
    assert len(rendition_files(settings)) == len(made) == 21
    card = made["card-640.jpeg"]
    with card.file.open("rb") as stored:
        picture = PillowImage.open(stored)
        assert picture.size == (640, 360) == (card.width, card.height)
    with made["card-640.avif"].file.open("rb") as stored:
        assert PillowImage.open(stored).format == "AVIF"


def test_asking_again_reuses_the_stored_renditions(settings, encodings):
    image = library_image()
    first = ensure_renditions(image.pk)
    files = rendition_files(settings)
    encoded = len(encodings)

    again = ensure_renditions(image.pk)

    assert len(encodings) == encoded == len(first)
    assert {name: r.pk for name, r in again.items()} == {name: r.pk for name, r in first.items()}
    assert rendition_files(settings) == files


def test_renditions_carry_no_metadata_of_the_camera(settings):
    image = Image(caption="x", credit="y", alt_text="z")
    image.file = ContentFile(jpeg_with_gps_bytes((400, 300)), name="camera.jpg")
    image.save()

    ensure_renditions(image.pk)

    for path in rendition_files(settings):
        assert not PillowImage.open(path).getexif(), path.name


def test_the_card_crop_keeps_the_focal_point(django_capture_on_commit_callbacks):
    # Left half red, right half blue; a 16:9 card of a 3:1 photo shows only part of it.
    image = library_image(size=(1200, 400), focal_x=0)
    left_card = ensure_renditions(image.pk, names=["card-320.jpeg"])["card-320.jpeg"]
    with left_card.file.open("rb") as stored:
        red, _, blue = PillowImage.open(stored).convert("RGB").getpixel((160, 90))
    assert red > 150 > blue

    with django_capture_on_commit_callbacks(execute=True):
        image.focal_x = 100
        image_save(image=image, by=None)

    right_card = image.renditions.get(spec="card-320.jpeg")
    assert right_card.file.name != left_card.file.name
    with right_card.file.open("rb") as stored:
        red, _, blue = PillowImage.open(stored).convert("RGB").getpixel((160, 90))
    assert blue > 150 > red
    assert not left_card.file.storage.exists(left_card.file.name)


def test_replacing_the_file_remakes_the_renditions_and_removes_the_old_ones(
    settings, django_capture_on_commit_callbacks
):
    image = library_image(size=(700, 500))
    ensure_renditions(image.pk)
    old_original = image.file.name
    old_files = rendition_files(settings)

    with django_capture_on_commit_callbacks(execute=True):
        image.file = ContentFile(photo_bytes((500, 700)), name="portrait.jpg")
        image_save(image=image, by=None)

    image.refresh_from_db()
    assert (image.width, image.height) == (500, 700)
    assert not image.file.storage.exists(old_original)
    assert not set(old_files) & set(rendition_files(settings))
    assert image.renditions.get(spec="full-480.jpeg").height == 672


def test_saving_a_caption_does_not_remake_the_renditions(
    encodings, django_capture_on_commit_callbacks
):
    image = library_image(size=(400, 300))
    ensure_renditions(image.pk)
    before = len(encodings)
    image = Image.objects.get(pk=image.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        image.caption = "A better caption"
        image_save(image=image, by=None)

    assert callbacks == []
    assert len(encodings) == before


def test_a_small_photo_is_never_enlarged():
    image = library_image(size=(200, 150))

    made = ensure_renditions(image.pk)

    assert sorted(made) == [
        "card-200.avif",
        "card-200.jpeg",
        "full-200.avif",
        "full-200.jpeg",
        "share-200.jpeg",
        "square-150.avif",
        "square-150.jpeg",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_readers_asking_for_the_same_missing_rendition_at_once_make_one_file(
    settings, encodings
):
    # No background worker: the first readers find the rendition missing.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    image = published_image(size=(1200, 800))
    ready = threading.Barrier(2)
    statuses = []

    def reader():
        try:
            ready.wait()
            response = Client().get(
                reverse(
                    "articles:image-rendition", kwargs={"pk": image.pk, "spec": "full-960.avif"}
                )
            )
            statuses.append((response.status_code, response["Location"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(statuses) == 2 and statuses[0] == statuses[1]
    assert statuses[0][0] == 302
    assert Rendition.objects.filter(image=image, spec="full-960.avif").count() == 1
    assert len(encodings) == 1
    assert len(rendition_files(settings)) == 1


# The on-demand view


def test_a_rendition_not_made_yet_is_made_on_first_request_then_found(client, settings):
    image = published_image(size=(800, 600))
    url = reverse("articles:image-rendition", kwargs={"pk": image.pk, "spec": "card-480.avif"})

    first = client.get(url)
    second = client.get(url)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"].startswith(settings.MEDIA_URL + "renditions/")
    assert len(rendition_files(settings)) == 1
    rendition = Rendition.objects.get()
    assert first["Location"] == rendition.file.url
    assert rendition.file.storage.exists(rendition.file.name)


@pytest.mark.parametrize("spec", ["full-333.jpeg", "full-1600.jpeg", "card-320.gif", "x"])
def test_sizes_outside_the_planned_set_cannot_be_asked_for(client, settings, spec):
    image = published_image(size=(800, 600))
    planned = reverse("articles:image-rendition", kwargs={"pk": image.pk, "spec": "full-320.jpeg"})
    assert client.get(planned).status_code == 302

    # Typed by hand: some of these are not even shaped like a rendition's name.
    response = client.get(planned.replace("full-320.jpeg", spec))

    assert response.status_code == 404
    assert len(rendition_files(settings)) == 1  # only the planned one asked for first


def test_a_deleted_image_has_no_renditions_to_serve(client):
    image = published_image(size=(400, 300))
    url = reverse("articles:image-rendition", kwargs={"pk": image.pk, "spec": "full-320.jpeg"})
    assert client.get(url).status_code == 302
    image.delete()

    assert client.get(url).status_code == 404


# What readers get


def sources(page: str) -> list[str]:
    return re.findall(r'(?:src|srcset)="([^"]*)"', page)


def test_article_page_serves_a_responsive_picture_and_never_the_original(client):
    image = library_image(size=(2000, 1200))
    ensure_renditions(image.pk)
    article = ArticleFactory(lead_image=image)

    page = client.get(article.get_absolute_url()).content.decode()

    picture = re.search(r"<picture>.*?</picture>", page, re.DOTALL)[0]
    full = {r.spec: r.file.url for r in image.renditions.filter(crop="full")}
    assert (
        f'<source type="image/avif" srcset="{full["full-320.avif"]} 320w, '
        f"{full['full-480.avif']} 480w" in picture
    )
    assert f'{full["full-1600.jpeg"]} 1600w"' in picture
    assert 'width="1600" height="960"' in picture
    assert 'alt="Two orange boats"' in picture
    assert 'loading="lazy"' not in picture  # the lead photo is above the fold
    assert "sizes=" in picture
    assert image.file.url not in page
    assert all("/images/" not in url for url in sources(page))


def test_a_photo_with_its_whole_set_made_links_the_stored_files_without_reading_their_rows(
    client, settings, django_capture_on_commit_callbacks
):
    # Each look is a fresh render: no page, and no part of one, is kept.
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0
    image = library_image(size=(1200, 800))
    ensure_renditions(image.pk)
    article = ArticleFactory(lead_image=image)
    image.refresh_from_db()
    assert image.renditions_made_for == image.rendition_key
    assert not Rendition.objects.for_pictures().filter(image=image).exists()

    stored = {r.spec: r.file.url for r in image.renditions.all()}
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"{stored['full-320.avif']} 320w" in page
    assert f"{stored['full-960.jpeg']} 960w" in page

    # One rendition gone (cleaned up by hand): pages read the rows again and offer the
    # missing one through the view that makes it.
    image.renditions.get(spec="full-320.avif").delete()
    image.refresh_from_db()
    assert image.renditions_made_for == ""
    page = client.get(article.get_absolute_url()).content.decode()
    waiting = reverse("articles:image-rendition", kwargs={"pk": image.pk, "spec": "full-320.avif"})
    assert f"{waiting} 320w" in page and f"{stored['full-480.avif']} 480w" in page

    # A new focal point: the old files are not linked while the new set is being made.
    with django_capture_on_commit_callbacks(execute=False):
        image.focal_x = 10
        image_save(image=image, by=None)
    page = client.get(article.get_absolute_url()).content.decode()
    assert stored["full-480.avif"] not in page


def test_front_page_cards_are_lazy_16_by_9_focal_crops(client):
    lead = ArticleFactory(lead_image=library_image(size=(1200, 900)))
    other = ArticleFactory(
        lead_image=library_image(size=(1200, 900)),
        published_at=lead.published_at.replace(year=2013),
    )
    ensure_renditions(other.lead_image.pk)

    page = client.get("/").content.decode()

    pictures = re.findall(r"<picture>.*?</picture>", page, re.DOTALL)
    assert len(pictures) == 2
    lead_picture, card_picture = pictures
    assert "fetchpriority" in lead_picture and 'loading="lazy"' not in lead_picture
    assert 'loading="lazy"' in card_picture
    assert 'width="960" height="540"' in card_picture  # 16:9, not the photo's 4:3
    card_url = other.lead_image.renditions.get(spec="card-320.avif").file.url
    assert f"{card_url} 320w" in card_picture
    # Not made yet: offered through the view that makes it on first request.
    waiting = reverse(
        "articles:image-rendition", kwargs={"pk": lead.lead_image.pk, "spec": "card-320.avif"}
    )
    assert f"{waiting} 320w" in lead_picture


@pytest.mark.parametrize("count", [2, 12])
def test_front_page_renditions_cost_one_query_however_many_cards(
    client, count, django_assert_max_num_queries
):
    for _ in range(count):
        ArticleFactory(lead_image=library_image(size=(400, 300)))
    for image in Image.objects.all():
        ensure_renditions(image.pk, names=["card-320.jpeg"])

    # The sixth is the breaking-news banner, the same on every page.
    with django_assert_max_num_queries(7):
        page = client.get("/").content.decode()
    assert page.count("<picture>") == count


def test_photographer_page_lists_their_photos_with_credits(client, django_assert_max_num_queries):
    photographer = AuthorFactory(name="Sana Mirza")
    photographer.photo = library_image(size=(300, 300), caption="Sana Mirza")
    photographer.save()
    for number in range(3):
        published_image(
            size=(640, 480),
            photographer=photographer,
            caption=f"Stadium lights number {number}",
            credit="Sana Mirza/Newsroom",
        )
    published_image(size=(640, 480), caption="Someone else's photo")
    embargoed = library_image(
        size=(640, 480), photographer=photographer, caption="Scoop for tomorrow"
    )
    ArticleFactory(lead_image=embargoed, status=Article.Status.DRAFT, published_at=None)

    with django_assert_max_num_queries(8):
        page = client.get(photographer.get_absolute_url()).content.decode()

    assert "Photos by Sana Mirza" in page
    for number in range(3):
        assert f"Stadium lights number {number}" in page
    assert "Sana Mirza/Newsroom" in page
    assert "Someone else&#x27;s photo" not in page and "Someone else's photo" not in page
    assert "Scoop for tomorrow" not in page
    assert page.count("<picture>") == 4  # the portrait and three photos
    assert 'width="160" height="160"' in page  # the square portrait


def test_decorative_images_get_an_empty_alt(client):
    image = library_image(alt_text="", is_decorative=True)
    article = ArticleFactory(lead_image=image)

    page = client.get(article.get_absolute_url()).content.decode()

    assert 'alt=""' in re.search(r"<picture>.*?</picture>", page, re.DOTALL)[0]


# Figures in the article body


def test_a_library_image_in_the_body_is_drawn_with_its_caption_and_credit(client):
    image = library_image(size=(800, 600), credit="Agency photo")
    ensure_renditions(image.pk)
    article = ArticleFactory(
        body=f'<p>Before.</p><figure><img src="{image.body_reference}" alt="ignored">'
        "<figcaption>Boats &amp; rescuers at dawn</figcaption></figure><p>After.</p>"
    )

    page = client.get(article.get_absolute_url()).content.decode()

    figure = re.search(r'<figure class="figure body-image">.*?</figure>', page, re.DOTALL)[0]
    assert "<picture>" in figure
    assert image.renditions.get(spec="full-640.avif").file.url in figure
    assert (
        '<figcaption class="figure-caption">Boats &amp; rescuers at dawn '
        '<span class="credit">Agency photo</span></figcaption>' in figure
    )
    assert 'alt="Two orange boats"' in figure
    assert "<p>Before.</p>" in page and "<p>After.</p>" in page


def test_a_body_figure_without_its_own_caption_uses_the_librarys(client):
    image = library_image(caption="Flooded fields near Sukkur")
    article = ArticleFactory(body=f'<figure><img src="{image.body_reference}"></figure>')

    page = client.get(article.get_absolute_url()).content.decode()

    assert 'Flooded fields near Sukkur <span class="credit">Newsroom photo</span>' in page


def test_body_images_from_elsewhere_or_with_scripts_do_not_survive(client):
    image = library_image()
    article = ArticleFactory(
        body='<figure><img src="https://tracker.example/pixel.gif"></figure>'
        f'<figure><img src="{image.body_reference}" onerror="alert(1)" '
        'data-file="x" width="9999"><figcaption onclick="x()">Safe caption</figcaption></figure>'
        '<p><img src="javascript:alert(1)"></p>'
    )
    article.refresh_from_db()

    assert "tracker.example" not in article.body
    assert "onerror" not in article.body and "onclick" not in article.body
    assert "javascript:" not in article.body and "data-file" not in article.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count('<figure class="figure body-image">') == 1
    assert "Safe caption" in page
    assert 'width="9999"' not in page


def test_a_figure_of_a_deleted_image_disappears(client):
    image = library_image()
    article = ArticleFactory(
        body=f'<p>Text.</p><figure><img src="{image.body_reference}">'
        "<figcaption>Gone</figcaption></figure>"
    )
    image.delete()

    page = client.get(article.get_absolute_url()).content.decode()

    assert "<p>Text.</p>" in page
    assert "Gone" not in page and "body-image" not in page


def test_article_page_queries_stay_flat_with_many_body_figures(client):
    def article_with_figures(count: int):
        figures = (
            f'<figure><img src="{library_image().body_reference}"></figure>' for _ in range(count)
        )
        return ArticleFactory(body="".join(figures))

    few, many = article_with_figures(1), article_with_figures(6)
    with CaptureQueriesContext(connection) as few_queries:
        client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as many_queries:
        page = client.get(many.get_absolute_url()).content.decode()

    assert page.count('<figure class="figure body-image">') == 6
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)


def test_the_admin_shows_editors_the_address_for_body_figures(editor_client):
    image = library_image(size=(1200, 800))

    page = editor_client.get(
        reverse("admin:articles_image_change", args=[image.pk])
    ).content.decode()

    assert image.body_reference in page
    assert image.body_reference.endswith("/full-960.jpeg")


def test_demo_photos_get_their_renditions_and_a_second_seed_queues_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", articles=6, verbosity=0)

    demo = Image.objects.filter(caption__startswith="Demo:")
    assert demo.exists()
    for image in demo:
        assert image.renditions.count() == len(planned_specs(image.width, image.height))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("seed_demo", articles=6, verbosity=0)
    queued = [c for c in callbacks if isinstance(c, partial)]
    assert queued == [], "every demo photo already has its renditions"


def test_photos_of_stories_not_yet_out_cannot_be_fetched_by_counting_ids(editor_client):
    scoop = library_image(caption="Minister resigns")
    ArticleFactory(lead_image=scoop, status=Article.Status.DRAFT, published_at=None)
    url = reverse("articles:image-rendition", kwargs={"pk": scoop.pk, "spec": "full-320.jpeg"})

    assert Client().get(url).status_code == 404
    assert editor_client.get(url).status_code == 302  # the editor's preview works


@pytest.mark.parametrize("use", ["lead", "body", "portrait"])
def test_readers_may_fetch_images_that_published_pages_show(client, use):
    image = library_image()
    if use == "lead":
        ArticleFactory(lead_image=image)
    elif use == "body":
        ArticleFactory(body=f'<figure><img src="{image.body_reference}"></figure>')
    else:
        # The portrait of a writer readers know: they have a published story.
        ArticleFactory(bylines=[AuthorFactory(photo=image)])
    url = reverse("articles:image-rendition", kwargs={"pk": image.pk, "spec": "full-320.jpeg"})

    assert client.get(url).status_code == 302


def test_stored_names_cannot_be_guessed_from_the_upload_name():
    first, second = library_image(), library_image()

    assert first.file.name != second.file.name
    assert re.fullmatch(r"images/\d{4}/\d{2}/river-[a-z0-9]{8}\.jpg", first.file.name)
