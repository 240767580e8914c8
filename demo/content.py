"""The demo newsroom, one function per kind of content, each safe to run again.

Each `seed_*` function makes what is missing of its kind and returns what is there, so
the command can run on a fresh database or on last week's demo alike. To show something
new in the demo, add a function here and call it from the command.
"""

from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from articles.html import sanitize_body
from articles.models import (
    Article,
    ArticleTopic,
    Author,
    BreakingNews,
    Byline,
    Correction,
    DailyReadCount,
    Image,
    Section,
    Topic,
)
from articles.services import image_save
from articles.tasks import generate_renditions
from comments.models import Comment, ModerationReason
from comments.services.counts import comment_count_refresh
from comments.services.moderation import comment_feature, comment_hide
from demo import text, urdu
from demo.photos import demo_photo

# Reserved for examples: no demo commenter's address can ever reach a real inbox.
READER_EMAIL_DOMAIN = "readers.example.org"


def seed_sections() -> list[Section]:
    sections = []
    for position, (name, description) in enumerate(text.SECTIONS):
        section, _ = Section.objects.get_or_create(
            slug=name.lower(),
            defaults={"name": name, "description": description, "position": position},
        )
        sections.append(section)
    return sections


def seed_authors() -> list[Author]:
    authors = []
    for name, bio in text.AUTHORS:
        slug = name.lower().replace(" ", "-")
        author, _ = Author.objects.get_or_create(slug=slug, defaults={"name": name, "bio": bio})
        authors.append(author)
    return authors


def seed_photos(authors: list[Author], *, count: int) -> list[Image]:
    """Painted, credited photos; any made before renditions existed get them queued now."""
    existing = list(Image.objects.filter(caption__startswith="Demo:").order_by("pk"))
    without_renditions = [image.pk for image in existing if not image.renditions.exists()]
    for number in range(len(existing), count):
        place = text.PLACES[number % len(text.PLACES)]
        image = Image(
            caption=f"Demo: A view across {place} at dusk.",
            credit=text.CREDITS[number % len(text.CREDITS)],
            alt_text=f"Rooftops and a low sun over {place}",
            photographer=authors[1 + number % (len(authors) - 1)] if number % 2 else None,
        )
        image.file = ContentFile(demo_photo(number), name=f"demo-{number}.jpg")
        image_save(image=image, by=None)
        existing.append(image)
    for image_id in without_renditions:
        transaction.on_commit(partial(generate_renditions.enqueue, image_id=image_id))
    return existing


def seed_articles(rng, sections, authors, images, *, count: int) -> int:
    """`count` published stories a few hours apart, two drafts and one scheduled story."""
    now = timezone.now().replace(second=0, microsecond=0)
    existing_slugs = set(Article.objects.values_list("slug", flat=True))
    planned = [
        (number, Article.Status.PUBLISHED, now - timedelta(hours=7 * number + 1))
        for number in range(count)
    ]
    planned.append((count, Article.Status.DRAFT, None))
    planned.append((count + 1, Article.Status.DRAFT, None))
    planned.append((count + 2, Article.Status.PUBLISHED, now + timedelta(days=2)))

    new_articles = []
    for number, status, published_at in planned:
        headline, slug = text.article_headline(number), text.article_slug(number)
        if slug in existing_slugs:
            continue
        subject = text.SUBJECTS[number % len(text.SUBJECTS)]
        place = text.PLACES[number % len(text.PLACES)]
        new_articles.append(
            Article(
                headline=headline,
                slug=slug,
                standfirst=f"The decision in {place} could affect thousands of families, "
                "and opponents say they will keep up the pressure.",
                # bulk_create skips save(), where bodies are normally sanitised.
                body=sanitize_body(text.story_body(rng, subject, place)),
                section=sections[number % len(sections)],
                lead_image=images[number % len(images)] if number % 4 != 3 else None,
                status=status,
                published_at=published_at,
            )
        )
    Article.objects.bulk_create(new_articles, batch_size=1000)
    # Demo stories were not edited after going out, so none should say "Updated".
    Article.objects.filter(
        pk__in=[article.pk for article in new_articles], published_at__isnull=False
    ).update(updated_at=F("published_at"))
    bylines = []
    for article in new_articles:
        writers = rng.sample(authors, rng.choice([1, 1, 1, 2]))
        for position, author in enumerate(writers):
            role = "" if position == 0 else "Additional reporting by"
            bylines.append(Byline(article=article, author=author, role=role, position=position))
    Byline.objects.bulk_create(bylines, batch_size=2000)
    return len(new_articles)


