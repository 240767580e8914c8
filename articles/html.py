"""The article body's HTML: what the editor offers and what survives sanitising."""

from functools import cache

import nh3
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

# What editors can write: paragraphs, subheadings, emphasis, links, quotes and lists.
BODY_EDITOR_EXTENSIONS = {
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


@cache
def _cleaner() -> nh3.Cleaner:
    # Derived from the editor's own configuration so the two never disagree.
    allowlist = allowlist_from_extensions(expand_extensions(BODY_EDITOR_EXTENSIONS))
    return nh3.Cleaner(
        tags=allowlist["tags"],
        attributes={tag: set(names) - {"rel"} for tag, names in allowlist["attributes"].items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def sanitize_body(html: str) -> str:
    """Keep only the allow-listed tags and attributes; drop scripts, handlers, bad URLs."""
    if not html:
        return ""
    cleaned = _cleaner().clean(html)
    # ProseMirror's empty document is a lone empty paragraph: store it as empty.
    return "" if cleaned.strip() in {"", "<p></p>"} else cleaned
