"""One request id per request, from the load balancer to the error page and the worker.

The id is taken from the load balancer's ``X-Request-ID`` when it looks like one (so one
failed publish can be followed from the balancer's log to ours), made up otherwise, sent
back in ``X-Request-ID``, shown on the 500 page, added to every log record made while the
request runs, and stored with each background task it enqueues so the worker's lines
carry it too. With ``LOG_FORMAT=json`` each request also ends with one JSON log line.
"""

import logging
import time

from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.tasks.signals import log_task_started, task_finished, task_started
from django.utils.functional import empty
from django_tasks_db.models import DBTaskResult

from newsroom.requestid import HEADER, request_id_from, request_id_var

logger = logging.getLogger("newsroom.requests")


class RequestIdMiddleware:
    """First in the stack: the id exists before anything can fail or log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if settings.LOG_REQUESTS:
                self._log(request, response.status_code, started)
            return response
        finally:
            request_id_var.reset(token)

    def _log(self, request, status: int, started: float) -> None:
        fields = {
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "request_id": request.request_id,
        }
        user = getattr(request, "user", None)
        # Only a user this request already loaded: logging must never cost a query.
        if user is not None and getattr(user, "_wrapped", None) is not empty:
            if user.is_authenticated and user.is_staff:
                fields["user_id"] = user.pk
        logger.info("%s %s %s", request.method, request.path, status, extra=fields)


@receiver(pre_save, sender=DBTaskResult)
def remember_request_id(sender, instance, **kwargs):
    """Store the enqueuing request's id beside the task's arguments (the worker reads only
    "args" and "kwargs" from that field)."""
    request_id = request_id_var.get()
    if instance._state.adding and request_id and isinstance(instance.args_kwargs, dict):
        instance.args_kwargs.setdefault("request_id", request_id)


_task_tokens: dict = {}


def adopt_request_id(sender, task_result, **kwargs):
    """In the worker: the task's lines carry the id of the request that enqueued it."""
    db_result = getattr(task_result, "db_result", None)
    stored = getattr(db_result, "args_kwargs", None) or {}
    if stored.get("request_id"):
        _task_tokens[task_result.id] = request_id_var.set(stored["request_id"])


# Ahead of Django's own "Task ... started" line, so that line carries the id too.
task_started.disconnect(log_task_started)
task_started.connect(adopt_request_id)
task_started.connect(log_task_started)


@receiver(task_finished)
def drop_request_id(sender, task_result, **kwargs):
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        request_id_var.reset(token)
