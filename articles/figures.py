"""Library figures in a published body, drawn as renditions with caption and credit."""

import re
from html import unescape

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.html import FIGCAPTION, FIGURE_OR_IMG, IMG, SRC, library_image_id
from articles.models import Image, Rendition


def _image_id(img_tag: str) -> int | None:
    src = SRC.search(img_tag)
    return library_image_id(src[1].replace("&amp;", "&")) if src else None


def body_image_ids(body: str) -> set[int]:
    """The library images a sanitised body shows as figures."""
    if "<img" not in body:
        return set()
    return {image_id for tag in IMG.findall(body) if (image_id := _image_id(tag)) is not None}


def render_body_figures(body: str) -> SafeString:
    """Draw each library figure of a sanitised body as renditions with caption and credit.

    Two queries when the body has figures (images, then their renditions), none when not.
    A figure whose image was deleted disappears instead of showing a broken picture.
    """
    if "<img" not in body:
        return mark_safe(body)  # noqa: S308 - sanitised on every save
    ids = body_image_ids(body)
    renditions = Prefetch("renditions", Rendition.objects.for_pictures())
    images = Image.objects.prefetch_related(renditions).in_bulk(ids) if ids else {}

    def figure(image, caption: str) -> str:
        return render_to_string(
            "articles/includes/body_figure.html", {"image": image, "caption": caption}
        )

    def replace(match: re.Match) -> str:
        inside = match["inside"]
        if inside is None:  # a picture outside any figure
            image = images.get(_image_id(match[0]))
            return figure(image, image.caption) if image else ""
        img = IMG.search(inside)
        image = images.get(_image_id(img[0])) if img else None
        if image is None:
            return ""
        written = FIGCAPTION.search(inside)
        caption = unescape(strip_tags(written[1])).strip() if written else ""
        return figure(image, caption or image.caption)

    return mark_safe(FIGURE_OR_IMG.sub(replace, body))  # noqa: S308 - sanitised on save; additions are escaped templates
