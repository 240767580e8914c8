import operator
import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import reduce
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    Lexeme,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Q, StringAgg, When
from django.db.models.functions import Cast, Coalesce, Concat, JSONObject
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.functional import cached_property
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField

from articles import renditions, search
from articles.html import BODY_EDITOR_EXTENSIONS, rendition_prefix, sanitize_body
from articles.imaging import normalise_upload, safe_stem
from articles.languages import (
    SIMPLE,
    default_language,
    direction,
    language_choices,
    search_configurations,
)
from articles.storage import original_storage


def unique_slug(model, text: str, *, exclude_pk=None, max_length: int = 200) -> str:
    """Return a slug for text that no other row of model uses yet."""
    base = slugify(text, allow_unicode=True)[: max_length - 10].strip("-") or "item"
    candidate, suffix = base, 2
    others = model._default_manager.exclude(pk=exclude_pk)
    while others.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


class LocalizedName(NamedTuple):
    """A name as a page in some language shows it, with the language it is written in."""

    text: str
    language: str  # "" when the name belongs to no one language (a person's).

    def __str__(self):
        return self.text

    @property
    def direction(self) -> str:
        return direction(self.language) if self.language else ""


def _renamed(instance) -> bool:
    """Whether a saved row's names are about to change: its stories' search text follows them."""
    if instance.pk is None:
        return False
    fields = instance.names_in_search_text
    stored = type(instance)._default_manager.filter(pk=instance.pk).values_list(*fields).first()
    return stored != tuple(getattr(instance, field) for field in fields)


class NamedInSearchText(models.Model):
    """A name that stories' search text contains: renaming it refreshes those stories'."""

    # The columns holding the names search reads.
    names_in_search_text = ("name",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        renamed = _renamed(self)
        super().save(*args, **kwargs)
        if renamed:
            self.stories_naming_this().refresh_search_vectors()

    def stories_naming_this(self):
        raise NotImplementedError


class OtherNames(models.Model):
    """A name with spellings for pages in other languages (a section, a byline)."""

    other_names = models.JSONField(
        "names in other languages",
        default=dict,
        blank=True,
        help_text="The name as pages in each other language show it, by language code.",
    )

    # A story is searched by the name its page shows (search_document): a new spelling in
    # its language must reach its search text as a rename does.
    names_in_search_text = ("name", "other_names")

    class Meta:
        abstract = True

    def name_in(self, language: str) -> LocalizedName:
        """The name a page in this language shows: its own spelling there, else the name."""
        other = (self.other_names or {}).get(language, "").strip()
        if other:
            return LocalizedName(other, language)
        return LocalizedName(self.name, getattr(self, "language", ""))


class Section(OtherNames, NamedInSearchText):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    language = models.CharField(
        max_length=12,
        choices=language_choices,
        default=default_language,
        help_text="The language of the section's name and of its page.",
    )
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation: lower numbers come first."
    )
    comments_premoderated = models.BooleanField(
        "hold comments for approval",
        default=False,
        help_text="Reader comments on this section's articles wait for a moderator.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section-detail", kwargs={"slug": self.slug})

    def stories_naming_this(self):
        return Article.objects.filter(section=self)


class TopicQuerySet(models.QuerySet):
    def known_to_readers(self):
        """Topics with a published story. A topic made for a scheduled scoop stays unknown
        (its page, feed and sitemap entry would announce it) until the story is out."""
        published = Article.objects.published().filter(topics=OuterRef("pk"))
        return self.filter(Exists(published))


class Topic(NamedInSearchText):
    """A subject that runs across sections and days, such as "Floods 2026" or "Budget"."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=110,
        unique=True,
        allow_unicode=True,
        help_text="The topic page's address; letters of any script.",
    )
    description = models.TextField(blank=True, help_text="Shown at the top of the topic page.")

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Topic, self.name, exclude_pk=self.pk, max_length=110)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:topic-detail", kwargs={"slug": self.slug})

    def stories_naming_this(self):
        return Article.objects.filter(topics=self)


class AuthorQuerySet(models.QuerySet):
    def known_to_readers(self):
        """Authors readers may know of: a byline on a published story, or the photographer
        of a published story's lead photo.

        A guest whose only story is scheduled stays unknown until it goes out: their page,
        portrait and sitemap entry would announce the scoop.
        """
        published = Article.objects.published()
        # Nested EXISTS probe the photographer's few photos, then each photo's articles, by
        # index; a join from articles to images would scan the archive.
        photographed = Image.objects.filter(photographer=OuterRef("pk")).filter(
            Exists(published.filter(lead_image=OuterRef("pk")))
        )
        return self.filter(
            Exists(published.filter(bylines__author=OuterRef("pk"))) | Exists(photographed)
        )


class Author(OtherNames, NamedInSearchText):
    """A byline: a staff writer, a guest, an agency or "Staff Reporter"."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True, allow_unicode=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A portrait shown on the author page.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff account that writes under this byline, if any.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, exclude_pk=self.pk, max_length=160)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author-detail", kwargs={"slug": self.slug})

    def stories_naming_this(self):
        return Article.objects.filter(bylines__author=self)


def image_upload_to(instance, filename):
    # The stem is made safe as every upload's is (imaging.safe_stem). The random part keeps
    # a photo for an unpublished story from being found by guessing its address; the
    # storage still adds a suffix on any collision, so an upload never overwrites another.
    extension = PurePath(filename.replace("\\", "/")).suffix.lstrip(".")
    safe_extension = slugify(extension)[:5] or "jpg"
    token = get_random_string(8, "abcdefghijklmnopqrstuvwxyz0123456789")
    return f"images/{timezone.now():%Y/%m}/{safe_stem(filename)}-{token}.{safe_extension}"


