"""The request id itself: where it is kept while a request or task runs, and the log
filter that stamps it on records. Free of models, so the logging setup can load it before
the apps are ready."""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# Long enough for a UUID or a balancer's trace id, short and plain enough for any log.
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=-]{7,127}")

request_id_var: ContextVar[str] = ContextVar("newsroom_request_id", default="")


def current_request_id() -> str:
    return request_id_var.get()


def request_id_from(header: str | None) -> str:
    if header and WELL_FORMED.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Put the running request's (or task's) id on every log record, "-" outside one."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get() or "-"
        return True
