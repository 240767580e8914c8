"""Build a believable demo newsroom: sections, bylines, photos and weeks of stories.

All text is invented for Newsroom. Running it again adds nothing that is already there.
"""

import io
import random
from datetime import timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw

from articles.cache import purge_public_pages
from articles.html import sanitize_body
from articles.models import Article, ArticleTopic, Author, Byline, Image, Section, Topic
from articles.services import image_save
from articles.tasks import generate_renditions

SECTIONS = [
    ("Pakistan", "National politics, courts and the provinces."),
    ("World", "Diplomacy, conflict and elections beyond our borders."),
    ("Business", "Markets, trade, energy and the cost of living."),
    ("Sport", "Cricket, hockey, football and the athletes behind them."),
    ("Culture", "Books, film, music and the arts."),
    ("Opinion", "Columns and analysis from our writers and guests."),
]

AUTHORS = [
    ("Staff Reporter", ""),
    ("Amina Qureshi", "Amina covers parliament and the courts from Islamabad."),
    ("Bilal Hashmi", "Bilal reports on energy, trade and the economy from Karachi."),
    ("Sana Mirza", "Sana writes about cricket and the business of sport."),
    ("Daniyal Rauf", "Daniyal is the paper's diplomatic correspondent."),
    ("Hira Baloch", "Hira reports from Quetta on Balochistan and the border regions."),
    ("Omar Siddiqui", "Omar edits the culture pages and reviews new fiction."),
    ("Newsroom Wire Desk", "Stories compiled from agency reports."),
    ("Farah Naz", "Farah is a guest columnist and a former civil servant."),
]

SUBJECTS = [
    "Provincial assembly",
    "Finance ministry",
    "Cricket board",
    "City council",
    "Election commission",
    "Energy regulator",
    "Foreign office",
    "High court",
    "Teachers' union",
    "Port authority",
    "Water commission",
    "Film festival",
]
ACTIONS = [
    "approves plan to",
    "delays decision to",
    "faces questions over move to",
    "announces review of proposal to",
    "rejects call to",
    "sets deadline to",
]
OBJECTS = [
    "expand public transport",
    "cut fuel subsidies",
    "restore the old stadium",
    "publish audit findings",
    "raise the minimum wage",
    "open three new hospitals",
    "reform tax collection",
    "reschedule the tournament",
    "digitise land records",
    "protect the mangrove coast",
]
# Topics the demo tags stories with, by words of their headline.
TOPICS = [
    (
        "Cost of living",
        "Prices, wages, subsidies and what households pay.",
        ["wage", "fuel", "tax"],
    ),
    ("Elections", "Campaigns, the commission and the vote.", ["Election"]),
    ("Cricket", "The national side, the board and the grounds.", ["Cricket", "tournament"]),
    ("Water", "Floods, dams, mangroves and what comes out of the tap.", ["Water", "mangrove"]),
    ("Health", "Hospitals, doctors and public health.", ["hospitals"]),
    ("Transport", "Roads, rail, ports and getting around.", ["transport", "Port"]),
]
PLACES = ["Karachi", "Lahore", "Islamabad", "Quetta", "Peshawar", "Multan", "Hyderabad"]
CREDITS = [
    "Newsroom photo",
    "Agency photo",
    "Newsroom screengrab",
    "Handout photo",
    "Photo courtesy of the organisers",
]
PALETTE = [(28, 63, 96), (143, 45, 45), (46, 110, 73), (180, 120, 40), (90, 60, 120)]


