from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed, SectionFeed

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front-page"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("section/<str:slug>/feed/", SectionFeed(), name="section-feed"),
    path("section/<str:slug>/", views.SectionDetailView.as_view(), name="section-detail"),
    path("author/<str:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("article/<int:pk>/", views.article_detail, name="article-short"),
    path("article/<int:pk>/<str:slug>/", views.article_detail, name="article-detail"),
    path("image/<int:pk>/<str:spec>", views.image_rendition, name="image-rendition"),
]
