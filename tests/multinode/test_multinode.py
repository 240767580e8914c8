"""Newsroom on two app servers behind Varnish, sharing PostgreSQL (and its replica), Redis
and object storage: what one server does, the other and the cache in front know at once."""

import io
import re
import socket
import threading
import time
import uuid
from collections import Counter

import pytest
import requests
from PIL import Image as PillowImage

from tests.multinode.client import Visitor, comment_form
from tests.multinode.conftest import BUCKET, PASSWORD
from tests.multinode.engines import wait_for

pytestmark = pytest.mark.multinode


def editor_on(base: str) -> Visitor:
    editor = Visitor(base)
    editor.sign_in("editor", PASSWORD)
    return editor


def moderator_on(base: str) -> Visitor:
    moderator = Visitor(base)
    moderator.sign_in("moderator", PASSWORD)
    return moderator


def seeded_article_url(cluster, number: int) -> str:
    pk = cluster.sql(f"SELECT id FROM articles_article WHERE slug = 'seeded-story-{number}'")
    return f"/article/{pk}/seeded-story-{number}/"


def cached_in_varnish(reader: Visitor, path: str) -> requests.Response:
    """The page as Varnish serves it once it keeps it (the first visit may fill it)."""
    for _ in range(3):
        page = reader.get(path)
        assert page.status_code == 200, (path, page.status_code)
        if page.headers["X-Cache"] == "hit":
            return page
    raise AssertionError(f"Varnish does not keep {path}: {dict(page.headers)}")


def post_comment(reader: Visitor, path: str, body: str) -> requests.Response:
    page = reader.get(path)
    assert page.status_code == 200
    action, fields = comment_form(page.text)
    fields.update(name="Farah Naz", email=f"{uuid.uuid4().hex[:12]}@example.org", body=body)
    return reader.post(action, fields)


def test_an_editor_publishes_on_one_server_and_readers_see_it_on_the_other(cluster):
    headline = f"Bridge reopens {uuid.uuid4().hex[:6]}"
    through_varnish = Visitor(cluster.varnish.url)
    front_before = cached_in_varnish(through_varnish, "/")
    assert headline not in front_before.text
    editor = editor_on(cluster.app1.url)
    form = editor.form("/admin/articles/article/add/", "article_form")
    section = cluster.sql("SELECT id FROM articles_section WHERE slug = 'city'")
    author = cluster.sql("SELECT id FROM articles_author WHERE slug = 'sana-mir'")
    form.update(
        headline=headline,
        slug=headline.lower().replace(" ", "-"),
        section=section,
        body="<p>Traffic flows again over the river.</p>",
        status="published",
        **{"bylines-0-author": author},
    )

    saved = editor.post("/admin/articles/article/add/", form)

    assert saved.status_code == 302, saved.text[:3000]
    front = through_varnish.get("/")
    assert headline in front.text
    link = re.search(r'href="(/article/\d+/[^"]+/)"[^>]*>\s*' + re.escape(headline), front.text)
    assert link, "the front page links the new story"
    on_the_other_server = Visitor(cluster.app2.url).get(link.group(1))
    assert on_the_other_server.status_code == 200
    assert headline in on_the_other_server.text


def test_a_comment_posted_on_one_server_and_hidden_on_the_other_leaves_varnish_at_once(cluster):
    article = seeded_article_url(cluster, 1)
    body = f"Rude remark {uuid.uuid4().hex[:8]}"
    through_varnish = Visitor(cluster.varnish.url)
    cached_in_varnish(through_varnish, article)

    posted = post_comment(Visitor(cluster.app1.url), article, body)

    assert posted.status_code == 302
    comment_id = re.search(r"#comment-(\d+)$", posted.headers["Location"]).group(1)
    assert body in cached_in_varnish(through_varnish, article).text
    moderator = moderator_on(cluster.app2.url)
    page = moderator.get(article)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    hidden = moderator.post(
        f"/comments/{comment_id}/hide/",
        {"csrfmiddlewaretoken": token, "reason": "abuse", "note": ""},
    )
    clicked = time.monotonic()

    assert hidden.status_code == 302
    while body in (seen := through_varnish.get(article)).text:
        assert time.monotonic() - clicked < 1, "the hidden comment is still served by Varnish"
    assert seen.status_code == 200
    print(f"\nhidden comment gone from Varnish {time.monotonic() - clicked:.3f} s after the click")