def seed_topics() -> list[Topic]:
    """Tag the stories with the topics their headlines name, and give every story its
    search text (bulk_create skips the saves that keep it current)."""
    untagged = Article.objects.exclude(
        pk__in=ArticleTopic.objects.values("article_id")
    ).values_list("pk", "headline")
    topics, links = [], []
    for name, description, words in text.TOPICS:
        topic, _ = Topic.objects.get_or_create(name=name, defaults={"description": description})
        topics.append(topic)
        links += [
            ArticleTopic(article_id=pk, topic=topic)
            for pk, headline in untagged
            if any(word in headline for word in words)
        ]
    ArticleTopic.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    tagged = {link.article_id for link in links}
    Article.objects.filter(
        Q(search_vector__isnull=True) | Q(pk__in=tagged)
    ).refresh_search_vectors()
    return topics


def demo_story(number: int) -> Article | None:
    """The demo's story of that number, if it is published (the newest is number 0)."""
    return Article.objects.published().filter(slug=text.article_slug(number)).first()


def demo_moderator():
    """The account the demo's moderation is recorded under; nobody can sign in with it."""
    user, created = get_user_model().objects.get_or_create(
        username="demo-moderator", defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _comment(
    article,
    *,
    name,
    body,
    minutes,
    in_reply_to=None,
    status=Comment.Status.PUBLISHED,
    mailbox=None,
):
    """The reader's comment on article, made once, posted `minutes` after the story.

    The address is made from the name unless `mailbox` gives its local part (an Urdu name
    would make an address few mail systems take)."""
    mailbox = mailbox or name.lower().replace(" ", ".").strip(".")
    email = f"{mailbox}@{READER_EMAIL_DOMAIN}"
    found = Comment.objects.filter(article=article, email=email, body=body).first()
    if found is not None:
        return found
    parent = None
    if in_reply_to is not None:
        parent = in_reply_to.parent or in_reply_to
    return Comment.objects.create(
        article=article,
        parent=parent,
        in_reply_to=in_reply_to,
        name=name,
        email=email,
        body=body,
        status=status,
        review_reason=text.HELD_REASON if status == Comment.Status.PENDING else "",
        posted_at=min(article.published_at + timedelta(minutes=minutes), timezone.now()),
    )


def seed_comment_threads() -> list[Comment]:
    """Conversations under the newest stories: replies, and replies to replies (@name)."""
    made = []
    for number, thread in enumerate(text.CONVERSATIONS):
        article = demo_story(number)
        if article is None:
            continue
        said = {}
        for minutes, (name, body, answering) in enumerate(thread, start=1):
            comment = _comment(
                article, name=name, body=body, minutes=12 * minutes, in_reply_to=said.get(answering)
            )
            said[name] = comment
            made.append(comment)
        comment_count_refresh(article_id=article.pk)
    return made


def seed_editors_pick() -> Comment | None:
    """The first comment under the newest story, featured as an editor's pick."""
    article = demo_story(0)
    comment = article and article.comments.filter(parent=None).order_by("posted_at").first()
    if comment is not None and not comment.is_featured:
        comment = comment_feature(
            comment=comment, moderator=demo_moderator(), note="Demo: a thoughtful comment."
        )
    return comment


def seed_hidden_comment() -> Comment | None:
    """An abusive comment hidden by a moderator, answered before it was: readers see a
    placeholder where it stood, and the reply."""
    article = demo_story(0)
    if article is None:
        return None
    name, body = text.ABUSIVE_COMMENT
    comment = _comment(article, name=name, body=body, minutes=50)
    name, body = text.REPLY_TO_ABUSIVE
    _comment(article, name=name, body=body, minutes=55, in_reply_to=comment)
    if comment.status != Comment.Status.HIDDEN:
        comment = comment_hide(
            comment=comment,
            moderator=demo_moderator(),
            reason=ModerationReason.ABUSE,
            note="Demo: insults another reader.",
        )
    return comment


def seed_held_comment() -> Comment | None:
    """A comment held for review, waiting in the moderation queue."""
    article = demo_story(1)
    if article is None:
        return None
    name, body = text.HELD_COMMENT
    return _comment(article, name=name, body=body, minutes=30, status=Comment.Status.PENDING)


def seed_corrections() -> list[Correction]:
    corrections = []
    for number, correction in text.CORRECTIONS:
        article = demo_story(number)
        if article is not None:
            made, _ = Correction.objects.get_or_create(
                article=article,
                text=correction,
                defaults={"published_at": article.published_at + timedelta(hours=3)},
            )
            corrections.append(made)
    return corrections


def seed_breaking_news() -> BreakingNews | None:
    """A banner linking to the newest story for the next twelve hours, unless one is up."""
    article = demo_story(0)
    if article is None:
        return None
    current = BreakingNews.objects.current().filter(text=text.BREAKING_NEWS).first()
    if current is not None:
        return current
    now = timezone.now()
    return BreakingNews.objects.create(
        text=text.BREAKING_NEWS,
        article=article,
        starts_at=now,
        expires_at=now + timedelta(hours=12),
    )


def seed_reads() -> list[DailyReadCount]:
    """Today's and yesterday's reads of a few stories, so "Most read" has something to say."""
    today = timezone.localdate()
    counts = []
    for number, reads in text.READS:
        article = demo_story(number)
        if article is None:
            continue
        for day, share in ((today, 1.0), (today - timedelta(days=1), 0.6)):
            count, _ = DailyReadCount.objects.update_or_create(
                article=article, day=day, defaults={"reads": int(reads * share)}
            )
            counts.append(count)
    return counts


def seed_urdu_names(sections: list[Section], authors: list[Author]) -> None:
    """Give the English sections and bylines the names Urdu pages show them by, unless an
    editor already named them in Urdu."""
    for row, urdu_name in [
        *((section, urdu.SECTION_NAMES.get(section.slug)) for section in sections),
        *((author, urdu.AUTHOR_NAMES.get(author.name)) for author in authors),
    ]:
        if urdu_name and not (row.other_names or {}).get("ur"):
            row.other_names = {**(row.other_names or {}), "ur": urdu_name}
            row.save(update_fields=["other_names"])


def seed_urdu_section() -> Section:
    """The Urdu desk's section: an Urdu page, after the English sections in the navigation."""
    slug, name, description = urdu.SECTION
    section, _ = Section.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "description": description,
            "language": "ur",
            "position": len(text.SECTIONS),
        },
    )
    return section


