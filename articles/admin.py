from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.middleware.csp import get_nonce
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from js_asset.media import Media

from articles import services
from articles.cache import purge_public_pages
from articles.forms import ArticleAdminForm, ImageForm
from articles.models import Article, Author, Byline, Correction, Image, Section
from articles.renditions import Picture
from articles.storage import StorageRefused


def local_time(moment) -> str:
    """A time as editors read it: the newsroom's own clock, its zone named."""
    local = date_format(timezone.localtime(moment), "M j, Y, g:i A")
    return f"{local} ({timezone.get_current_timezone_name()})"


def thumbnail(
    image: Image | None, size: int = 80, crop: str = "square", *, renditions_fetched=False
):
    """A small rendition, never the original (which may be a 24-megapixel photo).

    renditions_fetched: the caller's queryset prefetched them, so stored files are linked.
    """
    if not image or not image.pk or not image.file or not image.width:
        return "—"
    if renditions_fetched:
        picture = image.picture(crop)
    else:
        # No query per row: the address of the rendition view, which finds or makes it.
        picture = Picture.build(image, crop, {})
    if picture is None:
        return "—"
    return format_html(
        '<img src="{}" alt="" width="{}" class="admin-thumbnail admin-thumbnail-{}">',
        picture.fallback[0].url,
        size,
        size,
    )


# The picker shows the newest photos; older ones are a search away.
PICKER_LIMIT = 60
# Picker tiles are about 200 CSS pixels wide: the two smallest widths cover 2x screens.
PICKER_WIDTHS = 2


def picker_thumbnail(image: Image) -> dict | None:
    """The small renditions a picker tile draws (never the 960 px ones, nor the original)."""
    picture = image.picture("full") if image.file and image.width else None
    if picture is None:
        return None

    def srcset(sources) -> str:
        return ", ".join(f"{s.url} {s.width}w" for s in sources[:PICKER_WIDTHS])

    smallest = picture.fallback[0]
    return {
        "src": smallest.url,
        "srcset": srcset(picture.fallback),
        "modern_srcset": srcset(picture.modern),
        "modern_type": picture.modern_type,
        "width": smallest.width,
        "height": smallest.height,
    }


