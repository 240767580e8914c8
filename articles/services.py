"""State changes of articles and their photos. Views, admin and commands call these;
nothing else flips status or queues renditions.

Every function takes `by`, the person acting, and refuses with `ArticleRefused` what that
person may not do. `by=None` is the system itself (the demo loader, management commands).
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from articles import renditions
from articles.cache import article_pages_purge
from articles.imaging import normalise_upload
from articles.models import (
    Article,
    ArticleRevision,
    ArticleTopic,
    Author,
    Byline,
    Image,
    PreviewLink,
    Section,
)
from articles.tasks import generate_renditions

Status = Article.Status
SUBMITTED = "Submitted for review"


class ArticleRefused(Exception):
    """A step the person may not take, or that the article is not ready for."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EditConflict(Exception):
    """Someone saved the article after the editor opened it."""

    def __init__(self, current: Article, revisions: list[ArticleRevision]):
        super().__init__(f"“{current.headline}” was saved by someone else in the meantime.")
        self.current = current
        self.revisions = revisions


# Who may move an article from one state to another; writers only submit their own.
EDITOR_MOVES = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.PUBLISHED, Status.UNPUBLISHED},
    Status.UNPUBLISHED: {Status.DRAFT, Status.REVIEW, Status.PUBLISHED},
}
WRITER_MOVES = {
    Status.DRAFT: {Status.REVIEW},
    Status.UNPUBLISHED: {Status.REVIEW},
}


def _purge_after_commit(
    article: Article, old_section_ids=(), old_topic_ids=(), old_original_ids=()
) -> None:
    """Refresh the pages showing this article once the change is committed.

    A story moved to another section, or untagged from a topic, leaves a gap in the old
    section's or topic's pages too, and one no longer a translation leaves a link on its
    old original's page.
    """
    article_id, sections = article.pk, [*old_section_ids, article.section_id]
    topics = list(old_topic_ids)
    related = [pk for pk in old_original_ids if pk is not None]
    transaction.on_commit(
        lambda: article_pages_purge(
            article_id=article_id,
            section_ids=sections,
            topic_ids=topics,
            related_article_ids=related,
        )
    )


def can_publish(user) -> bool:
    return user is None or user.has_perm("articles.publish_article")


def is_writer_of(user, article: Article) -> bool:
    if user is None or article.pk is None:
        return False
    return (
        article.created_by_id == user.pk
        or Article.objects.mine(user).filter(pk=article.pk).exists()
    )


def can_edit(user, article: Article) -> bool:
    """Editors edit every article; writers the ones they created or carry a byline on."""
    if user is None:
        return True
    if article.pk is None:
        return user.has_perm("articles.add_article")
    if not user.has_perm("articles.change_article"):
        return False
    return can_publish(user) or is_writer_of(user, article)


def allowed_statuses(*, article: Article, by) -> list[str]:
    """The states this person may leave the article in, its current one first."""
    current = Status(article.status)
    if not can_edit(by, article):
        return [current]
    moves = EDITOR_MOVES if can_publish(by) else WRITER_MOVES
    return [current, *(s for s in Status if s in moves.get(current, set()) and s != current)]


def publication_missing(article: Article) -> list[str]:
    """What the article lacks before it can go out: its lead image's credit and alt text."""
    return article.lead_image.missing_for_publication if article.lead_image_id else []


def article_check_move(*, article: Article, to: str, by) -> None:
    """Refuse, with the reason, a change of state this person may not make."""
    if not can_edit(by, article):
        raise ArticleRefused(
            f"You cannot change “{article.headline}”: writers edit only their own stories."
        )
    if to == article.status and to != Status.PUBLISHED:
        return
    if to in (Status.PUBLISHED, Status.UNPUBLISHED) and not can_publish(by):
        raise ArticleRefused(
            "Only an editor can publish, schedule or unpublish. Submit the story for review "
            "and an editor will publish it."
        )
    if to not in allowed_statuses(article=article, by=by):
        raise ArticleRefused(
            f"“{article.headline}” cannot go from {Status(article.status).label.lower()} "
            f"to {Status(to).label.lower()}."
        )


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _snapshot(article: Article) -> dict:
    bylines = Byline.objects.filter(article=article).select_related("author")
    image = article.lead_image
    return {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": {"id": article.section_id, "name": str(article.section)},
        "lead_image": {"id": image.pk, "caption": str(image)} if image else None,
        "bylines": [
            {"author": b.author_id, "name": b.author.name, "role": b.role, "position": b.position}
            for b in bylines
        ],
        "corrections": [
            {"text": c.text, "published_at": c.published_at.isoformat()}
            for c in article.corrections.all()
        ],
    }


