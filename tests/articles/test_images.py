"""The image library's upload safety: what an editor uploading bad files gets.

Every file here is built by the test with Pillow (or by hand, byte for byte).
"""

import io
import re
from functools import partial

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, ImageFile
from PIL import Image as PillowImage

from articles.models import Image, Rendition
from articles.services import image_save
from articles.tasks import generate_renditions
from tests.factories import (
    PAST,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    UserFactory,
    jpeg_with_gps_bytes,
    noisy_jpeg_bytes,
    photo_bytes,
    png_bomb_bytes,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_image_add")


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def image_form(file, **overrides) -> dict:
    data = {
        "file": file,
        "caption": "Flood water reaches the old city",
        "credit": "Newsroom photo",
        "photographer": "",
        "alt_text": "A street under knee-deep brown water",
        "focal_x": "50",
        "focal_y": "50",
    }
    data.update(overrides)
    return data


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def form_errors(response) -> str:
    assert response.status_code == 200, "the form should be shown again with errors"
    return " ".join(str(error) for error in response.context["adminform"].form.errors.values())


def assert_refused(editor_client, settings, data: bytes, name: str, expected: str):
    response = editor_client.post(ADD_URL, image_form(upload(data, name)))

    assert expected in form_errors(response)
    assert Image.objects.count() == 0
    assert stored_files(settings) == []


# The happy path


def test_editor_uploads_a_photo_with_credit_and_photographer(editor_client, editor, settings):
    photographer = AuthorFactory(name="Hira Baloch")

    response = editor_client.post(
        ADD_URL,
        image_form(
            upload(photo_bytes((400, 300)), "Quetta Floods.JPG"), photographer=photographer.pk
        ),
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (400, 300)
    assert image.photographer == photographer
    assert image.uploaded_by == editor
    assert image.file_size == image.file.size > 0
    assert re.fullmatch(r"images/\d{4}/\d{2}/quetta-floods-[a-z0-9]{8}\.jpg", image.file.name)
    assert list(photographer.photos.all()) == [image]


def test_image_without_alt_text_is_refused_unless_marked_decorative(editor_client):
    refused = editor_client.post(ADD_URL, image_form(upload(photo_bytes()), alt_text=""))

    assert "Describe the image for readers who cannot see it" in form_errors(refused)
    assert not Image.objects.exists()

    accepted = editor_client.post(
        ADD_URL, image_form(upload(photo_bytes()), alt_text="", is_decorative="on")
    )
    assert accepted.status_code == 302
    assert Image.objects.get().is_decorative


def test_a_photo_refused_for_missing_alt_text_is_kept_for_the_next_save(
    editor_client, settings, django_capture_on_commit_callbacks
):
    refused = editor_client.post(
        ADD_URL, image_form(upload(photo_bytes((400, 300)), "Quetta Floods.jpg"), alt_text="")
    )

    page = refused.content.decode()
    assert "Describe the image for readers who cannot see it" in form_errors(refused)
    assert page.count("Describe the image for readers who cannot see it") == 1
    assert "Your photo quetta-floods.jpg (400 × 300) is kept." in page
    token = re.search(r'name="file-kept" value="([^"]+)"', page)[1]
    assert 'src="data:image/jpeg;base64,' in page  # a preview, without a public address

    # The editor adds the alt text and saves again, without choosing the file again.
    with django_capture_on_commit_callbacks(execute=True):
        saved = editor_client.post(
            ADD_URL, image_form("", alt_text="A street under water", **{"file-kept": token})
        )

    assert saved.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height, image.alt_text) == (400, 300, "A street under water")
    assert re.fullmatch(r"images/\d{4}/\d{2}/quetta-floods-[a-z0-9]{8}\.jpg", image.file.name)
    assert not any("kept-uploads" in str(path) for path in stored_files(settings))


def test_a_forged_kept_upload_token_is_refused_as_a_missing_photo(editor_client, settings):
    response = editor_client.post(ADD_URL, image_form("", **{"file-kept": "../../etc/passwd"}))

    assert "This field is required." in form_errors(response)
    assert not Image.objects.exists()


def test_the_add_form_marks_alt_text_required_and_gives_room_to_read_a_caption(editor_client):
    response = editor_client.get(ADD_URL)
    form = response.context["adminform"].form
    page = response.content.decode()

    assert form.fields["alt_text"].required
    assert '<label class="required" for="id_alt_text">Alt text:</label>' in page
    assert "Required unless the image is decorative." in page
    assert re.search(r'<textarea name="alt_text"[^>]*aria-required="true"', page)
    assert re.search(r'<textarea name="caption"[^>]*class="vLargeTextField"', page)
    # The focal point is set on the first upload, in the browser, before any save.
    assert "Shown after the photo is saved." not in page
    assert "data-focal-picker" in page and "articles/focal_point.js" in page


# Not an image at all


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"Minutes of the editorial meeting, Tuesday.\n", "notes.jpg", "not a picture"),
        (
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "page.jpg",
            "contains a script",
        ),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "scan.jpg", "a PDF"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<rect width="10" height="10"/></svg>',
            "logo.svg",
            "an SVG drawing",
        ),
        (b"", "empty.jpg", "The submitted file is empty."),
    ],
    ids=["text", "html", "pdf", "svg", "empty"],
)
def test_editor_uploading_a_file_that_is_not_a_photo_sees_why_and_nothing_is_stored(
    editor_client, settings, data, name, expected
):
    assert_refused(editor_client, settings, data, name, expected)