class PurgesPublicPagesMixin:
    """Readers see admin edits at once: any save or delete empties the page cache."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(purge_public_pages)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(purge_public_pages)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(purge_public_pages)


@admin.register(Section)
class SectionAdmin(PurgesPublicPagesMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "comments_premoderated"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(PurgesPublicPagesMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]
    list_select_related = ["user"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if IS_POPUP_VAR in request.GET or IS_POPUP_VAR in request.POST:
            # Adding a guest byline from the article form: the name is all it needs.
            return [field for field in fields if field != "slug"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if IS_POPUP_VAR in request.GET or IS_POPUP_VAR in request.POST:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "slug" in form.base_fields:
            form.base_fields["slug"].required = False
            form.base_fields[
                "slug"
            ].help_text = "The author page's address. Leave empty to make it from the name."
        return form


class UploadMonthFilter(admin.SimpleListFilter):
    title = "month uploaded"
    parameter_name = "month"

    def lookups(self, request, model_admin):
        months = Image.objects.dates("uploaded_at", "month", order="DESC")
        return [(f"{month:%Y-%m}", f"{month:%B %Y}") for month in months]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            year, month = (int(part) for part in self.value().split("-"))
        except ValueError:
            return queryset.none()
        if not (1 <= year <= 9999 and 1 <= month <= 12):
            # A hand-edited address with a huge number must not reach the database.
            return queryset.none()
        return queryset.filter(uploaded_at__year=year, uploaded_at__month=month)


@admin.register(Image)
class ImageAdmin(PurgesPublicPagesMixin, admin.ModelAdmin):
    form = ImageForm
    list_display = ["preview", "caption", "credit", "photographer", "dimensions", "uploaded_at"]
    list_display_links = ["preview", "caption"]
    list_filter = ["photographer", UploadMonthFilter]
    search_fields = ["caption", "credit", "alt_text", "photographer__name"]
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ["photographer"]
    list_select_related = ["photographer"]
    readonly_fields = [
        "preview",
        "focal_picker",
        "crops",
        "body_address",
        "dimensions",
        "file_size",
        "uploaded_at",
        "uploaded_by",
    ]
    fieldsets = [
        (None, {"fields": ["file", "preview", "caption", "credit", "photographer"]}),
        ("Accessibility", {"fields": ["alt_text", "is_decorative"]}),
        (
            "Focal point",
            {
                "description": "The part of the photo that every crop keeps, such as a face: "
                "0 % is the left or top edge, 100 % the right or bottom edge.",
                "fields": ["focal_picker", "focal_x", "focal_y", "crops"],
            },
        ),
        (
            "Details",
            {
                "classes": ["collapse"],
                "fields": [
                    "body_address",
                    "dimensions",
                    "file_size",
                    "uploaded_at",
                    "uploaded_by",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StorageRefused as error:
            # The save's transaction rolled back: no row names a file that was not stored.
            messages.error(
                request,
                f"The photo could not be stored: {error}. Nothing was saved; please tell "
                "the site's administrator, then try again.",
            )
            return HttpResponseRedirect(request.get_full_path())

    def get_urls(self):
        pick = self.admin_site.admin_view(self.pick_view)
        return [path("pick/", pick, name="articles_image_pick"), *super().get_urls()]

    def pick_view(self, request):
        """The article editor's "Browse..." window: choose a library photo for a figure."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        images, _ = self.get_search_results(request, self.get_queryset(request), query)
        images = list(images.select_related("photographer")[:PICKER_LIMIT])
        context = {
            **self.admin_site.each_context(request),
            "title": "Choose a photo for the article",
            "tiles": [(image, picker_thumbnail(image)) for image in images],
            "limited": len(images) == PICKER_LIMIT,
            "query": query,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/articles/image/pick.html", context)

    class Media:
        css = {"all": ["articles/image_admin.css"]}
        js = ["articles/focal_point.js"]

    @admin.display(description="Image")
    def preview(self, image):
        return thumbnail(image, crop="full", size=160, renditions_fetched=True)

    @admin.display(description="Set by clicking")
    def focal_picker(self, image):
        # On a new image the photo comes from the file the editor chose (read in the
        # browser by focal_point.js), so the focal point is set before the first save.
        picture = image.picture("full") if image.pk and image.width else None
        return format_html(
            '<span data-focal-picker class="focal-picker"{}>'
            '<img src="{}" alt="" width="480" title="Click the part of the photo every crop '
            'must keep"><span class="focal-marker" aria-hidden="true"></span></span>'
            '<span class="focal-waiting"{}>Choose a photo above, then click its most '
            "important point here.</span>",
            "" if picture else " hidden",
            picture.fallback[min(2, len(picture.fallback) - 1)].url if picture else "",
            " hidden" if picture else "",
        )

    @admin.display(description="Crops")
    def crops(self, image):
        # Drawn in the browser from the photo above and the focal point fields, so a
        # click shows its effect at once; the saved renditions are cut the same way.
        return mark_safe(
            '<span class="crop-previews" data-crop-previews hidden>'
            '<span class="crop-preview" data-crop-ratio="16/9"><img alt="">'
            '</span><span class="crop-preview" data-crop-ratio="1/1">'
            '<img alt=""></span></span><br><small>Front page card and square portrait, cut '
            "around the focal point.</small>"
        )

    @admin.display(description="Address for article bodies")
    def body_address(self, image):
        if not image.pk:
            return "—"
        return format_html(
            "<code>{}</code><br><small>Paste this as the image address when inserting a "
            "figure in an article; the caption and credit come with it.</small>",
            image.body_reference,
        )

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        form.discard_kept_upload()


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]
    verbose_name_plural = "Bylines"


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    classes = ["collapse"]


class PublicationStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Live")]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.published()
        return queryset


