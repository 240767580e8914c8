"""The article body's HTML: what the editor offers and what survives sanitising."""

import re
from functools import cache
from urllib.parse import urlsplit

import nh3
from django.urls import reverse, reverse_lazy
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
