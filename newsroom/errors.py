"""Error pages in the reader's language; a database that is away for a moment gets a 503
that says so."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers

from articles.languages import reader_language

# Long enough for PostgreSQL to come back from a restart, short enough to feel like a hiccup.
RETRY_AFTER_SECONDS = 5


def page_not_found(request, exception, template_name="404.html"):
    """The missing page, in the language of the page the reader was after or reads in."""
    with translation.override(reader_language(request)):
        response = HttpResponseNotFound(loader.render_to_string(template_name, request=request))
    # The same address answers in another language to another browser.
    patch_vary_headers(response, ["Accept-Language"])
    return response


def server_error(request, template_name="500.html"):
    """Answer a lost database connection with a friendly 503; anything else is a 500."""
    with translation.override(reader_language(request)):
        response = _server_error(request, template_name)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _server_error(request, template_name):
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)) and not (
        isinstance(error, DatabaseError) and _connection_is_broken()
    ):
        # The reference lets a reader's message be matched to our log lines.
        return HttpResponseServerError(loader.render_to_string(template_name, _reference(request)))
    # Throw the dead connections away now, so the next request starts on a fresh one.
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    response = HttpResponse(loader.render_to_string("503.html", _reference(request)), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _connection_is_broken() -> bool:
    return any(
        not connection.is_usable()
        for connection in connections.all(initialized_only=True)
        if connection.connection is not None
    )


def _reference(request) -> dict:
    return {"request_id": getattr(request, "request_id", "")}
