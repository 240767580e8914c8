from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("<int:pk>/", views.comment_permalink, name="comment-permalink"),
    path("<int:pk>/reply/", views.comment_reply, name="comment-reply"),
    path("article/<int:article_pk>/post/", views.comment_post, name="comment-post"),
]
