class UnicodeSlugConverter:
    """A slug as `slugify(allow_unicode=True)` makes them: letters of any script, digits,
    hyphens and underscores. Anything else (a NUL byte, a slash, punctuation) never reaches
    a view or the database: the address is simply not found."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RenditionNameConverter(UnicodeSlugConverter):
    """A rendition's name, e.g. "card-640.avif"."""

    regex = r"[-\w]+\.[a-z]+"