def test_a_comment_on_one_article_leaves_another_articles_page_in_varnish(cluster):
    commented, other = seeded_article_url(cluster, 1), seeded_article_url(cluster, 2)
    through_varnish = Visitor(cluster.varnish.url)
    kept = cached_in_varnish(through_varnish, other)
    cached_in_varnish(through_varnish, commented)

    posted = post_comment(Visitor(cluster.varnish.url), commented, "Well said.")

    assert posted.status_code == 302
    again = Visitor(cluster.varnish.url).get(other)
    assert again.headers["X-Cache"] == "hit"
    # X-Varnish names this request and the request that stored the object: the same one.
    assert again.headers["X-Varnish"].split()[1] == kept.headers["X-Varnish"].split()[1]
    assert int(again.headers["Age"]) >= int(kept.headers["Age"])
    assert "Well said." in Visitor(cluster.varnish.url).get(commented).text


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (640, 480), (200, 120, 40)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_a_photo_uploaded_on_one_server_is_served_by_the_other_from_object_storage(cluster):
    editor = editor_on(cluster.app1.url)
    form = editor.form("/admin/articles/image/add/", "image_form")
    form.update(caption="Flooded market", credit="Newsroom", alt_text="Stalls under water")
    form["_continue"] = "Save and continue editing"

    saved = editor.post(
        "/admin/articles/image/add/",
        form,
        files={"file": ("market.jpg", photo_bytes(), "image/jpeg")},
    )

    assert saved.status_code == 302, saved.text[:3000]
    image_id = re.search(r"/admin/articles/image/(\d+)/change/", saved.headers["Location"]).group(1)
    same_editor_elsewhere = editor.at(cluster.app2.url)
    rendition = same_editor_elsewhere.get(f"/image/{image_id}/full-320.jpeg")
    assert rendition.status_code == 302
    stored_at = rendition.headers["Location"]
    assert stored_at.startswith(cluster.s3.url + "/"), stored_at
    picture = requests.get(stored_at, timeout=10)
    assert picture.status_code == 200
    assert PillowImage.open(io.BytesIO(picture.content)).size == (320, 240)
    change_page = same_editor_elsewhere.get(f"/admin/articles/image/{image_id}/change/").text
    original = re.search(r'href="/image/original/([^"]+)"', change_page).group(1)
    download = same_editor_elsewhere.get(f"/image/original/{original}")
    assert download.status_code == 200
    assert PillowImage.open(io.BytesIO(download.content)).size == (640, 480)
    # The bucket itself never hands the original to anyone.
    straight_from_bucket = requests.get(f"{cluster.s3.url}/{BUCKET}/originals/{original}")
    assert straight_from_bucket.status_code == 403


class CommentLoad:
    """Readers posting comments through Varnish from a few threads, every answer counted."""

    def __init__(self, base: str, article: str, threads: int = 4):
        self.base, self.article = base, article
        self.threads = threads
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.accepted: list[str] = []
        self.answers: Counter = Counter()

    def reader(self, number: int) -> None:
        reader = Visitor(self.base)
        action, fields = comment_form(reader.get(self.article).text)
        sent = 0
        while not self.stop.is_set():
            sent += 1
            body = f"Load comment {number}-{sent}-{uuid.uuid4().hex[:8]}"
            fields.update(name=f"Reader {number}", email=f"r{number}-{sent}@example.org", body=body)
            try:
                answer = Visitor(self.base).post(action, fields)
                status = answer.status_code
                located = "#comment-" in answer.headers.get("Location", "")
            except requests.RequestException:
                status, located = 0, False
            with self.lock:
                self.answers[status] += 1
                # Accepted: the site sent the reader to their published comment.
                if status == 302 and located:
                    self.accepted.append(body)

    def count(self) -> int:
        with self.lock:
            return len(self.accepted)

    def wait_for(self, count: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while self.count() < count:
            assert time.monotonic() < deadline, f"only {self.count()} accepted: {self.answers}"
            time.sleep(0.05)

    def __enter__(self):
        self.workers = [
            threading.Thread(target=self.reader, args=(n,)) for n in range(self.threads)
        ]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=60)


def test_killing_an_app_server_mid_load_loses_no_accepted_comment(cluster):
    article = seeded_article_url(cluster, 2)
    try:
        with CommentLoad(cluster.varnish.url, article) as load:
            load.wait_for(20)
            cluster.app2.kill()
            killed_at = load.count()
            load.wait_for(killed_at + 20)
    finally:
        cluster.restart(cluster.app2)

    stored = set(
        cluster.sql("SELECT body FROM comments_comment WHERE body LIKE 'Load comment %'").split(
            "\n"
        )
    )
    print(
        f"\nkill mid-load: {killed_at} accepted before, {len(load.accepted)} in all, {load.answers}"
    )
    assert set(load.accepted) <= stored, set(load.accepted) - stored
    assert len(load.accepted) >= 40


def raw_request(port: int, request: bytes, *, source: str) -> str:
    """Send one HTTP request from a chosen loopback address (all of 127/8 is this machine)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0)) as s:
        s.sendall(request)
        return s.recv(4096).decode(errors="replace")


def test_varnish_takes_purges_only_from_the_app_servers_addresses(cluster):
    article = seeded_article_url(cluster, 2)
    through_varnish = Visitor(cluster.varnish.url)
    kept = cached_in_varnish(through_varnish, article)
    article_key = next(key for key in kept.headers["Surrogate-Key"].split() if "article-" in key)
    purge = f"PURGE / HTTP/1.1\r\nHost: 127.0.0.1\r\nxkey: {article_key}\r\n\r\n".encode()

    refused = raw_request(cluster.varnish.port, purge, source="127.0.0.2")

    assert refused.startswith("HTTP/1.1 403")
    assert through_varnish.get(article).headers["X-Cache"] == "hit"
    accepted = raw_request(cluster.varnish.port, purge, source="127.0.0.1")
    assert accepted.startswith("HTTP/1.1 200")
    assert through_varnish.get(article).headers["X-Cache"] == "miss"


def test_readers_pages_are_read_from_the_replica_once_no_change_is_recent(cluster):
    started = cluster.replica.query("SELECT now()")
    reader = Visitor(cluster.app2.url)

    def replica_served_a_page() -> bool:
        # Each listing page is its own cache entry: this one is rendered, not served kept.
        page = reader.get(f"/section/city/?page={uuid.uuid4().int % 10**9}")
        assert page.status_code in (200, 404)
        return (
            cluster.replica.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'newsroom' "
                f"AND query_start > '{started}' AND query LIKE '%articles_article%'"
            )
            != "0"
        )

    # Right after a change pages are rendered from the primary (the replica may lag):
    # waited for, never slept, for at most the pin window and a little more.
    wait_for("a page read from the replica", replica_served_a_page, seconds=30)
