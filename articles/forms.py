import base64
import io
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.admin import widgets
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import get_language, gettext, gettext_lazy
from PIL import Image as PillowImage

from articles import search, services
from articles.diffs import diff_texts
from articles.imaging import ACCEPTED_CONTENT_TYPES, NormalisedImageFile, normalise_upload
from articles.languages import LANGUAGE_PARAMETER, article_languages
from articles.models import Article, Image
from articles.storage import original_storage

# An upload whose form had errors waits here, already cleaned, so the editor need not
# choose the file again. The names are long and random, and the folder is swept. It is
# kept with the originals, never in public media: the story it is for may be unpublished.
KEPT_UPLOAD_FOLDER = "kept-uploads"
KEPT_UPLOAD_SALT = "articles.kept-upload"
KEPT_UPLOAD_MAX_AGE = timedelta(days=1)
KEPT_PREVIEW_WIDTH = 480


def kept_upload_store(upload: NormalisedImageFile) -> str:
    """Store a cleaned upload for the form's next attempt and return its signed token."""
    kept_uploads_sweep()
    extension = upload.name.rsplit(".", 1)[-1]
    upload.seek(0)
    stored = original_storage().save(
        f"{KEPT_UPLOAD_FOLDER}/{get_random_string(32)}.{extension}", upload
    )
    return signing.dumps(
        {"stored": stored, "name": upload.name, "width": upload.width, "height": upload.height},
        salt=KEPT_UPLOAD_SALT,
        compress=True,
    )


