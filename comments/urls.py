from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("<int:pk>/", views.comment_permalink, name="comment-permalink"),
]