# A label editors type before a credit out of habit ("Photo: AFP"), in the newsroom's
# languages; teasers put their own label before the credit, in the story's language.
CREDIT_LABEL = re.compile(
    r"^\s*(?:photo(?:graph)?s?|picture|image|credit|فوٹو|تصویر)\s*:\s*", re.IGNORECASE
)


class Image(models.Model):
    """A photo or graphic in the media library, always shown with its credit."""

    file = models.ImageField(
        upload_to=image_upload_to,
        storage=original_storage,
        width_field="width",
        height_field="height",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text='Who made or supplied it, e.g. "Express News screengrab" or "AFP".',
    )
    photographer = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    is_decorative = models.BooleanField(
        default=False, help_text="Purely decorative images need no alt text."
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    file_size = models.PositiveBigIntegerField(editable=False, default=0)
    focal_x = models.PositiveSmallIntegerField(
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Horizontal focal point in percent (0 = left edge).",
    )
    focal_y = models.PositiveSmallIntegerField(
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Vertical focal point in percent (0 = top edge).",
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="uploaded_images",
    )
    renditions_made_for = models.CharField(
        max_length=12,
        blank=True,
        editable=False,
        help_text="The rendition key (file and focal point) whose whole set of renditions is "
        "stored under its derived names; pages then need none of the Rendition rows.",
    )

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["-uploaded_at"], name="image_uploaded_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__lte=100) & Q(focal_y__lte=100),
                name="image_focal_point_in_percent",
            ),
        ]

    def __str__(self):
        return self.caption or self.alt_text or self.file.name

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # Also here, not only in image_save, so no code path stores an unchecked upload.
            if not getattr(self.file.file, "is_normalised", False):
                self.file = normalise_upload(self.file.file)
            self.file_size = self.file.size
        elif self.file and not self.file_size:
            self.file_size = self.file.size
        super().save(*args, **kwargs)

    def clean(self):
        if not self.is_decorative and not self.alt_text.strip():
            raise ValidationError(
                {
                    "alt_text": "Describe the image for readers who cannot see it, "
                    "or mark it as decorative."
                }
            )

    @property
    def unlabelled_credit(self) -> str:
        """The credit without a label typed before it, for places that add their own."""
        credit = self.credit.strip()
        return CREDIT_LABEL.sub("", credit) or credit

    @property
    def missing_for_publication(self) -> list[str]:
        """Name what a lead image still lacks before its article can go out."""
        missing = []
        if not self.credit.strip():
            missing.append("a credit")
        if not self.alt_text.strip() and not self.is_decorative:
            missing.append("alt text")
        return missing

    @property
    def rendition_key(self) -> str:
        return renditions.source_key(self.file.name or "", self.focal_x, self.focal_y)

    def picture(self, crop: str = "full", *, read_rows: bool = True) -> "renditions.Picture | None":
        """The sources a <picture> of this image offers, from renditions made or to come.

        Once the image's whole set is made, the addresses follow from the image alone;
        until then it reads `renditions.all()`, so pages prefetch `Rendition.objects.
        for_pictures()`, which holds only such images' rows. With read_rows off, a set not
        yet whole is offered through the view that makes each rendition (no query).
        """
        if not self.file or not self.width or not self.height:
            return None
        key = self.rendition_key
        if not read_rows and self.renditions_made_for != key:
            return renditions.Picture.build(self, crop, {})
        if self.renditions_made_for == key:
            # The whole set is stored under names derived from the image alone: no rows needed.
            stored_urls = {
                spec.name: default_storage.url(renditions.rendition_name(self, spec, key))
                for spec in renditions.planned_specs(self.width, self.height, [crop])
            }
        else:
            stored_urls = {r.spec: r.file.url for r in self.renditions.all() if r.source_key == key}
        return renditions.Picture.build(self, crop, stored_urls)

    def is_public(self) -> bool:
        """Whether readers may see this image: it leads or illustrates a published article,
        or is an author's portrait. Photos for stories not out yet stay private."""
        published = Article.objects.published()
        return (
            published.filter(lead_image=self).exists()
            or Author.objects.known_to_readers().filter(photo=self).exists()
            or published.filter(body__contains=f'src="{rendition_prefix()}{self.pk}/').exists()
        )

    @property
    def body_reference(self) -> str:
        """The address an editor gives a body figure to place this image in an article."""
        specs = renditions.planned_specs(self.width, self.height, ["full"])
        jpegs = [spec for spec in specs if spec.format == "jpeg" and spec.width <= 960]
        spec = (jpegs or specs)[-1]
        return reverse("articles:image-rendition", kwargs={"pk": self.pk, "spec": spec.name})


class RenditionCrop(models.TextChoices):
    FULL = "full", "Whole photo"
    CARD = "card", "16:9 card"
    SQUARE = "square", "Square"
    SHARE = "share", "Shared link (1200 x 630)"


class RenditionFormat(models.TextChoices):
    AVIF = "avif", "AVIF"
    JPEG = "jpeg", "JPEG"


