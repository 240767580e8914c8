"""Bootstrap as the site uses it: the rules whose classes some template, form or script names.

Bootstrap's stylesheet is 230 KB of rules, about three quarters of them for components the
site never shows (carousels, modals, toasts, ...). Every page waits for its stylesheets
before it paints anything, and the browser parses and matches every rule on every page, so
the pages link to `bootstrap/css/bootstrap.used.min.css` (and its right-to-left twin): the
installed Bootstrap less the rules that only classes nobody names would match.

`UsedBootstrapFinder` makes those files whenever static files are collected (and, in
development, when a page asks for them and a template changed), so nothing generated is
kept in the repository and a new class in a template is in the next deploy's stylesheet.

A class counts as named when it appears as a word anywhere in the project's templates,
Python or JavaScript, or in crispy forms' Bootstrap layouts; a word ending in "-"
(`alert-{{ level }}`) names every class it begins.

`inline_rules` gives a stylesheet's rules for the page's own <style> element
(`{% stylesheet %}`, `INLINE_STYLESHEETS`).
"""

import logging
import os
import re
from functools import cache, cached_property
from pathlib import Path
from urllib.parse import urljoin

import tinycss2
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.files.storage import FileSystemStorage
from django.templatetags.static import static

# Each trimmed file and the installed stylesheet it is cut from.
USED_STYLESHEETS = {
    "bootstrap/css/bootstrap.used.min.css": "bootstrap/css/bootstrap.min.css",
    "bootstrap/css/bootstrap.used.rtl.min.css": "bootstrap/css/bootstrap.rtl.min.css",
}
# Rule groups whose contents are trimmed like the stylesheet's top level.
NESTING_AT_RULES = {"media", "supports", "layer", "container"}
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
LICENCE_NOTICE = re.compile(r"/\*!.*?\*/", re.S)
WORD = re.compile(r"[A-Za-z0-9_-]+")
SOURCE_SUFFIXES = {".html", ".txt", ".xml", ".py", ".js"}
# django-crispy-forms' Bootstrap 5 layouts draw the moderation forms.
FORM_PACK = "crispy_bootstrap5"
# A url() the stylesheet names relative to itself (not data:, not absolute, not #id).
RELATIVE_URL = re.compile(r"""url\(\s*(['"]?)(?![a-zA-Z][\w+.-]*:|/|#)([^'")\s]+)\1\s*\)""")
CHARSET_RULE = re.compile(r'^@charset\s+"[^"]*";')
END_OF_STYLE = re.compile(r"</style", re.I)

logger = logging.getLogger(__name__)


def named_classes(texts) -> tuple[set[str], tuple[str, ...]]:
    """Every word in the texts, and the words ending in "-" that begin class names."""
    words = set()
    for text in texts:
        words.update(WORD.findall(text))
    return words, tuple(word for word in words if word.endswith("-") and word.strip("-"))


