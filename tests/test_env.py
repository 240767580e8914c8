"""Reading settings from the environment: the habits newsroom.env keeps over django-environ."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from comments.forms.reader import CommentForm
from comments.models import Comment
from newsroom.env import Env


@pytest.fixture
def env(monkeypatch):
    for name in ("DEBUG", "ALLOWED_HOSTS", "CACHE_URL", "PAGE_CACHE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return Env()


def test_an_empty_variable_keeps_the_default(env, monkeypatch):
    monkeypatch.setenv("DEBUG", "")

    assert env.bool("DEBUG", default=True) is True


def test_list_items_are_trimmed_and_empty_ones_dropped(env, monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " news.example.org, ,www.example.org ")

    assert env.list("ALLOWED_HOSTS", default=[]) == ["news.example.org", "www.example.org"]


def test_a_number_that_is_not_one_names_its_variable(env, monkeypatch):
    monkeypatch.setenv("PAGE_CACHE_SECONDS", "five")

    with pytest.raises(ImproperlyConfigured, match="PAGE_CACHE_SECONDS must be a whole number"):
        env.int("PAGE_CACHE_SECONDS", default=300)


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("db://newsroom_cache", "newsroom.dbcache.PostgresCache", "newsroom_cache"),
        ("db://", "newsroom.dbcache.PostgresCache", "newsroom_cache"),
        ("redis://127.0.0.1:6379/0", "newsroom.cache.ForgivingRedisCache", None),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", None),
    ],
)
def test_cache_url_schemes(env, monkeypatch, url, backend, location):
    monkeypatch.setenv("CACHE_URL", url)

    config = env.newsroom_cache("CACHE_URL", default="db://newsroom_cache")

    assert config["BACKEND"] == backend
    if backend.endswith("RedisCache"):
        assert config["LOCATION"] == url and config["OPTIONS"]["socket_timeout"] == 0.5
    else:
        assert config.get("LOCATION") == location


def test_an_unknown_cache_scheme_is_refused_plainly(env, monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcache://127.0.0.1")

    with pytest.raises(ImproperlyConfigured, match="must start with redis://, db:// or locmem://"):
        env.newsroom_cache("CACHE_URL", default="db://newsroom_cache")


def test_the_comment_form_takes_as_long_a_name_as_the_column_holds():
    column = Comment._meta.get_field("name").max_length

    assert CommentForm(article_pk=1).fields["name"].max_length == column
