"""One request id follows a request from the load balancer to our logs, the error page
and the background worker; with LOG_FORMAT=json each request is one JSON line."""

import json
import logging

import pytest
from django.http import HttpResponse
from django.tasks import task
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pythonjsonlogger.json import JsonFormatter

from newsroom.requestid import RequestIdFilter, current_request_id
from newsroom.requestlog import RequestIdMiddleware
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db

worker_logger = logging.getLogger("tests.operations.worker")


@task()
def note_the_request():
    worker_logger.info("making renditions")
    return current_request_id()


def json_lines(records) -> list[dict]:
    """The records as LOG_FORMAT=json writes them (the settings' formatter and filter)."""
    formatter = JsonFormatter(
        "%(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
    )
    stamp = RequestIdFilter()
    lines = []
    for record in records:
        stamp.filter(record)
        lines.append(json.loads(formatter.format(record)))
    return lines


def request_lines(caplog) -> list[dict]:
    return json_lines(r for r in caplog.records if r.name == "newsroom.requests")


@pytest.fixture
def json_logs(settings, caplog):
    settings.LOG_REQUESTS = True
    caplog.set_level(logging.INFO)
    return caplog


def test_the_balancers_request_id_is_kept_and_sent_back(client):
    response = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a9c2e41d04b6f")

    assert response["X-Request-ID"] == "lb-7f3a9c2e41d04b6f"


@pytest.mark.parametrize(
    "header",
    ["", "short", "has spaces in it", "x" * 200, "evil\r\nSet-Cookie: a=b", "<script>1</script>"],
)
def test_a_missing_or_odd_request_id_is_replaced_by_our_own(client, header):
    response = client.get("/", HTTP_X_REQUEST_ID=header)

    assert response["X-Request-ID"] != header
    assert len(response["X-Request-ID"]) == 32


def test_each_request_is_one_json_line(client, json_logs):
    article = ArticleFactory()

    client.get(article.get_absolute_url(), HTTP_X_REQUEST_ID="lb-0000aaaa1111")

    (line,) = request_lines(json_logs)
    assert line["method"] == "GET"
    assert line["path"] == article.get_absolute_url()
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == "lb-0000aaaa1111"
    assert "user_id" not in line  # readers are never named in the log
    assert line["level"] == "INFO" and line["logger"] == "newsroom.requests"
    assert line["time"].endswith("+00:00")  # UTC, whatever the site's TIME_ZONE


def test_a_staff_members_requests_carry_their_user_id(client, json_logs):
    editor = EditorFactory()
    client.force_login(editor)

    client.get(reverse("admin:index"))

    (line,) = request_lines(json_logs)
    assert line["user_id"] == editor.pk


def test_without_json_logs_no_request_lines_are_written(client, settings, caplog):
    settings.LOG_REQUESTS = False
    caplog.set_level(logging.INFO)

    client.get("/")

    assert not [r for r in caplog.records if r.name == "newsroom.requests"]


def test_the_error_page_quotes_the_reference_found_in_the_log(client, settings, json_logs):
    settings.ROOT_URLCONF = "tests.operations.failing_urls"
    client.raise_request_exception = False

    response = client.get("/broken-publish/", HTTP_X_REQUEST_ID="lb-5e5e5e5e5e5e")

    assert response.status_code == 500
    assert "quote this reference: <code>lb-5e5e5e5e5e5e</code>" in response.content.decode()
    assert response["X-Request-ID"] == "lb-5e5e5e5e5e5e"
    error = next(r for r in json_logs.records if r.name == "django.request")
    assert json_lines([error])[0]["request_id"] == "lb-5e5e5e5e5e5e"


@pytest.mark.django_db(transaction=True)  # the worker opens and closes its own transactions
def test_the_worker_logs_under_the_id_of_the_request_that_queued_its_task(rf, settings, json_logs):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def view(request):
        note_the_request.enqueue()
        return HttpResponse("queued")

    RequestIdMiddleware(view)(rf.post("/admin/", HTTP_X_REQUEST_ID="lb-publish-42"))
    queued = DBTaskResult.objects.get()

    assert current_request_id() == ""  # the request is over in this process
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-1",
        excluded_queue_names=[],
    )
    worker.run()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == "lb-publish-42"
    worker_lines = json_lines(
        r for r in json_logs.records if r.name in ("tests.operations.worker", "django.tasks")
    )
    assert worker_lines and all(line["request_id"] == "lb-publish-42" for line in worker_lines)