def test_editor_uploading_a_pdf_renamed_jpg_sees_an_error_and_nothing_is_stored(
    editor_client, settings
):
    pdf = b"%PDF-1.4\n" + b"1 0 obj\n<< /Type /Page >>\nendobj\n" * 20 + b"%%EOF\n"

    assert_refused(editor_client, settings, pdf, "holiday.jpg", "contains a PDF document")


def test_a_real_jpeg_carrying_a_hidden_web_page_is_refused(editor_client, settings):
    polyglot = photo_bytes((80, 60)) + b"<html><script>fetch('/admin/')</script></html>"
    assert PillowImage.open(io.BytesIO(polyglot)).format == "JPEG"  # a browser-valid JPEG

    assert_refused(editor_client, settings, polyglot, "photo.jpg", "contains a script")


def test_a_real_jpeg_with_a_pdf_in_its_comment_is_refused(editor_client, settings):
    polyglot = photo_bytes((80, 60), comment=b"%PDF-1.4 1 0 obj << >> endobj")

    assert_refused(editor_client, settings, polyglot, "photo.jpg", "contains a PDF document")


# Damaged pictures


def test_a_truncated_jpeg_is_refused_as_damaged(editor_client, settings):
    whole = noisy_jpeg_bytes()
    cut_short = whole[: len(whole) // 2]
    assert not ImageFile.LOAD_TRUNCATED_IMAGES

    assert_refused(
        editor_client, settings, cut_short, "cut.jpg", "The JPEG file is damaged or incomplete"
    )


def test_a_png_with_corrupted_pixel_data_is_refused_as_damaged(editor_client, settings):
    png = bytearray(photo_bytes((64, 48), "PNG"))
    idat = png.index(b"IDAT")
    png[idat + 10] ^= 0xFF  # one flipped byte: the chunk's checksum no longer matches

    assert_refused(
        editor_client, settings, bytes(png), "chart.png", "The PNG file is damaged or incomplete"
    )


# Too big


def test_a_png_decompression_bomb_is_refused_before_it_is_decoded(
    editor_client, settings, monkeypatch
):
    bomb = png_bomb_bytes(10_000, 10_000)  # 100 megapixels in about 25 kB
    assert len(bomb) < 100_000
    decoded = []
    original_load = ImageFile.ImageFile.load

    def spying_load(picture):
        decoded.append(picture.size)
        return original_load(picture)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spying_load)

    assert_refused(
        editor_client,
        settings,
        bomb,
        "bomb.png",
        "The picture is 10000 × 10000 pixels (100 megapixels); the limit is 40 megapixels.",
    )
    assert decoded == []


