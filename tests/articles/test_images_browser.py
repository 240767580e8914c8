"""In a real browser: readers get an AVIF rendition sized for their screen, and an editor
sets the focal point by clicking the photo."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from articles.models import Image
from articles.rendition_store import ensure_renditions
from tests.factories import ArticleFactory, EditorFactory, ImageFactory, uploaded_jpeg

expect = pytest.importorskip("playwright.sync_api").expect

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

    # On the context, not the page: the figure's "Browse..." window is a page of its own.
    context.route(f"**{media_url}**", serve_media)
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


def signed_in_page(browser, live_server, settings, user):
    client = Client()
    client.force_login(user)
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
    return context, page


def open_browse_window(page):
    """In the body editor: a new figure after the first paragraph, then "Browse..."."""
    page.locator(".ProseMirror[contenteditable=true] p").first.click()
    page.keyboard.press("End")
    page.locator(".prose-menubar [title='figure']").first.click()
    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Browse...").click()
    picker = popup_info.value
    # What the picker signals once its script can act on a click; never a fixed wait.
    expect(picker.locator("#image-picker")).to_have_attribute("data-ready", "true")
    return picker


def test_editor_puts_a_library_photo_in_the_body_through_browse(browser, live_server, settings):
    editor = EditorFactory()
    others = [
        ImageFactory(
            file=uploaded_jpeg(size=(1600, 1000)),
            caption=f"Harbour cranes at first light, day {day}",
            credit="Agency photo",
            alt_text=f"Cranes over the harbour, day {day}",
        )
        for day in range(1, 5)
    ]
    photo = ImageFactory(
        file=uploaded_jpeg(size=(1600, 1200)),
        caption="Lanterns over the old bazaar",
        credit="Hira Baloch/Newsroom",
        alt_text="Paper lanterns strung across a lane",
    )
    article = ArticleFactory(body="<p>The festival opened at dusk.</p>")
    _, page = signed_in_page(browser, live_server, settings, editor)

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    picker = open_browse_window(page)
    tiles = picker.locator(".picker-choice")
    expect(tiles).to_have_count(len(others) + 1)
    tile = picker.get_by_role("button", name="Lanterns over the old bazaar")
    expect(tile).to_contain_text("Hira Baloch/Newsroom")
    thumbnail = tile.locator("img")
    thumbnail.evaluate("img => img.decode()")
    # A small rendition drawn inside its own tile, not a 960 px picture spilling over others.
    assert "/renditions/" in thumbnail.evaluate("img => img.currentSrc")
    assert thumbnail.evaluate("img => img.naturalWidth") <= 320
    tile_box, thumb_box = tile.bounding_box(), thumbnail.bounding_box()
    assert thumb_box["width"] <= tile_box["width"]
    assert thumb_box["height"] < tile_box["height"]
    boxes = [tiles.nth(number).bounding_box() for number in range(len(others) + 1)]
    for number, box in enumerate(boxes):
        for other in boxes[number + 1 :]:
            apart = (
                box["x"] + box["width"] <= other["x"]
                or other["x"] + other["width"] <= box["x"]
                or box["y"] + box["height"] <= other["y"]
                or other["y"] + other["height"] <= box["y"]
            )
            assert apart, "picker tiles overlap"

    # Where the editor clicks: the middle of the photo they mean.
    thumbnail.click()

    dialog = page.locator("dialog[open]")
    expect(dialog.locator("input[name=imageUrl]")).to_have_value(photo.body_reference)
    expect(dialog.locator("input[name=altText]")).to_have_value(photo.alt_text)
    expect(dialog.locator("input[name=caption]")).to_have_value(photo.caption)
    dialog.get_by_role("button", name="Insert").click()
    figure = page.locator(".ProseMirror figure")
    expect(figure.locator("img")).to_have_attribute("src", photo.body_reference)
    expect(figure.locator("img")).to_have_attribute("alt", photo.alt_text)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/article/")

    article.refresh_from_db()
    assert f'src="{photo.body_reference}"' in article.body
    reader = Client().get(article.get_absolute_url()).content.decode()
    assert 'alt="Paper lanterns strung across a lane"' in reader
    assert 'Lanterns over the old bazaar <span class="credit">Hira Baloch/Newsroom</span>' in reader
    assert not any(other.caption in reader for other in others)


def test_picker_tiles_wait_for_the_script_and_show_the_photo_already_chosen(
    browser, live_server, settings
):
    editor = EditorFactory()
    photo = ImageFactory(caption="Lanterns over the old bazaar", credit="Hira Baloch/Newsroom")
    ImageFactory(caption="Harbour cranes at first light", credit="Agency photo")
    article = ArticleFactory(body="<p>The festival opened at dusk.</p>")
    context, page = signed_in_page(browser, live_server, settings, editor)
    held = []

    def hold_picker_script(route):
        held.append(route)  # a slow connection: the script has not arrived yet

    context.route("**/articles/image_picker.js", hold_picker_script)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator(".ProseMirror[contenteditable=true] p").first.click()
    page.keyboard.press("End")
    page.locator(".prose-menubar [title='figure']").first.click()
    dialog = page.locator("dialog[open]")
    dialog.locator("input[name=imageUrl]").fill(photo.body_reference)
    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Browse...").click()
    picker = popup_info.value
    tile = picker.get_by_role("button", name="Lanterns over the old bazaar")

    expect(tile).to_be_disabled()  # a click now would be lost, so none can happen
    expect(picker.locator("#picker-status")).to_have_text("Loading the picker…")
    for _ in range(100):  # each round trip lets Playwright hand over the held request
        if held:
            break
        picker.evaluate("0")
    assert held, "the picker never asked for its script"
    held[0].continue_()

    expect(picker.locator("#image-picker")).to_have_attribute("data-ready", "true")
    expect(tile).to_be_enabled()
    expect(tile).to_have_attribute("aria-pressed", "true")  # the figure's current photo
    expect(picker.get_by_role("button", name="Harbour cranes")).to_have_attribute(
        "aria-pressed", "false"
    )


def test_the_paragraph_style_arrow_is_drawn_without_a_font_glyph(browser, live_server, settings):
    article = ArticleFactory(body="<p>The festival opened at dusk.</p>")
    _, page = signed_in_page(browser, live_server, settings, EditorFactory())

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    dropdown = page.locator(".prose-menubar__selected").first
    expect(dropdown).to_be_visible()
    arrow = dropdown.evaluate(
        """element => {
            const style = getComputedStyle(element, "::after");
            return {content: style.content, border: style.borderTopWidth};
        }"""
    )

    assert arrow == {"content": '""', "border": "5px"}  # a CSS triangle, not "⏷"


def test_editor_sets_the_focal_point_on_the_first_upload_and_saves_once(
    browser, live_server, settings, tmp_path
):
    editor = EditorFactory()
    chosen = tmp_path / "harbour.jpg"
    chosen.write_bytes(uploaded_jpeg(size=(1600, 800)).read())
    _, page = signed_in_page(browser, live_server, settings, editor)

    page.goto("/admin/articles/image/add/")
    expect(page.get_by_text("Choose a photo above, then click")).to_be_visible()
    page.locator("#id_file").set_input_files(str(chosen))
    photo = page.locator("[data-focal-picker] img")
    expect(photo).to_be_visible()
    photo.evaluate("img => img.decode()")
    box = photo.bounding_box()
    photo.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})

    expect(page.locator("#id_focal_x")).to_have_value("25")
    expect(page.locator("#id_focal_y")).to_have_value("75")
    card = page.locator("[data-crop-ratio='16/9'] img")
    expect(card).to_be_visible()
    # The 2:1 photo's 16:9 card, moved as far left as a focal point at 25 % allows.
    assert card.evaluate("img => img.style.left") == "0%"
    page.locator("#id_caption").fill("Cranes over the harbour at first light")
    page.locator("#id_credit").fill("Hira Baloch/Newsroom")
    page.locator("#id_alt_text").fill("Three cranes against a pale sky")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/image/")

    image = Image.objects.get()
    assert (image.focal_x, image.focal_y, image.width) == (25, 75, 1600)
    assert image.uploaded_by == editor
