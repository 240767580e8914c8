"""Start-up checks of what settings alone cannot tell: the database must know the names."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections, transaction

from articles.languages import search_configurations


def _configuration_exists(name: str) -> bool:
    # The cast resolves a name as searches will (search_path, "schema.name" too).
    try:
        with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
            cursor.execute("SELECT %s::regconfig", [name])
    except DatabaseError:
        return False
    return True


@register(Tags.database)
def search_configurations_exist(app_configs=None, databases=None, **kwargs):
    """Every language's text search configuration is one PostgreSQL has.

    A misspelt name (SEARCH_CONFIGURATIONS=en=englsh) would otherwise pass every start-up
    and then fail each story's save and each search with a database error.
    """
    if not databases or "default" not in databases:
        return []
    wanted = search_configurations()
    missing = {config for config in set(wanted.values()) if not _configuration_exists(config)}
    problems = [
        Error(
            f"The text search configuration {config!r} for stories in {code!r} does not "
            "exist in the database.",
            hint="Correct SEARCH_CONFIGURATIONS (PostgreSQL lists its own with \\dF), "
            "then run manage.py search_reindex.",
            id="articles.E001",
        )
        for code, config in wanted.items()
        if config in missing
    ]
    problems += [
        Warning(
            f"SEARCH_CONFIGURATIONS names a configuration for {code!r}, which is not one "
            "of ARTICLE_LANGUAGES, so no story uses it.",
            hint=f"Stories are written in: {', '.join(settings.ARTICLE_LANGUAGES)}.",
            id="articles.W001",
        )
        for code in settings.SEARCH_CONFIGURATIONS
        if code not in wanted and code not in {c.split("-")[0] for c in wanted}
    ]
    return problems
