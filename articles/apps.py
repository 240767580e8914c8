import atexit

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and media"

    def ready(self):
        from articles import checks  # noqa: F401  (registers them)
        from articles.readership import reads_flush_on_exit

        # Any server's worker that exits normally (gunicorn's graceful stop included) runs
        # atexit handlers: the reads it counted since its last write go to the database.
        atexit.register(reads_flush_on_exit)
