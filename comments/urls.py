from django.urls import path

from comments.views import editor, moderation, reader

app_name = "comments"

urlpatterns = [
    path("<int:pk>/", reader.go_to_comment, name="comment-permalink"),
    path("<int:pk>/reply/", reader.reply_to_comment, name="comment-reply"),
    path("article/<int:article_pk>/post/", reader.post_comment, name="comment-post"),
    path(
        "article/<int:article_pk>/form-token/",
        reader.stamp_comment_form,
        name="comment-form-token",
    ),
    path("<int:pk>/report/", reader.report_comment, name="comment-report"),
    # Editors, from the article page.
    path("article/<int:article_pk>/close/", editor.close_comments, name="article-comments-close"),
    path(
        "article/<int:article_pk>/reopen/", editor.reopen_comments, name="article-comments-reopen"
    ),
    # Moderators.
    path("<int:pk>/hide/", moderation.hide_comment, name="comment-hide"),
    path("<int:pk>/unhide/", moderation.unhide_comment, name="comment-unhide"),
    path("<int:pk>/approve/", moderation.approve_comment, name="comment-approve"),
    path("<int:pk>/feature/", moderation.feature_comment, name="comment-feature"),
    path("<int:pk>/ban/", moderation.ban_commenter, name="comment-ban"),
    path("moderation/", moderation.show_queue, name="moderation-queue"),
    path("moderation/bulk/", moderation.moderate_in_bulk, name="moderation-bulk"),
    path("moderation/privacy/", moderation.handle_privacy_request, name="moderation-privacy"),
]
