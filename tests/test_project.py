"""The project as an operator meets it: settings, database setup, demo content, error pages."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from articles.models import Article, Author, Image, Section

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], **env) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="news.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run(["manage.py", "check"], DEBUG="false", ALLOWED_HOSTS="news.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_the_old_single_search_configuration_is_refused_with_its_replacement_named():
    result = run(["manage.py", "check"], SEARCH_CONFIG="english")

    assert result.returncode != 0
    assert "SEARCH_CONFIG is replaced by SEARCH_CONFIGURATIONS" in result.stderr


MEDIA_IN_A_BUCKET = {
    "a CDN's domain": {"S3_CUSTOM_DOMAIN": "media.example.org"},
    "another S3 service": {"S3_ENDPOINT_URL": "https://objects.example.net"},
    "AWS in a region": {"S3_REGION": "eu-central-1"},
    "AWS, no region": {},
}


@pytest.mark.parametrize("storage", MEDIA_IN_A_BUCKET.values(), ids=MEDIA_IN_A_BUCKET.keys())
def test_photos_from_object_storage_are_images_the_content_security_policy_lets_in(storage):
    # The address a page links a rendition at, and the policy the page is sent with.
    script = (
        "import django, json; django.setup(); "
        "from django.conf import settings; from django.core.files.storage import storages; "
        "print(json.dumps([storages['default'].url('renditions/2026/12/flood.webp'), "
        "[str(source) for source in settings.SECURE_CSP['img-src']]]))"
    )
    result = run(
        ["-c", script],
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        MEDIA_STORAGE="s3",
        S3_BUCKET="newsroom-media",
        **storage,
    )
    assert result.returncode == 0, result.stderr
    photo, image_sources = json.loads(result.stdout)

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(photo))
    assert origin in image_sources
    assert "*" not in " ".join(image_sources)


def test_unreachable_database_gets_one_clear_line_not_a_traceback():
    result = run(
        ["-m", "newsroom.dbsetup"], DATABASE_URL="postgres://postgres@127.0.0.1:1/newsroom"
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Cannot reach PostgreSQL at 127.0.0.1:1" in result.stderr
    assert "DATABASE_URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_demo_newsroom_is_believable_and_loading_it_twice_adds_nothing():
    call_command("seed_demo", verbosity=0)
    counts = (Section.objects.count(), Author.objects.count(), Image.objects.count())
    articles = Article.objects.count()

    call_command("seed_demo", verbosity=0)

    assert (Section.objects.count(), Author.objects.count(), Image.objects.count()) == counts
    assert Article.objects.count() == articles
    assert counts[0] >= 5 and counts[1] >= 8
    assert Article.objects.published().count() >= 60
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 2
    assert Article.objects.scheduled().count() == 1
    lead_images = Image.objects.filter(lead_articles__isnull=False).distinct()
    assert all(image.credit and image.caption for image in lead_images)


@pytest.mark.django_db
def test_demo_size_can_be_chosen_for_benchmarks():
    call_command("seed_demo", articles=150, verbosity=0)

    # The Urdu desk's few stories come on top, whatever the size.
    assert Article.objects.published().filter(language="en").count() == 150


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_server_error_shows_the_friendly_page(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("articles.views.Article.objects.published", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