def revision_record(*, article: Article, by, action: str, note: str = "") -> ArticleRevision:
    """Keep the article as it stands now, with its bylines, lead image and corrections."""
    with transaction.atomic():
        _locked(article)
        last = article.revisions.aggregate(last=Max("number"))["last"] or 0
        return ArticleRevision.objects.create(
            article=article,
            number=last + 1,
            action=action,
            note=note,
            status=article.status,
            published_at=article.published_at,
            article_version=article.version,
            snapshot=_snapshot(article),
            created_by=by,
        )


def _revisions_since(article: Article, version: int) -> list[ArticleRevision]:
    return list(
        article.revisions.filter(article_version__gt=version)
        .select_related("created_by")
        .order_by("number")
    )


def article_save(
    *,
    article: Article,
    by,
    version: int | None = None,
    substantive: bool = False,
    record: bool = True,
) -> Article:
    """Save an edited article's content; its state stays as it is.

    `version` is the one the editor started from: if someone saved since, `EditConflict`
    says who and nothing is written. `record=False` leaves the revision to the caller,
    which saves the bylines first.
    """
    if not can_edit(by, article):
        raise ArticleRefused(
            f"You cannot change “{article.headline}”: writers edit only their own stories."
        )
    with transaction.atomic():
        old_sections, old_topics, old_originals = [], [], []
        if article.pk is None:
            if by is not None and by.is_authenticated:
                article.created_by = by
            article.status, article.published_at, article.version = Status.DRAFT, None, 1
        else:
            current = _locked(article)
            old_originals = [current.translation_of_id]
            old_sections = [current.section_id]
            # The admin saves the topics after this: the ones the story leaves are read now.
            old_topics = list(
                ArticleTopic.objects.filter(article=article).values_list("topic_id", flat=True)
            )
            if version is not None and current.version != version:
                raise EditConflict(current, _revisions_since(current, version))
            # Whatever a form sent, the state is the one stored: only the services below move it.
            article.status, article.published_at = current.status, current.published_at
            article.substantively_updated_at = current.substantively_updated_at
            article.version = current.version + 1
            if substantive and current.is_published:
                article.substantively_updated_at = timezone.now()
        if article.front_page_slot is not None:
            # The story pinned last takes the slot: the one there before returns to its section.
            Article.objects.filter(front_page_slot=article.front_page_slot).exclude(
                pk=article.pk
            ).update(front_page_slot=None)
        article.save()
        if record:
            revision_record(article=article, by=by, action="Saved")
        _purge_after_commit(article, old_sections, old_topics, old_originals)
    return article


def _move(article: Article, *, by, to: str, action: str, note: str = "", **fields) -> Article:
    with transaction.atomic():
        current = _locked(article)
        article_check_move(article=current, to=to, by=by)
        article.status = to
        for name, value in fields.items():
            setattr(article, name, value)
        article.version = current.version + 1
        article.save(update_fields=["status", "version", "updated_at", *fields])
        revision_record(article=article, by=by, action=action, note=note)
        _purge_after_commit(article)
    return article


def article_submit(*, article: Article, by, note: str = "") -> Article:
    """Hand a draft to the editors for review."""
    return _move(article, by=by, to=Status.REVIEW, action=SUBMITTED, note=note)


def article_send_back(*, article: Article, by, note: str) -> Article:
    """Return a story to its writer as a draft, saying what it needs."""
    if not note.strip():
        raise ArticleRefused("Say what the story needs: the note goes back to the writer.")
    if not can_publish(by):
        raise ArticleRefused("Only an editor can send a story back.")
    return _move(article, by=by, to=Status.DRAFT, action="Sent back", note=note.strip())


def article_publish(*, article: Article, by=None, at: datetime | None = None) -> Article:
    """Publish at `at` (a future time schedules), or now; refuse if the lead image is not ready.

    "Now" is the moment of the call: a publish time stored on a draft is not reused, so
    "publish now" neither leaves a story scheduled nor backdates it.
    """
    if missing := publication_missing(article):
        raise ArticleRefused(
            f"“{article.headline}” cannot be published: its lead image needs "
            + " and ".join(missing)
            + "."
        )
    when = at or timezone.now()
    action = "Scheduled" if when > timezone.now() else "Published"
    return _move(article, by=by, to=Status.PUBLISHED, action=action, published_at=when)


def article_unpublish(*, article: Article, by=None, note: str = "") -> Article:
    """Take an article off the public site; it keeps its text and history."""
    return _move(article, by=by, to=Status.UNPUBLISHED, action="Unpublished", note=note)


