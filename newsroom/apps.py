from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project's own operations: request ids, health, backups and task upkeep."""

    name = "newsroom"
    verbose_name = "Newsroom operations"

    def ready(self):
        from newsroom import requestlog  # noqa: F401  (connects its signal receivers)
