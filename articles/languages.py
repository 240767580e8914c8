"""The languages the newsroom publishes in (settings.ARTICLE_LANGUAGES) and how each is shown.

Names and writing direction come from Django's own table of languages, so a newsroom that
adds Arabic or Pashto to the setting gets the right direction without code here.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation import to_locale

# PostgreSQL's built-in text search configurations, by the language they stem. Languages
# without one (Urdu among them) are indexed word for word with 'simple', which only
# lowercases: no stemming, no stop words.
SIMPLE = "simple"
SEARCH_CONFIGURATIONS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # In English, for editors: "Urdu".
    name_local: str  # In the language itself, for readers: "اردو".
    is_rtl: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.is_rtl else "ltr"

    @property
    def search_configuration(self) -> str:
        """The text search configuration its stories are indexed and searched with: the
        newsroom's choice (settings.SEARCH_CONFIGURATIONS), else PostgreSQL's stemmer for
        the language, else word for word."""
        chosen = settings.SEARCH_CONFIGURATIONS
        base = self.code.split("-")[0]
        return chosen.get(self.code) or chosen.get(base) or SEARCH_CONFIGURATIONS.get(base, SIMPLE)


@cache
def _language(code: str) -> Language:
    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0])
    if info is None:
        raise KeyError(f"Django knows no language {code!r}.")
    # Django's list of right-to-left languages, the same one its templates' LANGUAGE_BIDI reads.
    is_rtl = code.split("-")[0] in settings.LANGUAGES_BIDI
    return Language(code, info["name"], info["name_local"], is_rtl)


def language(code: str) -> Language:
    """The language with this code, for any code Django knows (a stored article's too)."""
    return _language(code)


def article_languages() -> list[Language]:
    """The languages articles may be written in, the site's main one first."""
    return [_language(code) for code in settings.ARTICLE_LANGUAGES]


def default_language() -> str:
    return settings.ARTICLE_LANGUAGES[0]


def language_choices() -> list[tuple[str, str]]:
    return [(lang.code, lang.name) for lang in article_languages()]


def search_configurations() -> dict[str, str]:
    """The text search configuration of each language stories are written in, by code."""
    return {lang.code: lang.search_configuration for lang in article_languages()}


def direction(code: str) -> str:
    """ "rtl" or "ltr" for the language with this code."""
    return language(code).direction


# Scripts the readers' own fonts cannot be trusted to set well get a web font (newsroom.css).
# A page in such a language preloads the regular weight, the body text's: the browser then
# fetches it with the stylesheets instead of after them, and the first paint is already in
# the newspaper hand. Pages in other languages never fetch it.
WEB_FONTS = {"ur": "fonts/noto-nastaliq-urdu/noto-nastaliq-urdu-400.woff2"}


def web_font(code: str) -> str | None:
    """The static path of the web font a page in this language preloads, if any."""
    return WEB_FONTS.get(code) or WEB_FONTS.get(code.split("-")[0])


# OpenGraph names a locale with its country ("en_US"); a language code alone gets these.
OPEN_GRAPH_LOCALES = {"en": "en_US", "ur": "ur_PK", "ar": "ar_AR"}


def open_graph_locale(code: str) -> str:
    """The OpenGraph locale for a language code: "ur" is "ur_PK", "en-gb" is "en_GB"."""
    if "-" in code:
        return to_locale(code)
    return OPEN_GRAPH_LOCALES.get(code, f"{code}_{code.upper()}")


# The script each language is written in, where it is not the Latin one: an address whose
# words are in it (an Urdu section's slug) belongs to that language's pages.
SCRIPTS = {
    "ar": "ARABIC",
    "fa": "ARABIC",
    "ps": "ARABIC",
    "sd": "ARABIC",
    "ug": "ARABIC",
    "ur": "ARABIC",
    "he": "HEBREW",
    "hi": "DEVANAGARI",
    "ne": "DEVANAGARI",
    "mr": "DEVANAGARI",
    "bn": "BENGALI",
    "ta": "TAMIL",
}

LANGUAGE_PARAMETER = "lang"


def _language_of_script(path: str) -> str | None:
    scripts = {unicodedata.name(char, "").split(" ")[0] for char in unquote(path) if char.isalpha()}
    for lang in article_languages():
        if SCRIPTS.get(lang.code.split("-")[0]) in scripts:
            return lang.code
    return None


def reader_language(request) -> str:
    """The language of a page that is no one story's or section's (search, a missing page):
    the one the address asks for (`?lang=ur`: the header's search box sends its page's),
    else the one a view found before failing (a section's page past its last), else the
    one whose script the address is written in, else the browser's preference among
    ARTICLE_LANGUAGES, else the main one. Reads no database, so error pages can use it."""
    codes = set(settings.ARTICLE_LANGUAGES)
    asked = request.GET.get(LANGUAGE_PARAMETER, "")
    if asked in codes:
        return asked
    found = getattr(request, "page_language", "")
    if found in codes:
        return found
    return _language_of_script(request.path) or translation.get_language_from_request(request)