def test_a_bomb_beyond_pillows_own_limit_gets_the_same_clear_error(editor_client, settings):
    bomb = png_bomb_bytes(20_000, 20_000)  # 400 megapixels: Pillow refuses to even open it

    assert_refused(editor_client, settings, bomb, "bomb.png", "a decompression bomb")


def test_pixel_and_byte_limits_come_from_settings(editor_client, settings):
    settings.IMAGE_MAX_PIXELS = 1_000
    assert_refused(
        editor_client, settings, photo_bytes((50, 50)), "a.jpg", "the limit is 0.0 megapixels"
    )

    settings.IMAGE_MAX_PIXELS = 40_000_000
    settings.IMAGE_MAX_BYTES = 10_000
    big = noisy_jpeg_bytes((200, 200))
    assert len(big) > 10_000
    assert_refused(editor_client, settings, big, "big.jpg", "the limit is 9.8")


# What is stored


def test_gps_and_camera_details_never_reach_storage_and_the_photo_is_upright(
    editor_client, settings
):
    original = jpeg_with_gps_bytes((60, 40))
    assert PillowImage.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    response = editor_client.post(ADD_URL, image_form(upload(original, "IMG_2041.jpg")))

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 60)  # turned as the camera said
    for path in stored_files(settings):
        data = path.read_bytes()
        assert b"SN-4471-SECRET" not in data
        stored = PillowImage.open(io.BytesIO(data))
        assert not stored.getexif(), f"{path.name} still carries EXIF"
        assert "exif" not in stored.info and "xmp" not in stored.info
    upright = PillowImage.open(image.file.path).convert("RGB")
    red, _, blue = upright.getpixel((20, 5))
    assert red > 150 and blue < 100  # the left (red) half of the sensor is now on top


