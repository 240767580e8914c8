"""Where uploaded originals live: outside MEDIA_ROOT, so no media server can hand them out.

Readers only ever get renditions (under MEDIA_ROOT, at names that say nothing about the
original). An original is needed by the rendition maker and by editors, who reach it
through a view that checks their permission.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse


class OriginalStorage(FileSystemStorage):
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


def original_storage():
    return storages["originals"]