class RenditionQuerySet(models.QuerySet):
    def for_pictures(self):
        """The rows a page's pictures still read: those of images whose whole set is not
        marked made yet (the others' addresses follow from the image alone)."""
        return self.exclude(image__renditions_made_for=models.F("source_key")).only(
            "image_id", "spec", "source_key", "file"
        )


class Rendition(models.Model):
    """A resized, cropped, re-encoded copy of an Image: what public pages actually serve."""

    Crop = RenditionCrop
    Format = RenditionFormat

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(
        max_length=40, help_text='Crop, width and format, e.g. "card-640.avif".'
    )
    source_key = models.CharField(
        max_length=12, help_text="Which file and focal point of the image this was made from."
    )
    crop = models.CharField(max_length=10, choices=Crop)
    format = models.CharField(max_length=10, choices=Format)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to="renditions/", max_length=255)
    file_size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = RenditionQuerySet.as_manager()

    class Meta:
        ordering = ["image_id", "crop", "format", "width"]
        constraints = [
            # The same rendition is never made twice, even by two requests at once.
            models.UniqueConstraint(
                fields=["image", "source_key", "spec"], name="rendition_made_once"
            ),
            models.CheckConstraint(
                condition=Q(crop__in=RenditionCrop.values), name="rendition_crop_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=RenditionFormat.values), name="rendition_format_valid"
            ),
        ]

    def __str__(self):
        return f"{self.image} ({self.spec})"