def demo_photo(seed: int, size=(1600, 900)) -> bytes:
    """Paint an abstract landscape so the demo has real, varied JPEG photos offline."""
    rng = random.Random(seed)
    sky, ground = rng.sample(PALETTE, 2)
    picture = PillowImage.new("RGB", size, sky)
    draw = ImageDraw.Draw(picture)
    width, height = size
    for row in range(height // 2):
        shade = tuple(min(255, channel + row // 6) for channel in sky)
        draw.line([(0, row), (width, row)], fill=shade)
    horizon = int(height * rng.uniform(0.5, 0.7))
    draw.rectangle([0, horizon, width, height], fill=ground)
    for _ in range(6):
        x, w = rng.randrange(width), rng.randrange(60, 260)
        top = horizon - rng.randrange(40, horizon // 2)
        tone = tuple(max(0, channel - 40) for channel in ground)
        draw.rectangle([x, top, x + w, horizon], fill=tone)
    draw.ellipse(
        [width * 0.7, height * 0.1, width * 0.7 + 120, height * 0.1 + 120], fill=(250, 230, 170)
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def story_body(rng: random.Random, subject: str, place: str) -> str:
    paragraphs = [
        f"<p>Officials in {place} said on Tuesday that the {subject.lower()} would publish "
        "its full reasoning within a week, after a meeting that ran late into the evening.</p>",
        "<p>Critics said the timetable was too short for the public to respond, while "
        "supporters argued that further delay would only raise the eventual cost.</p>",
        "<h2>What happens next</h2>",
        "<p>A committee will hear submissions from residents, traders and civic groups. "
        "Its members are expected to visit the affected neighbourhoods before voting.</p>",
        "<blockquote><p>We want people to see the numbers before anyone signs anything, "
        "a spokesperson said.</p></blockquote>",
        "<h2>The background</h2>",
        "<p>The proposal was first tabled two years ago and shelved after a change of "
        "leadership. It returned to the agenda this autumn.</p>",
        "<ul><li>Public hearings begin next month.</li><li>A final vote is expected "
        "before the budget session.</li></ul>",
    ]
    rng.shuffle(paragraphs[4:])
    return "".join(paragraphs)


class Command(BaseCommand):
    help = "Create a demo newsroom (idempotent). Use --articles for a benchmark-sized one."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=60, help="Published articles.")
        parser.add_argument("--seed", type=int, default=2014, help="Random seed.")

    @transaction.atomic
    def handle(self, *args, articles: int, seed: int, **options):
        rng = random.Random(seed)
        sections = self.ensure_sections()
        authors = self.ensure_authors()
        # Demo photos from before renditions existed (or whose task was lost) get them
        # now; new photos queue their own when saved.
        without_renditions = list(
            Image.objects.filter(caption__startswith="Demo:", renditions__isnull=True)
            .distinct()
            .values_list("pk", flat=True)
        )
        images = self.ensure_images(authors, count=min(24, max(6, articles // 3)))
        for image_id in without_renditions:
            transaction.on_commit(partial(generate_renditions.enqueue, image_id=image_id))
        created = self.ensure_articles(rng, sections, authors, images, articles)
        self.ensure_topics()
        transaction.on_commit(purge_public_pages)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {len(sections)} sections, {len(authors)} authors, "
                f"{len(images)} images, {created} new articles "
                f"({Article.objects.count()} in all)."
            )
        )

    def ensure_sections(self):
        sections = []
        for position, (name, description) in enumerate(SECTIONS):
            section, _ = Section.objects.get_or_create(
                slug=name.lower(),
                defaults={"name": name, "description": description, "position": position},
            )
            sections.append(section)
        return sections

    def ensure_topics(self):
        """Tag the demo's stories with the topics their headlines name, then index them."""
        untagged = Article.objects.exclude(
            pk__in=ArticleTopic.objects.values("article_id")
        ).values_list("pk", "headline")
        links = []
        for name, description, words in TOPICS:
            topic, _ = Topic.objects.get_or_create(name=name, defaults={"description": description})
            links += [
                ArticleTopic(article_id=pk, topic=topic)
                for pk, headline in untagged
                if any(word in headline for word in words)
            ]
        ArticleTopic.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
        # bulk_create skips the saves that keep the search text current.
        tagged = {link.article_id for link in links}
        Article.objects.filter(
            Q(search_vector__isnull=True) | Q(pk__in=tagged)
        ).refresh_search_vectors()

    def ensure_authors(self):
        authors = []
        for name, bio in AUTHORS:
            slug = name.lower().replace(" ", "-")
            author, _ = Author.objects.get_or_create(slug=slug, defaults={"name": name, "bio": bio})
            authors.append(author)
        return authors

    def ensure_images(self, authors, count: int):
        existing = list(Image.objects.filter(caption__startswith="Demo:").order_by("pk"))
        for number in range(len(existing), count):
            place = PLACES[number % len(PLACES)]
            image = Image(
                caption=f"Demo: A view across {place} at dusk.",
                credit=CREDITS[number % len(CREDITS)],
                alt_text=f"Rooftops and a low sun over {place}",
                photographer=authors[1 + number % (len(authors) - 1)] if number % 2 else None,
            )
            image.file = ContentFile(demo_photo(number), name=f"demo-{number}.jpg")
            image_save(image=image, by=None)
            existing.append(image)
        return existing

    def ensure_articles(self, rng, sections, authors, images, count: int) -> int:
        now = timezone.now().replace(second=0, microsecond=0)
        existing_slugs = set(Article.objects.values_list("slug", flat=True))
        planned = []
        for number in range(count):
            planned.append(
                (number, Article.Status.PUBLISHED, now - timedelta(hours=7 * number + 1))
            )
        planned.append((count, Article.Status.DRAFT, None))
        planned.append((count + 1, Article.Status.DRAFT, None))
        planned.append((count + 2, Article.Status.PUBLISHED, now + timedelta(days=2)))

        new_articles, new_bylines = [], []
        for number, status, published_at in planned:
            subject = SUBJECTS[number % len(SUBJECTS)]
            action = ACTIONS[(number // len(SUBJECTS)) % len(ACTIONS)]
            thing = OBJECTS[(number // 7) % len(OBJECTS)]
            place = PLACES[number % len(PLACES)]
            headline = f"{subject} {action} {thing}"
            slug = f"{headline.lower().replace(' ', '-').replace("'", '')}-{number}"
            if slug in existing_slugs:
                continue
            article = Article(
                headline=headline,
                slug=slug,
                standfirst=f"The decision in {place} could affect thousands of families, "
                "and opponents say they will keep up the pressure.",
                body=story_body(rng, subject, place),
                section=sections[number % len(sections)],
                lead_image=images[number % len(images)] if number % 4 != 3 else None,
                status=status,
                published_at=published_at,
            )
            new_articles.append(article)
        for article in new_articles:
            # bulk_create skips save(), where bodies are normally sanitised.
            article.body = sanitize_body(article.body)
        Article.objects.bulk_create(new_articles, batch_size=1000)
        # Demo stories were not edited after going out, so none should say "Updated".
        Article.objects.filter(
            pk__in=[article.pk for article in new_articles], published_at__isnull=False
        ).update(updated_at=F("published_at"))
        for article in new_articles:
            writers = rng.sample(authors, rng.choice([1, 1, 1, 2]))
            for position, author in enumerate(writers):
                role = "" if position == 0 else "Additional reporting by"
                new_bylines.append(
                    Byline(article=article, author=author, role=role, position=position)
                )
        Byline.objects.bulk_create(new_bylines, batch_size=2000)
        return len(new_articles)
