"""Clear JSON answers for requests the API cannot serve: which parameter is wrong and why."""

from django.http import Http404
from ninja.errors import ValidationError


class BadParameter(Exception):
    """A parameter well formed but naming nothing readers can see (an unknown section)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _parameter_of(error: dict) -> str:
    # Pydantic's location is ("query", "page_size"); a rule over several fields stops at
    # the schema and names no single parameter.
    names = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
    return names[-1] if names else ""


def _message_of(error: dict) -> str:
    return str(error.get("msg", "Not valid.")).removeprefix("Value error, ")


def install_error_handlers(api) -> None:
    """Answer bad parameters with 400 and missing things with 404, always as JSON."""

    @api.exception_handler(ValidationError)
    def invalid_parameters(request, exc):
        errors = [
            {"parameter": _parameter_of(error), "message": _message_of(error)}
            for error in exc.errors
        ]
        summary = "; ".join(
            f"{e['parameter']}: {e['message']}" if e["parameter"] else e["message"] for e in errors
        )
        return api.create_response(
            request, {"detail": f"Bad parameters. {summary}", "errors": errors}, status=400
        )

    @api.exception_handler(BadParameter)
    def unknown_value(request, exc):
        errors = [{"parameter": exc.parameter, "message": exc.message}]
        return api.create_response(request, {"detail": exc.message, "errors": errors}, status=400)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(
            request, {"detail": f"Nothing published is found at {request.path}."}, status=404
        )