@admin.register(Article)
class ArticleAdmin(PurgesPublicPagesMixin, admin.ModelAdmin):
    list_display = [
        "headline",
        "section",
        "byline_names",
        "publication_state",
        "published_at",
        "lead_thumbnail",
    ]
    list_filter = [PublicationStatusFilter, "section", "authors"]
    search_fields = ["headline", "standfirst", "body", "authors__name"]
    date_hierarchy = "published_at"
    form = ArticleAdminForm
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "section"]
    list_select_related = ["section", "lead_image"]
    # The change form template puts the bylines above Publishing: who wrote it comes first.
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ["lead_thumbnail", "updated_at", "comment_count"]

    def get_fieldsets(self, request, obj=None):
        # A new article's address follows its headline as it is typed; an existing one
        # keeps its address unless the editor asks for a new one.
        address = ["slug"] if obj is None else ["slug", "update_slug"]
        return [
            (None, {"fields": ["headline", *address, "standfirst", "section", "body"]}),
            (
                "Lead image",
                {
                    "fields": [
                        "lead_image",
                        "lead_thumbnail",
                        "lead_image_credit",
                        "lead_image_alt_text",
                    ]
                },
            ),
            (
                "Publishing",
                {"fields": ["status", "published_at", "is_front_page_lead", "updated_at"]},
            ),
            (
                "Comments",
                {
                    "classes": ["collapse"],
                    "fields": ["comments_open", "comments_premoderated", "comment_count"],
                },
            ),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description="Status", ordering="status")
    def publication_state(self, article):
        if article.status == Article.Status.DRAFT:
            return "Draft"
        if article.published_at and article.published_at > timezone.now():
            return "Scheduled"
        return "Live"

    @admin.display(description="Preview")
    def lead_thumbnail(self, article):
        return thumbnail(article.lead_image)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "headline":
            field.widget.attrs["style"] = "width: 100%; max-width: 48em"
        elif db_field.name == "standfirst":
            field.widget.attrs["rows"] = 3
        return field

    def render_change_form(self, request, context, *args, **kwargs):
        # The body editor's import map is an inline script: it needs this request's nonce.
        context["media"] = Media.from_media(context["media"], nonce=get_nonce(request))
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if (image := getattr(form, "image_to_save", None)) is not None:
            image.save(update_fields=["credit", "alt_text"])
        services.article_save(article=obj, user=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._report_publication(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._report_publication(request, obj)
        return response

    def _report_publication(self, request, article):
        """Tell the editor what readers now see of the story, and what it still lacks."""
        if IS_POPUP_VAR in request.POST:
            return
        if article.status == Article.Status.DRAFT:
            self.message_user(request, f"“{article}” is a draft: readers cannot see it yet.")
            return
        if article.is_published:
            self.message_user(request, f"“{article}” is live for readers.")
        else:
            self.message_user(
                request,
                f"“{article}” is scheduled: it goes live on {local_time(article.published_at)}.",
            )
        if not article.bylines.exists():
            self.message_user(
                request,
                f"“{article}” has no byline. Add the writer, or an agency or "
                "“Staff Reporter”, under Bylines.",
                level=messages.WARNING,
            )

    @admin.action(description="Publish selected articles now", permissions=["change"])
    def publish_selected(self, request, queryset):
        published, already_live = [], []
        for article in queryset.select_related("lead_image"):
            if article.is_published:
                # Publishing again would move a live story's time and reorder the front page.
                already_live.append(article)
                continue
            try:
                services.article_publish(article=article)
            except ValidationError as error:
                self.message_user(request, error.messages[0], level=messages.ERROR)
            else:
                published.append(article)
        if published:
            when = local_time(published[0].published_at)
            self.message_user(
                request,
                f"Published now, {when}: "
                + ", ".join(f"“{article}”" for article in published)
                + ".",
            )
        for article in already_live:
            self.message_user(
                request,
                f"“{article}” was already live since {local_time(article.published_at)}; "
                "left as it was.",
                level=messages.WARNING,
            )

    @admin.action(description="Move selected articles back to draft", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        for article in queryset:
            services.article_unpublish(article=article)
        self.message_user(request, f"Moved {queryset.count()} article(s) back to draft.")
