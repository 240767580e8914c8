"""In a real browser: readers get an AVIF rendition sized for their screen, and an editor
sets the focal point by clicking the photo."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from articles.models import Image
from articles.renditions import ensure_renditions
from tests.factories import ArticleFactory, EditorFactory, ImageFactory, uploaded_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server, settings, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    page = context.new_page()
    # The project's media route was bound to the real MEDIA_ROOT at import; the tests keep
    # their files in a temporary one, so the browser's media requests are answered here.
    media_url = django_settings.MEDIA_URL

    def serve_media(route):
        path = route.request.url.split(media_url, 1)[1]
        route.fulfill(path=str(settings.MEDIA_ROOT / path))

    page.route(f"**{media_url}**", serve_media)
    return context, page


def test_a_phone_gets_a_small_avif_with_room_reserved_for_it(browser, live_server, settings):
    image = ImageFactory(file=uploaded_jpeg(size=(2000, 1200)))
    ensure_renditions(image.pk)
    article = ArticleFactory(lead_image=image)
    _, page = new_page(
        browser,
        live_server,
        settings,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
    )

    page.goto(article.get_absolute_url())
    photo = page.locator(".lead-image picture img")
    photo.evaluate("img => img.decode()")

    current = photo.evaluate("img => img.currentSrc")
    assert current.endswith(".avif")
    # 360 CSS pixels at 2x: the 960 rendition, not 1600.
    assert current.endswith(image.renditions.get(spec="full-960.avif").file.url)
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")  # decoded, shown
    box = photo.bounding_box()
    assert abs(box["height"] - box["width"] * 0.6) < 2  # the 5:3 shape was reserved


def test_editor_clicks_the_face_and_the_focal_point_follows(browser, live_server, settings):
    editor = EditorFactory()
    client = Client()
    client.force_login(editor)
    image = ImageFactory(file=uploaded_jpeg(size=(1200, 800)))
    context, page = new_page(browser, live_server, settings)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(f"/admin/articles/image/{image.pk}/change/")
    photo = page.locator("[data-focal-picker] img")
    photo.evaluate("img => img.decode()")
    box = photo.bounding_box()
    photo.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})

    assert page.locator("#id_focal_x").input_value() == "25"
    assert page.locator("#id_focal_y").input_value() == "75"
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/image/")

    image = Image.objects.get(pk=image.pk)
    assert (image.focal_x, image.focal_y) == (25, 75)


def test_editor_puts_a_library_photo_in_the_body_through_browse(browser, live_server, settings):
    editor = EditorFactory()
    client = Client()
    client.force_login(editor)
    photo = ImageFactory(
        file=uploaded_jpeg(size=(800, 600)),
        caption="Lanterns over the old bazaar",
        credit="Hira Baloch/Newsroom",
        alt_text="Paper lanterns strung across a lane",
    )
    article = ArticleFactory(body="<p>The festival opened at dusk.</p>")
    context, page = new_page(browser, live_server, settings)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator(".ProseMirror[contenteditable=true] p").first.click()
    page.keyboard.press("End")
    page.locator(".prose-menubar [title='figure']").first.click()
    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Browse...").click()
    picker = popup_info.value
    picker.get_by_role("button", name="Lanterns over the old bazaar").click()
    expect = pytest.importorskip("playwright.sync_api").expect
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("input[name=altText]")).to_have_value(photo.alt_text)
    dialog.get_by_role("button", name="Insert").click()
    expect(page.locator(".ProseMirror figure img")).to_have_attribute("src", photo.body_reference)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/article/")

    article.refresh_from_db()
    assert f'src="{photo.body_reference}"' in article.body
    reader = Client().get(article.get_absolute_url()).content.decode()
    assert 'Lanterns over the old bazaar <span class="credit">Hira Baloch/Newsroom</span>' in reader
