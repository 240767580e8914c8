"""Test data builders. Times are explicit so no test depends on the clock's reading."""

import importlib
import io
import struct
import zlib
from datetime import UTC, datetime

import factory
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PillowImage

from articles.models import Article, Author, Byline, Image, Section
from articles.services import image_save
from comments.models import Comment

# A fixed moment well in the past: "published" rows use it so tests never race the clock.
PAST = datetime(2014, 11, 20, 16, 8, tzinfo=UTC)


def jpeg_bytes(size=(64, 48), color=(30, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def uploaded_jpeg(name="photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(size), content_type="image/jpeg")


# The data migrations that make the staff groups: the one list of what each group may do.
GROUP_MIGRATIONS = [
    "articles.migrations.0004_editors_group",
    "articles.migrations.0009_writers_group",
    "comments.migrations.0003_moderators_group",
    "articles.migrations.0016_topics_search",
]


def migrated_group(name: str) -> Group:
    """A staff group as its data migrations make it.

    The migrations run again each time (they only add what is missing): a transactional
    test's flush (kept by --reuse-db) may have removed a group, or a later migration may
    have made it again with only its own additions.
    """
    for migration in GROUP_MIGRATIONS:
        module = importlib.import_module(migration)
        for create in (v for n, v in vars(module).items() if n.startswith("create_")):
            create(django_apps, None)
    return Group.objects.get(name=name)


def editors_group() -> Group:
    return migrated_group("Editors")


def writers_group() -> Group:
    return migrated_group("Writers")


def moderators_group() -> Group:
    return migrated_group("Moderators")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class EditorFactory(UserFactory):
    """A staff member in the Editors group: writes, edits and publishes articles in the admin."""

    is_staff = True

    @factory.post_generation
    def editors_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(editors_group())
            # Beyond the group: stories here also have the editor correct a section's name.
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="articles",
                    codename__in=["add_section", "change_section"],
                )
            )


class WriterFactory(UserFactory):
    """A staff writer in the Writers group: writes and submits their own stories; an editor
    publishes them."""

    is_staff = True

    @factory.post_generation
    def writers_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(writers_group())


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.LazyFunction(uploaded_jpeg)
    caption = "Agency screengrab of the two ministers"
    credit = "Express News screengrab"
    alt_text = "Two ministers at a press conference"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the one door, as the admin saves photos: renditions queued on commit.
        return image_save(image=model_class(*args, **kwargs), by=None)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    standfirst = "A short summary of the story."
    body = "<p>The first paragraph.</p><h2>A subheading</h2><p>More.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = PAST

    @factory.post_generation
    def bylines(article, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(extracted or [AuthorFactory()]):
            Byline.objects.create(article=article, author=author, position=position)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.LazyAttribute(lambda c: f"{c.name.lower().replace(' ', '.')}@example.org")
    body = "I found this report useful."
    posted_at = PAST


# Image files for the library's upload and rendition tests, all built here with Pillow.


def photo_bytes(size=(64, 48), fmt="JPEG", **save_options) -> bytes:
    """A photo-like picture: left half red, right half blue, so crops can be told apart."""
    width, height = size
    picture = PillowImage.new("RGB", size, (200, 30, 30))
    picture.paste((30, 30, 200), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def noisy_jpeg_bytes(size=(320, 240)) -> bytes:
    """A JPEG with real entropy-coded data, long enough to cut short convincingly."""
    buffer = io.BytesIO()
    PillowImage.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def jpeg_with_gps_bytes(size=(60, 40)) -> bytes:
    """A camera-style JPEG: GPS coordinates, a camera serial and "rotate 90°" orientation."""
    exif = PillowImage.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.BodySerialNumber] = "SN-4471-SECRET"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (24.0, 51.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (67.0, 0.0, 36.0)
    return photo_bytes(size, exif=exif.tobytes())


def png_bomb_bytes(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width × height white pixels: tiny on disk, huge in memory."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


class ModeratorFactory(UserFactory):
    """A staff member in the Moderators group."""

    is_staff = True

    @factory.post_generation
    def moderators_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(moderators_group())
