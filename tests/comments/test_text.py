"""Reader text is shown as text: escaped, with clickable links that carry no endorsement."""

import pytest

from comments.text import control_characters, count_links, is_blank, render_comment_text

REL = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words", "plain words"),
        ("<b>bold?</b> & more", "&lt;b&gt;bold?&lt;/b&gt; &amp; more"),
        ("one\ntwo\n\nthree", "one<br>two<br><br>three"),
        ("windows\r\nbreaks", "windows<br>breaks"),
        (
            "see https://example.org/a?b=1&c=2.",
            f'see <a href="https://example.org/a?b=1&amp;c=2" {REL}>'
            "https://example.org/a?b=1&amp;c=2</a>.",
        ),
        (
            "(at www.example.org)",
            f'(at <a href="http://www.example.org" {REL}>www.example.org</a>)',
        ),
        (
            "https://en.wikipedia.org/wiki/Lahore_(city)",
            '<a href="https://en.wikipedia.org/wiki/Lahore_(city)" '
            f"{REL}>https://en.wikipedia.org/wiki/Lahore_(city)</a>",
        ),
        (
            'https://x.example/"onmouseover="alert(1)',
            f'<a href="https://x.example/" {REL}>'
            "https://x.example/</a>&quot;onmouseover=&quot;alert(1)",
        ),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("http://", "http://"),
        (
            "<a href='https://evil.example'>x</a>",
            "&lt;a href=&#x27;"
            f'<a href="https://evil.example" {REL}>https://evil.example</a>&#x27;&gt;x&lt;/a&gt;',
        ),
        (
            "اردو https://example.pk",
            f'اردو <a href="https://example.pk" {REL}>https://example.pk</a>',
        ),
    ],
)
def test_reader_text_is_escaped_and_links_are_marked_as_user_content(text, shown):
    assert render_comment_text(text) == shown


def test_links_are_counted_as_readers_see_them():
    assert count_links("a https://one.example b www.two.example c http:// d") == 2


def test_only_stray_control_characters_are_flagged():
    assert control_characters("tab\tand\nbreak", allow_line_breaks=True) == []
    assert control_characters("tab\tand\nbreak", allow_line_breaks=False) == ["\t", "\n"]
    assert control_characters("bell\x07 nul\x00 c1\x9b", allow_line_breaks=True) == [
        "\x07",
        "\x00",
        "\x9b",
    ]
    # Joiners and direction marks are part of writing Urdu and emoji, not control characters.
    assert control_characters("👨‍👩‍👧 \u200fاردو\u200e", allow_line_breaks=False) == []


@pytest.mark.parametrize("text", ["", " ", "\n\t", "\u200b", "\u3000\u00a0", "\u2028"])
def test_text_with_nothing_visible_is_blank(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", "👍", "۔", " x "])
def test_text_with_something_visible_is_not_blank(text):
    assert not is_blank(text)
