"""The article body's HTML: what the editor offers and what survives sanitising."""

import re
from functools import cache
from html import unescape
from urllib.parse import urlsplit

import nh3
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

# What editors can write: paragraphs, subheadings, emphasis, links, quotes, lists, and
# figures of library images (the image address is the one shown on the image's admin page).
BODY_EDITOR_EXTENSIONS = {
    # "Browse..." in the figure dialog opens the library; choosing fills in the address.
    "Figure": {"pickerUrl": reverse_lazy("admin:articles_image_pick")},
    "Caption": True,
    "Image": True,
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}


# Attributes the editor's figure extension writes that a published body does not need:
# sizes come from the library, and figures get no editor-chosen classes.
DROPPED_ATTRIBUTES = {"img": {"data-file", "width", "height"}, "figure": {"class"}}

LIBRARY_SPEC = re.compile(r"(\d+)/[a-z]+-\d+\.[a-z]+")


def rendition_prefix() -> str:
    return reverse("articles:image-rendition", kwargs={"pk": 0, "spec": "full-1.jpeg"})[
        : -len("0/full-1.jpeg")
    ]


def library_image_id(src: str) -> int | None:
    """The library image an <img src> in the body names, or None for any other address."""
    path = urlsplit(src).path
    prefix = rendition_prefix()
    if not path.startswith(prefix):
        return None
    match = LIBRARY_SPEC.fullmatch(path[len(prefix) :])
    return int(match[1]) if match else None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Only library images may appear: no hot-linked or tracking pictures, and every
        # picture in a body is served as renditions with its credit.
        image_id = library_image_id(value)
        return urlsplit(value).path if image_id is not None else None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    # Derived from the editor's own configuration so the two never disagree.
    allowlist = allowlist_from_extensions(expand_extensions(BODY_EDITOR_EXTENSIONS))
    return nh3.Cleaner(
        tags=allowlist["tags"],
        attributes={
            tag: set(names) - {"rel"} - DROPPED_ATTRIBUTES.get(tag, set())
            for tag, names in allowlist["attributes"].items()
        },
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


# Sanitised HTML is serialised by nh3 with double-quoted attributes, so these patterns
# only ever see its regular output, never raw editor input.
IMG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
# A whole figure, or a picture on its own: one pass, so nothing drawn is drawn again.
FIGURE_OR_IMG = re.compile(rf"<figure>(?P<inside>.*?)</figure>|{IMG.pattern}", re.DOTALL)
SRC = re.compile(r'\ssrc="([^"]*)"')
FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)
EMPTY_FIGCAPTION = re.compile(r"<figcaption>(?:\s|&nbsp;|<br>)*</figcaption>")


def _drop_pictureless(match: re.Match) -> str:
    # Deleting a figure's photo in the editor leaves its frame behind (an <img> with no
    # address, since the figure requires one); a frame without a photo shows readers nothing.
    picture = match[0] if match["inside"] is None else IMG.search(match["inside"])
    tag = picture[0] if isinstance(picture, re.Match) else picture
    return match[0] if tag and SRC.search(tag) else ""


def sanitize_body(html: str) -> str:
    """Keep only the allow-listed tags and attributes; drop scripts, handlers, bad URLs,
    and figures left without a picture."""
    if not html:
        return ""
    cleaned = _cleaner().clean(html)
    cleaned = FIGURE_OR_IMG.sub(_drop_pictureless, EMPTY_FIGCAPTION.sub("", cleaned))
    # ProseMirror's empty document is a lone empty paragraph: store it as empty.
    return "" if cleaned.strip() in {"", "<p></p>"} else cleaned


def _image_id(img_tag: str) -> int | None:
    src = SRC.search(img_tag)
    return library_image_id(src[1].replace("&amp;", "&")) if src else None


def render_body_figures(body: str) -> SafeString:
    """Draw each library figure of a sanitised body as renditions with caption and credit.

    Two queries when the body has figures (images, then their renditions), none when not.
    A figure whose image was deleted disappears instead of showing a broken picture.
    """
    from articles.models import Image

    if "<img" not in body:
        return mark_safe(body)  # noqa: S308 - sanitised on every save
    ids = {image_id for tag in IMG.findall(body) if (image_id := _image_id(tag)) is not None}
    images = Image.objects.prefetch_related("renditions").in_bulk(ids) if ids else {}

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
