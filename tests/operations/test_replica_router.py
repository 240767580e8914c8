"""The replica router's decisions, one by one (newsroom/replica.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

import newsroom.replica
from articles.models import Article
from comments.models import Comment
from newsroom.replica import (
    PIN_COOKIE,
    PRIMARY,
    REPLICA,
    ReadPlan,
    ReplicaLagPurger,
    ReplicaRouter,
    _plan,
    pin,
    replica_read_decision,
)
from tests.comments.helpers import NOW

factory = RequestFactory()


@pytest.fixture(autouse=True)
def replica_answers(monkeypatch):
    """No replica connection here: the router's rules alone (test_replica.py has the rest)."""
    monkeypatch.setattr(newsroom.replica, "replica_reachable", lambda: True)


def pin_cookie_value() -> str:
    response = HttpResponse()
    pin(response)
    return response.cookies[PIN_COOKIE].value


@pytest.mark.parametrize(
    ("method", "path", "cookies", "replica_allowed"),
    [
        ("GET", "/", {}, True),
        ("HEAD", "/article/1/budget/", {}, True),
        ("POST", "/comments/article/1/post/", {}, False),
        ("GET", "/admin/articles/article/", {}, False),
        ("GET", "/preview/some-token/", {}, False),
        ("GET", "/", {"sessionid": "abc"}, False),
        # A pin cookie is honoured only when its signature holds.
        ("GET", "/", {PIN_COOKIE: "1"}, True),
        ("GET", "/", {PIN_COOKIE: pin_cookie_value}, False),
    ],
)
def test_which_requests_may_read_the_replica(method, path, cookies, replica_allowed):
    request = factory.generic(method, path)
    request.COOKIES.update({k: v() if callable(v) else v for k, v in cookies.items()})

    assert replica_read_decision(request) is replica_allowed


def test_a_pin_lasts_the_configured_seconds_on_every_server(settings, time_machine):
    settings.DATABASE_REPLICA_PIN_SECONDS = 10
    time_machine.move_to(NOW, tick=False)
    request = factory.get("/")
    request.COOKIES[PIN_COOKIE] = pin_cookie_value()

    time_machine.shift(timedelta(seconds=9))
    assert replica_read_decision(request) is False
    time_machine.shift(timedelta(seconds=2))
    assert replica_read_decision(request) is True


def test_without_a_request_everything_reads_the_primary():
    # The task worker, management commands, the shell.
    assert ReplicaRouter().db_for_read(Article) == PRIMARY


def test_only_the_public_apps_are_read_from_the_replica():
    router = ReplicaRouter()
    token = _plan.set(ReadPlan(may_use_replica=True))
    try:
        assert router.db_for_read(Article) == REPLICA
        assert router.db_for_read(Comment) == REPLICA
        assert router.db_for_read(User) == PRIMARY  # sessions and signing in
    finally:
        _plan.reset(token)


def test_a_request_that_may_not_use_the_replica_reads_the_primary():
    token = _plan.set(ReadPlan(may_use_replica=False))
    try:
        assert ReplicaRouter().db_for_read(Article) == PRIMARY
    finally:
        _plan.reset(token)


def test_right_after_a_purge_pages_are_rendered_from_the_primary(settings, time_machine):
    settings.DATABASE_REPLICA_PIN_SECONDS = 10
    time_machine.move_to(NOW, tick=False)
    ReplicaLagPurger().purge(frozenset({"article-1"}))

    assert ReadPlan(may_use_replica=True).uses_replica() is False
    time_machine.shift(timedelta(seconds=11))
    assert ReadPlan(may_use_replica=True).uses_replica() is True


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_on_the_primary_stay_there():
    token = _plan.set(ReadPlan(may_use_replica=True))
    try:
        with transaction.atomic():
            assert ReplicaRouter().db_for_read(Article) == PRIMARY
    finally:
        _plan.reset(token)


def test_writes_and_migrations_are_for_the_primary_only():
    router = ReplicaRouter()

    assert router.db_for_write(Article) == PRIMARY
    assert router.allow_migrate(PRIMARY, "articles") is True
    assert router.allow_migrate(REPLICA, "articles") is False
