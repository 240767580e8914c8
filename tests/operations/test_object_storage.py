"""Photos in S3-compatible object storage (MEDIA_STORAGE=s3): any app server can show or
hand out what another stored, because nothing lives on a server's disk.

The bucket is moto's in-process stand-in for S3: the real boto3 client and django-storages
code run, only the wire stops inside moto.
"""

import re

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from moto import mock_aws

from articles.models import Image
from articles.services import image_save
from tests.factories import ArticleFactory, photo_bytes

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"
MEDIA_DOMAIN = "media.example.org"


@pytest.fixture
def bucket(settings, monkeypatch):
    """The storages MEDIA_STORAGE=s3 configures (newsroom/settings.py), on a mock bucket."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        options = {
            "bucket_name": BUCKET,
            "region_name": "us-east-1",
            "access_key": "test-key",
            "secret_key": "test-secret",
            "file_overwrite": False,
        }
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "articles.storage.S3MediaStorage",
                "OPTIONS": {**options, "custom_domain": MEDIA_DOMAIN},
            },
            "originals": {"BACKEND": "articles.storage.S3OriginalStorage", "OPTIONS": options},
        }
        # The image field took its storage when the model was defined, as in production.
        monkeypatch.setattr(Image._meta.get_field("file"), "storage", storages["originals"])
        yield s3


def keys(s3, prefix: str) -> list[str]:
    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def upload(editor_client, data: bytes, name: str) -> Image:
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


def test_an_uploaded_photo_lands_in_the_bucket_and_readers_get_its_renditions_there(
    bucket, editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = upload(editor_client, photo_bytes((700, 400)), "flood.jpg")
    article = ArticleFactory(lead_image=image)

    assert keys(bucket, "originals/") == [f"originals/{image.file.name}"]
    renditions = keys(bucket, "media/renditions/")
    assert len(renditions) == image.renditions.count() > 0
    page = Client().get(article.get_absolute_url()).content.decode()
    linked = re.findall(rf"https://{re.escape(MEDIA_DOMAIN)}/media/renditions/[^\s\"']+", page)
    assert linked and {url.split(f"{MEDIA_DOMAIN}/", 1)[1] for url in linked} <= set(renditions)
    # Renditions never change under their name: caches may keep them for good.
    head = bucket.head_object(Bucket=BUCKET, Key=renditions[0])
    assert head["CacheControl"] == "public, max-age=31536000, immutable"


def test_the_original_stays_private_and_editors_download_it_from_any_server(bucket, editor_client):
    data = photo_bytes((300, 200))
    image = upload(editor_client, data, "scoop.jpg")

    assert image.file.url == reverse("articles:image-original", kwargs={"name": image.file.name})
    assert Client().get(image.file.url).status_code == 403
    download = editor_client.get(image.file.url)
    assert download.status_code == 200
    stored = bucket.get_object(Bucket=BUCKET, Key=f"originals/{image.file.name}")["Body"].read()
    assert b"".join(download.streaming_content) == stored


def test_two_uploads_with_one_name_never_overwrite_each_other(bucket):
    store = storages["originals"]

    first = store.save("images/2026/12/flood.jpg", SimpleUploadedFile("a", b"first"))
    second = store.save("images/2026/12/flood.jpg", SimpleUploadedFile("b", b"second"))

    assert first != second
    assert store.open(first).read() == b"first"
    assert store.open(second).read() == b"second"


def test_a_new_focal_point_replaces_the_renditions_in_the_bucket(
    bucket, editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = upload(editor_client, photo_bytes((700, 400)), "crowd.jpg")
    before = set(keys(bucket, "media/renditions/"))

    image.focal_x = 10
    with django_capture_on_commit_callbacks(execute=True):
        image_save(image=image, by=None)
    after = set(keys(bucket, "media/renditions/"))

    assert after and not (before & after)


def test_a_photo_kept_for_the_next_try_stays_out_of_public_media(bucket, editor_client):
    refused = editor_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile("embargoed.jpg", photo_bytes((300, 200))),
            "caption": "Before the announcement",
            "credit": "Newsroom photo",
            "alt_text": "",
            "focal_x": "50",
            "focal_y": "50",
        },
    )

    assert "is kept" in refused.content.decode()
    assert keys(bucket, "media/") == []
    assert len(keys(bucket, "originals/kept-uploads/")) == 1