def kept_upload_open(token: str) -> NormalisedImageFile | None:
    """The upload a token names, or None if the token is forged, expired or swept."""
    try:
        kept = signing.loads(token, salt=KEPT_UPLOAD_SALT, max_age=KEPT_UPLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    stored = kept["stored"]
    if not stored.startswith(f"{KEPT_UPLOAD_FOLDER}/") or not original_storage().exists(stored):
        return None
    with original_storage().open(stored, "rb") as file:
        data = file.read()
    # These bytes are what normalise_upload produced on the first attempt: no second check.
    upload = NormalisedImageFile(
        data, name=kept["name"], width=kept["width"], height=kept["height"]
    )
    upload.kept_as = stored
    return upload


def kept_uploads_sweep() -> None:
    """Delete kept uploads older than a day: forms the editor abandoned."""
    try:
        _, names = original_storage().listdir(KEPT_UPLOAD_FOLDER)
    except FileNotFoundError:
        return
    oldest = timezone.now() - KEPT_UPLOAD_MAX_AGE
    for name in names:
        path = f"{KEPT_UPLOAD_FOLDER}/{name}"
        if original_storage().get_modified_time(path) < oldest:
            original_storage().delete(path)


def preview_data_uri(upload: NormalisedImageFile) -> str:
    """A small JPEG of the upload, inline: the kept file itself is never given an address."""
    upload.seek(0)
    picture = PillowImage.open(upload)
    picture.thumbnail((KEPT_PREVIEW_WIDTH, KEPT_PREVIEW_WIDTH * 4))
    if picture.mode != "RGB":
        picture = picture.convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    upload.seek(0)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


class KeptUploadInput(forms.ClearableFileInput):
    """A file input that remembers an upload across a form shown again with errors."""

    kept: dict | None = None

    def kept_name(self, name: str) -> str:
        return f"{name}-kept"

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if value is None and data.get(self.kept_name(name)):
            return kept_upload_open(data[self.kept_name(name)])
        return value

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and not data.get(
            self.kept_name(name)
        )

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        if not self.kept:
            return field
        return format_html(
            '<div class="kept-upload" role="status">'
            '<input type="hidden" name="{}" value="{}">'
            '<img src="{}" alt="" width="160" data-kept-preview>'
            "<p><strong>Your photo {} ({} × {}) is kept.</strong> Fix what is marked below "
            "and save; choose a file only to replace it.</p></div>{}",
            self.kept_name(name),
            self.kept["token"],
            self.kept["preview"],
            self.kept["name"],
            self.kept["width"],
            self.kept["height"],
            field,
        )


class LibraryImageField(forms.FileField):
    """An upload checked and cleaned by Newsroom's own rules, with errors that name the
    problem (Django's ImageField only says "not a valid image" whatever went wrong)."""

    widget = KeptUploadInput(attrs={"accept": ACCEPTED_CONTENT_TYPES})

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None or getattr(upload, "is_normalised", False):
            return upload
        return normalise_upload(upload)


class AltTextInput(forms.Textarea):
    # Required only while the photo is not marked decorative, so the browser must not
    # block the form on its own; the label, aria-required and the server say it instead.
    def use_required_attribute(self, initial):
        return False


class AltTextField(forms.CharField):
    """Shown as required; the rule itself (required unless decorative) is the model's."""

    def validate(self, value):
        # Image.clean reports a missing alt text once, with what to do instead.
        pass


class ImageForm(forms.ModelForm):
    file = LibraryImageField(
        label="Photo",
        help_text="A JPEG, PNG or WebP photo. Location and camera details are removed "
        "before it is stored; the largest size accepted is set by the site.",
    )

    class Meta:
        model = Image
        fields = [
            "file",
            "caption",
            "credit",
            "photographer",
            "alt_text",
            "is_decorative",
            "focal_x",
            "focal_y",
        ]
        labels = {"alt_text": "Alt text"}
        help_texts = {
            "alt_text": "Required unless the image is decorative. What the image shows, for "
            "readers who cannot see it.",
        }
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "alt_text": AltTextInput(
                attrs={"rows": 2, "class": "vLargeTextField", "aria-required": "true"}
            ),
            "credit": forms.TextInput(attrs={"class": "vTextField"}),
        }
        field_classes = {"alt_text": AltTextField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decorative = self.is_bound and self["is_decorative"].value()
        alt_text = self.fields["alt_text"]
        # Shown as required (bold label) unless the editor ticked "decorative".
        alt_text.required = not decorative
        alt_text.widget.attrs["aria-required"] = "false" if decorative else "true"

    def clean_caption(self):
        # A caption is one line on the page: line breaks typed into the box are spaces.
        return " ".join(self.cleaned_data["caption"].split())

    def clean_alt_text(self):
        return " ".join(self.cleaned_data["alt_text"].split())

    def full_clean(self):
        super().full_clean()
        upload = self.cleaned_data.get("file") if self.is_bound else None
        if not self._errors or not isinstance(upload, NormalisedImageFile):
            return
        if "file" in self._errors:
            return
        token = self.data.get(self.fields["file"].widget.kept_name(self.add_prefix("file")))
        if not getattr(upload, "kept_as", None):
            token = kept_upload_store(upload)
        self.fields["file"].widget.kept = {
            "token": token,
            "name": upload.name,
            "width": upload.width,
            "height": upload.height,
            "preview": preview_data_uri(upload),
        }

    def discard_kept_upload(self) -> None:
        """Once the image is saved, its kept copy is no longer needed."""
        stored = getattr(self.cleaned_data.get("file"), "kept_as", None)
        if stored:
            transaction.on_commit(lambda: original_storage().delete(stored))


class OtherNamesForm(forms.ModelForm):
    """A section's or author's form with a box for the name in each article language.

    Stored together in `other_names`; an empty box means pages in that language show the
    main name.
    """

    @staticmethod
    def field_name(code: str) -> str:
        return f"name_in_{code.replace('-', '_')}"

    @classmethod
    def for_languages(cls, base=None):
        """This form (or base with it mixed in) with one field per configured language."""
        fields = {
            cls.field_name(lang.code): forms.CharField(
                label=f"Name in {lang.name}",
                required=False,
                max_length=150,
                help_text=f"As pages in {lang.name} show it. Leave empty to use the name above.",
                widget=forms.TextInput(attrs={"lang": lang.code, "dir": lang.direction}),
            )
            for lang in article_languages()
        }
        bases = (cls,) if base is None or issubclass(base, cls) else (cls, base)
        return type("OtherNamesForm", bases, fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = self.instance.other_names or {}
        for lang in article_languages():
            field = self.fields.get(self.field_name(lang.code))
            if field is not None:
                field.initial = names.get(lang.code, "")

    def save(self, commit=True):
        names = dict(self.instance.other_names or {})
        for lang in article_languages():
            name = self.field_name(lang.code)
            if name not in self.cleaned_data:
                continue
            if value := self.cleaned_data[name].strip():
                names[lang.code] = value
            else:
                names.pop(lang.code, None)
        self.instance.other_names = names
        return super().save(commit=commit)


class LanguageDirectionSelect(forms.Select):
    """The language choice, telling the editor's script which languages run right to left."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rtl = [lang.code for lang in article_languages() if lang.is_rtl]
        context["widget"]["attrs"]["data-rtl-languages"] = " ".join(rtl)
        return context


class ArticleAdminForm(forms.ModelForm):
    """The article editor's form: "publish now", a new address and a lead image's missing
    credit or alt text, all in the one save.

    `status` and `published_at` are the editor's wish, not model fields: the admin hands
    them to the services, which alone change an article's state. `user` is set by the admin.
    """

    user = None

    status = forms.ChoiceField(
        choices=Article.Status.choices,
        help_text="Writers submit for review; editors publish, schedule or send back.",
    )
    published_at = forms.SplitDateTimeField(
        label="Publish time",
        required=False,
        widget=widgets.AdminSplitDateTime,
        help_text="Leave empty to publish now. A future time schedules the article.",
    )
    workflow_note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the writer when sending a story back (required then), or for the "
        "editors when submitting. Kept in the history.",
    )
    is_substantive_update = forms.BooleanField(
        label="Substantive update",
        required=False,
        help_text="Tick when this save changes the facts of a published story: readers see "
        "“Updated” with the time. Leave unticked for typos and small fixes.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    update_slug = forms.BooleanField(
        label="Update the address to match the headline",
        required=False,
        help_text="Links to the old address keep working.",
    )
    lead_image_credit = forms.CharField(
        label="Credit for the lead image",
        required=False,
        max_length=Image._meta.get_field("credit").max_length,
        help_text="Only used when the chosen lead image has no credit yet; "
        "it is saved on the image for every story that uses it.",
    )
    lead_image_alt_text = forms.CharField(
        label="Alt text for the lead image",
        required=False,
        max_length=Image._meta.get_field("alt_text").max_length,
        help_text="Only used when the chosen lead image has none yet: "
        "what the photo shows, for readers who cannot see it.",
    )

    class Meta:
        model = Article
        fields = [
            "language",
            "headline",
            "slug",
            "standfirst",
            "section",
            "translation_of",
            "body",
            "lead_image",
            "is_front_page_lead",
            "front_page_slot",
            "comments_open",
            "comments_premoderated",
        ]
        widgets = {"language": LanguageDirectionSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.instance
        self.conflict = None
        self.fields["status"].initial = article.status
        self.fields["published_at"].initial = article.published_at
        self.fields["version"].initial = article.version if article.pk else None
        # Only the moves this person may make are offered; anything else posted is refused
        # in clean() with the service's reason.
        self._follow_language_direction()
        offered = services.allowed_statuses(article=article, by=self.user)
        self.fields["status"].widget.choices = [
            (value, label) for value, label in Article.Status.choices if value in offered
        ]
        if "front_page_slot" in self.fields:
            slots = range(1, settings.FRONT_PAGE_TOP_STORIES + 1)
            self.fields["front_page_slot"] = forms.TypedChoiceField(
                label="Top story slot",
                choices=[("", "Not pinned"), *((n, f"Slot {n}") for n in slots)],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=Article._meta.get_field("front_page_slot").help_text
                + " A story pinned to a taken slot takes it over.",
            )

    # The fields an editor types the story into: they run in the story's direction.
    TEXT_FIELDS = ["headline", "standfirst", "body"]

    def _follow_language_direction(self):
        """Set dir on the text fields for the article's language (static/articles/
        language_direction.js keeps them in step when the editor changes it)."""
        if "language" not in self.fields:
            return
        code = self.data.get(self.add_prefix("language")) if self.is_bound else None
        code = code or self.initial.get("language") or self.instance.language
        rtl = {lang.code for lang in article_languages() if lang.is_rtl}
        for name in self.TEXT_FIELDS:
            if name in self.fields:
                self.fields[name].widget.attrs["dir"] = "rtl" if code in rtl else "ltr"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("update_slug") and cleaned.get("headline"):
            cleaned["slug"] = slugify(cleaned["headline"], allow_unicode=True)[:250] or "article"
        image = cleaned.get("lead_image")
        if image is not None:
            # Filled in on the chosen image only where it has nothing, so switching the lead
            # image never overwrites another photo's credit with a stale one.
            if not image.credit.strip() and cleaned.get("lead_image_credit", "").strip():
                image.credit = cleaned["lead_image_credit"].strip()
                self.image_to_save = image
            if (
                not image.alt_text.strip()
                and not image.is_decorative
                and cleaned.get("lead_image_alt_text", "").strip()
            ):
                image.alt_text = cleaned["lead_image_alt_text"].strip()
                self.image_to_save = image
        self._clean_move(cleaned)
        if self.instance.pk and not self.errors:
            self._check_version(cleaned)
        return cleaned

    def _clean_move(self, cleaned):
        to = cleaned.get("status")
        if not to:
            return
        try:
            services.article_check_move(article=self.instance, to=to, by=self.user)
        except services.ArticleRefused as refusal:
            self.add_error("status", refusal.message)
            return
        if (
            to == Article.Status.DRAFT
            and self.instance.status == Article.Status.REVIEW
            and not cleaned.get("workflow_note", "").strip()
        ):
            self.add_error("workflow_note", "Say what the story needs before sending it back.")

    def _check_version(self, cleaned):
        # The admin runs the whole request in one transaction: the row stays locked from
        # this check until the save, so no one can slip a save in between.
        current = Article.objects.select_for_update().get(pk=self.instance.pk)
        started_from = cleaned.get("version")
        if started_from is None or current.version == started_from:
            return
        self.conflict = EditConflictView(
            current=current,
            revisions=list(
                current.revisions.filter(article_version__gt=started_from)
                .select_related("created_by")
                .order_by("number")
            ),
            mine=cleaned,
        )
        # Saving again now means "keep mine": the form carries the version it has seen.
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)
        self.data = data
        raise forms.ValidationError(
            "Someone else saved this article after you opened it. Your text is below, "
            "unsaved: compare, then save again to keep yours, merge by hand, or take theirs.",
            code="edit_conflict",
        )

    def _post_clean(self):
        super()._post_clean()
        if self.cleaned_data.get("status") == Article.Status.PUBLISHED:
            # The instance now holds the chosen lead image with any credit typed above.
            if missing := services.publication_missing(self.instance):
                self.add_error(
                    "lead_image",
                    "The lead image needs "
                    + " and ".join(missing)
                    + " before the article can be published.",
                )
        # The refused field has left cleaned_data by now; the instance still holds it.
        image = self.instance.lead_image if self.instance.lead_image_id else None
        if image is None or "lead_image" not in self.errors:
            return
        # The refusal names the fix, and the box to type it in sits right under it.
        if not image.credit.strip():
            self.add_error(
                "lead_image_credit", "Type the photo's credit here, e.g. “AFP” or “Staff photo”."
            )
        if not image.alt_text.strip() and not image.is_decorative:
            self.add_error("lead_image_alt_text", "Describe what the photo shows here.")


class EditConflictView:
    """What the editor needs to settle an edit conflict: who saved, and how texts differ."""

    FIELDS = [("headline", "Headline"), ("standfirst", "Standfirst"), ("body", "Body")]

    def __init__(self, *, current: Article, revisions, mine: dict):
        self.current = current
        self.revisions = revisions
        self.differences = [
            (label, diff_texts(getattr(current, name), mine.get(name) or "", name == "body"))
            for name, label in self.FIELDS
            if (getattr(current, name) or "") != (mine.get(name) or "")
        ]


class SearchTextField(forms.CharField):
    """The search box: whatever a reader types is searchable once normalised (a NUL byte
    or a control character is dropped rather than refused)."""

    def to_python(self, value):
        return search.normalise_query(super().to_python(value))


class SearchForm(forms.Form):
    """A reader's search: words, and optionally a section, a range of days and an order.

    Read from the address, so any of it may be mistyped: a field in error is reported
    and left out, and the rest of the search still runs (`is_valid` is not required).
    """

    # The archive's dates; anything outside would only overflow the conversion to UTC.
    EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
    NEWEST = "newest"
    MAX_PAGE = 500

    q = SearchTextField(label=gettext_lazy("Search for"), required=False)
    section = forms.ChoiceField(
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("There is no section “%(value)s”: showing them all.")
        },
    )
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": gettext_lazy(
                "The “From” day is not a date (year-month-day): showing stories from any day."
            )
        },
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": gettext_lazy(
                "The “To” day is not a date (year-month-day): showing stories up to today."
            )
        },
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[("", gettext_lazy("Best match")), (NEWEST, gettext_lazy("Newest first"))],
        error_messages={"invalid_choice": gettext_lazy("Showing the best matches first.")},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": gettext_lazy("That page number is not a number: showing the first page."),
            "min_value": gettext_lazy("Pages start at 1: showing the first page."),
            "max_value": gettext_lazy(
                "Results go up to page %(limit_value)s: showing the first page."
            ),
        },
    )

    # Longer than any slug, date or page number: a longer one is echoed cut.
    FILTER_MAX_LENGTH = 100

    def __init__(self, data, *, sections):
        # An address anyone can write: a control character is no part of any filter, and
        # an error message that echoes one would put it in the page. (The words are
        # normalised by their own field.)
        super().__init__(
            {
                name: value
                if name == "q"
                else search.without_control_characters(value)[: self.FILTER_MAX_LENGTH]
                for name, value in data.items()
            }
        )
        self.sections = {section.slug: section for section in sections}
        self.fields["section"].choices = [
            ("", gettext("All sections")),
            # Named as the page's language names them (an English section has an Urdu name).
            *((section.slug, section.name_in(get_language()).text) for section in sections),
        ]
        self.is_valid()

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not self.EARLIEST <= day <= self.LATEST:
            raise ValidationError(
                gettext("Choose a day between %(earliest)s and %(latest)s: that one is left out."),
                code="range",
                params={"earliest": self.EARLIEST.year, "latest": self.LATEST.year},
            )
        return day

    def clean_since(self):
        return self._clean_day("since")

    def clean_until(self):
        return self._clean_day("until")

    def clean_page(self):
        return self.cleaned_data.get("page") or 1

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            # Readers fill the two boxes in either order: the earlier day is the start.
            cleaned["since"], cleaned["until"] = until, since
        return cleaned

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "")

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1

    @property
    def was_cut(self) -> bool:
        """The reader typed more than is searched."""
        return len(" ".join(self.data.get("q", "").split())) > search.QUERY_MAX_LENGTH

    @property
    def asks_for_words_alone(self) -> bool:
        """Words and nothing else: the first page, every section, any day, best match first.
        Such a search is a page readers link to; its filtered, reordered and later pages
        are as many as readers' combinations."""
        variants = ("section", "since", "until", "sort", "page")
        return bool(self.query) and not any(self.data.get(name) for name in variants)

    def articles(self, published):
        """The matching stories among `published`, filtered and ordered as asked, or None
        when there is nothing to search for."""
        if not search.has_words(self.query):
            return None
        found = published.published_between(
            self.cleaned_data.get("since"), self.cleaned_data.get("until")
        )
        if section := self.sections.get(self.cleaned_data.get("section") or ""):
            found = found.filter(section=section)
        return found.search(self.query, newest_first=self.cleaned_data.get("sort") == self.NEWEST)

    def address(self, **changes) -> str:
        """This search's query string with some fields changed (the next page's link)."""
        fields = {
            name: self.data.get(name, "")
            for name in ("q", "section", "since", "until", "sort", LANGUAGE_PARAMETER)
        }
        fields["q"] = self.query
        fields.update(changes)
        return urlencode({name: value for name, value in fields.items() if value})
