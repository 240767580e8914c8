"""The refusal every comment service raises when a reader's post must not be stored."""

from django.utils.translation import gettext


class CommentRefused(Exception):
    """A comment or report that must not be stored, with what to tell the reader and the
    HTTP status."""

    def __init__(self, message: str, *, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


class DuplicateComment(CommentRefused):
    """The same comment posted again (a double click): the first one stands."""

    def __init__(self, message: str, *, original):
        super().__init__(message, status=409)
        self.original = original


class ArticleNotOpen(CommentRefused):
    """No article readers may see: refusals then say nothing of it."""

    def __init__(self):
        super().__init__(gettext("This article is not open for comments."), status=404)


class ReplyTargetGone(CommentRefused):
    """The comment answered is not one readers may see (any more): it is never named."""

    def __init__(self):
        super().__init__(
            gettext("The comment you are replying to is not available any more."), status=404
        )