@receiver(post_delete, sender=Rendition)
def _delete_rendition_file(sender, instance, **kwargs):
    # The set is no longer whole: pages go back to reading the rows that remain.
    Image.objects.filter(pk=instance.image_id, renditions_made_for=instance.source_key).update(
        renditions_made_for=""
    )
    # Only once the deletion is committed: a rolled-back delete keeps a working file.
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Image)
def _delete_image_file(sender, instance, **kwargs):
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may read: published and with a publish time now or past."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def with_translations(self):
        """Each article with its published translations (and its original) as
        `translation_links`, in the same query: a list of dicts with pk, slug, language
        and headline, by language."""
        original = Coalesce(OuterRef("translation_of_id"), OuterRef("pk"))
        family = (
            Article.objects.published()
            .filter(Q(pk=original) | Q(translation_of=original))
            .exclude(pk=OuterRef("pk"))
            .order_by("language", "pk")
            .values(link=JSONObject(pk="pk", slug="slug", language="language", headline="headline"))
        )
        return self.annotate(translation_links=ArraySubquery(family))

    def with_bylines(self):
        """Articles with section, lead image and ordered bylines in a fixed number of queries."""
        # The search text is for PostgreSQL alone, and as long as the body: never sent back.
        return (
            self.select_related("section", "lead_image")
            .prefetch_related(
                models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
            )
            .defer("search_vector")
        )

    def for_listing(self):
        """What a teaser shows; the body stays in the database."""
        return self.with_bylines().defer("body")

    def for_cards(self):
        """What a teaser shows, bylines apart: `with_card_relations` fetches them for the
        cards that are not kept (articles.fragments.Cards)."""
        return self.select_related("section", "lead_image").defer("body", "search_vector")

    def latest_per_section(self, per_section: int):
        """The newest per_section articles of each section, in one query."""
        ids = self._latest_ids_per_section(per_section)
        return self.none() if ids is None else self.filter(pk__in=ids)

    def _latest_ids_per_section(self, per_section: int, section_ids=None):
        # Each section's slice walks the (section, status, published_at) index, so the cost
        # stays flat however large the archive grows.
        if section_ids is None:
            section_ids = Section.objects.values_list("pk", flat=True)
        newest_ids = None
        for section_id in section_ids:
            ids = self.filter(section_id=section_id).order_by("-published_at", "-pk")
            ids = ids.values("pk")[:per_section]
            newest_ids = ids if newest_ids is None else newest_ids.union(ids, all=True)
        return newest_ids

    def refresh_search_vectors(self) -> int:
        """Recompute these articles' stored search text from their words and names."""
        return self.order_by().update(search_vector=search_document())

    def search(self, text: str, *, newest_first: bool = False):
        """Articles matching a reader's words, the best match first (or the newest), each
        with its headline and a passage carrying the matched words between
        `search.MARK_START` and `search.MARK_END` (see `search.highlighted`).

        The words are read as a web search box reads them (quotes, "or", a leading "-"), so
        no input is a syntax error; the stored vector's GIN index finds the matches. Call
        it last, after any other filter: the best matches are those among the newest
        `search.RANK_WINDOW` matching stories of what it is given.
        """
        searches = LanguageSearches(
            lambda config: SearchQuery(text, search_type="websearch", config=config)
        )
        matching = self.filter(searches.match()).order_by("-published_at", "-pk")
        if not newest_first:
            # Ranking reads each candidate's whole vector: a word in every story would rank
            # the archive on every search. Only matches from the publish time of the
            # RANK_WINDOW-th newest on are ranked (all of them when there are fewer).
            dated = matching.filter(published_at__isnull=False).values("published_at")
            last = dated[search.RANK_WINDOW - 1 : search.RANK_WINDOW]
            since = Coalesce(
                models.Subquery(last), Cast(models.Value("-infinity"), models.DateTimeField())
            )
            recent = Q(published_at__gte=since) | Q(published_at__isnull=True)
            matching = matching.filter(recent).annotate(
                search_rank=searches.per_story(
                    lambda query: SearchRank(
                        models.F("search_vector"), query, normalization=search.RANK_NORMALISATION
                    )
                )
            )
            matching = matching.order_by("-search_rank", "-published_at", "-pk")
        return matching.annotate(
            headline_marked=search_marks(models.F("headline"), searches, highlight_all=True),
            passage_marked=search_marks(
                Concat("standfirst", models.Value(" "), "body", output_field=models.TextField()),
                searches,
                max_words=search.PASSAGE_WORDS,
                min_words=search.PASSAGE_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )

    def published_between(self, first: date | None = None, last: date | None = None):
        """Articles published from the day `first` to the day `last`, both included, as the
        newsroom's clock reads days (a reader's "1 March" starts at midnight here)."""
        zone = timezone.get_current_timezone()
        found = self
        if first is not None:
            found = found.filter(published_at__gte=datetime.combine(first, time.min, zone))
        if last is not None:
            following = datetime.combine(last + timedelta(days=1), time.min, zone)
            found = found.filter(published_at__lt=following)
        return found

    def with_topics(self):
        """Articles with their topics in the same query (`Article.listed_topics`)."""
        topics = Topic.objects.filter(articles=OuterRef("pk")).order_by("name")
        rows = topics.values(row=JSONObject(pk="pk", name="name", slug="slug"))
        return self.annotate(topic_rows=ArraySubquery(rows))

    def beside(self, article: "Article", *, in_section: int, related: int) -> "Beside":
        """The stories listed beside an article, in one query: the newest of its section,
        and related ones, those sharing the most of its topics first, then those whose
        headlines share the most words with its headline.

        Each kind is chosen among at most `RELATED_CANDIDATES` of the newest candidates,
        so the cost stays flat however many stories share a topic or a word. The story's
        translations are never among them: its language link leads to them.
        """
        original = article.translation_of_id or article.pk
        others = self.exclude(Q(pk=original) | Q(translation_of=original)).only(
            "pk", "slug", "headline", "published_at", "language", "translation_of"
        )

        def listed(queryset, kind: str, score):
            return queryset.annotate(
                beside_kind=models.Value(kind),
                beside_score=Cast(score, models.FloatField()),
            )

        newest = others.filter(section_id=article.section_id).order_by("-published_at", "-pk")
        parts = [listed(newest, "section", models.Value(0.0))[: in_section + related]]
        topic_ids = [topic.pk for topic in article.listed_topics]
        if topic_ids and related:
            tagged = ArticleTopic.objects.filter(article=OuterRef("pk"), topic_id__in=topic_ids)
            candidates = others.filter(Exists(tagged)).order_by("-published_at", "-pk")
            shared = tagged.order_by().values("article").annotate(n=models.Count("*"))
            by_topics = listed(
                others.filter(pk__in=candidates.values("pk")[:RELATED_CANDIDATES]),
                "topics",
                models.Subquery(shared.values("n")),
            )
            parts.append(by_topics.order_by("-beside_score", "-published_at", "-pk")[:related])
        if (words := search.headline_words(article.headline)) and related:
            # Headlines that share a word with this one (a word anywhere in a story would
            # relate every story saying "said"); ranked, the more shared words the closer.
            searches = LanguageSearches(
                lambda config: SearchQuery(
                    reduce(operator.or_, (Lexeme(word, weight="A") for word in words)),
                    config=config,
                )
            )
            candidates = others.filter(searches.match()).order_by("-published_at", "-pk")
            similar = listed(
                others.filter(pk__in=candidates.values("pk")[:RELATED_CANDIDATES]),
                "words",
                searches.per_story(lambda query: SearchRank(models.F("search_vector"), query)),
            )
            parts.append(similar.order_by("-beside_score", "-published_at", "-pk")[:related])
        rows = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
        return Beside.choose(
            rows, in_section=in_section, related=related, language=article.language
        )

    def mine(self, user):
        """Articles the user created or carries a byline on: what a writer may edit."""
        bylined = Byline.objects.filter(article=models.OuterRef("pk"), author__user=user)
        return self.filter(Q(created_by=user) | models.Exists(bylined))

    def most_read(self, *, since, limit: int, language: str) -> list:
        """The most read of these stories since a day, most first: their headline and
        address only, in one query that reads only the counters of those days.

        A story and its translations are one story (`shown_once`): their reads add up, and
        it is listed in the page's language when that version was read.
        """
        # Enough versions that `limit` stories remain when each comes in every language.
        versions = list(
            self.filter(daily_read_counts__day__gte=since)
            .annotate(recent_reads=models.Sum("daily_read_counts__reads"))
            .order_by("-recent_reads", "-published_at", "-pk")
            .only("pk", "slug", "headline", "published_at", "language", "translation_of")[
                : limit * len(settings.ARTICLE_LANGUAGES)
            ]
        )
        shown_as = shown_once(versions, language=language)
        reads = defaultdict(int)
        for version in versions:
            reads[shown_as[version.pk].pk] += version.recent_reads
        stories = {story.pk: story for story in shown_as.values()}
        for story in stories.values():
            story.recent_reads = reads[story.pk]
        return sorted(
            stories.values(),
            key=lambda story: (story.recent_reads, story.published_at, story.pk),
            reverse=True,
        )[:limit]

    def front_page(self, per_section: int, *, language: str, sections=None, beside_lead: int = 0):
        """Return the lead story, the top stories beside it and the others grouped by
        section, none twice, and a story with its translation once (`shown_once`).

        The lead is the newest story an editor ticked to lead; top stories are those an
        editor pinned to a slot, then the newest others until there are `beside_lead`.
        All come in the same query as the sections' stories.
        """
        chosen_lead = self.filter(is_front_page_lead=True).order_by("-published_at", "-pk")
        chosen_lead = chosen_lead.values("pk")[:1]
        pinned = self.filter(front_page_slot__isnull=False).values("pk")
        section_ids = None if sections is None else [section.pk for section in sections]
        # Stories beside the lead come out of their sections: fetch enough to refill them.
        ids = self._latest_ids_per_section(per_section + beside_lead, section_ids)
        ids = chosen_lead if ids is None else ids.union(chosen_lead, all=True)
        ids = ids.union(pinned, all=True)
        # What each card shows beyond the row (bylines, renditions) is fetched by the caller
        # (`with_card_relations`), for the cards it has to draw.
        stories = list(
            self.filter(pk__in=ids)
            .select_related("section", "lead_image")
            .defer("body", "search_vector")
        )
        if not stories:
            return FrontPage(None, [], [])
        every_version = sorted(stories, key=lambda a: (a.published_at, a.pk), reverse=True)
        # A story an editor ticked or pinned in one language takes its place in the page's.
        shown_as = shown_once(every_version, language=language)
        newest_first = [a for a in every_version if shown_as[a.pk].pk == a.pk]
        lead = next((shown_as[a.pk] for a in every_version if a.is_front_page_lead), None)
        # Without an editor's choice, a brief without a picture must not push the main
        # story off the top: the newest story with a lead image leads.
        lead = lead or next((a for a in newest_first if a.lead_image_id), newest_first[0])
        pinned = sorted(
            (a for a in every_version if a.front_page_slot), key=lambda a: a.front_page_slot
        )
        top, shown = [], {lead.pk}
        for article in (shown_as[a.pk] for a in pinned):
            if article.pk not in shown:
                top.append(article)
                shown.add(article.pk)
        # The lead never stands alone: the newest stories fill the places editors left.
        for article in newest_first:
            if len(top) >= beside_lead:
                break
            if article.pk not in shown:
                top.append(article)
                shown.add(article.pk)
        by_section = {}
        for article in newest_first:
            if article.pk not in shown and article.section_id is not None:
                stories = by_section.setdefault(article.section, [])
                if len(stories) < per_section:
                    stories.append(article)
        ordered = sorted(by_section.items(), key=lambda item: (item[0].position, item[0].name))
        return FrontPage(lead, top, ordered)


def shown_once(articles, *, language: str) -> dict:
    """The article a page in `language` lists for each of these, by pk: a story and its
    translations are one story there, shown in the page's language when one of them is in
    it, else as the original, else as the first written. The others are reached through
    the language link of the one shown."""
    versions = {}
    for article in articles:
        versions.setdefault(article.translation_of_id or article.pk, []).append(article)
    shown_as = {}
    for same_story in versions.values():
        shown = min(
            same_story,
            key=lambda a: (a.language != language, a.translation_of_id is not None, a.pk),
        )
        shown_as.update((article.pk, shown) for article in same_story)
    return shown_as


def with_card_relations(articles, *, photos: bool = True) -> None:
    """Fetch what story cards show beyond the row, in two queries: the bylines with their
    authors, and (unless the cards show no photo) the lead photos' renditions."""
    lookups = [models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))]
    if photos:
        lookups.append(models.Prefetch("lead_image__renditions", Rendition.objects.for_pictures()))
    models.prefetch_related_objects(articles, *lookups)


