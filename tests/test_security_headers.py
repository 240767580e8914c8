"""Headers every response carries, and the request sizes the site accepts."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.comments.helpers import comment_data, post_url
from tests.factories import ArticleFactory, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("feature", ["camera", "microphone", "geolocation", "payment", "usb"])
def test_every_kind_of_response_switches_off_unused_browser_features(editor_client, feature):
    article = ArticleFactory()
    responses = [
        Client().get("/"),
        Client().get(article.get_absolute_url()),
        Client().get("/no-such-page/"),
        Client().get(reverse("admin:index")),  # a redirect to the login page
        editor_client.get(reverse("admin:articles_article_changelist")),
    ]

    for response in responses:
        assert f"{feature}=()" in response.headers["Permissions-Policy"], response


def test_a_form_post_with_hundreds_of_fields_is_refused_before_parsing():
    article = ArticleFactory()
    flood = comment_data(article) | {
        f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    }

    response = Client().post(post_url(article), flood)

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_form_post_larger_than_any_article_is_refused():
    article = ArticleFactory()
    huge = comment_data(article, body="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))

    response = Client().post(post_url(article), huge)

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_an_upload_with_many_files_is_refused(editor_client):
    photos = [
        SimpleUploadedFile(f"p{n}.jpg", jpeg_bytes(), content_type="image/jpeg")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]

    response = editor_client.post(
        reverse("admin:articles_image_add"), {"file": photos, "alt_text": "A photo"}
    )

    assert response.status_code == 400


def test_the_limits_leave_room_for_what_editors_really_send():
    # A long read of 60,000 words as HTML, and a full admin changelist's bulk action.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > 60_000 * 8 * 2
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS > 100 + 20
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES >= 1
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < settings.IMAGE_MAX_BYTES
