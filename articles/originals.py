"""Editors download an image's original; nobody else can, whatever its name."""

from django.contrib.auth.decorators import permission_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Image


@require_safe
@never_cache
@permission_required("articles.view_image", raise_exception=True)
def image_original(request, name):
    """Send an original from the private store to a member of staff who may see images."""
    image = get_object_or_404(Image, file=name)
    # A download, not a page: a browser never renders the upload inline under our origin.
    return FileResponse(image.file.open("rb"), as_attachment=True)
