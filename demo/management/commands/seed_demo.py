"""Build a believable demo newsroom: sections, bylines, photos, weeks of stories tagged
with topics, an Urdu desk, and the life around them (comment threads, moderation,
corrections, a banner, reads).

Running it again adds nothing that is already there.
"""

import random

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.cache import purge_public_pages
from articles.models import Article
from demo import content


class Command(BaseCommand):
    help = "Create a demo newsroom (idempotent). Use --articles for a benchmark-sized one."

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=60,
            help="Published English articles (the Urdu desk adds its own few).",
        )
        parser.add_argument("--seed", type=int, default=2014, help="Random seed.")

    @transaction.atomic
    def handle(self, *args, articles: int, seed: int, **options):
        rng = random.Random(seed)
        sections = content.seed_sections()
        authors = content.seed_authors()
        images = content.seed_photos(authors, count=min(24, max(6, articles // 3)))
        created = content.seed_articles(rng, sections, authors, images, count=articles)
        topics = content.seed_topics()
        content.seed_urdu_names(sections, authors)
        urdu_section = content.seed_urdu_section()
        urdu_stories = content.seed_urdu_stories(urdu_section, topics)
        comments = content.seed_comment_threads()
        urdu_comments = content.seed_urdu_comments(urdu_stories[0])
        content.seed_editors_pick()
        content.seed_hidden_comment()
        content.seed_held_comment()
        corrections = content.seed_corrections()
        banner = content.seed_breaking_news()
        reads = content.seed_reads()
        transaction.on_commit(purge_public_pages)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {len(sections)} sections, {len(authors)} authors, "
                f"{len(images)} images, {created} new articles in {len(topics)} topics "
                f"({Article.objects.count()} in all), {len(comments)} comments in threads "
                f"(one an editor's pick) plus a hidden one and one held for review, "
                f"an Urdu section with {len(urdu_stories)} stories and {len(urdu_comments)} "
                "comments, "
                f"{len(corrections)} corrections, {'a' if banner else 'no'} breaking-news "
                f"banner, reads of {len({count.article_id for count in reads})} stories."
            )
        )