def test_the_stored_extension_follows_the_real_format_not_the_name(editor_client):
    response = editor_client.post(
        ADD_URL, image_form(upload(photo_bytes((30, 20), "PNG"), "chart.jpg"))
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert re.search(r"/chart-[a-z0-9]{8}\.png$", image.file.name)
    assert PillowImage.open(image.file.path).format == "PNG"


def test_uploads_with_the_same_name_never_overwrite_each_other(editor_client):
    first_bytes = photo_bytes((40, 30))
    editor_client.post(ADD_URL, image_form(upload(first_bytes, "photo.jpg")))
    first = Image.objects.get()
    stored_before = first.file.read()
    first.file.close()

    editor_client.post(ADD_URL, image_form(upload(photo_bytes((90, 60)), "photo.jpg")))

    second = Image.objects.exclude(pk=first.pk).get()
    assert second.file.name != first.file.name
    first.refresh_from_db()
    with first.file.open("rb") as still_there:
        assert still_there.read() == stored_before


def test_a_file_name_cannot_climb_out_of_the_image_folder():
    image = Image(caption="x", credit="y", alt_text="z")
    image.file = ContentFile(photo_bytes(), name="../../../newsroom/settings.py.jpg")
    image.save()

    assert image.file.name.startswith("images/")
    assert ".." not in image.file.name and "/newsroom/" not in image.file.name


def test_code_paths_outside_the_admin_are_checked_too():
    image = Image(caption="x", credit="y", alt_text="z")
    image.file = ContentFile(b"%PDF-1.4 not a photo", name="sneaky.jpg")

    with pytest.raises(Exception, match="contains a PDF document"):
        image.save()
    assert not Image.objects.exists()
    assert not Rendition.objects.exists()


def test_editing_captions_keeps_the_stored_file(editor_client):
    image = ImageFactory()
    name = image.file.name
    change_url = reverse("admin:articles_image_change", args=[image.pk])

    response = editor_client.post(change_url, image_form("", caption="A new caption"))

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "A new caption"
    assert image.file.name == name


# The other upload path and the library admin


def test_adding_a_lead_image_from_the_article_forms_popup_gets_the_same_checks(
    editor_client, settings
):
    popup_url = f"{ADD_URL}?_to_field=id&_popup=1"

    refused = editor_client.post(
        popup_url, image_form(upload(noisy_jpeg_bytes()[:900], "cut.jpg"), _popup="1")
    )
    assert "damaged or incomplete" in form_errors(refused)
    assert stored_files(settings) == []

    accepted = editor_client.post(
        popup_url, image_form(upload(jpeg_with_gps_bytes(), "lead.jpg"), _popup="1")
    )
    assert accepted.status_code == 200  # the pop-up hands the new image to the article form
    image = Image.objects.get()
    assert f"{image.pk}" in accepted.content.decode()
    assert not PillowImage.open(image.file.path).getexif()


def queued_renditions(callbacks) -> list[int]:
    """The image ids whose renditions a set of on-commit callbacks would queue."""
    return [
        c.keywords["image_id"]
        for c in callbacks
        if isinstance(c, partial) and c.func == generate_renditions.enqueue
    ]


def test_the_popup_upload_goes_through_the_service_recording_the_uploader(
    editor_client, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor_client.post(
            f"{ADD_URL}?_to_field=id&_popup=1",
            image_form(upload(photo_bytes((400, 300)), "lead.jpg"), _popup="1"),
        )

    image = Image.objects.get()
    assert image.uploaded_by == editor
    assert queued_renditions(callbacks) == [image.pk]


def test_saving_an_image_row_directly_queues_nothing_while_the_service_does(
    editor, django_capture_on_commit_callbacks
):
    image = Image(caption="Direct", credit="Archive", alt_text="A river")
    image.file = ContentFile(photo_bytes((400, 300)), name="direct.jpg")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image.save()
        image.focal_x = 10
        image.save()
    assert callbacks == []

    other = Image(caption="Through the door", credit="Archive", alt_text="A river")
    other.file = ContentFile(photo_bytes((400, 300)), name="door.jpg")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image_save(image=other, by=editor)
    assert queued_renditions(callbacks) == [other.pk]
    assert other.uploaded_by == editor

    # A caption edit queues nothing; a new focal point does; the uploader stays the first.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        other.caption = "A better caption"
        image_save(image=other, by=None)
    assert queued_renditions(callbacks) == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        other.focal_y = 90
        image_save(image=other, by=UserFactory())
    assert queued_renditions(callbacks) == [other.pk]
    other.refresh_from_db()
    assert other.uploaded_by == editor


def test_editor_finds_images_by_credit_photographer_and_month(editor_client):
    photographer = AuthorFactory(name="Omar Siddiqui")
    november = ImageFactory(caption="Book fair", credit="Omar Siddiqui/Newsroom")
    november.photographer = photographer
    november.save()
    older = ImageFactory(caption="Old harbour", credit="Agency photo")
    Image.objects.filter(pk=older.pk).update(uploaded_at=PAST)
    changelist = reverse("admin:articles_image_changelist")

    def captions(query: dict) -> set[str]:
        response = editor_client.get(changelist, query)
        return {image.caption for image in response.context["cl"].result_list}

    assert captions({"q": "Newsroom"}) == {"Book fair"}
    assert captions({"q": "Siddiqui"}) == {"Book fair"}
    assert captions({"photographer__id__exact": photographer.pk}) == {"Book fair"}
    assert captions({"month": f"{PAST:%Y-%m}"}) == {"Old harbour"}
    page = editor_client.get(changelist).content.decode()
    assert f"{PAST:%B %Y}" in page  # the month filter offers the months that have uploads
    assert older.file.url not in page  # thumbnails are small renditions, not originals


def test_editor_sets_the_focal_point_and_the_crops_are_remade(
    editor_client, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=upload(photo_bytes((1200, 400))))
    change_url = reverse("admin:articles_image_change", args=[image.pk])
    page = editor_client.get(change_url).content.decode()
    assert "data-focal-picker" in page and "articles/focal_point.js" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url, image_form("", focal_x="10", focal_y="40"))

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (10, 40)
    card = image.renditions.get(spec="card-320.jpeg")
    assert card.source_key == image.rendition_key
    with card.file.open("rb") as stored:
        red, _, blue = PillowImage.open(stored).convert("RGB").getpixel((160, 90))
    assert red > 150 > blue  # the crop moved to the left (red) half


def test_a_focal_point_beyond_the_edge_is_refused(editor_client):
    image = ImageFactory()

    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]), image_form("", focal_x="150")
    )

    assert "Ensure this value is less than or equal to 100." in form_errors(response)
    image.refresh_from_db()
    assert image.focal_x == 50


