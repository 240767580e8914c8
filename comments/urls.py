from django.urls import path

from comments import moderation_views, views

app_name = "comments"

urlpatterns = [
    path("<int:pk>/", views.comment_permalink, name="comment-permalink"),
    path("<int:pk>/reply/", views.comment_reply, name="comment-reply"),
    path("article/<int:article_pk>/post/", views.comment_post, name="comment-post"),
    path(
        "article/<int:article_pk>/form-token/",
        views.comment_form_token,
        name="comment-form-token",
    ),
    path(
        "article/<int:article_pk>/close/",
        views.article_comments_close,
        name="article-comments-close",
    ),
    path(
        "article/<int:article_pk>/reopen/",
        views.article_comments_reopen,
        name="article-comments-reopen",
    ),
    # Readers' reports, then staff moderation.
    path("<int:pk>/report/", moderation_views.comment_report, name="comment-report"),
    path("<int:pk>/hide/", moderation_views.comment_hide, name="comment-hide"),
    path("<int:pk>/unhide/", moderation_views.comment_unhide, name="comment-unhide"),
    path("<int:pk>/approve/", moderation_views.comment_approve, name="comment-approve"),
    path("<int:pk>/feature/", moderation_views.comment_feature, name="comment-feature"),
    path("<int:pk>/ban/", moderation_views.comment_ban, name="comment-ban"),
    path("moderation/", moderation_views.moderation_queue, name="moderation-queue"),
    path("moderation/bulk/", moderation_views.moderation_bulk, name="moderation-bulk"),
    path("moderation/privacy/", moderation_views.moderation_privacy, name="moderation-privacy"),
]
