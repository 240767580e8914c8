from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.middleware.csp import get_nonce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from js_asset.media import Media

from articles import services
from articles.cache import purge_public_pages
from articles.diffs import paragraphs, snapshot_diff
from articles.forms import ArticleAdminForm, ImageForm, OtherNamesForm
from articles.models import (
    Article,
    Author,
    BreakingNews,
    Byline,
    Correction,
    Image,
    Section,
    Topic,
)
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
    list_display = ["name", "slug", "language", "position", "comments_premoderated"]
    list_editable = ["position"]
    list_filter = ["language"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    exclude = ["other_names"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = OtherNamesForm.for_languages()
        return super().get_form(request, obj, **kwargs)


@admin.register(Author)
class AuthorAdmin(PurgesPublicPagesMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]
    list_select_related = ["user"]
    exclude = ["other_names"]

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
        kwargs["form"] = OtherNamesForm.for_languages()
        form = super().get_form(request, obj, **kwargs)
        if "slug" in form.base_fields:
            form.base_fields["slug"].required = False
            form.base_fields[
                "slug"
            ].help_text = "The author page's address. Leave empty to make it from the name."
        return form


@admin.register(Topic)
class TopicAdmin(PurgesPublicPagesMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


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
        # The one door for photos, also for the article form's "+" pop-up: the service
        # records the uploader and queues the renditions.
        services.image_save(image=obj, by=request.user)
        transaction.on_commit(purge_public_pages)
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
        return [
            ("draft", "Draft"),
            ("review", "Waiting for review"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
            ("unpublished", "Unpublished"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.published()
            case "unpublished":
                return queryset.filter(status=Article.Status.UNPUBLISHED)
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = "whose"
    parameter_name = "whose"

    def lookups(self, request, model_admin):
        return [("mine", "Mine")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.mine(request.user)
        return queryset


def state_label(article: Article) -> str:
    if article.status == Article.Status.PUBLISHED:
        return "Live" if article.is_published else "Scheduled"
    return Article.Status(article.status).label


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
    list_filter = [MineFilter, PublicationStatusFilter, "language", "section", "authors"]
    search_fields = ["headline", "standfirst", "body", "authors__name"]
    date_hierarchy = "published_at"
    form = ArticleAdminForm
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "section", "topics", "translation_of"]
    list_select_related = ["section", "lead_image"]
    # The change form template puts the bylines above Publishing: who wrote it comes first.
    inlines = [BylineInline, CorrectionInline]
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    readonly_fields = ["lead_thumbnail", "updated_at", "comment_count"]
    # Form fields that are not model fields: the services, not the form, apply them.
    WORKFLOW_FIELDS = [
        "status",
        "published_at",
        "workflow_note",
        "is_substantive_update",
        "version",
    ]

    class Media:
        js = ["articles/unsaved_changes.js", "articles/language_direction.js"]

    def get_fieldsets(self, request, obj=None):
        # A new article's address follows its headline as it is typed; an existing one
        # keeps its address unless the editor asks for a new one.
        address = ["slug"] if obj is None else ["slug", "update_slug"]
        publishing = ["status", "workflow_note", "version"]
        if services.can_publish(request.user):
            publishing += ["published_at", "is_front_page_lead", "front_page_slot"]
        if obj is not None:
            publishing += ["is_substantive_update", "updated_at"]
        return [
            (
                None,
                {
                    "fields": [
                        "language",
                        "headline",
                        *address,
                        "standfirst",
                        "section",
                        "topics",
                        "translation_of",
                        "body",
                    ]
                },
            ),
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
            ("Publishing", {"fields": publishing}),
            (
                "Comments",
                {
                    "classes": ["collapse"],
                    "fields": ["comments_open", "comments_premoderated", "comment_count"],
                },
            ),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        # The model's status and publish time are not editable: the form's fields of those
        # names are declared on the form, and go to the services.
        kwargs["fields"] = [name for name in fields if name not in self.WORKFLOW_FIELDS]
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description="Status", ordering="status")
    def publication_state(self, article):
        return state_label(article)

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

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and "data" in kwargs and obj is not None and obj.pk:
            kwargs["data"] = self._keep_bylines_deleted_meanwhile(
                request, obj, kwargs["data"], prefix
            )
        return kwargs

    def _keep_bylines_deleted_meanwhile(self, request, article, data, prefix):
        """Bylines in the editor's copy that someone else deleted since come back as new rows.

        Otherwise the formset refuses the vanished row ("Select a valid choice") and the
        editor could neither keep their copy nor see why. A row they deleted too just goes.
        """
        try:
            initial = int(data.get(f"{prefix}-INITIAL_FORMS", 0))
            total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
        except ValueError:
            return data  # The formset reports a broken management form itself.
        existing = {str(pk) for pk in article.bylines.values_list("pk", flat=True)}
        stale = [i for i in range(initial) if data.get(f"{prefix}-{i}-id", "") not in existing]
        if not stale:
            return data
        fields = ["id", "article", "author", "role", "position", "DELETE"]
        rows = [
            {name: data.getlist(f"{prefix}-{i}-{name}") for name in fields} for i in range(total)
        ]
        kept = [rows[i] for i in range(initial) if i not in stale]
        revived = []
        for i in stale:
            if rows[i]["DELETE"] or not any(rows[i]["author"]):
                continue
            revived.append({**rows[i], "id": [""]})
        ordered = kept + revived + rows[initial:]
        for i in range(total):
            for name in fields:
                data.pop(f"{prefix}-{i}-{name}", None)
        for i, row in enumerate(ordered):
            for name, values in row.items():
                if values:
                    data.setlist(f"{prefix}-{i}-{name}", values)
        data[f"{prefix}-INITIAL_FORMS"] = str(len(kept))
        data[f"{prefix}-TOTAL_FORMS"] = str(len(ordered))
        if revived:
            names = ", ".join(
                f"“{author}”"
                for author in Author.objects.filter(
                    pk__in=[row["author"][0] for row in revived]
                ).values_list("name", flat=True)
            )
            self.message_user(
                request,
                f"Someone else removed the byline of {names} since you opened the article; "
                "your copy keeps it as a new row. Remove it before saving if they were right.",
                messages.WARNING,
            )
        return data

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        # The body editor's import map is an inline script: it needs this request's nonce.
        context["media"] = Media.from_media(context["media"], nonce=get_nonce(request))
        form = context["adminform"].form
        context["conflict"] = getattr(form, "conflict", None)
        if obj is not None and obj.pk:
            context["preview_links"] = obj.preview_links.valid()
            context["preview_hours"] = settings.PREVIEW_LINK_HOURS
            context["can_share_preview"] = services.can_edit(request.user, obj)
            context["last_revision"] = obj.revisions.select_related("created_by").first()
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if (image := getattr(form, "image_to_save", None)) is not None:
            # Through the photos' one door, as the image admin saves them.
            services.image_save(image=image, by=request.user)
        # The revision waits for save_related: it must include the bylines saved there.
        services.article_save(
            article=obj,
            by=request.user,
            version=form.cleaned_data.get("version") if change else None,
            substantive=form.cleaned_data.get("is_substantive_update", False),
            record=False,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article, data = form.instance, form.cleaned_data
        to, at = data["status"], data.get("published_at")
        note = data.get("workflow_note", "").strip()
        if to == Article.Status.PUBLISHED and article.status == Article.Status.PUBLISHED:
            # A live or scheduled story moves only when the editor typed a different time:
            # an emptied box must not republish a live story now.
            if at is None or article.published_at.replace(microsecond=0) == at:
                to = None
        elif to == article.status:
            to = None
        match to:
            case None:
                action = "Saved" if change else "Created"
                services.revision_record(article=article, by=request.user, action=action, note=note)
            case Article.Status.REVIEW:
                services.article_submit(article=article, by=request.user, note=note)
            case Article.Status.DRAFT:
                services.article_send_back(article=article, by=request.user, note=note)
            case Article.Status.PUBLISHED:
                services.article_publish(article=article, by=request.user, at=at)
            case Article.Status.UNPUBLISHED:
                services.article_unpublish(article=article, by=request.user, note=note)

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
        if article.status == Article.Status.REVIEW:
            self.message_user(
                request, f"“{article}” is waiting for an editor: readers cannot see it yet."
            )
            return
        if article.status == Article.Status.UNPUBLISHED:
            self.message_user(request, f"“{article}” is unpublished: readers cannot see it.")
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

    @admin.action(description="Submit selected articles for review", permissions=["change"])
    def submit_selected(self, request, queryset):
        submitted = []
        for article in queryset:
            try:
                services.article_submit(article=article, by=request.user)
            except services.ArticleRefused as refusal:
                self.message_user(request, refusal.message, level=messages.ERROR)
            else:
                submitted.append(article)
        if submitted:
            self.message_user(
                request,
                "Submitted for review: " + ", ".join(f"“{a}”" for a in submitted) + ".",
            )

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, already_live = [], []
        for article in queryset.select_related("lead_image"):
            if article.is_published:
                # Publishing again would move a live story's time and reorder the front page.
                already_live.append(article)
                continue
            try:
                services.article_publish(article=article, by=request.user)
            except services.ArticleRefused as refusal:
                self.message_user(request, refusal.message, level=messages.ERROR)
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

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        done = []
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            services.article_unpublish(article=article, by=request.user)
            done.append(article)
        self.message_user(
            request,
            f"Unpublished {len(done)} article(s): readers can no longer see them."
            if done
            else "None of the selected articles was published.",
        )

    # History, revisions and previews.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/history/", view(self.revisions_view), name="articles_article_revisions"),
            path(
                "<int:pk>/revisions/<int:number>/",
                view(self.revision_view),
                name="articles_article_revision",
            ),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<int:pk>/preview/", view(self.preview_create_view), name="articles_article_preview"
            ),
            path(
                "<int:pk>/preview/<int:link_pk>/revoke/",
                view(self.preview_revoke_view),
                name="articles_article_preview_revoke",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, pk) -> Article:
        article = self.get_object(request, str(pk))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "article": article,
            "title": title,
            "has_change_permission": self.has_change_permission(request, article),
            **extra,
        }

    def revisions_view(self, request, pk):
        """Every revision of the article, newest first, and a choice of two to compare."""
        article = self._article_or_404(request, pk)
        revisions = article.revisions.select_related("created_by")
        compare = None
        old, new = request.GET.get("old"), request.GET.get("new")
        if old and new:
            by_number = {str(r.number): r for r in revisions}
            if old in by_number and new in by_number:
                older, newer = by_number[old], by_number[new]
                compare = {
                    "old": older,
                    "new": newer,
                    "parts": snapshot_diff(older.snapshot, newer.snapshot),
                }
            else:
                self.message_user(request, "Choose two revisions of this article.", messages.ERROR)
        context = self._context(
            request, article, f"History of “{article}”", revisions=revisions, compare=compare
        )
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revision_view(self, request, pk, number):
        article = self._article_or_404(request, pk)
        revision = get_object_or_404(article.revisions.select_related("created_by"), number=number)
        previous = article.revisions.filter(number__lt=number).first()
        parts = snapshot_diff(previous.snapshot, revision.snapshot) if previous else None
        context = self._context(
            request,
            article,
            f"Revision {revision.number} of “{article}”",
            revision=revision,
            previous=previous,
            parts=parts,
            paragraphs=paragraphs(revision.snapshot["body"]),
        )
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def restore_view(self, request, pk, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, pk)
        revision = get_object_or_404(article.revisions, number=number)
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        try:
            services.article_restore(article=article, revision=revision, by=request.user)
        except services.ArticleRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return redirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        self.message_user(
            request,
            f"Restored revision {revision.number} of “{article}” as a new revision; "
            "nothing in between is lost.",
        )
        return redirect(change_url)

    def preview_create_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, pk)
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        try:
            hours = int(request.POST.get("hours") or settings.PREVIEW_LINK_HOURS)
        except ValueError:
            hours = 0
        try:
            link, token = services.preview_link_create(
                article=article, by=request.user, hours=hours
            )
        except services.ArticleRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return redirect(change_url)
        # The configured site, not the Host header, which a request can forge.
        site = settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
        address = site + reverse("articles:preview", args=[token])
        self.message_user(
            request,
            format_html(
                "Preview link for “{}”, working until {}. Copy it now, it is shown only "
                'once: <input type="text" readonly size="60" value="{}" id="preview-address">',
                article,
                local_time(link.expires_at),
                address,
            ),
        )
        return redirect(change_url)

    def preview_revoke_view(self, request, pk, link_pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_or_404(request, pk)
        link = get_object_or_404(article.preview_links, pk=link_pk)
        try:
            services.preview_link_revoke(link=link, by=request.user)
        except services.ArticleRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
        else:
            self.message_user(request, "The preview link no longer works.")
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))


@admin.register(BreakingNews)
class BreakingNewsAdmin(PurgesPublicPagesMixin, admin.ModelAdmin):
    list_display = ["text", "starts_at", "expires_at", "created_by"]
    autocomplete_fields = ["article"]
    date_hierarchy = "starts_at"

    def has_module_permission(self, request):
        return services.can_publish(request.user) and super().has_module_permission(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
