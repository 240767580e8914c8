from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from comments.forms.moderation import IP_BAN_WARNING, REASON_PROMPT
from comments.models import Ban, Comment, ModerationAction, ModerationReason, Report
from comments.services.bans import BanRefused, ban_create, ban_lift, ban_target_check
from comments.services.moderation import comment_delete, comments_moderate_many


class ModerationActionForm(ActionForm):
    """The changelist's action bar, with the reason and note a hide needs."""

    reason = forms.ChoiceField(
        choices=[("", "Reason (to hide)…"), *ModerationReason.choices], required=False
    )
    note = forms.CharField(required=False, max_length=500)


class ReportedFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Reported (open reports)"),
            ("violence", "Threat of violence reported"),
            ("no", "Not reported"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_reports__gt=0)
        if self.value() == "violence":
            return queryset.filter(violence_reports__gt=0)
        if self.value() == "no":
            return queryset.filter(open_reports=0)
        return queryset


class ModerationActionInline(admin.TabularInline):
    model = ModerationAction
    fk_name = "comment"
    extra = 0
    can_delete = False
    fields = ["acted_at", "action", "moderator", "reason", "note", "status_before", "status_after"]
    readonly_fields = fields
    ordering = ["-acted_at", "-pk"]
    verbose_name_plural = "Moderation history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = [
        "reported_at",
        "reason",
        "note",
        "network",
        "reported_by",
        "resolved_at",
        "resolved_by",
    ]
    readonly_fields = fields
    ordering = ["reported_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reported_by", "resolved_by")

    @admin.display(description="From")
    def network(self, report):
        return report.network_label

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "name",
        "email",
        "article",
        "status",
        "is_featured",
        "report_count",
        "posted_at",
    ]
    list_filter = [
        "status",
        ReportedFilter,
        ("article__section", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
        "posted_at",
        "is_featured",
    ]
    date_hierarchy = "posted_at"
    search_fields = ["name", "email", "body", "article__headline", "=ip_hash"]
    list_select_related = ["article"]
    action_form = ModerationActionForm
    actions = ["approve_comments", "hide_comments", "unhide_comments"]
    inlines = [ModerationActionInline, ReportInline]
    fieldsets = [
        (None, {"fields": ["article", "name", "email", "body", "posted_at", "status"]}),
        (
            "Moderation",
            {
                "fields": [
                    "review_reason",
                    "hidden_reason",
                    "hidden_by",
                    "hidden_at",
                    "is_featured",
                    "view_on_page",
                ]
            },
        ),
        (
            "Thread and origin",
            {"classes": ["collapse"], "fields": ["parent", "in_reply_to", "user", "ip_hash"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_review_counts()

    def get_readonly_fields(self, request, obj=None):
        # Nothing is edited in place: every change goes through a moderation service.
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Moderation hides; only a superuser may remove a comment for good.
        return request.user.is_superuser

    def delete_model(self, request, obj):
        comment_delete(comment=obj, moderator=request.user)

    def delete_queryset(self, request, queryset):
        for comment in queryset.order_by("pk"):
            comment_delete(comment=comment, moderator=request.user)

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description="Comment")
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    @admin.display(description="Open reports", ordering="open_reports")
    def report_count(self, comment):
        if comment.violence_reports:
            return f"{comment.open_reports} ({comment.violence_reports} threat of violence)"
        return comment.open_reports

    @admin.display(description="On the page")
    def view_on_page(self, comment):
        return format_html(
            '<a href="{}#{}">{}</a>',
            comment.article.get_absolute_url(),
            comment.anchor,
            comment.article.headline,
        )

    def _moderate(self, request, queryset, action):
        reason = request.POST.get("reason", "")
        note = request.POST.get("note", "")[:500]
        if action == "hide" and reason not in ModerationReason.values:
            return self._ask_for_hide_reason(request, queryset, note=note)
        message = comments_moderate_many(
            comments=queryset,
            action=action,
            moderator=request.user,
            reason=reason,
            note=note,
        )
        self.message_user(request, message, level=messages.SUCCESS)
        return None

    def _ask_for_hide_reason(self, request, queryset, *, note: str):
        """Ask for the missing reason on a page that keeps the selection and the note.

        A plain redirect back to the list would drop the ticks the moderator made.
        """
        comments = list(queryset.select_related("article").order_by("pk"))
        return TemplateResponse(
            request,
            "admin/comments/comment/hide_reason.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Choose why these comments are hidden",
                "comments": comments,
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "reasons": [REASON_PROMPT, *ModerationReason.choices],
                "note": note,
                "back": request.get_full_path(),
                "error": "Choose a reason before hiding comments. Nothing was hidden.",
            },
            status=400,
        )

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_comments(self, request, queryset):
        return self._moderate(request, queryset, "approve")

    @admin.action(description="Hide selected comments", permissions=["moderate"])
    def hide_comments(self, request, queryset):
        return self._moderate(request, queryset, "hide")

    @admin.action(description="Unhide selected comments", permissions=["moderate"])
    def unhide_comments(self, request, queryset):
        return self._moderate(request, queryset, "unhide")


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = [
        "acted_at",
        "action",
        "moderator",
        "comment_link",
        "reason",
        "status_before",
        "status_after",
        "note",
    ]
    list_filter = [
        "action",
        "reason",
        ("moderator", admin.RelatedOnlyFieldListFilter),
        "acted_at",
    ]
    date_hierarchy = "acted_at"
    search_fields = ["note", "comment__body", "comment__name", "=comment__id"]
    list_select_related = ["moderator", "comment__article", "ban"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Comment")
    def comment_link(self, action):
        if action.comment_id is None:
            # Deleted comments are named in the note; a ban made in the admin has none.
            if action.ban_id is not None:
                return format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:comments_ban_change", args=[action.ban_id]),
                    action.ban,
                )
            return "—"
        comment = action.comment
        return format_html(
            '<a href="{}"><span dir="auto">{}</span> on “{}”</a>',
            reverse("admin:comments_comment_change", args=[comment.pk]),
            comment.name,
            comment.article.headline,
        )


class BanAdminForm(forms.ModelForm):
    hide_comments = forms.BooleanField(
        label="Also hide all earlier comments from this email address or IP",
        required=False,
    )

    class Meta:
        model = Ban
        fields = ["email", "ip_hash", "reason", "note", "expires_at"]
        help_texts = {"ip_hash": f"The keyed hash stored on the comments. {IP_BAN_WARNING}"}

    def clean(self):
        cleaned = super().clean()
        try:
            ban_target_check(email=cleaned.get("email", ""), ip_hash=cleaned.get("ip_hash", ""))
        except BanRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return cleaned


class ActiveBanFilter(admin.SimpleListFilter):
    title = "in force"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "In force"), ("no", "Expired or lifted")]

    def queryset(self, request, queryset):
        active = Ban.objects.active()
        if self.value() == "yes":
            return queryset.filter(pk__in=active)
        if self.value() == "no":
            return queryset.exclude(pk__in=active)
        return queryset


class BlocksAddressFilter(admin.SimpleListFilter):
    title = "IP address included"
    parameter_name = "ip"

    def lookups(self, request, model_admin):
        return [("yes", "Includes an IP address"), ("no", "Email address only")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(ip_hash="")
        if self.value() == "no":
            return queryset.filter(ip_hash="")
        return queryset


def ban_blocks(ban: Ban) -> str:
    """What a ban shuts out, said plainly: an IP address takes its whole network with it."""
    network = "an IP address (everyone sharing that network)"
    if ban.email and ban.ip_hash:
        return f"The email address and {network}"
    if ban.ip_hash:
        return network[0].upper() + network[1:]
    return "The email address only"


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    form = BanAdminForm
    list_display = [
        "__str__",
        "blocks",
        "reason",
        "banned_at",
        "banned_by",
        "expires_at",
        "in_force",
    ]
    list_filter = [ActiveBanFilter, BlocksAddressFilter, "reason", "banned_at"]
    search_fields = ["email", "=ip_hash", "note"]
    list_select_related = ["banned_by"]
    actions = ["lift_bans"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "ip_hash", "reason", "note", "expires_at", "hide_comments"]
        return [
            "email",
            "ip_hash",
            "reason",
            "note",
            "banned_at",
            "banned_by",
            "expires_at",
            "lifted_at",
            "lifted_by",
            "comment",
        ]

    def get_readonly_fields(self, request, obj=None):
        # A ban is made and lifted through the services, so the record stays as it was.
        return self.get_fields(request, obj) if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="Blocks")
    def blocks(self, ban):
        return ban_blocks(ban)

    @admin.display(boolean=True, description="In force")
    def in_force(self, ban):
        return ban.is_active

    def save_model(self, request, obj, form, change):
        if change:
            return
        ban = ban_create(
            moderator=request.user,
            reason=form.cleaned_data["reason"],
            email=form.cleaned_data["email"],
            ip_hash=form.cleaned_data["ip_hash"],
            note=form.cleaned_data["note"],
            expires_at=form.cleaned_data["expires_at"],
            hide_comments=form.cleaned_data["hide_comments"],
        )
        # The admin goes on with `obj` (its log entry, the redirect): make it the stored ban.
        obj.pk = ban.pk
        obj._state.adding = False
        obj.banned_by = ban.banned_by
        obj.email = ban.email

    @admin.action(description="Lift selected bans", permissions=["change"])
    def lift_bans(self, request, queryset):
        lifted = 0
        for ban in queryset.filter(lifted_at__isnull=True):
            ban_lift(ban=ban, moderator=request.user)
            lifted += 1
        self.message_user(request, f"{lifted} ban(s) lifted.", level=messages.SUCCESS)