def test_the_figure_dialogs_browse_window_lists_and_searches_the_library(editor_client, client):
    ImageFactory(caption="Lanterns over the bazaar", credit="Hira Baloch/Newsroom")
    ImageFactory(caption="Cricket at dusk", credit="Agency photo")
    pick_url = reverse("admin:articles_image_pick")

    everything = editor_client.get(pick_url, {"CKEditorFuncNum": "3"}).content.decode()
    found = editor_client.get(pick_url, {"q": "Baloch"}).content.decode()

    assert "Lanterns over the bazaar" in everything and "Cricket at dusk" in everything
    assert 'data-func-num="3"' in everything
    assert "Lanterns over the bazaar" in found and "Cricket at dusk" not in found
    client.logout()
    assert client.get(pick_url).status_code == 302  # readers are sent to the login page


def test_the_browse_window_shows_small_thumbnails_with_caption_and_credit(editor_client):
    image = ImageFactory(
        file=upload(photo_bytes((1600, 1200))),
        caption="Lanterns over the bazaar",
        credit="Hira Baloch/Newsroom",
    )
    ImageFactory(caption="Cricket at dusk", credit="")

    page = editor_client.get(reverse("admin:articles_image_pick")).content.decode()

    tiles = re.findall(r'<button type="button" class="picker-choice".*?</button>', page, re.DOTALL)
    assert len(tiles) == 2
    lanterns = next(tile for tile in tiles if "Lanterns over the bazaar" in tile)
    assert "Hira Baloch/Newsroom" in lanterns
    thumbnail = re.search(r"<picture>.*?</picture>", lanterns, re.DOTALL)[0]
    assert "full-320" in thumbnail
    assert "full-960" not in thumbnail and "full-1600" not in thumbnail
    assert image.file.url not in page  # never the original
    assert all(" disabled " in tile for tile in tiles)  # until the picker's script is ready
    assert "No credit yet" in next(tile for tile in tiles if "Cricket at dusk" in tile)


def test_deleting_a_figures_photo_leaves_no_empty_frame_in_the_saved_body(editor_client):
    from tests.articles.test_admin import article_form

    photo = ImageFactory(caption="Boats at dawn")
    article = ArticleFactory(body="<p>Before.</p>")
    # What the editor posts after deleting the photo of one figure and the caption of another.
    body = (
        '<p>Before.</p><figure class="figure"><img><figcaption class="figure-caption">'
        "Rescuers at the bridge</figcaption></figure>"
        f'<figure class="figure"><img src="{photo.body_reference}" alt="Two boats">'
        '<figcaption class="figure-caption"></figcaption></figure><p>After.</p>'
    )
    data = article_form(
        article.section, [(AuthorFactory(), "")], body=body, slug=article.slug, headline="Floods"
    )

    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == (
        f'<p>Before.</p><figure><img src="{photo.body_reference}" alt="Two boats"></figure>'
        "<p>After.</p>"
    )


def test_admin_pages_link_the_sites_favicon(editor_client, settings):
    from django.contrib.staticfiles import finders

    page = editor_client.get(reverse("admin:index")).content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")