class FrontPage(NamedTuple):
    lead: "Article | None"
    top_stories: list
    sections: list


# Related stories are chosen among this many of the newest that share a topic or a word.
RELATED_CANDIDATES = 200


class Beside(NamedTuple):
    """What an article page lists beside the story: more from its section, and related."""

    in_section: list
    related: list

    @classmethod
    def choose(cls, rows, *, in_section: int, related: int, language: str) -> "Beside":
        # Another story found both as itself and as its translation is listed once, in the
        # page's language.
        shown_as = shown_once(rows, language=language)

        def best(kind):
            chosen = [r for r in rows if r.beside_kind == kind and shown_as[r.pk].pk == r.pk]
            return sorted(
                chosen, key=lambda a: (a.beside_score, a.published_at, a.pk), reverse=True
            )

        picked, seen = [], set()
        for article in best("topics") + best("words"):
            if article.pk not in seen and len(picked) < related:
                picked.append(article)
                seen.add(article.pk)
        # A story already listed as related is not listed twice on the page.
        newest = [article for article in best("section") if article.pk not in seen]
        return cls(in_section=newest[:in_section], related=picked)


def _stemmed_languages() -> dict[str, str]:
    """The configuration of each language not read word for word, by code."""
    return {code: config for code, config in search_configurations().items() if config != SIMPLE}


def story_search_configuration():
    """The text search configuration of each story's language, as SQL: its words are
    indexed, searched and highlighted with it (articles.languages.search_configurations)."""
    stemmed = _stemmed_languages()
    if not stemmed:
        return models.Value(SIMPLE)
    return Case(
        *(When(language=code, then=models.Value(config)) for code, config in stemmed.items()),
        default=models.Value(SIMPLE),
        output_field=models.TextField(),
    )


