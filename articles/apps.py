from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and media"

    def ready(self):
        from articles import signals  # noqa: F401  (queues renditions when an image changes)
