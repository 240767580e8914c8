"""Readable differences between two versions of an article, paragraph by paragraph."""

import difflib
import re
from dataclasses import dataclass
from html import unescape

BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|pre)>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed" or "added"
    text: str


def paragraphs(html: str) -> list[str]:
    """The body as the plain paragraphs an editor reads, markup removed."""
    parts = (unescape(TAG.sub(" ", part)) for part in BLOCK_END.split(html or ""))
    return [" ".join(part.split()) for part in parts if part.strip()]


def diff_lines(old: list[str], new: list[str]) -> list[DiffLine]:
    """Old and new lines in reading order: unchanged ones once, changed ones old then new."""
    lines = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text) for text in old[old_start:old_end]]
            continue
        lines += [DiffLine("removed", text) for text in old[old_start:old_end]]
        lines += [DiffLine("added", text) for text in new[new_start:new_end]]
    return lines


def diff_texts(old: str, new: str, as_html: bool = False) -> list[DiffLine]:
    """Compare two texts; an HTML body paragraph by paragraph, anything else line by line."""
    if as_html:
        return diff_lines(paragraphs(old), paragraphs(new))
    return diff_lines((old or "").splitlines(), (new or "").splitlines())


def byline_lines(snapshot: dict) -> list[str]:
    return [f"{b['role']} {b['name']}".strip() for b in snapshot.get("bylines", [])]


def correction_lines(snapshot: dict) -> list[str]:
    return [f"{c['published_at'][:10]}: {c['text']}" for c in snapshot.get("corrections", [])]


def snapshot_diff(old: dict, new: dict) -> list[tuple[str, list[DiffLine]]]:
    """Every part of two revisions that differs, named for the editor, in form order."""

    def single(value) -> list[str]:
        return [value] if value else []

    image_of = lambda snapshot: (snapshot.get("lead_image") or {}).get("caption", "")  # noqa: E731
    parts = [
        ("Headline", diff_lines(single(old["headline"]), single(new["headline"]))),
        ("Standfirst", diff_texts(old["standfirst"], new["standfirst"])),
        ("Section", diff_lines(single(old["section"]["name"]), single(new["section"]["name"]))),
        ("Lead image", diff_lines(single(image_of(old)), single(image_of(new)))),
        ("Bylines", diff_lines(byline_lines(old), byline_lines(new))),
        ("Body", diff_texts(old["body"], new["body"], as_html=True)),
        ("Corrections", diff_lines(correction_lines(old), correction_lines(new))),
    ]
    return [(name, lines) for name, lines in parts if any(line.kind != "same" for line in lines)]