class LanguageSearches:
    """One search per text search configuration the newsroom's languages use, each asked
    only of the stories indexed with it.

    An English story is searched with English stemming ("elections" finds "election") and
    an Urdu one word for word, in one query: the match is an OR of one `@@` per
    configuration, each served by the GIN index; a negated word (`-election`) is then
    negated in each story's own terms.
    """

    def __init__(self, make_query):
        stemmed = _stemmed_languages()
        groups = {}
        for code, config in stemmed.items():
            groups.setdefault(config, []).append(code)
        self.parts = [
            (Q(language__in=codes), make_query(config)) for config, codes in groups.items()
        ]
        # Stories in any other language, even one no longer offered, are read word for
        # word, as story_search_configuration() indexed them.
        self.parts.append((~Q(language__in=list(stemmed)), make_query(SIMPLE)))

    def match(self) -> Q:
        """The filter: each story matched by the search in its own configuration."""
        if len(self.parts) == 1:
            return Q(search_vector=self.parts[0][1])
        return reduce(
            operator.or_, (stories & Q(search_vector=query) for stories, query in self.parts)
        )

    def per_story(self, make_expression=None):
        """An expression over each story's own search (a rank, or the query itself)."""
        make_expression = make_expression or (lambda query: query)
        *parts, (_, last) = self.parts
        if not parts:
            return make_expression(last)
        return Case(
            *(When(stories, then=make_expression(query)) for stories, query in parts),
            default=make_expression(last),
        )


def search_marks(expression, searches: LanguageSearches, **options):
    """ts_headline of `expression` with the matched words between our private markers,
    each story's words read with its own language's configuration.

    Markers already in the text are removed first, so only PostgreSQL's can be read back.
    """
    text = models.Func(
        expression,
        models.Value(search.MARK_START + search.MARK_END),
        models.Value(""),
        function="translate",
        output_field=models.TextField(),
    )
    return SearchHeadline(
        text,
        searches.per_story(),
        config=story_search_configuration(),
        start_sel=search.MARK_START,
        stop_sel=search.MARK_END,
        **options,
    )


def names_as_shown(prefix: str = ""):
    """A section's or author's name with its spelling in the story's language, if it has one
    (what the story's page shows, `OtherNames.name_in`): readers of the story find it by
    either. For a subquery of a story; `prefix` leads from its rows to the named one."""
    in_story_language = models.Func(
        models.F(f"{prefix}other_names"),
        OuterRef("language"),
        function="jsonb_extract_path_text",
        output_field=models.TextField(),
    )
    return Concat(
        f"{prefix}name",
        models.Value(" "),
        Coalesce(in_story_language, models.Value(""), output_field=models.TextField()),
        output_field=models.TextField(),
    )


