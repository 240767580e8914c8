"""Where uploaded originals live: outside MEDIA_ROOT, so no media server can hand them out.

Readers only ever get renditions (under MEDIA_ROOT, at names that say nothing about the
original). An original is needed by the rendition maker and by editors, who reach it
through a view that checks their permission.
"""

import errno
import os
import tempfile

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse
from storages.backends.s3 import S3Storage


class StorageRefused(OSError):
    """The disk would not take a file: full, read-only or not ours to write."""

    def __str__(self):
        if self.errno in (errno.ENOSPC, errno.EDQUOT):
            return "the media storage is full"
        if self.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "the media storage is read-only"
        return f"the media storage refused it ({self.strerror or 'unknown error'})"


class WholeFilesStorage(FileSystemStorage):
    """A file system storage where a file appears whole or not at all.

    Each file is written under a temporary name beside its final one and linked into
    place only once complete, so a full or failing disk leaves no half-written file that
    a row or a page could point at.
    """

    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        partial = None
        try:
            os.makedirs(directory, exist_ok=True)
            handle, partial = tempfile.mkstemp(dir=directory, prefix=".partial-")
            with os.fdopen(handle, "wb") as output:
                for chunk in content.chunks():
                    output.write(chunk)
            if self.file_permissions_mode is not None:
                os.chmod(partial, self.file_permissions_mode)
            while True:
                try:
                    # link() refuses an existing name, so a file is never overwritten.
                    os.link(partial, self.path(name))
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
        except OSError as error:
            raise StorageRefused(error.errno, error.strerror) from error
        finally:
            if partial is not None:
                try:
                    os.unlink(partial)
                except OSError:
                    pass
        return str(name).replace("\\", "/")


class MediaStorage(WholeFilesStorage):
    """The public store at MEDIA_ROOT: renditions."""


class OriginalStorage(WholeFilesStorage):
    """The private store of uploaded originals, at ORIGINALS_ROOT."""

    # Read on every use rather than once, so tests (and settings overrides) can move it.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.ORIGINALS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        # Staff only: the view checks the permission; there is no public address at all.
        return reverse("articles:image-original", kwargs={"name": name})


class S3MediaStorage(S3Storage):
    """Renditions in object storage (MEDIA_STORAGE=s3), under media/ in the bucket.

    Their addresses are plain (no signature), so a CDN or the bucket's own web endpoint can
    serve them; a rendition's name changes with its content, so it may be cached for good.
    """

    location = "media"
    querystring_auth = False
    object_parameters = {"CacheControl": "public, max-age=31536000, immutable"}


class S3OriginalStorage(S3Storage):
    """Uploaded originals in object storage, under originals/: never given a public address."""

    location = "originals"
    default_acl = "private"

    def url(self, name, *args, **kwargs):
        return reverse("articles:image-original", kwargs={"name": name})


def original_storage():
    return storages["originals"]
