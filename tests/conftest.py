import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with no cached pages and no rate-limit counters."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
    settings.PAGE_CACHE_STORE = "articles.pagestore.CachePageStore"
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def reads_stay_in_their_test():
    """Reads a test counted die with it: the exit-time write must not reach another database."""
    from articles import readership

    yield
    readership.tally.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories hash real passwords; a deliberately slow hasher only slows the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ORIGINALS_ROOT = tmp_path / "originals"


@pytest.fixture(autouse=True)
def tasks_run_immediately(settings):
    """Background tasks (image renditions) run in-process, so tests stay deterministic."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def collect_static_as_in_production(settings, tmp_path):
    """`collectstatic` as production runs it (DEBUG off, hashed and compressed copies), over
    one folder of static files alone; returns the folder they were collected into."""

    def collect(source: Path) -> Path:
        settings.STATICFILES_DIRS = [source]
        settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
        settings.STATIC_ROOT = tmp_path / "collected"
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        settings.DEBUG = False
        call_command("collectstatic", "--noinput", verbosity=0)
        return settings.STATIC_ROOT

    return collect


@pytest.fixture
def editor(db):
    from tests.factories import EditorFactory

    return EditorFactory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps dialling Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    """Debian's chromium driven by Playwright (Playwright's own browser download is not used)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it: a skip there would hide a broken setup.
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls stay
    # synchronous. Only for browser tests: the deployment check refuses the variable.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def pytest_configure(config):
    """Compile the interface's translations when a .po file is newer than its .mo (as `make
    translations` does), so a plain `pytest` after a pull tests the words in the repo."""
    if hasattr(config, "workerinput"):
        return  # xdist workers: the controller compiled them before starting them.
    locale = Path(__file__).resolve().parent.parent / "locale"
    for po in locale.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        if not shutil.which("msgfmt"):
            raise pytest.UsageError(
                f"{po} needs compiling and GNU gettext's msgfmt is not installed "
                "(apt-get install gettext), or run `make translations` where it is."
            )
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
