"""Media readers can fetch: renditions at names that reveal nothing, never an original."""

import importlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PillowImage
from PIL import ImageCms

from articles.models import Image, Rendition
from articles.rendition_store import ensure_renditions
from tests.factories import ArticleFactory, UserFactory, photo_bytes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
# What the probe hid in a colour profile: markup no upload check looks for.
PAYLOAD = b"<img src=x onerror=alert(document.domain)>"


def upload_photo(editor_client, data: bytes, name: str) -> Image:
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile(name, data),
            "caption": "Flooded street",
            "credit": "Newsroom photo",
            "alt_text": "A street under water",
            "focal_x": "50",
            "focal_y": "50",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.latest("pk")


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def crafted_profile() -> bytes:
    """A real sRGB profile with markup appended: colour managers read it, browsers might too."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() + PAYLOAD


def test_the_original_is_stored_outside_media_and_renditions_name_nothing(
    editor_client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = upload_photo(editor_client, photo_bytes((700, 400)), "Minister Secret Visit.jpg")

    media = files_under(settings.MEDIA_ROOT)
    originals = files_under(settings.ORIGINALS_ROOT)
    assert [path.name for path in originals] == [Path(image.file.name).name]
    assert media, "the background task made the renditions"
    assert all(path.relative_to(settings.MEDIA_ROOT).parts[0] == "renditions" for path in media)
    for rendition in image.renditions.all():
        assert "minister" not in rendition.file.name
        assert re.fullmatch(r"renditions/[0-9a-f]{2}/[0-9a-f]{32}\.(avif|jpg)", rendition.file.name)
        # Nor the image's id: the folder is the hash's own first two characters (an id
        # that happens to read the same, like 29, is chance, not a leak).
        folder, name = rendition.file.name.split("/")[1:]
        assert name.startswith(folder)


def test_readers_never_get_an_original_and_editors_download_it(editor_client):
    image = upload_photo(editor_client, photo_bytes((300, 200)), "scoop.jpg")
    ArticleFactory(lead_image=image)  # even a published photo's original stays private
    url = image.file.url

    assert not url.startswith("/media/")
    assert Client().get(url).status_code == 403
    reader = Client()
    reader.force_login(UserFactory())
    assert reader.get(url).status_code == 403
    download = editor_client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == image.file.open("rb").read()


def test_a_crafted_colour_profile_is_never_stored_or_served(
    editor_client, settings, django_capture_on_commit_callbacks
):
    data = photo_bytes((640, 360), icc_profile=crafted_profile())
    assert PAYLOAD in data

    with django_capture_on_commit_callbacks(execute=True):
        image = upload_photo(editor_client, data, "profiled.jpg")

    stored = files_under(settings.MEDIA_ROOT) + files_under(settings.ORIGINALS_ROOT)
    assert len(stored) > 1
    for path in stored:
        assert PAYLOAD not in path.read_bytes(), path
        assert not PillowImage.open(path).info.get("icc_profile"), path
    # The colours were converted, not lost: red stays red.
    red, _, blue = PillowImage.open(image.file.path).convert("RGB").getpixel((10, 10))
    assert red > 150 > blue


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_other_formats_lose_a_crafted_profile_too(editor_client, settings, fmt):
    image = upload_photo(
        editor_client, photo_bytes((200, 100), fmt=fmt, icc_profile=crafted_profile()), "p"
    )

    assert not PillowImage.open(image.file.path).info.get("icc_profile")
    assert PAYLOAD not in Path(image.file.path).read_bytes()


def test_a_broken_colour_profile_costs_the_profile_not_the_photo(editor_client):
    image = upload_photo(
        editor_client, photo_bytes((200, 100), icc_profile=b"not a profile at all"), "b.jpg"
    )

    assert not PillowImage.open(image.file.path).info.get("icc_profile")


def test_renditions_of_an_old_original_with_a_profile_carry_none(settings):
    # Stored before uploads were converted: the profile is still in the original.
    image = Image(caption="Old", credit="Archive", alt_text="An old photo")
    image.file = ContentFile(photo_bytes((400, 300)), name="old.jpg")
    image.save()
    Path(image.file.path).write_bytes(photo_bytes((400, 300), icc_profile=crafted_profile()))

    ensure_renditions(image.pk)

    for rendition in image.renditions.all():
        data = rendition.file.open("rb").read()
        assert PAYLOAD not in data
        assert not PillowImage.open(io.BytesIO(data)).info.get("icc_profile")


def test_existing_originals_move_out_of_media_and_old_renditions_go(
    settings, django_capture_on_commit_callbacks
):
    image = Image(caption="Before", credit="Archive", alt_text="A photo from before")
    image.file = ContentFile(photo_bytes((400, 300)), name="before.jpg")
    image.save()
    # Where the previous release kept it: under MEDIA_ROOT, with a rendition named after it.
    public_copy = settings.MEDIA_ROOT / image.file.name
    public_copy.parent.mkdir(parents=True)
    os.replace(image.file.path, public_copy)
    old_rendition = settings.MEDIA_ROOT / "renditions" / str(image.pk) / "before-full-320-k.jpg"
    old_rendition.parent.mkdir(parents=True)
    old_rendition.write_bytes(photo_bytes((320, 240)))
    Rendition.objects.filter(image=image).delete()
    Rendition.objects.create(
        image=image,
        spec="full-320.jpeg",
        source_key="k",
        crop="full",
        format="jpeg",
        width=320,
        height=240,
        file=str(old_rendition.relative_to(settings.MEDIA_ROOT)),
        file_size=1,
    )
    migration = importlib.import_module("articles.migrations.0007_private_originals")

    with django_capture_on_commit_callbacks(execute=True):
        migration.move_originals_out_of_media(apps, None)

    image.refresh_from_db()
    assert Path(image.file.path).is_file()
    assert Path(image.file.path).is_relative_to(settings.ORIGINALS_ROOT)
    assert files_under(settings.MEDIA_ROOT) == []
    assert not Rendition.objects.exists()
    # Readers' pages remake them at once, under the new names.
    assert image.picture("full") is not None


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"DEBUG": "false"}, "False"),
        ({"DEBUG": "true"}, "True"),
        ({"DEBUG": "false", "SERVE_MEDIA": "true"}, "True"),
    ],
)
def test_production_leaves_media_to_the_front_server_unless_told(environment, expected):
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "news.example.org",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        **environment,
    }
    env.pop("SERVE_MEDIA", None) if "SERVE_MEDIA" not in environment else None
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SERVE_MEDIA)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == expected