def search_document():
    """What search reads of an article: the headline weighs most, then the standfirst, then
    the names (section, bylines, topics) as its page shows them, then the body (its HTML
    tags are not words), all read with the configuration of the story's language."""
    config = story_search_configuration()
    section = Section.objects.filter(pk=OuterRef("section_id"))
    section_names = section.values(names=names_as_shown())[:1]
    byline_names = (
        Byline.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(names=StringAgg(names_as_shown("author__"), models.Value(" ")))
        .values("names")
    )
    topic_names = (
        ArticleTopic.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(names=StringAgg("topic__name", models.Value(" ")))
        .values("names")
    )
    return (
        SearchVector("headline", config=config, weight="A")
        + SearchVector("standfirst", config=config, weight="B")
        + SearchVector(
            models.Subquery(section_names),
            models.Subquery(byline_names),
            models.Subquery(topic_names),
            config=config,
            weight="C",
        )
        + SearchVector("body", config=config, weight="D")
    )


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class Article(models.Model):
    Status = ArticleStatus

    headline = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=250,
        allow_unicode=True,
        help_text="The readable part of the address. Old addresses keep working if it changes.",
    )
    standfirst = models.TextField(
        blank=True, help_text="One or two sentences under the headline that sell the story."
    )
    body = ProseEditorField(
        config={"extensions": BODY_EDITOR_EXTENSIONS}, sanitize=sanitize_body, blank=True
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    # Choices from settings.ARTICLE_LANGUAGES, read when asked: no migration per newsroom.
    # The database's own default serves rows bulk-loaded by SQL (the benchmarks); the app
    # always sets the language itself.
    language = models.CharField(
        max_length=12,
        choices=language_choices,
        default=default_language,
        db_default="en",
        help_text="The language the story is written in: its page, direction and search follow it.",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The story this one translates. Each page then links to the other.",
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="articles",
        help_text="What the story is about beyond its section; each topic has its own page.",
    )
    lead_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_articles"
    )
    # Not editable: only articles/services.py moves an article between states, so the
    # rules (who may publish, a lead image fit to publish, the revision) hold on every path.
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        editable=False,
        help_text="Leave empty to publish now. A future time schedules the article.",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up with every save, so a save made on an older copy is noticed.",
    )
    substantively_updated_at = models.DateTimeField(
        "updated for readers",
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor last marked a save as a substantive update.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)
    is_front_page_lead = models.BooleanField(
        "lead the front page",
        default=False,
        help_text="The newest published story ticked here leads the front page; with none "
        "ticked, the newest story with a lead image does.",
    )
    front_page_slot = models.PositiveSmallIntegerField(
        "top story slot",
        null=True,
        blank=True,
        help_text="Pin the story to this place in the front page's top stories, under the "
        "lead. Empty: it appears with its section as usual.",
    )
    comments_open = models.BooleanField(
        default=True, help_text="Untick to close the comments under this article."
    )
    comments_reopened_until = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="An editor reopened comments past their automatic close until this moment; "
        "kept here so the article page needs no query to know. Written by the comments app.",
    )
    comments_premoderated = models.BooleanField(
        "hold comments for approval",
        default=False,
        help_text="Reader comments wait for a moderator before they appear.",
    )
    comment_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Reader comments visible to the public; kept exact by the comments app.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="created_articles",
    )
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Headline, standfirst, names and body as search reads them; kept current "
        "whenever the article, its bylines or its topics are saved.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            models.Index(
                fields=["-published_at"],
                condition=Q(is_front_page_lead=True),
                name="article_front_lead_idx",
            ),
            models.Index(
                fields=["language", "status", "-published_at"], name="article_language_idx"
            ),
            # Written straight into the index, not a pending list that each search would
            # scan until a vacuum: saves are rare, searches many.
            GinIndex(fields=["search_vector"], name="article_search_idx", fastupdate=False),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.UniqueConstraint(
                fields=["front_page_slot"],
                condition=Q(front_page_slot__isnull=False),
                name="article_front_page_slot_once",
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=models.F("pk")),
                name="article_not_its_own_translation",
            ),
            # One translation per language: readers get one "Read in ..." link for each.
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(translation_of__isnull=False),
                name="article_one_translation_per_language",
            ),
        ]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.headline, allow_unicode=True)[:250] or "article"
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        # Sanitised here as well as in the form, so no code path stores unsafe HTML.
        self.body = sanitize_body(self.body)
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCHED_FIELDS.intersection(update_fields):
            Article.objects.filter(pk=self.pk).refresh_search_vectors()

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"pk": self.pk, "slug": self.slug})

    def clean(self):
        super().clean()
        original = self.translation_of
        if original is None:
            return
        if original.pk == self.pk:
            raise ValidationError({"translation_of": "A story cannot be its own translation."})
        if original.translation_of_id is not None:
            raise ValidationError(
                {
                    "translation_of": f"“{original}” is itself a translation: link this one "
                    f"to the story it translates, “{original.translation_of}”."
                }
            )
        if original.language == self.language:
            raise ValidationError(
                {
                    "translation_of": "A translation is in another language than the story it "
                    "translates: change its language first."
                }
            )
        if self.pk and self.translations.exists():
            raise ValidationError(
                {
                    "translation_of": "Other stories translate this one, so it cannot itself "
                    "be a translation: link them to the original instead."
                }
            )

    @property
    def direction(self) -> str:
        return direction(self.language)

    @property
    def translations_for_readers(self) -> list["ArticleTranslation"]:
        """Its published translations and original, as with_translations() fetched them."""
        links = getattr(self, "translation_links", None)
        if links is None:
            links = Article.objects.filter(pk=self.pk).with_translations()
            links = links.values_list("translation_links", flat=True).first() or []
        return [ArticleTranslation(**link) for link in links]

    @cached_property
    def listed_topics(self) -> list[Topic]:
        """The article's topics by name, from `with_topics()` when the query asked for them."""
        rows = getattr(self, "topic_rows", None)
        if rows is None:
            return list(self.topics.all())
        return [Topic(pk=row["pk"], name=row["name"], slug=row["slug"]) for row in rows]

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_published

    @property
    def was_updated_after_publishing(self) -> bool:
        """An editor marked a save after publication as a substantive update."""
        return (
            self.is_published
            and self.substantively_updated_at is not None
            and self.substantively_updated_at > self.published_at
        )

    def modified_for_readers(self, corrections):
        """When readers were last told the story changed (structured data's dateModified,
        feeds' updated): its publication, a substantive update or a correction already
        made among `corrections` (the story's, prefetched), not every typo fix's save."""
        now = timezone.now()
        return max(
            [
                self.published_at,
                *([self.substantively_updated_at] if self.was_updated_after_publishing else []),
                *(c.published_at for c in corrections if c.published_at <= now),
            ]
        )


class ArticleTranslation(NamedTuple):
    """Another language's version of an article, enough to link to it."""

    pk: int
    slug: str
    language: str
    headline: str

    @property
    def direction(self) -> str:
        return direction(self.language)

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"pk": self.pk, "slug": self.slug})


# The article's own columns that its search text reads (its language picks the rules and
# the spelling of the names).
SEARCHED_FIELDS = {"headline", "standfirst", "body", "section", "section_id", "language"}


# The table tagging articles with topics (Django's own, keyed on article and topic).
ArticleTopic = Article.topics.through


@receiver(post_save, sender="articles.Byline")
@receiver(post_delete, sender="articles.Byline")
def _byline_changed(sender, instance, **kwargs):
    # Bylines are saved by the admin's inline, the restore and the factories alike: the
    # names search reads follow them on every path.
    Article.objects.filter(pk=instance.article_id).refresh_search_vectors()


@receiver(m2m_changed, sender=ArticleTopic)
def _topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            Article.objects.filter(pk=instance.pk).refresh_search_vectors()
        return
    # Changed from the topic's side: the articles are named, except in a clear.
    if action == "pre_clear":
        instance._cleared_article_ids = list(instance.articles.values_list("pk", flat=True))
    elif action == "post_clear":
        pk_set = instance.__dict__.pop("_cleared_article_ids", [])
    if action in ("post_add", "post_remove", "post_clear") and pk_set:
        Article.objects.filter(pk__in=pk_set).refresh_search_vectors()


@receiver(pre_delete, sender=Topic)
def _topic_deleting(sender, instance, **kwargs):
    # The cascade removes the tags without an m2m signal: note whose search text named it.
    instance._tagged_article_ids = list(instance.articles.values_list("pk", flat=True))