def article_restore(*, article: Article, revision: ArticleRevision, by) -> Article:
    """Bring back an older revision's text, section, lead image and bylines, as a new revision.

    Corrections are the public record and are never taken back; the state stays as it is.
    """
    if not can_edit(by, article):
        raise ArticleRefused(
            f"You cannot change “{article.headline}”: writers edit only their own stories."
        )
    if article.status == Status.PUBLISHED and not can_publish(by):
        raise ArticleRefused("Only an editor can change what readers already see.")
    data = revision.snapshot
    with transaction.atomic():
        current = _locked(article)
        article.headline, article.standfirst = data["headline"], data["standfirst"]
        article.body = data["body"]
        # A section or photo deleted since stays as it is now rather than break the restore.
        if Section.objects.filter(pk=data["section"]["id"]).exists():
            article.section_id = data["section"]["id"]
        image = data["lead_image"]
        if image is None or Image.objects.filter(pk=image["id"]).exists():
            article.lead_image_id = image["id"] if image else None
        article.status, article.published_at = current.status, current.published_at
        article.version = current.version + 1
        article.save()
        Byline.objects.filter(article=article).delete()
        existing = set(
            Author.objects.filter(pk__in=[b["author"] for b in data["bylines"]]).values_list(
                "pk", flat=True
            )
        )
        for byline in data["bylines"]:
            if byline["author"] not in existing:
                continue
            Byline.objects.create(
                article=article,
                author_id=byline["author"],
                role=byline["role"],
                position=byline["position"],
            )
        revision_record(article=article, by=by, action=f"Restored revision {revision.number}")
        _purge_after_commit(article, [current.section_id])
    return article


def preview_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def preview_link_create(
    *, article: Article, by, hours: int = settings.PREVIEW_LINK_HOURS
) -> tuple[PreviewLink, str]:
    """Make a secret preview address for one article; return the link and its token.

    The token is shown once: only its hash is kept.
    """
    if not can_edit(by, article):
        raise ArticleRefused("Only the article's writers and editors can share a preview.")
    if not 1 <= hours <= 24 * 30:
        raise ArticleRefused("A preview link lasts between one hour and thirty days.")
    token = secrets.token_urlsafe(32)
    link = PreviewLink.objects.create(
        article=article,
        token_hash=preview_token_hash(token),
        expires_at=timezone.now() + timedelta(hours=hours),
        created_by=by,
    )
    return link, token


def preview_link_revoke(*, link: PreviewLink, by) -> PreviewLink:
    """Stop a preview address from working, at once."""
    if not can_edit(by, link.article):
        raise ArticleRefused("Only the article's writers and editors can revoke its preview.")
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = timezone.now(), by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def preview_link_find(token: str) -> PreviewLink | None:
    """The valid link a token opens, or None (unknown, expired or revoked)."""
    if not token or len(token) > 100:
        return None
    return (
        PreviewLink.objects.valid()
        .select_related("article")
        .filter(token_hash=preview_token_hash(token))
        .first()
    )


def article_comments_switch(
    *, article: Article, is_open: bool, reopened_until: datetime | None = None
) -> Article:
    """Turn the editor's switch for comments under an article on or off; `reopened_until`
    keeps them open past their automatic close (None: the usual close applies)."""
    # update() rather than save(): opening or closing comments is not an edit of the story,
    # so "last updated" stays as the newsroom left it.
    Article.objects.filter(pk=article.pk).update(
        comments_open=is_open, comments_reopened_until=reopened_until
    )
    article.comments_open = is_open
    article.comments_reopened_until = reopened_until
    return article


def image_save(*, image: Image, by) -> Image:
    """Store a library image, its upload normalised, and queue its renditions when its file
    or focal point changed.

    `by` is recorded as the uploader of a new image; `None` is the system (the demo loader).
    """
    with transaction.atomic():
        before = None
        if image.pk is not None:
            before = (
                Image.objects.select_for_update()
                .filter(pk=image.pk)
                .values("file", "focal_x", "focal_y")
                .first()
            )
        elif by is not None and by.is_authenticated:
            image.uploaded_by = by
        if image.file and not image.file._committed:
            upload = image.file.file
            if not getattr(upload, "is_normalised", False):
                image.file = normalise_upload(upload)
        image.save()
        old_key = (
            renditions.source_key(before["file"], before["focal_x"], before["focal_y"])
            if before
            else None
        )
        if image.file and image.rendition_key != old_key:
            image_id = image.pk
            transaction.on_commit(partial(generate_renditions.enqueue, image_id=image_id))
        replaced = before["file"] if before else None
        if replaced and replaced != image.file.name:
            # Only once committed: a rolled-back save still needs the old original.
            storage = image.file.storage
            transaction.on_commit(partial(storage.delete, replaced))
    return image