def trimmed(css: str, words: set[str], prefixes: tuple[str, ...]) -> str:
    """The stylesheet without the selectors that name a class outside `words`; rules left
    with no selector, and groups left with no rule, go too. Everything else is kept as is."""

    def is_named(name: str) -> bool:
        return name in words or name.startswith(prefixes)

    def keep(rules) -> list[str]:
        kept = []
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors = _selectors(rule.prelude)
                matching = [s for s in selectors if all(map(is_named, CLASS_SELECTOR.findall(s)))]
                if matching:
                    kept.append(f"{','.join(matching)}{{{tinycss2.serialize(rule.content)}}}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in NESTING_AT_RULES:
                inner = keep(_rules(rule.content))
                if inner:
                    prelude = tinycss2.serialize(rule.prelude)
                    kept.append(f"@{rule.at_keyword}{prelude}{{{''.join(inner)}}}")
            elif rule.type == "at-rule":
                kept.append(tinycss2.serialize([rule]))
        return kept

    kept = keep(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    # Bootstrap's copyright and licence ("/*! ... */") go wherever its rules go, after the
    # @charset that must open the file.
    at = 1 if kept and kept[0].startswith("@charset") else 0
    return "".join(kept[:at] + LICENCE_NOTICE.findall(css) + kept[at:])


def _selectors(prelude) -> list[str]:
    """A rule's selectors, split at its own commas (not those inside `:not(.a, .b)`)."""
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(tinycss2.serialize(current))
            current = []
        else:
            current.append(token)
    return [*selectors, tinycss2.serialize(current)]


def _rules(content):
    return tinycss2.parse_rule_list(content, skip_comments=True, skip_whitespace=True)


def project_sources() -> list[Path]:
    """The files whose words name classes: the project's templates, Python and static
    JavaScript, and the templates of the form pack that draws forms with Bootstrap."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    folders += [Path(d) for d in settings.STATICFILES_DIRS]
    folders += [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    ]
    folders.append(Path(apps.get_app_config(FORM_PACK).path) / "templates")
    files = []
    for folder in dict.fromkeys(folders):
        files += [
            path
            for path in folder.rglob("*")
            if path.suffix in SOURCE_SUFFIXES and "migrations" not in path.parts and path.is_file()
        ]
    return files


class UsedBootstrapFinder(BaseFinder):
    """Finds the trimmed Bootstrap stylesheets, made in `STATIC_BUILD_ROOT` when missing or
    older than the files they were cut for."""

    @cached_property
    def storage(self) -> FileSystemStorage:
        return FileSystemStorage(location=settings.STATIC_BUILD_ROOT)

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path not in USED_STYLESHEETS:
            return [] if find_all else None
        self.build(only_if_stale=True)
        found = self.storage.path(path)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        self.build(only_if_stale=False)
        for path in USED_STYLESHEETS:
            yield path, self.storage

    def build(self, *, only_if_stale: bool) -> None:
        sources = project_sources()
        targets = [Path(self.storage.path(path)) for path in USED_STYLESHEETS]
        if only_if_stale and all(target.exists() for target in targets):
            newest = max(source.stat().st_mtime for source in sources)
            if all(target.stat().st_mtime >= newest for target in targets):
                return
        words, prefixes = named_classes(
            source.read_text(encoding="utf-8", errors="ignore") for source in sources
        )
        for path, original in USED_STYLESHEETS.items():
            css = Path(finders.find(original)).read_text(encoding="utf-8")
            target = Path(self.storage.path(path))
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written aside, then renamed: a server (or a test worker) reading it meanwhile
            # gets the old file or the new one, never half of one.
            partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
            partial.write_text(trimmed(css, words, prefixes), encoding="utf-8")
            partial.replace(target)


def inline_rules(path: str) -> str | None:
    """The static stylesheet at `path`, ready to go inside the page's own <style> element,
    or None when it cannot be read (the page then links to it).

    Its relative url()s are made absolute, as they would otherwise be read against the
    page's address. Read once per process in production; in development on every page, so
    an edited stylesheet shows at once.
    """
    if settings.DEBUG:
        return _inline_rules(path, static(path))
    return _kept_inline_rules(path, static(path))


def _inline_rules(path: str, url: str) -> str | None:
    try:
        css = _stylesheet_text(path)
    except (OSError, ValueError) as error:
        logger.warning("Stylesheet %s is linked, not inlined: %s", path, error)
        return None
    if END_OF_STYLE.search(css):
        # It would close the page's <style> early; a link cannot be misread that way.
        return None
    # A <style> element has the page's encoding: its @charset would be ignored anyway.
    css = CHARSET_RULE.sub("", css.lstrip("\ufeff"))
    return RELATIVE_URL.sub(lambda match: f'url("{urljoin(url, match.group(2))}")', css)


# The file behind a URL changes only with a deploy, which starts new processes.
_kept_inline_rules = cache(_inline_rules)


def _stylesheet_text(path: str) -> str:
    """The stylesheet as the site serves it: the collected (hashed) copy in production, the
    source where static files are served straight from the finders."""
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        with staticfiles_storage.open(staticfiles_storage.stored_name(path)) as stored:
            return stored.read().decode("utf-8")
    found = finders.find(path)
    if found is None:
        raise FileNotFoundError(f"no static file {path}")
    return Path(found).read_text(encoding="utf-8")