@receiver(post_delete, sender=Topic)
def _topic_deleted(sender, instance, **kwargs):
    tagged = instance.__dict__.pop("_tagged_article_ids", [])
    Article.objects.filter(pk__in=tagged).refresh_search_vectors()


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(
        max_length=60,
        blank=True,
        help_text='Shown before the name, e.g. "Reported by", "Translated by".',
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once")
        ]

    def __str__(self):
        return f"{self.role} {self.author}".strip()


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections readers may see: made, on articles readers may see, newest first."""
        return self.filter(
            published_at__lte=timezone.now(),
            article__in=Article.objects.published().values("pk"),
        ).order_by("-published_at", "-pk")


class Correction(models.Model):
    """A published correction, shown at the foot of the article for the record."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(help_text="What was wrong and what is right now.")
    published_at = models.DateTimeField(default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at"]
        indexes = [
            # The corrections page, newest first, and the page cache's next moment one is due.
            models.Index(fields=["published_at"], name="articles_correction_published"),
        ]

    def __str__(self):
        return f"Correction to {self.article}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class ArticleRevision(models.Model):
    """The article as it stood after one save or change of state, kept for the record."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=60, help_text='What happened, e.g. "Submitted".')
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Article.Status)
    published_at = models.DateTimeField(null=True, blank=True)
    article_version = models.PositiveIntegerField()
    snapshot = models.JSONField(
        help_text="Headline, standfirst, body, section, lead image, bylines and corrections."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="article_revisions",
    )

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_once"),
        ]

    def __str__(self):
        return f"{self.article} · revision {self.number}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_revision", args=[self.article_id, self.number])

    @property
    def is_published_version(self) -> bool:
        """Readers could see this text: it was saved while the article was published."""
        return (
            self.status == Article.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= self.created_at
        )


class PreviewLinkQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A secret address that shows one unpublished article to someone without an account.

    Only a hash of the token is stored: the database alone cannot rebuild a link.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of {self.article} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Timetable(NamedTuple):
    """What every public page shows that changes with the clock alone, and when it next does."""

    banner: "BreakingNews | None"
    banner_article_url: str
    next_change: "datetime | None"


class BreakingNewsQuerySet(models.QuerySet):
    def current(self):
        return self.filter(expires_at__gt=timezone.now(), starts_at__lte=timezone.now())

    def timetable(self) -> Timetable:
        """The banner to show now and the next moment a page may look different without any
        save (the banner coming down, the next one going up, a scheduled story going live,
        a correction dated later falling due).

        One query however many banners or scheduled stories there are: each part of the
        union walks an index to its first row.
        """
        now = timezone.now()
        no_text = models.Value(None, output_field=models.CharField())
        # The parts that only say when something changes fill the banner's columns with NULLs.
        no_banner = {"no_text": no_text, "no_id": models.Value(None, models.IntegerField())}
        # The banner links to its story only once readers can open it: no embargoed address.
        live_story_slug = models.Case(
            models.When(
                article__status=Article.Status.PUBLISHED,
                article__published_at__lte=now,
                then="article__slug",
            ),
            default=no_text,
        )
        shown = (
            self.current()
            .order_by("-starts_at")
            .annotate(slug=live_story_slug, change=models.F("expires_at"))
            .values_list("text", "article_id", "slug", "change")[:1]
        )
        next_banner = (
            self.filter(starts_at__gt=now)
            .order_by("starts_at")
            .annotate(**no_banner, change=models.F("starts_at"))
            .values_list("no_text", "no_id", "no_text", "change")[:1]
        )
        next_story = (
            Article.objects.scheduled()
            .order_by("published_at")
            .annotate(**no_banner, change=models.F("published_at"))
            .values_list("no_text", "no_id", "no_text", "change")[:1]
        )
        # A correction dated later appears on its story and in the feeds when it is due.
        next_correction = (
            Correction.objects.filter(published_at__gt=now)
            .order_by("published_at")
            .annotate(**no_banner, change=models.F("published_at"))
            .values_list("no_text", "no_id", "no_text", "change")[:1]
        )
        parts = (next_banner, next_story, next_correction)
        rows = list(shown.union(*parts, all=True).order_by())
        banner, article_url = None, ""
        for text, article_id, slug, _ in rows:
            if text is not None:
                banner = BreakingNews(text=text, article_id=article_id)
                if slug is not None:
                    article_url = Article(pk=article_id, slug=slug).get_absolute_url()
        changes = [change for *_, change in rows if change is not None]
        return Timetable(banner, article_url, min(changes, default=None))


class BreakingNews(models.Model):
    """A banner across every public page until it expires."""

    text = models.CharField(max_length=200)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story the banner links to, once it is published.",
    )
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="The banner disappears at this time.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name_plural = "breaking news"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")),
                name="breaking_news_expires_after_start",
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": "The banner must end after it starts."})


class DailyReadCount(models.Model):
    """How many readers opened an article on one day (the site's date), for "Most read".

    Written in batches by `articles.readership`, never on a page's request.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_read_counts")
    day = models.DateField()
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-reads"]
        constraints = [
            # Day first: "Most read" scans the recent days, the upsert finds its row.
            models.UniqueConstraint(fields=["day", "article"], name="daily_read_count_once"),
        ]

    def __str__(self):
        return f"{self.article_id} on {self.day}: {self.reads}"
