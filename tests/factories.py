"""Test data builders. Times are explicit so no test depends on the clock's reading."""

import io
from datetime import UTC, datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from articles.models import Article, Author, Byline, Image, Section
from comments.models import Comment

# A fixed moment well in the past: "published" rows use it so tests never race the clock.
PAST = datetime(2014, 11, 20, 16, 8, tzinfo=UTC)


def jpeg_bytes(size=(64, 48), color=(30, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def uploaded_jpeg(name="photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(size), content_type="image/jpeg")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class EditorFactory(UserFactory):
    """A staff member who may write and publish articles in the admin."""

    is_staff = True

    @factory.post_generation
    def editor_permissions(user, create, extracted, **kwargs):
        if create:
            codenames = [
                f"{action}_{model}"
                for model in ("article", "byline", "correction", "image", "author", "section")
                for action in ("add", "change", "view")
            ]
            permissions = Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
            user.user_permissions.set(permissions)


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
