"""A newsroom's night: back everything up, lose the machine, bring it all back.

The round trip uses the real tools (pg_dump, pg_restore) on the test database and a fresh
database of the test's own, with `manage.py restore` run as the operator would run it.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import boto3
import psycopg2
import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from moto import mock_aws
from psycopg2 import sql

from articles.models import Article, Image
from articles.services import article_publish
from comments.models import Comment, ModerationAction
from comments.services.moderation import comment_hide
from tests.comments.helpers import NOW, post_comment
from tests.factories import ArticleFactory, ImageFactory, ModeratorFactory

ROOT = Path(__file__).resolve().parents[2]
# What must come back row for row; the audit log above all.
TABLES = [
    "articles_article",
    "articles_articlerevision",
    "articles_image",
    "articles_rendition",
    "comments_comment",
    "comments_moderationaction",
    "auth_user",
]

pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def on_the_server(*statements):
    db = connection.settings_dict
    link = psycopg2.connect(dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"])
    link.autocommit = True  # CREATE and DROP DATABASE refuse a transaction
    try:
        with link.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        link.close()


@pytest.fixture
def empty_database():
    name = sql.Identifier(f"{connection.settings_dict['NAME']}_restored")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
    on_the_server(drop, sql.SQL("CREATE DATABASE {}").format(name))
    yield name.strings[0]
    on_the_server(drop)


def rows(database: str, table: str) -> list[tuple]:
    db = connection.settings_dict
    with psycopg2.connect(
        dbname=database, user=db["USER"], host=db["HOST"], port=db["PORT"]
    ) as link:
        with link.cursor() as cursor:
            cursor.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(sql.Identifier(table)))
            return cursor.fetchall()


def files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def restore(folder: Path, *, database: str, media: Path, originals: Path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "MEDIA_ROOT": str(media),
        "ORIGINALS_ROOT": str(originals),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_a_backup_brings_back_stories_comments_photos_and_the_audit_log(
    client, settings, tmp_path, empty_database, time_machine
):
    time_machine.move_to(NOW, tick=False)
    # A day's work: a story with its photo published, a comment, a moderator's hide.
    photo = ImageFactory()
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, lead_image=photo)
    article_publish(article=article)
    post_comment(client, article, body="A comment the moderator will hide.")
    comment = Comment.objects.get()
    comment_hide(comment=comment, moderator=ModeratorFactory(), reason="abuse")
    assert ModerationAction.objects.count() == 1

    call_command("backup", into=tmp_path / "backups")
    (folder,) = (tmp_path / "backups").iterdir()

    # The machine is lost: a new, empty database and empty storage.
    media, originals = tmp_path / "new-media", tmp_path / "new-originals"
    restored = restore(folder, database=empty_database, media=media, originals=originals)

    assert restored.returncode == 0, restored.stderr
    source = connection.settings_dict["NAME"]
    for table in TABLES:
        assert rows(empty_database, table) == rows(source, table), table
    assert files(media) == files(settings.MEDIA_ROOT) != {}
    assert files(originals) == files(settings.ORIGINALS_ROOT) != {}


def test_a_restore_never_writes_over_a_database_in_use(tmp_path, settings):
    ArticleFactory(headline="Tonight's lead")
    call_command("backup", into=tmp_path / "backups")
    (folder,) = (tmp_path / "backups").iterdir()

    refused = restore(
        folder,
        database=connection.settings_dict["NAME"],
        media=tmp_path / "m",
        originals=tmp_path / "o",
    )

    assert refused.returncode != 0
    assert "is not empty" in refused.stderr and "Nothing was changed" in refused.stderr
    assert Article.objects.get().headline == "Tonight's lead"


def test_an_unfinished_backup_is_refused(tmp_path, empty_database):
    half = tmp_path / "newsroom-20261202T050000Z"
    half.mkdir()
    (half / "database.dump").write_bytes(b"")

    refused = restore(half, database=empty_database, media=tmp_path / "m", originals=tmp_path / "o")

    assert refused.returncode != 0
    assert "not a finished backup" in refused.stderr


@pytest.fixture
def media_in_a_bucket(settings, monkeypatch):
    """MEDIA_STORAGE=s3 on moto's in-process bucket; `switch(bucket)` moves to another one."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")

        def switch(bucket: str):
            s3.create_bucket(Bucket=bucket)
            options = {"bucket_name": bucket, "region_name": "us-east-1", "file_overwrite": False}
            settings.STORAGES = {
                **settings.STORAGES,
                "default": {"BACKEND": "articles.storage.S3MediaStorage", "OPTIONS": options},
                "originals": {"BACKEND": "articles.storage.S3OriginalStorage", "OPTIONS": options},
            }
            monkeypatch.setattr(Image._meta.get_field("file"), "storage", storages["originals"])
            return s3

        yield switch


@contextmanager
def connected_to(database: str):
    """This process's connection on another database, as a restore on a new machine has."""
    real = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real


def bucket_files(s3, bucket: str) -> dict[str, bytes]:
    listing = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listing
    }


def test_photos_in_object_storage_are_backed_up_and_restored_into_a_new_bucket(
    tmp_path, empty_database, media_in_a_bucket
):
    s3 = media_in_a_bucket("newsroom-media")
    photo = ImageFactory()  # the rendition task runs at once in tests: the set is made
    assert photo.renditions.exists()
    backed_up = bucket_files(s3, "newsroom-media")

    call_command("backup", into=tmp_path / "backups")
    (folder,) = (tmp_path / "backups").iterdir()
    media_in_a_bucket("newsroom-media-restored")
    with connected_to(empty_database):
        call_command("restore", str(folder))

    assert bucket_files(s3, "newsroom-media-restored") == backed_up
    assert rows(empty_database, "articles_rendition") == rows(
        connection.settings_dict["NAME"], "articles_rendition"
    )


def test_a_restore_never_writes_into_a_bucket_in_use(tmp_path, empty_database, media_in_a_bucket):
    s3 = media_in_a_bucket("newsroom-media")
    ImageFactory()
    call_command("backup", into=tmp_path / "backups")
    (folder,) = (tmp_path / "backups").iterdir()
    before = bucket_files(s3, "newsroom-media")

    with connected_to(empty_database), pytest.raises(CommandError, match="already holds files"):
        call_command("restore", str(folder))

    assert bucket_files(s3, "newsroom-media") == before
    assert rows_exist(empty_database) is False


def rows_exist(database: str) -> bool:
    db = connection.settings_dict
    link = psycopg2.connect(dbname=database, user=db["USER"], host=db["HOST"], port=db["PORT"])
    try:
        with link.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            return cursor.fetchone()[0] > 0
    finally:
        link.close()