def seed_urdu_photos() -> list[Image]:
    """Painted photos with Urdu captions and credits, for the Urdu stories."""
    photos = []
    for number, (caption, credit, alt_text) in enumerate(urdu.PHOTOS):
        image = Image.objects.filter(caption=caption).first()
        if image is None:
            image = Image(caption=caption, credit=credit, alt_text=alt_text)
            # Seeds the English photos do not use, so the Urdu ones look different.
            image.file = ContentFile(demo_photo(100 + number), name=f"demo-ur-{number}.jpg")
            image = image_save(image=image, by=None)
        photos.append(image)
    return photos


def seed_urdu_stories(section: Section, topics: list[Topic]) -> list[Article]:
    """The Urdu desk's stories, one of them the translation of an English demo story.

    All are older than the newest English story, so the English front page keeps its lead."""
    now = timezone.now().replace(second=0, microsecond=0)
    editor_name, editor_urdu_name, editor_bio = urdu.DESK_EDITOR
    Author.objects.get_or_create(
        slug=slugify(editor_name),
        defaults={"name": editor_name, "bio": editor_bio, "other_names": {"ur": editor_urdu_name}},
    )
    authors = {author.name: author for author in Author.objects.all()}
    topics_by_name = {topic.name: topic for topic in topics}
    for name, description in urdu.TOPICS:
        topics_by_name[name], _ = Topic.objects.get_or_create(
            name=name, defaults={"description": description}
        )
    photos = seed_urdu_photos()
    stories = []
    for story in urdu.STORIES:
        slug = slugify(story["headline"], allow_unicode=True)
        article = Article.objects.filter(slug=slug, language="ur").first()
        if article is None:
            original = None
            if "translates" in story:
                original = demo_story(story["translates"])
            photo = story.get("photo")
            article = Article.objects.create(
                headline=story["headline"],
                slug=slug,
                standfirst=story["standfirst"],
                body=story["body"],
                section=section,
                language="ur",
                translation_of=original,
                lead_image=photos[photo] if photo is not None else None,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(hours=story["hours_ago"]),
            )
            Byline.objects.bulk_create(
                Byline(article=article, author=authors[name], position=position)
                for position, name in enumerate(story["bylines"])
            )
            article.topics.add(*(topics_by_name[name] for name in story["topics"]))
            # Bylines written in bulk skip the signal that keeps the search text current.
            Article.objects.filter(pk=article.pk).refresh_search_vectors()
            Article.objects.filter(pk=article.pk).update(updated_at=F("published_at"))
        stories.append(article)
    return stories


def seed_urdu_comments(article: Article) -> list[Comment]:
    """A conversation in Urdu under an Urdu story: a reply to a reply (@name), and a
    comment mixing an English name and an address into Urdu text."""
    made, said = [], {}
    for minutes, (name, mailbox, body, answering) in enumerate(urdu.CONVERSATION, start=1):
        comment = _comment(
            article,
            name=name,
            mailbox=mailbox,
            body=body,
            minutes=9 * minutes,
            in_reply_to=said.get(answering),
        )
        said[name] = comment
        made.append(comment)
    comment_count_refresh(article_id=article.pk)
    return made
