"""What readers type into the search box, and the passages shown back to them.

Pure functions: the queries themselves are `ArticleQuerySet.search` and `.beside`.
"""

import html
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Longer input is cut at a word: no reader types more, and it bounds the query's cost.
QUERY_MAX_LENGTH = 200
# ts_rank divided by 1 + log(length): a long body repeating a word does not outrank a
# headline naming it.
RANK_NORMALISATION = 1
PASSAGE_WORDS = 30
# Relevance is ranked among this many of the newest matching stories: ten pages of results,
# found by walking the stories newest first until that many match, so the cost stays flat
# when a word is in one story in ten or in every story. (A window of 1,000 had PostgreSQL
# read every match of a common word from a table of 100,000 stories: 150 ms a search.)
# Newest-first, and the date filters, reach every match.
RANK_WINDOW = 200
# PostgreSQL puts these around the matched words. They are private-use characters, taken
# out of the text before it is searched, so an article cannot fake a highlight, and the
# passage is escaped whole before any <mark> of ours goes in.
MARK_START, MARK_END = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Headline words that name a related story: enough to find one, few enough to stay quick.
HEADLINE_WORDS = 12


def normalise_query(text: str) -> str:
    """The reader's words made safe to search: no NUL or control characters, single
    spaces, at most QUERY_MAX_LENGTH characters (cut at a word)."""
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text or "")).strip()
    if len(text) > QUERY_MAX_LENGTH:
        cut = text[: QUERY_MAX_LENGTH + 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut[:QUERY_MAX_LENGTH]).strip()
    return text


def without_control_characters(text: str) -> str:
    """The text with NULs and other control characters taken out, to echo it on a page."""
    return _CONTROL.sub("", text)


def has_words(text: str) -> bool:
    """Whether there is anything to search for: punctuation alone finds nothing."""
    return bool(_WORD.search(text))


# Urdu's postpositions, conjunctions and auxiliaries: 'simple' indexes them (it knows no
# stop words), and nearly every Urdu headline has "میں" or "کے", so sharing one relates
# nothing. English ones are dropped by the 'english' configuration itself.
HEADLINE_FILLER_WORDS = frozenset(
    "میں کے کی کا کو سے نے پر اور یا ہے ہیں تھا تھی تھے ہو ہوا ہوئی ہوئے گا گی گے کہ "
    "جو یہ وہ اس ان بھی لیے تک کر دی دیا گیا گئی نہیں ایک".split()
)


def headline_words(headline: str) -> list[str]:
    """The words of a headline, to look for stories like it (letters and digits only,
    without the filler words that every headline shares)."""
    words = [word for word in _WORD.findall(headline) if word not in HEADLINE_FILLER_WORDS]
    return words[:HEADLINE_WORDS]


def highlighted(marked: str, *, from_html: bool = False) -> SafeString:
    """Escape a passage PostgreSQL marked up, putting <mark> around the matched words.

    `from_html`: the passage was cut from the body's HTML, so its entities (&amp;) are
    read as the characters they stand for before everything is escaped again.
    """
    parts, inside = [], False
    for piece in re.split(f"([{MARK_START}{MARK_END}])", marked or ""):
        if piece == MARK_START:
            inside = True
        elif piece == MARK_END:
            inside = False
        elif piece:
            text = html.unescape(piece) if from_html else piece
            # An entity could spell a marker or a control character: never let one through.
            text = _CONTROL.sub("", text)
            parts.append(format_html("<mark>{}</mark>", text) if inside else escape(text))
    return mark_safe("".join(parts))
