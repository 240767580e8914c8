"""Static files on many servers: hashed names, so every server and cache may keep them for good."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client


@pytest.fixture
def collected(collect_static_as_in_production, tmp_path):
    """Production's static files, of one stylesheet of our own."""
    source = tmp_path / "static"
    source.mkdir()
    (source / "site.css").write_text("body { color: #111; }\n")
    return collect_static_as_in_production(source)


def test_static_files_get_hashed_names_and_a_year_of_caching(collected):
    address = staticfiles_storage.url("site.css")

    response = Client().get(address)

    assert address != "/static/site.css" and address.startswith("/static/site.")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
