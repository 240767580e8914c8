"""Pages link Bootstrap less the rules no template, form or script of ours could use."""

import re

import pytest
from django.contrib.staticfiles import finders

from newsroom.stylesheets import (
    UsedBootstrapFinder,
    _kept_inline_rules,
    inline_rules,
    named_classes,
    trimmed,
)

BOOTSTRAP = """
:root{--bs-blue:#0d6efd}
body{margin:0}
.btn{padding:1rem}
.carousel{position:relative}
.btn,.toast{display:inline-block}
.navbar-expand .navbar-nav{flex-direction:row}
.alert-danger{color:red}
@media (min-width:576px){.carousel-item{display:block}}
@media (min-width:768px){.col-md-6{flex:0 0 auto}.modal{width:50%}}
@keyframes spinner-border{to{transform:rotate(360deg)}}
"""


def test_a_rule_stays_when_the_templates_name_each_of_its_classes():
    words, prefixes = named_classes(
        ['<a class="btn navbar-nav navbar-expand col-md-6">', '<p class="alert-{{ level }}">']
    )

    css = trimmed(BOOTSTRAP, words, prefixes)

    # Rules for elements and variables, and every rule for named classes.
    assert ":root{--bs-blue:#0d6efd}" in css
    assert "body{margin:0}" in css
    assert ".btn{padding:1rem}" in css
    assert ".navbar-expand .navbar-nav{flex-direction:row}" in css
    assert "@media (min-width:768px){.col-md-6{flex:0 0 auto}}" in css
    # A word ending in "-" names what a template builds from it.
    assert ".alert-danger{color:red}" in css
    # A shared rule keeps only the selectors some template can match.
    assert ".btn{display:inline-block}" in css
    # Components no one names are gone, and groups left empty with them.
    assert "carousel" not in css
    assert "toast" not in css
    assert "modal" not in css
    assert "576px" not in css
    # At-rules that hold no selectors are kept as they are.
    assert "@keyframes spinner-border" in css


def test_the_used_stylesheets_keep_what_the_pages_show_and_drop_the_rest(settings, tmp_path):
    settings.STATIC_BUILD_ROOT = tmp_path
    finder = UsedBootstrapFinder()

    listed = dict(finder.list(ignore_patterns=[]))

    assert set(listed) == {
        "bootstrap/css/bootstrap.used.min.css",
        "bootstrap/css/bootstrap.used.rtl.min.css",
    }
    whole = open(finders.find("bootstrap/css/bootstrap.min.css"), encoding="utf-8").read()
    used = (tmp_path / "bootstrap/css/bootstrap.used.min.css").read_text(encoding="utf-8")
    assert len(used) < len(whole) / 2
    # The navigation bar, the grid, the comment form (its "remember me" box added by
    # thread.js), crispy's moderation forms and the messages' alert levels.
    for selector in [
        ".navbar-expand .navbar-nav .nav-link",
        ".col-lg-8",
        ".visually-hidden-focusable",
        ".form-control",
        ".form-check-input",
        ".invalid-feedback",
        ".alert-warning",
        ".btn-outline-secondary",
    ]:
        assert selector in used, selector
    for unused in [".carousel", ".toast", ".offcanvas", ".tooltip", ".popover", ".dropdown-menu"]:
        assert unused not in used, unused
    right_to_left = (tmp_path / "bootstrap/css/bootstrap.used.rtl.min.css").read_text()
    assert ".navbar-expand .navbar-nav .nav-link" in right_to_left
    assert ".carousel" not in right_to_left


def test_a_page_asking_for_the_used_stylesheet_gets_it_made_first(settings, tmp_path):
    settings.STATIC_BUILD_ROOT = tmp_path

    found = UsedBootstrapFinder().find("bootstrap/css/bootstrap.used.rtl.min.css")

    assert found == str(tmp_path / "bootstrap/css/bootstrap.used.rtl.min.css")
    assert ".nav-link" in open(found, encoding="utf-8").read()
    assert UsedBootstrapFinder().find("bootstrap/css/bootstrap.min.css") is None


def test_a_selector_list_inside_a_pseudo_class_stays_whole():
    words, prefixes = named_classes(['class="btn"'])

    css = trimmed(".btn:not(.a,.b),.toast{color:red}", words, prefixes)

    # Both classes inside :not() are unnamed, so that selector goes whole, not by halves.
    assert css == ""
    assert trimmed(".x:is(.btn,.y){color:red}", {"x", "btn", "y"}, ()) == (
        ".x:is(.btn,.y){color:red}"
    )


def test_bootstraps_copyright_and_licence_stay_with_its_rules(settings, tmp_path):
    settings.STATIC_BUILD_ROOT = tmp_path

    found = UsedBootstrapFinder().find("bootstrap/css/bootstrap.used.min.css")

    opening = open(found, encoding="utf-8").read(300)
    assert opening.startswith('@charset "UTF-8";/*!')
    assert "Copyright 2011-2024 The Bootstrap Authors" in opening
    assert "Licensed under MIT" in opening


# The pages carry their stylesheets


@pytest.mark.django_db
def test_a_readers_first_page_carries_its_stylesheets_and_paints_without_fetching_them(client):
    page = client.get("/").content.decode()

    inline = re.findall(r'<style data-stylesheet="([^"]+)">(.*?)</style>', page, re.S)
    assert [url for url, _ in inline] == [
        "/static/bootstrap/css/bootstrap.used.min.css",
        "/static/css/newsroom.css",
    ]
    assert 'rel="stylesheet"' not in page
    bootstrap, site = (rules for _, rules in inline)
    assert ".navbar-expand .navbar-nav .nav-link" in bootstrap
    assert "Copyright 2011-2024 The Bootstrap Authors" in bootstrap
    assert "@charset" not in bootstrap
    # Read against the page's address, the font's relative url() would miss: it is absolute.
    assert 'url("/static/fonts/noto-nastaliq-urdu/noto-nastaliq-urdu-400.woff2")' in site
    assert "../fonts" not in site


@pytest.mark.django_db
def test_a_newsroom_that_prefers_cached_stylesheets_links_them(client, settings):
    settings.INLINE_STYLESHEETS = False

    page = client.get("/").content.decode()

    assert "<style data-stylesheet" not in page
    assert '<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.used.min.css">' in page
    assert '<link rel="stylesheet" href="/static/css/newsroom.css">' in page


def test_in_production_the_collected_stylesheet_is_inlined_with_its_hashed_font(
    collect_static_as_in_production, tmp_path
):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "fonts").mkdir()
    (source / "fonts" / "face.woff2").write_bytes(b"wOF2 not really a font")
    (source / "css" / "site.css").write_text(
        '@charset "UTF-8";\n@font-face { src: url("../fonts/face.woff2"); }\n'
        "body { background: url(data:image/png;base64,AAAA); }\n"
    )
    collected = collect_static_as_in_production(source)
    _kept_inline_rules.cache_clear()

    try:
        rules = inline_rules("css/site.css")
    finally:
        _kept_inline_rules.cache_clear()

    font = re.search(r'url\("(/static/fonts/face\.[0-9a-f]{12}\.woff2)"\)', rules)
    assert font, rules
    assert (collected / font.group(1).removeprefix("/static/")).exists()
    assert "url(data:image/png;base64,AAAA)" in rules
    assert "@charset" not in rules


def test_a_stylesheet_that_could_close_the_style_element_is_linked_instead(settings, tmp_path):
    (tmp_path / "odd.css").write_text('p::after { content: "</style><script>"; }')
    settings.STATICFILES_DIRS = [tmp_path]

    assert inline_rules("odd.css") is None
