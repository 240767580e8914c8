"""Share links on an article: plain links to Facebook, X, WhatsApp and email with the
story's address and headline correctly encoded, and no third party's script on our page."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.services import preview_link_create
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example"
HOSTILE = 'Tax & "spend": 50% off? <b>#1</b> + more/less'


class LinkReader(HTMLParser):
    def __init__(self, page):
        super().__init__()
        self.links, self.scripts, self.copy_buttons = {}, [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        for name in ("facebook", "x", "whatsapp", "email"):
            if tag == "a" and f"share-{name}" in classes:
                self.links[name] = attrs["href"]
        if tag == "script" and "src" in attrs:
            self.scripts.append(attrs["src"])
        if tag == "button" and "data-copy-link" in attrs:
            self.copy_buttons.append(attrs)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def share(article) -> LinkReader:
    return LinkReader(Client().get(article.get_absolute_url()).content.decode())


def query(href: str) -> dict:
    return {name: values[0] for name, values in parse_qs(urlsplit(href).query).items()}


def test_each_share_link_carries_the_headline_and_address_exactly():
    article = ArticleFactory(headline=HOSTILE)
    address = SITE + article.get_absolute_url()

    links = share(article).links

    assert links["facebook"].startswith("https://www.facebook.com/sharer/sharer.php?")
    assert query(links["facebook"]) == {"u": address}
    assert links["x"].startswith("https://x.com/intent/post?")
    assert query(links["x"]) == {"text": HOSTILE, "url": address}
    assert links["whatsapp"].startswith("https://wa.me/?")
    assert query(links["whatsapp"]) == {"text": f"{HOSTILE} {address}"}
    assert links["email"].startswith("mailto:?")
    assert query(links["email"]) == {"subject": HOSTILE, "body": address}
    # Mail programs take "+" literally: spaces are %20.
    assert "+" not in links["email"].replace("%2B", "")


def test_the_copy_button_copies_the_canonical_address_and_waits_for_a_script():
    article = ArticleFactory()

    (button,) = share(article).copy_buttons

    assert button["data-copy-link"] == SITE + article.get_absolute_url()
    assert "hidden" in button  # shown only by our script, where copying works


def test_sharing_loads_no_third_party_script_and_the_policy_stays_strict():
    article = ArticleFactory()
    response = Client().get(article.get_absolute_url())

    scripts = LinkReader(response.content.decode()).scripts

    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert "/static/articles/share.js" in scripts
    script_src = re.search(r"script-src ([^;]*)", response["Content-Security-Policy"])[1]
    assert script_src.strip() == "'self'"


def test_previews_and_drafts_offer_no_share_links_nor_social_tags(editor_client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    _, token = preview_link_create(article=draft, by=editor)

    staff_view = editor_client.get(draft.get_absolute_url()).content.decode()
    shared_preview = Client().get(reverse("articles:preview", kwargs={"token": token}))

    for page in (staff_view, shared_preview.content.decode()):
        links = LinkReader(page)
        assert links.links == {} and links.copy_buttons == []
    assert 'property="og:' not in shared_preview.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in shared_preview.content.decode()
