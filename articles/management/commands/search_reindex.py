"""Recompute every article's stored search text, in batches.

For rows written with bulk SQL (benchmarks, imports) or after changing SEARCH_CONFIGURATIONS;
saves through the ORM keep it current by themselves.
"""

from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = "Recompute the stored search text of every article (or only those missing it)."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only articles without one.")
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, missing: bool, batch: int, **options):
        articles = Article.objects.order_by("pk")
        if missing:
            articles = articles.filter(search_vector__isnull=True)
        ids = list(articles.values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            # Each batch commits on its own: a long reindex never holds every row locked.
            Article.objects.filter(pk__in=ids[start : start + batch]).refresh_search_vectors()
        self.stdout.write(self.style.SUCCESS(f"Search text recomputed for {len(ids)} articles."))
